package io.github.wacrm.bridge.hubspot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Association;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Kind;
import io.github.wacrm.bridge.hubspot.HubSpotFactMapper.TicketIntent;
import io.github.wacrm.bridge.hubspot.HubSpotSchema.ObjectType;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.TICKETS;

/**
 * HubSpot's answers to a sink batch's calls: the ids of what was written, the follow-ups they need (first values of
 * new records, new tickets), the inputs HubSpot refused (sent again, or dead-lettered), and whole calls refused.
 */
final class HubSpotAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSync.class);
    private static final String REJECTED = HubSpotSync.REJECTED;

    private final HubSpotProperties properties;
    private final HubSpotTickets tickets;
    private final HubSpotPendingValues pendingValues;
    private final HubSpotMetrics metrics;

    HubSpotAnswers(HubSpotProperties properties, HubSpotTickets tickets, HubSpotPendingValues pendingValues,
            HubSpotMetrics metrics) {
        this.properties = properties;
        this.tickets = tickets;
        this.pendingValues = pendingValues;
        this.metrics = metrics;
    }

    /** Reads HubSpot's answer to one call of the batch. */
    void read(HubSpotBatch batch, HubSpotCall call, JsonNode answer) {
        if (call.status() >= 300 && call.status() != 207) {
            refused(batch, call, answer);
            return;
        }
        switch (call.kind()) {
            case UPSERT -> upserted(batch, call, answer);
            case UPDATE -> updated(call, answer);
            case READ -> ticketsRead(batch, answer);
            case ASSOCIATE -> associated(batch, call, answer);
        }
    }

    private void upserted(HubSpotBatch batch, HubSpotCall call, JsonNode answer) {
        ObjectType type = HubSpotSchema.objectType(call.objectType());
        Map<String, CrmRecord> byKey = new LinkedHashMap<>();
        call.records().forEach(r -> byKey.put(r.externalId(), r));
        List<CrmRecord> newWithNames = new ArrayList<>();
        // created by an earlier try of this batch whose follow-up failed: HubSpot no longer says "new"
        List<CrmRecord> mayOwe = new ArrayList<>();
        Map<CrmRecord, String> newIds = new HashMap<>();
        List<HubSpotTickets.Opened> opened = new ArrayList<>();
        for (JsonNode result : answer.path("results")) {
            String key = result.path("properties").path(type.idProperty()).asText(null);
            CrmRecord record = key == null ? null : byKey.remove(key);
            if (record == null) {
                continue;
            }
            String id = result.path("id").asText();
            batch.id(type.name(), record.externalId(), id);
            boolean created = result.path("new").asBoolean(false);
            metrics.record(type.name(), created ? "created" : "updated");
            if (!record.createOnlyValues().isEmpty() && !record.sendsCreateOnly()) {
                (created ? newWithNames : mayOwe).add(record);
                newIds.put(record, id);
            }
            if (TICKETS.equals(type.name())) {
                TicketIntent intent = batch.ticketWritten(record, id);
                if (intent != null && intent.identityHash() != null) {
                    opened.add(new HubSpotTickets.Opened(intent.identityHash(), id, record.externalId()));
                }
            }
        }
        tickets.remember(opened);
        // noted before the follow-up is sent, so a retry of this batch still sends it if it fails
        pendingValues.remember(type.name(), newWithNames.stream().map(newIds::get).toList());
        Set<String> owed = pendingValues.pending(type.name(), mayOwe.stream().map(newIds::get).toList());
        mayOwe.stream().filter(r -> owed.contains(newIds.get(r))).forEach(newWithNames::add);
        if (!newWithNames.isEmpty()) {
            batch.sendNext(HubSpotCall.update(type.name(), newWithNames).withUpdateIds(newIds));
        }
        failedInputs(batch, call, new ArrayList<>(byKey.values()), List.of(), answer);
    }

    private void updated(HubSpotCall call, JsonNode answer) {
        // answered: set, or refused for good (a 207 error); either way nothing is owed any more
        pendingValues.done(call.objectType(), call.updateIds().values());
        int failed = call.size() - answer.path("results").size();
        if (failed > 0) {
            metrics.record(call.objectType(), "create_values_not_set");
            // the category only: HubSpot's message quotes the values, which are names
            LOG.warn("HubSpot did not set the first values (names) of {} new {}: {}", failed, call.objectType(),
                    answer.path("errors").path(0).path("category").asText(answer.path("category").asText("")));
        }
    }

    private void ticketsRead(HubSpotBatch batch, JsonNode answer) {
        List<String> closedStages = properties.tickets().closedStages();
        for (JsonNode ticket : answer.path("results")) {
            JsonNode props = ticket.path("properties");
            boolean samePipeline = props.path("hs_pipeline").asText(properties.tickets().pipeline())
                    .equals(properties.tickets().pipeline());
            if (samePipeline && !closedStages.contains(props.path("hs_pipeline_stage").asText(""))
                    && !ticket.path("archived").asBoolean(false)) {
                batch.ticketOpen(ticket.path("id").asText());
            }
        }
        // tickets HubSpot no longer has (deleted or merged) come back as errors: those contacts get a new ticket
    }

    private void associated(HubSpotBatch batch, HubSpotCall call, JsonNode answer) {
        Set<String> done = new HashSet<>();
        for (JsonNode result : answer.path("results")) {
            done.add(result.path("fromObjectId").asText() + ">" + result.path("toObjectId").asText());
        }
        List<Association> failed = call.associations().stream()
                .filter(a -> !done.contains(a.fromId() + ">" + a.toId())).toList();
        metrics.record("associations", "created", call.size() - failed.size());
        failedInputs(batch, call, List.of(), failed, answer);
    }

    /**
     * Inputs a 200/207 answered without a result: sent again with their create-only values when HubSpot says a
     * required property is missing; refused for good (validation, not found) → dead letters; anything else is sent
     * again, at most {@code input-retries} times, then dead-lettered.
     */
    private void failedInputs(HubSpotBatch batch, HubSpotCall call, List<CrmRecord> records,
            List<Association> associations, JsonNode answer) {
        if (records.isEmpty() && associations.isEmpty()) {
            return;
        }
        JsonNode errors = answer.path("errors");
        List<CrmRecord> withCreateValues = new ArrayList<>();
        List<CrmRecord> again = new ArrayList<>();
        for (CrmRecord record : records) {
            JsonNode error = errorFor(errors, record.externalId());
            String text = errorText(error);
            if (text.toUpperCase().contains("REQUIRED") && record.includeCreateOnly()) {
                withCreateValues.add(record);
            } else if (permanent(error) || call.round() >= properties.inputRetries()) {
                metrics.record(call.objectType(), "rejected");
                batch.rejectRecord(record, REJECTED, "HubSpot " + call.endpoint() + ": " + text);
            } else {
                metrics.record(call.objectType(), "retried");
                again.add(record);
            }
        }
        List<Association> associateAgain = new ArrayList<>();
        for (Association association : associations) {
            JsonNode error = errorFor(errors, association.fromId());
            if (permanent(error) || call.round() >= properties.inputRetries()) {
                metrics.record("associations", "rejected");
                batch.rejectFacts(association.facts(), REJECTED, "HubSpot " + call.endpoint() + ": " + errorText(error));
            } else {
                associateAgain.add(association);
            }
        }
        if (!again.isEmpty() || !associateAgain.isEmpty()) {
            batch.sendNext(call.with(again, associateAgain).nextRound());
        }
        if (!withCreateValues.isEmpty()) {
            batch.sendNext(call.with(withCreateValues, List.of()));
        }
    }

    /**
     * A whole call refused (400, 404, 409, 413 ...). When the answer names inputs of the call, those are refused and
     * the rest is sent again at once, as one call (HubSpot names at most the first bad input it met: one call per bad
     * input); otherwise halves are sent again until the refused input stands alone.
     */
    private void refused(HubSpotBatch batch, HubSpotCall call, JsonNode answer) {
        String detail = "HubSpot " + call.endpoint() + " HTTP " + call.status() + ": " + errorText(answer);
        if (call.kind() == Kind.READ) {
            LOG.warn("HubSpot refused a ticket read ({}); those contacts get new tickets", detail);
            return;
        }
        if (call.kind() == Kind.UPDATE) {
            updated(call, answer);
            return;
        }
        Set<String> named = call.size() > 1 ? namedInputs(answer) : Set.of();
        List<CrmRecord> namedRecords = call.records().stream().filter(r -> named.contains(r.externalId())).toList();
        List<Association> namedAssociations = call.associations().stream()
                .filter(a -> named.contains(a.fromId())).toList();
        if (!namedRecords.isEmpty() || !namedAssociations.isEmpty()) {
            metrics.record(call.objectType(), "rejected", namedRecords.size() + namedAssociations.size());
            for (CrmRecord record : namedRecords) {
                if (errorText(answer).toUpperCase().contains("REQUIRED") && record.includeCreateOnly()) {
                    batch.sendNext(call.with(List.of(record), List.of()));
                } else {
                    batch.rejectRecord(record, REJECTED, detail);
                }
            }
            namedAssociations.forEach(a -> batch.rejectFacts(a.facts(), REJECTED, detail));
            List<CrmRecord> rest = call.records().stream().filter(r -> !named.contains(r.externalId())).toList();
            List<Association> restAssociations = call.associations().stream()
                    .filter(a -> !named.contains(a.fromId())).toList();
            if (!rest.isEmpty() || !restAssociations.isEmpty()) {
                batch.sendNext(call.with(rest, restAssociations));
            }
            return;
        }
        if (call.size() > 1) {
            int half = call.size() / 2;
            List<CrmRecord> records = call.records();
            List<Association> associations = call.associations();
            HubSpotCall first = call.with(records.isEmpty() ? records : records.subList(0, half),
                    associations.isEmpty() ? associations : associations.subList(0, half));
            HubSpotCall second = call.with(records.isEmpty() ? records : records.subList(half, records.size()),
                    associations.isEmpty() ? associations : associations.subList(half, associations.size()));
            batch.sendNext(second);
            batch.sendNext(first);
            return;
        }
        metrics.record(call.objectType(), "rejected");
        for (CrmRecord record : call.records()) {
            if (errorText(answer).toUpperCase().contains("REQUIRED") && record.includeCreateOnly()) {
                batch.sendNext(call.with(List.of(record), List.of()));
                return;
            }
            batch.rejectRecord(record, REJECTED, detail);
        }
        for (Association association : call.associations()) {
            batch.rejectFacts(association.facts(), REJECTED, detail);
        }
    }

    /**
     * The inputs a whole-call refusal names: every string value of its {@code context} (HubSpot puts the unique values
     * or ids there: {@code {"ids": [...]}}, {@code {"whatsapp_message_id": [...]}}), and the bracketed list of a
     * "Duplicate IDs found in batch input: [...]" message. Exact values only, never a substring of one.
     */
    static Set<String> namedInputs(JsonNode answer) {
        Set<String> named = new HashSet<>();
        answer.path("context").forEach(values -> {
            if (values.isTextual()) {
                named.add(values.asText());
            }
            values.forEach(value -> {
                if (value.isTextual() || value.isNumber()) {
                    named.add(value.asText());
                }
            });
        });
        String message = answer.path("message").asText("");
        int open = message.indexOf("batch input: [");
        int close = open < 0 ? -1 : message.indexOf(']', open);
        if (close > open) {
            for (String value : message.substring(open + "batch input: [".length(), close).split(",")) {
                named.add(value.strip());
            }
        }
        return named;
    }

    private static boolean permanent(JsonNode error) {
        String category = error.path("category").asText("");
        return category.equals("VALIDATION_ERROR") || category.equals("OBJECT_NOT_FOUND")
                || category.startsWith("INVALID");
    }

    /** The error of a 207 that names this input (in its context or message); the only error when there is one. */
    private static JsonNode errorFor(JsonNode errors, String inputKey) {
        for (JsonNode error : errors) {
            if (error.path("context").toString().contains(inputKey) || error.path("message").asText("").contains(inputKey)) {
                return error;
            }
        }
        return errors.size() == 1 ? errors.path(0) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String errorText(JsonNode error) {
        if (error == null || error.isMissingNode()) {
            return "no result for this input";
        }
        String text = error.path("category").asText("") + " " + error.path("message").asText("");
        return text.length() > 500 ? text.substring(0, 500) : text.trim();
    }
}
