package io.github.wacrm.bridge.hubspot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.SinkBatch;
import io.github.wacrm.bridge.hubspot.HubSpotFactMapper.TicketIntent;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.COMMUNICATIONS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.NOTES;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.TICKETS;

/**
 * One batch of facts on its way to HubSpot: the merged records, the calls still to make and what HubSpot refused.
 * Calls go in stages, each needing the ids the previous one answered: contacts (batch upsert on {@code whatsapp_id});
 * the contacts' known tickets (batch read, to see which are still open); new tickets (batch upsert on the
 * conversation key); communications and notes (batch upsert on the wamid / event id); then the v4 batch
 * associations between them. Lives in the exchange property {@code hubspotBatch} for one pass of the sink route.
 */
public final class HubSpotBatch extends SinkBatch {

    enum Stage { START, CONTACTS, TICKET_LOOKUP, TICKETS, ACTIVITIES, ASSOCIATIONS, DONE }

    public enum Kind { UPSERT, UPDATE, READ, ASSOCIATE }

    /** One v4 association to create, by HubSpot ids; carries the facts that asked for it. */
    public record Association(String fromType, String fromId, String toType, String toId, int typeId,
            Set<Integer> facts) {
    }

    private final HubSpotProperties properties;
    private final Deque<HubSpotCall> pending = new ArrayDeque<>();
    /** "type|externalId" → HubSpot record id, from the upsert answers. */
    private final Map<String, String> ids = new HashMap<>();
    /** Contact (whatsapp id) → the first inbound message of the batch that asks for a ticket. */
    private final Map<String, TicketIntent> ticketIntents = new LinkedHashMap<>();
    /** wamids of the inbound messages that belong in their contact's ticket. */
    private final Set<String> ticketMessages = new java.util.HashSet<>();
    /** Contact → the ticket the bridge opened for it before (from PostgreSQL), to check it is still open. */
    private final Map<String, String> knownTickets = new LinkedHashMap<>();
    /** The same, ticket → contacts, to read the answer of the check. */
    private final Map<String, List<String>> contactsByKnownTicket = new HashMap<>();
    /** Contact → open ticket id, once known. */
    private final Map<String, String> openTickets = new HashMap<>();
    /** Contacts whose open ticket this batch read or opened (rather than trusted from before). */
    private final Set<String> checkedTickets = new java.util.HashSet<>();
    private Stage stage = Stage.START;
    private HubSpotCall current;

    public HubSpotBatch(HubSpotProperties properties) {
        this.properties = properties;
    }

    // ---- tickets -------------------------------------------------------------------------------------------------

    public void addTicketIntent(TicketIntent intent) {
        ticketIntents.putIfAbsent(intent.contactId(), intent);
        ticketMessages.add(intent.wamid());
    }

    public List<TicketIntent> ticketIntents() {
        return List.copyOf(ticketIntents.values());
    }

    public void knownTickets(Map<String, String> ticketByContact) {
        knownTickets.putAll(ticketByContact);
        ticketByContact.forEach((contact, ticket) -> contactsByKnownTicket.computeIfAbsent(ticket,
                t -> new ArrayList<>()).add(contact));
    }

    public String id(String type, String externalId) {
        return ids.get(type + "|" + externalId);
    }

    void id(String type, String externalId, String hubspotId) {
        ids.put(type + "|" + externalId, hubspotId);
    }

    public String openTicket(String contactId) {
        return openTickets.get(contactId);
    }

    void ticketOpen(String ticketId) {
        contactsByKnownTicket.getOrDefault(ticketId, List.of()).forEach(contact -> {
            openTickets.put(contact, ticketId);
            checkedTickets.add(contact);
        });
    }

    /** A ticket the sink checked lately is taken as its contact's open ticket without reading it again. */
    public void ticketTrusted(String contactId, String ticketId) {
        openTickets.put(contactId, ticketId);
    }

    /** Whether this batch read or opened the contact's ticket. */
    public boolean ticketChecked(String contactId) {
        return checkedTickets.contains(contactId);
    }

    // ---- calls ---------------------------------------------------------------------------------------------------

    /** Whether another call is due; moves to the next stage when the current one is written. */
    public boolean hasPendingCalls() {
        while (pending.isEmpty() && stage != Stage.DONE) {
            stage = Stage.values()[stage.ordinal() + 1];
            queueStage();
        }
        return !pending.isEmpty();
    }

    public HubSpotCall nextCall() {
        current = pending.poll();
        return current;
    }

    public HubSpotCall currentCall() {
        return current;
    }

    /** Sent next, before the rest of the stage (inputs to retry, names of new contacts, halves of a refused call). */
    void sendNext(HubSpotCall call) {
        pending.addFirst(call);
    }

    private void queueStage() {
        switch (stage) {
            case CONTACTS -> upserts(CONTACTS);
            case TICKET_LOOKUP -> {
                if (properties.tickets().enabled()) {
                    List<String> known = new ArrayList<>(new TreeSet<>(knownTickets.values()));
                    for (List<String> chunk : chunks(known, properties.maxInputsPerCall())) {
                        pending.add(HubSpotCall.read(TICKETS, chunk));
                    }
                }
            }
            case TICKETS -> {
                if (properties.tickets().enabled()) {
                    planTickets();
                    upserts(TICKETS);
                }
            }
            case ACTIVITIES -> {
                upserts(COMMUNICATIONS);
                upserts(NOTES);
            }
            case ASSOCIATIONS -> planAssociations();
            default -> {
            }
        }
    }

    private void upserts(String type) {
        for (List<CrmRecord> chunk : chunks(records(type), properties.maxInputsPerCall())) {
            pending.add(HubSpotCall.upsert(type, chunk));
        }
    }

    /** Contacts without an open ticket get one, keyed by the wamid of their first message in this batch. */
    private void planTickets() {
        HubSpotProperties.Tickets t = properties.tickets();
        for (TicketIntent intent : ticketIntents.values()) {
            if (openTickets.containsKey(intent.contactId()) || id(CONTACTS, intent.contactId()) == null) {
                continue;
            }
            add(new CrmRecord(TICKETS, intent.wamid()).fact(intent.fact())
                    .put("subject", t.subject())
                    .put("pipeline", t.pipeline())
                    .put("stage", t.stage())
                    .put("whatsappId", intent.contactId())
                    .put("businessPhoneNumberId", intent.phoneNumberId())
                    .reference(CONTACTS, intent.contactId()));
        }
    }

    /** Once a ticket is written: it is its contact's open ticket. Answers the intent that asked for it. */
    TicketIntent ticketWritten(CrmRecord ticket, String ticketId) {
        String contact = ticket.references().get(CONTACTS);
        openTickets.put(contact, ticketId);
        checkedTickets.add(contact);
        return ticketIntents.get(contact);
    }

    private void planAssociations() {
        HubSpotProperties.AssociationTypes types = properties.associationTypes();
        List<Association> ticketToContact = new ArrayList<>();
        List<Association> communicationToContact = new ArrayList<>();
        List<Association> communicationToTicket = new ArrayList<>();
        List<Association> noteToContact = new ArrayList<>();
        for (CrmRecord ticket : records(TICKETS)) {
            link(ticketToContact, ticket, CONTACTS, types.ticketToContact());
        }
        for (CrmRecord communication : records(COMMUNICATIONS)) {
            link(communicationToContact, communication, CONTACTS, types.communicationToContact());
            String contact = communication.references().get(CONTACTS);
            String ticketId = contact == null ? null : openTickets.get(contact);
            String fromId = id(COMMUNICATIONS, communication.externalId());
            if (properties.tickets().enabled() && ticketId != null && fromId != null
                    && ticketMessages.contains(communication.externalId())) {
                communicationToTicket.add(new Association(COMMUNICATIONS, fromId, TICKETS, ticketId,
                        types.communicationToTicket(), communication.facts()));
            }
        }
        for (CrmRecord note : records(NOTES)) {
            link(noteToContact, note, CONTACTS, types.noteToContact());
        }
        for (List<Association> list : List.of(ticketToContact, communicationToContact, communicationToTicket,
                noteToContact)) {
            for (List<Association> chunk : chunks(list, properties.maxAssociationsPerCall())) {
                pending.add(HubSpotCall.associate(chunk));
            }
        }
    }

    private void link(List<Association> into, CrmRecord from, String toType, int typeId) {
        String toExternalId = from.references().get(toType);
        String fromId = id(from.type(), from.externalId());
        String toId = toExternalId == null ? null : id(toType, toExternalId);
        if (fromId != null && toId != null) {
            into.add(new Association(from.type(), fromId, toType, toId, typeId, from.facts()));
        }
    }

    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < list.size(); from += size) {
            chunks.add(List.copyOf(list.subList(from, Math.min(list.size(), from + size))));
        }
        return chunks;
    }
}
