package io.github.wacrm.bridge.hubspot;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.crm.SinkBatch;
import io.github.wacrm.bridge.crm.SinkRejection;
import io.github.wacrm.bridge.hubspot.HubSpotFactMapper.TicketIntent;
import io.github.wacrm.bridge.state.CustomerWindow;
import io.github.wacrm.bridge.state.FieldClocks;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;

/**
 * The steps of the HubSpot sink route ({@code routes/52-hubspot-write.camel.yaml}): plan the records of a batch of facts,
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
    private final HubSpotRequests requests;
    private final HubSpotAnswers answers;
    private final HubSpotKnownContacts knownContacts;

    public HubSpotSync(HubSpotProperties properties, HubSpotFactMapper mapper, CustomerWindow window,
            FieldClocks clocks, HubSpotTickets tickets, HubSpotPendingValues pendingValues, HubSpotMetrics metrics, HubSpotRateLimit rateLimit,
            CircuitBreaker hubspotCircuitBreaker, HubSpotKnownContacts knownContacts) {
        this.properties = properties;
        this.knownContacts = knownContacts;
        this.mapper = mapper;
        this.window = window;
        this.clocks = clocks;
        this.tickets = tickets;
        this.pendingValues = pendingValues;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
        this.breaker = hubspotCircuitBreaker;
        this.requests = new HubSpotRequests(properties);
        this.answers = new HubSpotAnswers(properties, tickets, pendingValues, metrics);
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
            // contacts HubSpot holds as they are are not upserted again; tickets checked lately are not read again
            batch.knownTickets(knownContacts.leaveOutKnown(batch, known));
        } else {
            knownContacts.leaveOutKnown(batch, Map.of());
        }
        exchange.setProperty(BATCH, batch);
    }

    // ---- one call ------------------------------------------------------------------------------------------------

    /** Prepares the next batch call: its path and body (the {@code hubspotCall} property drives the call loop). */
    public void nextCall(Exchange exchange) throws IOException {
        HubSpotCall call = batch(exchange).nextCall();
        exchange.setProperty(CALL, call);
        exchange.setProperty(PATH, requests.path(call));
        exchange.setProperty(REQUEST, JSON.writeValueAsBytes(requests.body(call)));
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
        answers.read(batch, call, answer);
    }

    // ---- end of a batch ------------------------------------------------------------------------------------------

    /** The end of a batch: records latencies and answers the rejections (for the dead-letter topic). */
    public List<SinkRejection> finish(Exchange exchange) {
        HubSpotBatch batch = batch(exchange);
        batch.advanceClocks(clocks, "hubspot", List.of(CONTACTS));
        knownContacts.remember(batch);
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
