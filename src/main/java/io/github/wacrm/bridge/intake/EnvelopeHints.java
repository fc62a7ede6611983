package io.github.wacrm.bridge.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import org.springframework.stereotype.Component;

/**
 * Labels a signed webhook for the raw topic: {@code whatsapp-received-at} (UTC, milliseconds), and the WABA id and
 * phone-number id found without parsing the body, by a bounded byte scan of its first few kilobytes, so the request
 * thread never walks a JSON tree. The ids only label the Kafka record; the normaliser reads the real ones.
 */
@Component("envelopeHints")
public class EnvelopeHints implements Processor {

    public static final String RECEIVED_AT = "whatsapp-received-at";
    public static final String WABA_ID = "whatsapp-waba-id";
    public static final String PHONE_NUMBER_ID = "whatsapp-phone-number-id";

    private static final int SCAN_LIMIT = 4096;
    private static final int MAX_ID_LENGTH = 32;
    private static final byte[] ENTRY_ID = "\"id\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTRY = "\"entry\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PHONE_NUMBER_ID_KEY = "\"phone_number_id\"".getBytes(StandardCharsets.US_ASCII);

    /** Route step: sets the three record headers from the body (raw bytes). */
    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        message.setHeader(RECEIVED_AT, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        message.setHeader(WABA_ID, wabaId(body));
        message.setHeader(PHONE_NUMBER_ID, phoneNumberId(body));
    }

    /** The first {@code entry[].id}, or an empty string. */
    public String wabaId(byte[] body) {
        int entry = indexOf(body, ENTRY, 0);
        return entry < 0 ? "" : digitsAfterKey(body, ENTRY_ID, entry);
    }

    /** The first {@code value.metadata.phone_number_id}, or an empty string. */
    public String phoneNumberId(byte[] body) {
        return digitsAfterKey(body, PHONE_NUMBER_ID_KEY, 0);
    }

    private static String digitsAfterKey(byte[] body, byte[] key, int from) {
        int at = indexOf(body, key, from);
        if (at < 0) {
            return "";
        }
        int i = at + key.length;
        int limit = Math.min(body.length, SCAN_LIMIT);
        while (i < limit && (body[i] == ' ' || body[i] == ':' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
            i++;
        }
        if (i >= limit || body[i] != '"') {
            return "";
        }
        int start = ++i;
        while (i < limit && i - start <= MAX_ID_LENGTH && body[i] >= '0' && body[i] <= '9') {
            i++;
        }
        if (i >= limit || body[i] != '"' || i == start) {
            return "";
        }
        return new String(body, start, i - start, StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        int limit = Math.min(body.length, SCAN_LIMIT) - needle.length;
        outer:
        for (int i = from; i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
