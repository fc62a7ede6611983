package io.github.wacrm.bridge.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.failure.FailedRecords;
import io.github.wacrm.bridge.outbound.CloudApiUnavailableException;

/**
 * Fetches a message's file from the Cloud API (routes/71-media-fetch): {@code GET /{media-id}} gives a short-lived
 * URL, its size and sha256; a {@code GET} of that URL with the token gives the bytes, streamed to a temporary file while
 * their SHA-256 is computed, never held in memory. Meta's answers are read once here: a media id Meta no longer has
 * (404, or Graph error 100 subcode 33) or a file whose bytes do not match its sha256 ends as a recorded failure; an
 * expired URL is asked for again; the token refused, throttling or Meta away is an outage (tried again).
 */
@Component("mediaTransfer")
public class MediaTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTransfer.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Set<String> MEDIA_TYPES = Set.of("image", "audio", "video", "document", "sticker");
    /** What a download URL answers once it has expired or was never issued. */
    private static final Set<Integer> URL_GONE = Set.of(401, 403, 404, 410);

    private final MediaProperties properties;
    private final String cloudApi;

    public MediaTransfer(MediaProperties properties, @Value("${whatsapp.cloud-api.base-url}") String baseUrl,
            @Value("${whatsapp.cloud-api.version}") String version) {
        this.properties = properties;
        this.cloudApi = baseUrl.replaceAll("/+$", "") + "/" + version;
    }

    /**
     * Filter: the fact read from Kafka (the bytes {@code failedRecords.keepOriginal} kept, so a try made again starts
     * from the fact itself) is a customer's message with a file; its job becomes the exchange property.
     */
    public boolean start(Exchange exchange) throws IOException {
        exchange.removeProperty(MediaJob.PROPERTY);
        byte[] record = exchange.getProperty(FailedRecords.ORIGINAL_RECORD, byte[].class);
        MediaJob job = record == null ? null : job(record);
        if (job != null) {
            exchange.setProperty(MediaJob.PROPERTY, job);
        }
        return job != null;
    }

    static MediaJob job(byte[] record) throws IOException {
        JsonNode fact;
        try {
            fact = JSON.readTree(record);
        } catch (IOException unreadable) {
            return null; // not a fact: the sinks dead-letter it; nothing here to fetch
        }
        String kind = fact == null ? "" : fact.path("kind").asText();
        // a customer's message, or one staff sent from the WhatsApp Business app (an echo, the history)
        boolean businessApp = EventKind.OUTBOUND_MESSAGE.wireName().equals(kind)
                && "business_app".equals(fact.path("payload").path("origin").asText());
        if (!EventKind.MESSAGE.wireName().equals(kind) && !businessApp) {
            return null;
        }
        JsonNode payload = fact.path("payload");
        String type = payload.path("type").asText();
        String mediaId = payload.path("media").path("id").asText(null);
        String wamid = fact.path("messageId").asText(null);
        if (!MEDIA_TYPES.contains(type) || mediaId == null || mediaId.isBlank() || wamid == null) {
            return null;
        }
        JsonNode media = payload.path("media");
        MediaJob job = new MediaJob(wamid, mediaId, type, media.path("mimeType").asText(null),
                media.path("sha256").asText(null), media.path("filename").asText(null),
                fact.path("receivedAt").asText(null), fact.path("occurredAt").asText(null));
        job.customerKey(Customer.whatsappId(fact.path("customer").path("identityKey").asText(null)));
        return job;
    }

    /** The exchange for the media lookup: {@code GET /{version}/{media-id}} (the token is set by the route). */
    public void lookup(Exchange exchange) {
        MediaJob job = exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, cloudApi + "/" + job.mediaId());
    }

    /** Reads Meta's answer to the lookup: the URL, or why there will be none. */
    public void lookupAnswered(Exchange exchange) throws IOException {
        MediaJob job = exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = exchange.getMessage().getBody(String.class);
        JsonNode answer = text == null || text.isBlank() ? JSON.nullNode() : readOrNull(text);
        JsonNode error = answer.path("error");
        int code = error.path("code").asInt(0);
        if (status == 200 && answer.hasNonNull("url")) {
            // the webhook's digest decides; the lookup's stands in when the webhook's names none
            if (Sha256Text.decode(job.expectedSha256()) == null) {
                job.expectedSha256(answer.path("sha256").asText(null));
            }
            long size = answer.path("file_size").asLong(-1); // a number, or a number as text
            job.url(answer.path("url").asText(), size);
            if (size > properties.maxFileBytes()) {
                job.failed("too_large: " + size + " bytes, more than the " + properties.maxFileBytes() + " fetched");
            } else if (size > job.crmMaxBytes()) {
                job.failed("too_large: " + size + " bytes, more than " + job.crm() + " takes (" + job.crmMaxBytes() + ")");
            }
            return;
        }
        if (status == 404 || (code == 100 && error.path("error_subcode").asInt(0) == 33)) {
            job.failed("media_gone (Meta no longer has media " + job.mediaId() + ")");
            return;
        }
        if (status == 401 || code == 190 || status == 429 || status >= 500 || status == 0
                || code == 4 || code == 80007 || code == 130429 || code == 131016) {
            throw new CloudApiUnavailableException("the media lookup answered " + status
                    + (code != 0 ? " (error " + code + ")" : "") + "; the file is fetched again later");
        }
        job.failed("lookup_refused: HTTP " + status + (code != 0 ? " error " + code : ""));
    }

    /** The exchange for the download: the URL Meta gave, with the token (set by the route). */
    public void download(Exchange exchange) {
        MediaJob job = exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_URI, job.url());
    }

    /**
     * Streams the downloaded bytes to a temporary file, computing their SHA-256 and stopping past the size bound; a
     * URL that has expired is asked for again (up to {@code max-url-lookups} in one try).
     */
    public void downloaded(Exchange exchange) throws IOException {
        MediaJob job = exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            if (URL_GONE.contains(status)) {
                job.urlExpired();
                if (job.lookups() >= properties.maxUrlLookups()) {
                    throw new CloudApiUnavailableException("every media URL of this try expired before its download ("
                            + job.lookups() + "); the file is fetched again later");
                }
                return;
            }
            if (status != 200 || body == null) {
                throw new CloudApiUnavailableException("the media download answered " + status);
            }
            save(job, body);
        }
    }

    private void save(MediaJob job, InputStream body) throws IOException {
        Path file = Files.createTempFile(Files.createDirectories(properties.temporaryDirectory()), "whatsapp-media-",
                ".part");
        MessageDigest digest = sha256();
        long size = 0;
        boolean complete = false;
        try (DigestInputStream in = new DigestInputStream(body, digest); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                size += n;
                if (size > properties.maxFileBytes()) {
                    job.failed("too_large: more than the " + properties.maxFileBytes() + " bytes fetched");
                    return;
                }
                out.write(buffer, 0, n);
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
        byte[] expected = Sha256Text.decode(job.expectedSha256());
        if (expected == null || !MessageDigest.isEqual(expected, digest.digest())) {
            Files.deleteIfExists(file);
            job.failed(expected == null ? "sha256_unknown (neither the webhook nor Meta named the file's digest)"
                    : "sha256_mismatch (the bytes fetched are not the file the webhook named)");
            LOG.warn("Media {} of a {} message refused: {}", job.mediaId(), job.type(), job.outcome());
            return;
        }
        job.fetchedTo(file, size);
    }

    /** Last step, whatever happened: the temporary file is deleted. */
    public void cleanup(Exchange exchange) throws IOException {
        MediaJob job = exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
        if (job != null && job.file() != null) {
            Files.deleteIfExists(job.file());
            job.discardFile();
        }
    }

    private static JsonNode readOrNull(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return JSON.nullNode();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
