package io.github.wacrm.bridge.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.state.PersonStates.State;

/** When a sink may leave a person out of its batch, and when it may trust the conversation record it checked. */
class WrittenPeopleTest {

    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
    private final WrittenPeople people = new WrittenPeople(null, "test", 300_000, 600_000);

    @Test
    void aPersonWrittenWithTheSameValuesAndALastInboundTimeWithinTheStepIsLeftOut() {
        State before = people.written(person("Ana", T), "id-1");
        assertThat(people.unchanged(person("Ana", T.plusSeconds(299)), before)).isTrue();
        assertThat(people.unchanged(person("Ana", T.plusSeconds(300)), before)).as("the step passed").isFalse();
        assertThat(people.unchanged(person("Ana", T.minusSeconds(1)), before)).as("an older time is not skipped")
                .isFalse();
        assertThat(people.unchanged(person("Ana B.", T), before)).as("a value changed").isFalse();
        assertThat(people.unchanged(person("Ana", T), null)).as("never written").isFalse();
    }

    @Test
    void aPersonWithoutALastInboundTimeIsLeftOutWhenItsValuesAreUnchanged() {
        CrmRecord status = new CrmRecord("contact", "+16505551234").put("name", "Ana");
        assertThat(people.unchanged(new CrmRecord("contact", "+16505551234").put("name", "Ana"),
                people.written(status, null))).isTrue();
    }

    @Test
    void aConversationRecordCheckedWithinTheRecheckIsTrustedAndAnOlderOneIsAskedAgain() {
        Instant now = Instant.now();
        assertThat(people.trustedConversation(State.conversation("p", "case-1", now.minusSeconds(599))))
                .isEqualTo("case-1");
        assertThat(people.trustedConversation(State.conversation("p", "case-1", now.minusSeconds(601)))).isNull();
        assertThat(people.trustedConversation(State.conversation("p", "case-1", null))).as("never checked").isNull();
        assertThat(people.trustedConversation(null)).isNull();
    }

    private static CrmRecord person(String name, Instant lastInbound) {
        return new CrmRecord("contact", "+16505551234").put("name", name)
                .put(WrittenPeople.LAST_INBOUND, lastInbound.toString());
    }
}
