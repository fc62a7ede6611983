package io.github.wacrm.bridge.salesforce;

import java.io.IOException;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.entity.mime.StringBody;
import org.apache.hc.core5.http.ContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.media.MediaFileName;
import io.github.wacrm.bridge.media.MediaJob;
import io.github.wacrm.bridge.media.MediaLedger;
import io.github.wacrm.bridge.media.MediaProperties;
import io.github.wacrm.bridge.salesforce.SalesforceProperties.ObjectMapping;

/**
 * A message's file in Salesforce Files (routes/72-salesforce-files): the message record is found by its wamid (one
 * SOQL query), the file is inserted as a ContentVersion whose first publish location is that record (a multipart
 * request streamed from the temporary file: camel-salesforce would hold the whole body in memory, so this call goes
 * through camel-http with the component's session), and the outcome is written on the record ({@code mediaStatus},
 * {@code mediaFileId}). A record that already has an outcome is left alone; a file Salesforce already has (the
 * ledger) is not sent again.
 */
@Component("salesforceFiles")
public class SalesforceFiles {

    public static final String CRM = "salesforce";
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceProperties properties;
    private final MediaProperties media;
    private final MediaLedger ledger;
    private final SalesforceMetrics metrics;
    private final CamelContext camel;

    public SalesforceFiles(SalesforceProperties properties, MediaProperties media, MediaLedger ledger,
            SalesforceMetrics metrics, CamelContext camel) {
        this.properties = properties;
        this.media = media;
        this.ledger = ledger;
        this.metrics = metrics;
        this.camel = camel;
    }

    // ---- the message record ------------------------------------------------------------------------------------

    /** The query for the message record and the outcome it may already have. */
    public void locate(Exchange exchange) {
        MediaJob job = job(exchange);
        ObjectMapping message = properties.object(SalesforceProperties.MESSAGE);
        Message m = exchange.getMessage();
        m.setBody(null);
        m.setHeader(SalesforceSync.RAW_METHOD, "GET");
        m.setHeader(SalesforceSync.RAW_PATH, "/services/data/v" + properties.apiVersion() + "/query");
        m.setHeader(SalesforceSync.RAW_QUERY_PARAMETERS, "q");
        m.setHeader("q", "SELECT Id, " + message.field("mediaStatus") + " FROM " + message.object() + " WHERE "
                + message.externalId() + " = " + SalesforceRequests.quote(job.wamid()));
        m.setHeader(SalesforceSync.OPERATION, "query");
    }

    /**
     * Reads the query's answer. No record yet: the file waits for it (an outage, tried again) up to
     * {@code message-record-wait} after the webhook came, then is dead-lettered.
     */
    public void located(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        JsonNode records = JSON.readTree(exchange.getMessage().getBody(byte[].class)).path("records");
        if (records.isEmpty()) {
            job.recordNotFound(media.messageRecordWait(), properties.object(SalesforceProperties.MESSAGE).object());
        }
        JsonNode record = records.path(0);
        String status = record.path(properties.object(SalesforceProperties.MESSAGE).field("mediaStatus")).asText("");
        job.located(record.path("Id").asText(), !status.isBlank());
        String known = job.pending() ? ledger.storedFile(CRM, job.wamid()) : null;
        if (known != null) {
            job.stored(known); // inserted by an earlier try that stopped before the record was marked
        }
        job.crmLimit("Salesforce", media.salesforceMaxFileBytes());
    }

    // ---- the file ----------------------------------------------------------------------------------------------

    /** The multipart ContentVersion insert, streamed from the temporary file, with the session's token. */
    public void upload(Exchange exchange) throws SalesforceException {
        MediaJob job = job(exchange);
        if (job.size() > media.salesforceMaxFileBytes()) {
            job.failed("too_large: " + job.size() + " bytes, more than Salesforce takes (" + media.salesforceMaxFileBytes()
                    + ")");
            return;
        }
        String name = MediaFileName.of(job.filename(), job.type(), job.wamid(), job.mimeType());
        ObjectNode entity = JSON.createObjectNode().put("Title", MediaFileName.title(name)).put("PathOnClient", name)
                .put("FirstPublishLocationId", job.recordId())
                .put("Description", "WhatsApp " + job.type() + " " + job.wamid());
        SalesforceSession session = session();
        String token = session.getAccessToken() != null ? session.getAccessToken() : session.login(null);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.HTTP_URI, session.getInstanceUrl() + "/services/data/v" + properties.apiVersion()
                + "/sobjects/ContentVersion");
        m.setHeader("Authorization", "Bearer " + token);
        m.setBody(MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED)
                .addPart("entity_content", new StringBody(entity.toString(), ContentType.APPLICATION_JSON))
                .addPart("VersionData", new FileBody(job.file().toFile(),
                        ContentType.create(MediaFileName.baseType(job.mimeType())), asciiName(name)))
                .build());
    }

    /** Reads Salesforce's answer to the insert: the file stored (and remembered), refused for good, or an outage. */
    public void uploaded(Exchange exchange) throws IOException, SalesforceException {
        MediaJob job = job(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = exchange.getMessage().getBody(String.class);
        if (status == 201 || status == 200) {
            String id = JSON.readTree(text).path("id").asText();
            ledger.stored(CRM, job.wamid(), id);
            job.stored(id);
            metrics.call("insert ContentVersion", "ok");
            return;
        }
        if (status == 401) {
            metrics.call("insert ContentVersion", "unauthorized");
            session().login(session().getAccessToken());
            throw new SalesforceUnavailableException("Salesforce's session expired during a file insert", null);
        }
        if (status == 0 || status >= 500 || status == 408 || status == 429
                || (status == 403 && text != null && text.contains("REQUEST_LIMIT_EXCEEDED"))) {
            metrics.call("insert ContentVersion", "unavailable");
            throw new SalesforceUnavailableException("Salesforce answered " + status + " to a file insert", null);
        }
        metrics.call("insert ContentVersion", "rejected");
        JsonNode error = readOrEmpty(text).path(0);
        String code = error.path("errorCode").asText("HTTP " + status);
        LOG.warn("Salesforce refused the file of a {} message: {} {}", job.type(), code, error.path("message").asText(""));
        job.failed("refused_by_salesforce: " + code);
    }

    // ---- the outcome on the record -------------------------------------------------------------------------------

    public void record(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        ObjectMapping message = properties.object(SalesforceProperties.MESSAGE);
        ObjectNode values = JSON.createObjectNode().put(message.field("mediaStatus"),
                SalesforceTextLimits.cut("mediaStatus", job.outcome()));
        if (job.fileId() != null) {
            values.put(message.field("mediaFileId"), job.fileId());
        }
        Message m = exchange.getMessage();
        m.removeHeader(SalesforceSync.RAW_QUERY_PARAMETERS);
        m.setHeader(SalesforceSync.RAW_METHOD, "PATCH");
        m.setHeader(SalesforceSync.RAW_PATH, "/services/data/v" + properties.apiVersion() + "/sobjects/"
                + message.object() + "/" + job.recordId());
        m.setHeader(SalesforceSync.OPERATION, "update " + message.object());
        m.setBody(JSON.writeValueAsBytes(values));
    }

    /**
     * A query or update Salesforce refused (doCatch of routes/72-salesforce-files): the session, limits and 5xx are
     * an outage; anything else is this message's fault and dead-letters it.
     */
    public void failed(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SalesforceException failure = caught instanceof SalesforceException s ? s
                : caught != null && caught.getCause() instanceof SalesforceException s2 ? s2 : null;
        int status = failure == null ? 0 : failure.getStatusCode();
        String operation = exchange.getMessage().getHeader(SalesforceSync.OPERATION, String.class);
        if (status == 0 || status == 401 || status == 403 || status == 408 || status == 429 || status >= 500) {
            metrics.call(operation, "unavailable");
            throw new SalesforceUnavailableException("Salesforce call failed (" + operation + ", status " + status + ")",
                    caught);
        }
        metrics.call(operation, "rejected");
        throw new SalesforceFileRefusedException(operation + " HTTP " + status + ": "
                + (failure.getMessage() == null ? "" : failure.getMessage().replaceAll("\\s+", " ")), caught);
    }

    private SalesforceSession session() {
        return camel.getComponent("salesforce", SalesforceComponent.class).getSession();
    }

    private static String asciiName(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7E]", "_");
        return ascii.isBlank() ? "file" : ascii;
    }

    private static JsonNode readOrEmpty(String text) {
        try {
            return text == null ? JSON.createArrayNode() : JSON.readTree(text);
        } catch (IOException notJson) {
            return JSON.createArrayNode();
        }
    }

    private static MediaJob job(Exchange exchange) {
        return exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
    }
}
