package io.github.wacrm.bridge.salesforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.SinkBatch;
import io.github.wacrm.bridge.crm.SinkRejection;
import io.github.wacrm.bridge.salesforce.SalesforceBatch.Call;
import io.github.wacrm.bridge.salesforce.SalesforceProperties.ObjectMapping;
import io.github.wacrm.bridge.state.CustomerWindow;
import io.github.wacrm.bridge.state.FieldClocks;

import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CASE;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CONTACT;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.LEAD;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.PHONE_NUMBER;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.TEMPLATE;

/**
 * The steps of the Salesforce sink route ({@code routes/51-salesforce-write.camel.yaml}), each called once per batch:
 * plan the records of a batch of facts, build the open-Case query and each sObject Collections upsert, read
 * Salesforce's per-record results, classify a failed call, and hand back what Salesforce refused for the dead-letter
 * topic. The route owns the flow (loop, circuit breaker, retries, commit); this bean owns the Salesforce contract.
 */
@Component("salesforceSync")
public class SalesforceSync {

    public static final String BATCH = "salesforceBatch";
    /** The records whose values are time-checked against what Salesforce holds ({@link FieldClocks}). */
    private static final List<String> TIMED = List.of(CONTACT, LEAD, TEMPLATE, PHONE_NUMBER);
    private static final String CRM = "salesforce";
    /** Headers read by {@code salesforce:raw}. */
    static final String RAW_METHOD = "rawMethod";
    static final String RAW_PATH = "rawPath";
    static final String RAW_QUERY_PARAMETERS = "rawQueryParameters";
    static final String OPERATION = "salesforceOperation";
    /** Set by {@link #callFailed} when Salesforce refused a whole call; cleared before each call by the call route. */
    public static final String CALL_REFUSED = "salesforceCallRefused";
    /** The body of the next call, kept apart so a redelivered call sends it again. */
    public static final String REQUEST = "salesforceRequest";

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSync.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final SalesforceProperties properties;
    private final SalesforceRequests requests;
    private final SalesforceFactMapper mapper;
    private final PhoneNumberLinks links;
    private final CustomerWindow window;
    private final FieldClocks clocks;
    private final SalesforceMetrics metrics;
    private final CircuitBreaker breaker;
    private final KnownPeople knownPeople;

    public SalesforceSync(SalesforceProperties properties, SalesforceFactMapper mapper, CustomerWindow window,
            FieldClocks clocks, SalesforceMetrics metrics, CircuitBreaker salesforceCircuitBreaker,
            PhoneNumberLinks links, KnownPeople knownPeople) {
        this.properties = properties;
        this.knownPeople = knownPeople;
        this.links = links;
        this.requests = new SalesforceRequests(properties);
        this.mapper = mapper;
        this.window = window;
        this.clocks = clocks;
        this.metrics = metrics;
        this.breaker = salesforceCircuitBreaker;
    }

    /** Body: the batch of Kafka records (a list of exchanges). Sets the {@code salesforceBatch} property. */
    public void plan(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        SalesforceBatch batch = new SalesforceBatch(properties.maxRecordsPerCall());
        batch.map(records, mapper::map, metrics, "Salesforce", LOG, (fact, mapped) -> {
            if (mapped.caseIntent() != null) {
                batch.addCaseIntent(mapped.caseIntent());
            }
        });
        batch.advanceWindow(window, List.of(CONTACT, LEAD));
        // what Salesforce holds from a later event is not overwritten by an older one
        batch.dropStale(clocks, CRM, TIMED);
        // nor written again when it is what the sink last wrote; open Cases it knows are not asked for
        batch.planCaseQueries(knownPeople.leaveOutKnown(batch), properties);
        exchange.setProperty(BATCH, batch);
    }

    /**
     * Prepares the query for the open WhatsApp Cases of the next people (up to 100) who wrote in this batch, or the
     * next page of its answer ({@code nextRecordsUrl}, a path under the same API version).
     */
    public void openCaseQuery(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader(RAW_METHOD, "GET");
        String nextPage = batch(exchange).nextCasePage();
        if (nextPage != null) {
            message.setHeader(RAW_PATH, nextPage);
            message.removeHeader(RAW_QUERY_PARAMETERS);
            message.removeHeader("q");
        } else {
            message.setHeader(RAW_PATH, requests.queryPath());
            message.setHeader(RAW_QUERY_PARAMETERS, "q");
            message.setHeader("q", requests.openCases(batch(exchange).nextCaseQuery()));
        }
        message.setHeader(OPERATION, "query");
        exchange.removeProperty(REQUEST);
    }

    /** Reads the open-Case query result and decides which Cases to create. */
    public void openCases(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        metrics.limitInfo(message.getHeader("Sforce-Limit-Info", String.class));
        metrics.call("query", "ok");
        ObjectMapping cases = properties.object(CASE);
        JsonNode result = answer(message);
        String nextPage = result.path("done").asBoolean(true) ? null : result.path("nextRecordsUrl").asText(null);
        batch(exchange).openCasesFound(SalesforceBatch.openCases(result, cases.externalId(), cases.field("whatsappId")),
                nextPage, properties);
        message.removeHeaders("q");
        message.removeHeader(RAW_QUERY_PARAMETERS);
    }

    /** Prepares the next sObject Collections upsert of the batch. */
    public void nextCall(Exchange exchange) throws Exception {
        Call call = batch(exchange).nextCall();
        ObjectMapping mapping = properties.object(call.type());
        Message message = exchange.getMessage();
        message.removeHeader(RAW_QUERY_PARAMETERS);
        message.setHeader(RAW_METHOD, "PATCH");
        message.setHeader(RAW_PATH, requests.upsertPath(mapping));
        message.setHeader(OPERATION, "upsert " + mapping.object());
        exchange.setProperty(REQUEST, requests.upsert(mapping, call.records()));
    }

    /** Reads the per-record results of an sObject Collections upsert. */
    public void callResults(Exchange exchange) throws Exception {
        SalesforceBatch batch = batch(exchange);
        Call call = batch.currentCall();
        Message message = exchange.getMessage();
        metrics.limitInfo(message.getHeader("Sforce-Limit-Info", String.class));
        String object = properties.object(call.type()).object();
        if (exchange.getProperty(CALL_REFUSED, false, Boolean.class)) {
            return; // the whole call was refused; callFailed() already rejected its records
        }
        metrics.call("upsert " + object, "ok");
        JsonNode results = answer(message);
        List<CrmRecord> needCreateValues = new ArrayList<>();
        for (int i = 0; i < call.records().size(); i++) {
            CrmRecord record = call.records().get(i);
            JsonNode result = results.path(i);
            if (result.path("success").asBoolean(false)) {
                metrics.record(object, result.path("created").asBoolean(false) ? "created" : "updated");
                if (SalesforceProperties.PHONE_NUMBER.equals(call.type())) {
                    links.linked(record.externalId(), (String) record.values().get("phoneNumberId"));
                }
                continue;
            }
            JsonNode error = result.path("errors").path(0);
            String code = error.path("statusCode").asText("UNKNOWN");
            if ("UNABLE_TO_LOCK_ROW".equals(code)) {
                record.attemptFailed();
                metrics.record(object, "locked");
                if (record.attempts() <= properties.lockRetries()) {
                    batch.retryForLock(record, properties.lockRetryDelayMs() * record.attempts());
                } else {
                    batch.markIncomplete();
                }
            } else if ("REQUIRED_FIELD_MISSING".equals(code) && record.includeCreateOnly()) {
                needCreateValues.add(record);
            } else {
                metrics.record(object, "rejected");
                batch.rejectRecord(record, object + " " + code + ": " + error.path("message").asText("")
                        + (error.path("fields").isEmpty() ? "" : " " + error.path("fields")));
            }
        }
        batch.retryWithCreateValues(needCreateValues);
    }

    /**
     * A call failed as a whole. Salesforce unavailable, limit reached or credentials refused: throws
     * {@link SalesforceUnavailableException} (the breaker counts it, the route retries, nothing is committed). A
     * request Salesforce refuses as such (400, 404): its records are rejected for the dead-letter topic.
     */
    public void callFailed(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SalesforceException failure = find(caught);
        String operation = exchange.getMessage().getHeader(OPERATION, String.class);
        int status = failure == null ? 0 : failure.getStatusCode();
        String text = describe(caught);
        metrics.limitInfo(exchange.getMessage().getHeader("Sforce-Limit-Info", String.class));
        if (status == 403 && text.contains("REQUEST_LIMIT_EXCEEDED")) {
            metrics.call(operation, "limit_exceeded");
            metrics.limitExceeded();
            breaker.transitionToOpenState();
            LOG.error("Salesforce daily API request limit reached (REQUEST_LIMIT_EXCEEDED): circuit breaker opened; "
                    + "facts wait in Kafka until Salesforce accepts calls again");
            throw new SalesforceUnavailableException("Salesforce REQUEST_LIMIT_EXCEEDED", caught);
        }
        if (text.contains("/services/oauth2/token") || status == 401) {
            metrics.call(operation, "unauthorized");
            LOG.error("Salesforce refused the bridge's login: check camel.component.salesforce (SALESFORCE_LOGIN_URL, "
                    + "SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET) and the connected app; facts wait in Kafka");
            throw new SalesforceUnavailableException("Salesforce login refused", caught);
        }
        if (status == 0 || status >= 500 || status == 408 || status == 429 || "query".equals(operation)) {
            metrics.call(operation, "unavailable");
            throw new SalesforceUnavailableException("Salesforce call failed (" + operation + ", status " + status + ")",
                    caught);
        }
        metrics.call(operation, "rejected");
        exchange.setProperty(CALL_REFUSED, true);
        SalesforceBatch batch = batch(exchange);
        Call call = batch.currentCall();
        String object = properties.object(call.type()).object();
        for (CrmRecord record : call.records()) {
            metrics.record(object, "rejected");
            batch.rejectRecord(record, object + " HTTP " + status + ": " + abbreviate(failure.getMessage()));
        }
    }

    /** The end of a batch: fails it if a record is still owed; else records latencies and answers the rejections. */
    public List<SinkRejection> finish(Exchange exchange) {
        SalesforceBatch batch = batch(exchange);
        if (batch.isIncomplete()) {
            throw new SalesforceBatchIncompleteException("records still locked after " + properties.lockRetries()
                    + " retries; the batch will be written again");
        }
        batch.advanceClocks(clocks, CRM, TIMED);
        knownPeople.remember(batch);
        return batch.close(metrics, "Salesforce", LOG);
    }

    /** A batch that failed for an unexpected reason: every fact of it, as read, for the dead-letter topic. */
    public List<SinkRejection> deadLetterBatch(Exchange exchange) {
        return SinkBatch.wholeBatch(exchange, metrics, "Salesforce", LOG);
    }

    /**
     * Salesforce's answer as JSON. An answer that is not JSON (a proxy's error page with a 200, a cut connection) is
     * Salesforce being unavailable, not the facts' fault: the batch is retried, never dead-lettered for it.
     */
    private static JsonNode answer(Message message) {
        try {
            return JSON.readTree(message.getBody(byte[].class));
        } catch (java.io.IOException notJson) {
            throw new SalesforceUnavailableException("Salesforce answered something that is not JSON", notJson);
        }
    }

    private static SalesforceBatch batch(Exchange exchange) {
        return exchange.getProperty(BATCH, SalesforceBatch.class);
    }

    private static SalesforceException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SalesforceException s) {
                return s;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            text.append(c.getMessage()).append(' ');
            if (c instanceof SalesforceException s && s.getErrors() != null) {
                s.getErrors().forEach(e -> text.append(e.getErrorCode()).append(' '));
            }
        }
        return text.toString();
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 500 ? text.substring(0, 500) : text;
    }
}
