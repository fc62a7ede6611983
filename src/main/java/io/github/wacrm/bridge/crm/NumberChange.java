package io.github.wacrm.bridge.crm;

import static io.github.wacrm.bridge.event.PayloadValues.text;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;

/**
 * What a {@code user_changed_number} system message says about the person, the same for every CRM: the number they
 * use from now on (in E.164, with its region) and the numbers they used before, as the event router read them
 * ({@code NumberChanges}). The person's record keeps its key; these values are written on it, timed like any other,
 * so a late message from the old number never puts the old number back.
 */
public record NumberChange(String e164, String region, String previousNumbers, String changedAt) {

    /** The change the fact carries, if it is a number change the router read. */
    public static Optional<NumberChange> of(CanonicalEvent fact) {
        if (fact.kind != EventKind.MESSAGE || fact.payload == null) {
            return Optional.empty();
        }
        JsonNode system = fact.payload.path("system");
        if (!"user_changed_number".equals(text(system, "type")) || text(system, "newE164") == null) {
            return Optional.empty();
        }
        return Optional.of(new NumberChange(text(system, "newE164"), text(system, "newRegion"),
                text(system, "previousNumbers"), fact.occurredAt));
    }

    /** Writes the change on a person record in logical fields: e164, region, previousNumbers, numberChangedAt. */
    public CrmRecord applyTo(CrmRecord person, int previousNumbersLimit) {
        person.values().remove("region");
        return person.put("e164", e164)
                .put("region", region)
                .put("previousNumbers", TextCut.toLength(previousNumbers, previousNumbersLimit))
                .put("numberChangedAt", changedAt);
    }
}
