package io.github.wacrm.bridge.normalize;

import static io.github.wacrm.bridge.normalize.MetaFields.text;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.event.Customer;

/**
 * Who a fact is about, from the fact and the change's {@code contacts}: the sender of a message, the recipient of a
 * status, the user of a preference; phone number, BSUID, parent BSUID, profile name and username, whichever are sent.
 */
final class FactCustomers {

    private FactCustomers() {
    }

    static Customer ofMessage(JsonNode value, JsonNode m) {
        Customer customer = new Customer();
        assignSenderId(customer, text(m, "from"));
        String fromUserId = text(m, "from_user_id");
        if (fromUserId != null) {
            customer.userId = fromUserId;
        }
        customer.parentUserId = text(m, "from_parent_user_id");
        JsonNode contact = matchingContact(value, customer.waId, customer.userId);
        if (contact != null) {
            if (customer.waId == null) {
                assignSenderId(customer, text(contact, "wa_id"));
            }
            if (customer.userId == null) {
                customer.userId = text(contact, "user_id");
            }
            if (customer.parentUserId == null) {
                customer.parentUserId = text(contact, "parent_user_id");
            }
            customer.profileName = text(contact.path("profile"), "name");
            customer.username = text(contact.path("profile"), "username");
            if (customer.username == null) {
                customer.username = text(contact, "username");
            }
        }
        return customer;
    }

    /** The customer a status or preference is about, with profile name and username from the change's contacts. */
    static Customer of(JsonNode value, String phoneOrId, String userId, String parentUserId) {
        Customer customer = new Customer();
        assignSenderId(customer, phoneOrId);
        if (userId != null) {
            customer.userId = userId;
        }
        customer.parentUserId = parentUserId;
        JsonNode contact = matchingContact(value, customer.waId, customer.userId);
        if (contact != null) {
            customer.profileName = text(contact.path("profile"), "name");
            customer.username = text(contact.path("profile"), "username");
        }
        return customer;
    }

    /** A numeric id is a phone number; anything else (a BSUID) is kept as the user id, never as a phone. */
    private static void assignSenderId(Customer customer, String id) {
        if (id == null) {
            return;
        }
        if (PhoneIdentity.isPhoneNumber(id)) {
            customer.waId = id;
        } else if (customer.userId == null) {
            customer.userId = id;
        }
    }

    private static JsonNode matchingContact(JsonNode value, String waId, String userId) {
        JsonNode contacts = value.path("contacts");
        if (!contacts.isArray() || contacts.isEmpty()) {
            return null;
        }
        for (JsonNode contact : contacts) {
            if ((waId != null && waId.equals(text(contact, "wa_id")))
                    || (userId != null && userId.equals(text(contact, "user_id")))) {
                return contact;
            }
        }
        return contacts.size() == 1 ? contacts.get(0) : null;
    }
}
