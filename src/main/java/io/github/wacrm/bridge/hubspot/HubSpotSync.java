package io.github.wacrm.bridge.hubspot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.SinkBatch;
import io.github.wacrm.bridge.crm.SinkRejection;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Association;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Kind;
import io.github.wacrm.bridge.hubspot.HubSpotFactMapper.TicketIntent;
import io.github.wacrm.bridge.hubspot.HubSpotSchema.ObjectType;
import io.github.wacrm.bridge.state.CustomerWindow;
import io.github.wacrm.bridge.state.FieldClocks;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.TICKETS;

/**
 * The steps of the HubSpot sink route ({@code routes/hubspot-sink.camel.yaml}): plan the records of a batch of facts,
 * build each batch call, read HubSpot's answer (rate-limit headers, 429 policies, 401/403, 5xx), read the per-input
 * results of a 200/207, and hand back what HubSpot refused for the dead-letter topic. The route owns the flow (loops,
 * rate limit, circuit breaker, delays, commit); this bean owns the HubSpot contract.
 */
@Component("hubspotSync")
public class HubSpotSync {

    public static final String BATCH = "hubspotBatch";
    public static final String CALL = "hubspotCall";
    /** The body of the current call, kept apart so a call sent again sends the same bytes. */
    public static final String REQUEST = "hubspotRequest";
    public static final String PATH = "hubspotPath";
    /** The dead-letter reason of a fact HubSpot refused for good. */
    static final String REJECTED = "hubspot_rejected";

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSync.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final HubSpotProperties properties;
    private final HubSpotFactMapper mapper;
    private final CustomerWindow window;
    private final FieldClocks clocks;
    private final HubSpotTickets tickets;
    private final HubSpotPendingValues pendingValues;
    private final HubSpotMetrics metrics;
    private final HubSpotRateLimit rateLimit;
    private final CircuitBreaker breaker;

    public HubSpotSync(HubSpotProperties properties, HubSpotFactMapper mapper, CustomerWindow window,
            FieldClocks clocks, HubSpotTickets tickets, HubSpotPendingValues pendingValues, HubSpotMetrics metrics, HubSpotRateLimit rateLimit,
            CircuitBreaker hubspotCircuitBreaker) {
        this.properties = properties;
        this.mapper = mapper;
        this.window = window;
        this.clocks = clocks;
        this.tickets = tickets;
        this.pendingValues = pendingValues;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
        this.breaker = hubspotCircuitBreaker;
    }

    // ---- planning ------------------------------------------------------------------------------------------------

    /** Body: the batch of Kafka records (a list of exchanges). Sets the {@code hubspotBatch} property. */
    public void plan(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        HubSpotBatch batch = new HubSpotBatch(properties);
        batch.map(records, mapper::map, metrics, "HubSpot", LOG, (fact, mapped) -> {
            if (mapped.ticketIntent() != null) {
                batch.addTicketIntent(mapped.ticketIntent());
            }
        });
        // the contact's last inbound time is the latest ever seen (PostgreSQL), not the latest of this batch
        batch.advanceWindow(window, List.of(CONTACTS));
        // what HubSpot holds from a later event is not overwritten by an older one
        batch.dropStale(clocks, "hubspot", List.of(CONTACTS));
        if (properties.tickets().enabled()) {
            Map<String, String> contactByHash = new HashMap<>();
            for (TicketIntent intent : batch.ticketIntents()) {
                if (intent.identityHash() != null) {
                    contactByHash.put(intent.identityHash(), intent.contactId());
                }
            }
            Map<String, String> known = new HashMap<>();
            tickets.find(contactByHash.keySet()).forEach((hash, ticketId) -> known.put(contactByHash.get(hash), ticketId));
            batch.knownTickets(known);
        }
        exchange.setProperty(BATCH, batch);
    }

    // ---- one call ------------------------------------------------------------------------------------------------

    /** Prepares the next batch call: its path and body (the {@code hubspotCall} property drives the call loop). */
    public void nextCall(Exchange exchange) throws IOException {
        HubSpotCall call = batch(exchange).nextCall();
        exchange.setProperty(CALL, call);
        exchange.setProperty(PATH, path(call));
        exchange.setProperty(REQUEST, JSON.writeValueAsBytes(body(call)));
    }

    String path(HubSpotCall call) {
        return switch (call.kind()) {
            case UPSERT -> properties.objectsPath(call.objectType(), "/batch/upsert");
            case UPDATE -> properties.objectsPath(call.objectType(), "/batch/update");
            case READ -> properties.objectsPath(call.objectType(), "/batch/read");
            case ASSOCIATE -> properties.associationsPath(call.objectType(), call.associations().get(0).toType(),
                    "/batch/create");
        };
    }

    ObjectNode body(HubSpotCall call) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        switch (call.kind()) {
            case UPSERT -> {
                ObjectType type = HubSpotSchema.objectType(call.objectType());
                for (CrmRecord record : call.records()) {
                    ObjectNode input = inputs.addObject().put("idProperty", type.idProperty())
                            .put("id", record.externalId());
                    ObjectNode props = input.putObject("properties");
                    // the unique value as a property too, so HubSpot's answer names it and each result finds its input
                    props.put(type.idProperty(), record.externalId());
                    record.values().forEach((field, value) -> props.put(type.property(field), value.toString()));
                    if (record.sendsCreateOnly()) {
                        record.createOnlyValues().forEach((field, value) -> props.put(type.property(field),
                                value.toString()));
                    }
                }
            }
            case UPDATE -> {
                ObjectType type = HubSpotSchema.objectType(call.objectType());
                for (CrmRecord record : call.records()) {
                    ObjectNode props = inputs.addObject().put("id", call.updateIds().get(record))
                            .putObject("properties");
                    record.createOnlyValues().forEach((field, value) -> props.put(type.property(field), value.toString()));
                }
            }
            case READ -> {
                body.putArray("properties").add("hs_pipeline").add("hs_pipeline_stage");
                call.readIds().forEach(id -> inputs.addObject().put("id", id));
            }
            case ASSOCIATE -> {
                for (Association a : call.associations()) {
                    ObjectNode input = inputs.addObject();
                    input.putObject("from").put("id", a.fromId());
                    input.putObject("to").put("id", a.toId());
                    input.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED")
                            .put("associationTypeId", a.typeId());
                }
            }
        }
        return body;
    }

    /**
     * Inside the circuit breaker, right after the HTTP call: reads the rate-limit headers and the status. 5xx throws
     * (the breaker counts it, the call route backs off); a DAILY 429 or a refused token opens the breaker and throws;
     * a TEN_SECONDLY_ROLLING 429 makes the call wait and go again; anything else is kept for {@link #callResults}.
     */
    public void response(Exchange exchange) {
        HubSpotCall call = exchange.getProperty(CALL, HubSpotCall.class);
        Message message = exchange.getMessage();
        rateLimit.observe(exchange);
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body = message.getBody(byte[].class);
        String endpoint = call.endpoint();
        if (status == 429) {
            String policy = readQuietly(body).path("policyName").asText("");
            if ("DAILY".equals(policy)) {
                metrics.call(endpoint, "daily_limit");
                metrics.dailyLimitReached();
                breaker.transitionToOpenState();
                LOG.error("HubSpot's daily request limit is spent (429 DAILY): circuit breaker opened; facts wait in "
                        + "Kafka until HubSpot accepts calls again");
                throw new HubSpotUnavailableException("HubSpot 429 DAILY", false);
            }
            long wait = retryAfterMillis(message, call.throttledWaits() + 1);
            rateLimit.pauseFor(wait);
            metrics.call(endpoint, "throttled");
            if (call.throttled(wait) > properties.maxThrottledWaits()) {
                throw new HubSpotUnavailableException("HubSpot kept answering 429 " + policy + " to " + endpoint, false);
            }
            return;
        }
        if (status == 401 || status == 403) {
            JsonNode answer = readQuietly(body);
            metrics.call(endpoint, status == 401 ? "unauthorized" : "forbidden");
            breaker.transitionToOpenState();
            LOG.error("HubSpot refused the bridge's token ({} {}: {}). Check HUBSPOT_ACCESS_TOKEN and the private app's "
                    + "scopes (crm.objects.contacts.read/write, tickets, crm.schemas.contacts.read); facts wait in Kafka",
                    status, answer.path("category").asText(""), answer.path("message").asText(""));
            throw new HubSpotAccessRefusedException("HubSpot " + status + " " + answer.path("category").asText(""));
        }
        if (status >= 500 || status == 0) {
            metrics.call(endpoint, "unavailable");
            throw new HubSpotUnavailableException("HubSpot answered " + status + " to " + endpoint, true);
        }
        metrics.call(endpoint, status == 207 ? "partial" : status < 300 ? "ok" : "refused");
        call.answered(status, body);
    }

    /**
     * How long to wait after a 429: Retry-After when HubSpot sends it; else, since the window rolls, a second for the
     * first 429 in a row, two for the second, and so on, never more than HubSpot's window.
     */
    private static long retryAfterMillis(Message message, int inARow) {
        Object retryAfter = message.getHeader("Retry-After");
        if (retryAfter != null) {
            try {
                return Math.max(100, (long) (Double.parseDouble(retryAfter.toString().trim()) * 1000));
            } catch (NumberFormatException ignored) {
                // an HTTP date: fall through
            }
        }
        long window = 10_000;
        Object interval = message.getHeader("X-HubSpot-RateLimit-Interval-Milliseconds");
        if (interval != null) {
            try {
                window = Long.parseLong(interval.toString().trim());
            } catch (NumberFormatException ignored) {
                // keep HubSpot's usual 10 s
            }
        }
        return Math.min(window, 1_000L * inARow);
    }

    /**
     * In the call route's doCatch: a 5xx, a timeout or a broken connection is sent again after an exponential
     * backoff, up to {@code retry.max-attempts}; then, like every other outage, it goes up to the sink, which keeps
     * the batch uncommitted.
     */
    public void callFailed(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        HubSpotCall call = exchange.getProperty(CALL, HubSpotCall.class);
        rateLimit.answered(exchange.getProperty(HubSpotRateLimit.SLOT, HubSpotRateLimit.Slot.class));
        boolean retryNow = caught instanceof HubSpotUnavailableException u ? u.retryNow() : caught instanceof IOException;
        if (!(caught instanceof HubSpotUnavailableException)) {
            metrics.call(call.endpoint(), "io_error");
        }
        if (!retryNow) {
            throw caught;
        }
        HubSpotProperties.Retry retry = properties.retry();
        int attempt = call.failedAttempts() + 1;
        if (attempt >= retry.maxAttempts()) {
            throw new HubSpotUnavailableException("HubSpot failed " + attempt + " times on " + call.endpoint(), caught);
        }
        long backoff = Math.min(retry.maxDelayMs(), retry.initialDelayMs() << Math.min(20, attempt - 1));
        call.failed(backoff);
        LOG.warn("HubSpot call {} failed ({}); attempt {} of {} in {} ms", call.endpoint(), caught.getMessage(),
                attempt + 1, retry.maxAttempts(), backoff);
    }

    // ---- answers -------------------------------------------------------------------------------------------------

    /** Reads HubSpot's answer to the current call: ids, per-input errors, refused calls. */
    public void callResults(Exchange exchange) throws IOException {
        HubSpotBatch batch = batch(exchange);
        HubSpotCall call = exchange.getProperty(CALL, HubSpotCall.class);
        JsonNode answer = readQuietly(call.answer());
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

    /** A whole call refused (400, 404, 409, 413 ...): halves are sent again until the refused input stands alone. */
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

    // ---- end of a batch ------------------------------------------------------------------------------------------

    /** The end of a batch: records latencies and answers the rejections (for the dead-letter topic). */
    public List<SinkRejection> finish(Exchange exchange) {
        HubSpotBatch batch = batch(exchange);
        batch.advanceClocks(clocks, "hubspot", List.of(CONTACTS));
        return batch.close(metrics, "HubSpot", LOG);
    }

    /** A batch that failed for an unexpected reason: every fact of it, as read, for the dead-letter topic. */
    public List<SinkRejection> deadLetterBatch(Exchange exchange) {
        return SinkBatch.wholeBatch(exchange, metrics, "HubSpot", LOG);
    }

    private static HubSpotBatch batch(Exchange exchange) {
        return exchange.getProperty(BATCH, HubSpotBatch.class);
    }

    private static JsonNode readQuietly(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode().put("message", new String(body, 0, Math.min(body.length, 500),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
