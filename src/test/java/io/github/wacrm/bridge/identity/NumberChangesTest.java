package io.github.wacrm.bridge.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;

/** The links a change of number makes in PostgreSQL, and what facts of the numbers then say who they are. */
class NumberChangesTest extends BridgeIntegrationTest {

    @Autowired
    NumberChanges numberChanges;
    @Autowired
    PhoneIdentity phoneIdentity;

    @Test
    void aFactOfTheNewNumberTakesTheRootsIdentityAndKeepsItsOwnNumber() {
        String a = number("1"), b = number("2");
        CanonicalEvent change = numberChanges.follow(change(a, b, "2025-01-01T10:00:00Z"));
        assertThat(change.customer.identityKey).isEqualTo("phone:+" + a);
        assertThat(change.payload.path("system").path("newE164").asText()).isEqualTo("+" + b);
        assertThat(change.payload.path("system").path("previousNumbers").asText()).isEqualTo("+" + a);

        CanonicalEvent later = numberChanges.follow(message(b));
        assertThat(later.customer.identityKey).isEqualTo("phone:+" + a);
        assertThat(later.customer.identityHash).isEqualTo(phoneIdentity.hash("phone:+" + a));
        assertThat(later.customer.e164).as("the number shown is the one the customer uses").isEqualTo("+" + b);
        assertThat(numberChanges.follow(message(a)).customer.identityKey).isEqualTo("phone:+" + a);
    }

    @Test
    void aNumberThatComesBackToTheFirstIsUnlinkedAndTheOtherStaysHistory() {
        String a = number("3"), b = number("4");
        numberChanges.follow(change(a, b, "2025-01-01T10:00:00Z"));
        CanonicalEvent back = numberChanges.follow(change(b, a, "2025-02-01T10:00:00Z"));
        assertThat(back.customer.identityKey).as("sent from b, which is a's record").isEqualTo("phone:+" + a);
        assertThat(back.payload.path("system").path("previousNumbers").asText()).isEqualTo("+" + b);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM phone_link WHERE phone_key = ?", Integer.class,
                "phone:+" + a)).isZero();
        assertThat(numberChanges.follow(message(b)).customer.identityKey).isEqualTo("phone:+" + a);
    }

    @Test
    void anOlderChangeDeliveredLateDoesNotMoveANewerLink() {
        String a = number("5"), b = number("6"), c = number("7");
        numberChanges.follow(change(b, c, "2025-03-01T10:00:00Z"));
        numberChanges.follow(change(a, c, "2025-01-01T10:00:00Z"));
        assertThat(jdbc.queryForObject("SELECT identity_key FROM phone_link WHERE phone_key = ?", String.class,
                "phone:+" + c)).isEqualTo("phone:+" + b);
    }

    @Test
    void aChangeToSomethingThatIsNotAPhoneNumberLinksNothing() {
        String a = number("8");
        CanonicalEvent change = change(a, "1", "2025-01-01T10:00:00Z");
        ((ObjectNode) change.payload.path("system")).put("newWaId", "US.13491208655302741918");
        numberChanges.follow(change);
        assertThat(change.payload.path("system").has("newE164")).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM phone_link WHERE identity_key = ?", Integer.class,
                "phone:+" + a)).isZero();
    }

    private static String number(String tag) {
        return "1650" + tag + String.format("%06d", (int) (Math.random() * 1_000_000));
    }

    private CanonicalEvent message(String waId) {
        CanonicalEvent event = new CanonicalEvent();
        event.kind = EventKind.MESSAGE;
        event.occurredAt = "2025-01-02T10:00:00Z";
        event.payload = JsonNodeFactory.instance.objectNode().put("type", "text");
        event.customer = phoneIdentity.describe(waId);
        return event;
    }

    private CanonicalEvent change(String from, String to, String at) {
        CanonicalEvent event = message(from);
        event.occurredAt = at;
        event.payload = JsonNodeFactory.instance.objectNode().put("type", "system");
        event.payload.putObject("system").put("type", "user_changed_number").put("newWaId", to);
        return event;
    }
}
