package io.github.wacrm.bridge.hubspot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.WrittenPeople;
import io.github.wacrm.bridge.hubspot.HubSpotFactMapper.TicketIntent;
import io.github.wacrm.bridge.state.PersonStates;
import io.github.wacrm.bridge.state.PersonStates.State;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;

/**
 * The calls a HubSpot batch need not make, from what the sink itself wrote before ({@link WrittenPeople}): a contact
 * HubSpot already holds as it is is not upserted again (its id, which the associations need, is kept with it), and a
 * ticket the sink read or opened lately is not read again to see it is still open
 * ({@code whatsapp.hubspot.known-contacts.*}). Within the budget's 100 calls per 10 s, those two were half the calls.
 */
@Component
public class HubSpotKnownContacts {

    private final WrittenPeople people;

    public HubSpotKnownContacts(PersonStates states,
            @Value("${whatsapp.hubspot.known-contacts.last-inbound-step-ms:300000}") long lastInboundStepMs,
            @Value("${whatsapp.hubspot.known-contacts.open-ticket-recheck-ms:600000}") long openTicketRecheckMs) {
        this.people = new WrittenPeople(states, "hubspot", lastInboundStepMs, openTicketRecheckMs);
    }

    /**
     * Before the batch's calls: drops the contacts HubSpot holds as they are (their ids known to the batch), takes the
     * tickets checked lately as open, and answers the rest of {@code knownTickets} (contact → ticket), still to read.
     */
    public Map<String, String> leaveOutKnown(HubSpotBatch batch, Map<String, String> knownTickets) {
        List<CrmRecord> contacts = batch.records(CONTACTS);
        Map<String, State> known = people.read(contacts.stream().map(CrmRecord::key).toList());
        for (CrmRecord contact : contacts) {
            State state = known.get(contact.key());
            if (state != null && state.recordId() != null && people.unchanged(contact, state)) {
                batch.drop(contact);
                batch.id(CONTACTS, contact.externalId(), state.recordId());
            }
        }
        Map<String, String> toRead = new LinkedHashMap<>(knownTickets);
        knownTickets.forEach((contact, ticket) -> {
            if (ticket.equals(people.trustedConversation(known.get(key(contact))))) {
                batch.ticketTrusted(contact, ticket);
                toRead.remove(contact);
            }
        });
        return toRead;
    }

    /** After the batch is written: each contact written with its id, and each contact's open ticket. */
    public void remember(HubSpotBatch batch) {
        List<State> written = new ArrayList<>();
        for (CrmRecord contact : batch.records(CONTACTS)) {
            String id = batch.id(CONTACTS, contact.externalId());
            if (id != null && !batch.refused(contact)) {
                written.add(people.written(contact, id));
            }
        }
        Instant now = Instant.now();
        for (TicketIntent intent : batch.ticketIntents()) {
            String ticket = batch.openTicket(intent.contactId());
            if (ticket != null) {
                // read or opened now: checked now; trusted from before: keeps its check time
                written.add(State.conversation(key(intent.contactId()), ticket,
                        batch.ticketChecked(intent.contactId()) ? now : null));
            }
        }
        people.save(written);
    }

    private static String key(String contactId) {
        return new CrmRecord(CONTACTS, contactId).key();
    }
}
