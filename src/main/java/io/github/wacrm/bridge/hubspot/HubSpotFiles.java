package io.github.wacrm.bridge.hubspot;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.COMMUNICATION;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.COMMUNICATIONS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.NOTE;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.NOTES;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.client5.http.entity.mime.FileBody;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.entity.mime.StringBody;
import org.apache.hc.core5.http.ContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.media.MediaFileName;
import io.github.wacrm.bridge.media.MediaJob;
import io.github.wacrm.bridge.media.MediaLedger;
import io.github.wacrm.bridge.media.MediaProperties;

/**
 * A message's file in HubSpot (routes/73-hubspot-files): the communication found by its wamid with its contact (one
 * read), the file uploaded to HubSpot's files (multipart, streamed from the temporary file, private), attached with a
 * note on the contact ({@code hs_attachment_ids}, upserted on {@code media:<wamid>} so a retry never makes a second
 * note), and the outcome written on the communication ({@code whatsapp_media_status}, {@code whatsapp_media_file_id}).
 * Each call's answer is read here once: an outage is tried again, a refusal of the file is recorded, any other
 * refusal dead-letters the file.
 */
@Component("hubspotFiles")
public class HubSpotFiles {

    public static final String CRM = "hubspot";
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotProperties properties;
    private final MediaProperties media;
    private final MediaLedger ledger;
    private final HubSpotMetrics metrics;
    private final HubSpotRestCall rest;
    private final String folder;

    public HubSpotFiles(HubSpotProperties properties, MediaProperties media, MediaLedger ledger, HubSpotMetrics metrics,
            HubSpotRestCall rest, @Value("${whatsapp.media.hubspot-folder:/WhatsApp}") String folder) {
        this.properties = properties;
        this.media = media;
        this.ledger = ledger;
        this.metrics = metrics;
        this.rest = rest;
        this.folder = folder;
    }

    // ---- the communication -------------------------------------------------------------------------------------

    /**
     * The communication by its wamid: a batch read on the unique property (consistent at once, where a search may lag;
     * the same read the contact's lookup makes).
     */
    public void locate(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        rest.call(exchange, "POST", properties.objectsPath(COMMUNICATIONS, "/batch/read"),
                HubSpotRestCall.readOne(COMMUNICATION.idProperty(), job.wamid(), COMMUNICATION.property("mediaStatus")));
    }

    public void located(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        JsonNode found = rest.answer(exchange, "communications batch/read").path("results").path(0);
        if (!found.hasNonNull("id")) {
            job.recordNotFound(media.messageRecordWait(), "HubSpot communication");
        }
        String outcome = found.path("properties").path(COMMUNICATION.property("mediaStatus")).asText("");
        job.located(found.path("id").asText(), !outcome.isBlank());
        String known = job.pending() ? ledger.storedFile(CRM, job.wamid()) : null;
        if (known != null) {
            job.stored(known); // uploaded by an earlier try that stopped before the communication was marked
        }
        job.crmLimit("HubSpot", media.hubspotMaxFileBytes());
    }

    /** The customer's contact, which the file's note is associated with. */
    public void contact(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        rest.call(exchange, "POST", properties.objectsPath(CONTACTS, "/batch/read"),
                HubSpotRestCall.readOne(HubSpotSchema.CONTACT.idProperty(), job.customerKey(), HubSpotSchema.CONTACT.idProperty()));
    }

    public void contactAnswered(Exchange exchange) throws IOException {
        job(exchange).contactId(rest.answer(exchange, "contacts batch/read").path("results").path(0).path("id")
                .asText(null));
    }

    // ---- the file ----------------------------------------------------------------------------------------------

    public void upload(Exchange exchange) {
        MediaJob job = job(exchange);
        String name = MediaFileName.of(job.filename(), job.type(), job.wamid(), job.mimeType());
        rest.call(exchange, "POST", properties.filesPath(), MultipartEntityBuilder.create()
                .setMode(HttpMultipartMode.EXTENDED)
                .addPart("file", new FileBody(job.file().toFile(), ContentType.create(MediaFileName.baseType(
                        job.mimeType())), name))
                .addPart("fileName", new StringBody(name, ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8)))
                .addPart("folderPath", new StringBody(folder, ContentType.TEXT_PLAIN))
                // never public: a customer's file is reached through HubSpot's signed URLs only
                .addPart("options", new StringBody("{\"access\":\"PRIVATE\"}", ContentType.APPLICATION_JSON))
                .build());
    }

    public void uploaded(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        int status = HubSpotRestCall.status(exchange);
        if (status == 413 || status == 400 || status == 415) {
            JsonNode error = HubSpotRestCall.readOrEmpty(exchange.getMessage().getBody(String.class));
            metrics.call("files upload", "rejected");
            LOG.warn("HubSpot refused the file of a {} message: HTTP {} {}", job.type(), status,
                    error.path("category").asText(""));
            job.failed("refused_by_hubspot: HTTP " + status + " " + error.path("category").asText(""));
            return;
        }
        String id = rest.answer(exchange, "files upload").path("id").asText();
        ledger.stored(CRM, job.wamid(), id);
        job.stored(id);
    }

    /** The note that attaches the file to the contact: upserted on {@code media:<wamid>}. */
    public void note(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        ObjectNode values = JSON.createObjectNode().put(NOTE.property("body"), "WhatsApp " + job.type()
                + " from the customer (" + MediaFileName.of(job.filename(), job.type(), job.wamid(), job.mimeType()) + ")")
                .put(NOTE.property("timestamp"), job.occurredAt()).put("hs_attachment_ids", job.fileId());
        rest.call(exchange, "POST", properties.objectsPath(NOTES, "/batch/upsert"),
                HubSpotRestCall.upsertOne(NOTE.idProperty(), "media:" + job.wamid(), values));
    }

    public void noted(Exchange exchange) throws IOException {
        job(exchange).noteId(rest.answer(exchange, "notes batch/upsert").path("results").path(0).path("id").asText());
    }

    public void associate(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        rest.associate(exchange, NOTES, job.noteId(), CONTACTS, job.contactId(),
                properties.associationTypes().noteToContact());
    }

    public void associated(Exchange exchange) throws IOException {
        rest.answer(exchange, "associations notes>contacts");
    }

    // ---- the outcome on the communication ------------------------------------------------------------------------

    public void record(Exchange exchange) throws IOException {
        MediaJob job = job(exchange);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode values = body.putObject("properties").put(COMMUNICATION.property("mediaStatus"), job.outcome());
        if (job.fileId() != null) {
            values.put(COMMUNICATION.property("mediaFileId"), job.fileId());
        }
        rest.call(exchange, "PATCH", properties.objectsPath(COMMUNICATIONS, "/" + job.recordId()), JSON.writeValueAsString(body));
    }

    public void recorded(Exchange exchange) throws IOException {
        rest.answer(exchange, "update communications");
    }

    // ---- shared --------------------------------------------------------------------------------------------------

    private static MediaJob job(Exchange exchange) {
        return exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
    }
}
