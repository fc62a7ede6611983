package io.github.wacrm.bridge.crm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;

class NumberChangeTest {

    @Test
    void aReadChangeSetsTheNewNumberItsRegionTheHistoryAndTheTimeOnThePerson() {
        CrmRecord person = new CrmRecord("contact", "+16505551234").put("e164", "+16505551234").put("region", "US");
        NumberChange.of(change("+447700900123", "GB", "+16505551234")).orElseThrow().applyTo(person, 255);
        assertThat(person.values()).containsEntry("e164", "+447700900123").containsEntry("region", "GB")
                .containsEntry("previousNumbers", "+16505551234")
                .containsEntry("numberChangedAt", "2025-01-01T10:00:00Z");
    }

    @Test
    void aNewNumberWithoutARegionLeavesNoOldRegionBehind() {
        CrmRecord person = new CrmRecord("contact", "+16505551234").put("region", "US");
        NumberChange.of(change("+999123456789", null, null)).orElseThrow().applyTo(person, 255);
        assertThat(person.values()).doesNotContainKey("region").doesNotContainKey("previousNumbers");
    }

    @Test
    void aLongHistoryIsCutToTheFieldsLength() {
        CrmRecord person = new CrmRecord("contact", "x");
        NumberChange.of(change("+1", null, "+16505551234, +16505551235")).orElseThrow().applyTo(person, 12);
        assertThat(person.values().get("previousNumbers")).isEqualTo("+16505551234");
    }

    @Test
    void otherSystemMessagesAndChangesTheRouterCouldNotReadAreNoChange() {
        CanonicalEvent other = change("+16505559999", null, null);
        other.payload.with("system").put("type", "customer_identity_changed");
        assertThat(NumberChange.of(other)).isEmpty();
        CanonicalEvent unread = change("+16505559999", null, null);
        unread.payload.with("system").remove("newE164");
        assertThat(NumberChange.of(unread)).isEmpty();
        CanonicalEvent status = change("+16505559999", null, null);
        status.kind = EventKind.STATUS;
        assertThat(NumberChange.of(status)).isEmpty();
    }

    private static CanonicalEvent change(String newE164, String region, String previous) {
        CanonicalEvent event = new CanonicalEvent();
        event.kind = EventKind.MESSAGE;
        event.occurredAt = "2025-01-01T10:00:00Z";
        event.payload = JsonNodeFactory.instance.objectNode().put("type", "system");
        var system = event.payload.putObject("system").put("type", "user_changed_number").put("newE164", newE164);
        if (region != null) {
            system.put("newRegion", region);
        }
        if (previous != null) {
            system.put("previousNumbers", previous);
        }
        return event;
    }
}
