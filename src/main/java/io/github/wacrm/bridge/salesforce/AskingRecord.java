package io.github.wacrm.bridge.salesforce;

import static io.github.wacrm.bridge.event.PayloadValues.text;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;

/**
 * The Salesforce record that asked for an outbound message (a {@code WhatsApp_Send__e} event's recipient, by its id
 * prefix: 003 Contact, 00Q Lead, 500 Case), linked from the message record by id so the outcome shows on it. A Contact
 * or Lead that asked is the person of the message ({@code Contact__r} / {@code Lead__r} by WhatsApp id) whenever the
 * person is known, and Salesforce refuses a lookup given both by id and by external id: then only a Case is linked.
 */
final class AskingRecord {

    private AskingRecord() {
    }

    static void link(CrmRecord message, ObjectNode payload, boolean personKnown) {
        String asking = "salesforce".equals(text(payload, "source")) ? text(payload, "requestedBy") : null;
        if (asking == null) {
            return;
        }
        String field = asking.startsWith("003") ? "askingContact" : asking.startsWith("00Q") ? "askingLead"
                : asking.startsWith("500") ? "askingCase" : null;
        if (field != null && (field.equals("askingCase") || !personKnown)) {
            message.put(field, asking);
        }
    }
}
