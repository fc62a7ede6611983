package io.github.wacrm.bridge.intake;

import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Component;

/**
 * Finds the WABA id and the phone-number id in a webhook body without parsing it: a bounded byte scan of the
 * first few kilobytes, so the request thread never walks a JSON tree. The values only label the Kafka record;
 * the normaliser reads the real ones.
 */
@Component("envelopeHints")
public class EnvelopeHints {

    private static final int SCAN_LIMIT = 4096;
    private static final int MAX_ID_LENGTH = 32;
    private static final byte[] ENTRY_ID = "\"id\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTRY = "\"entry\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PHONE_NUMBER_ID = "\"phone_number_id\"".getBytes(StandardCharsets.US_ASCII);

    /** The first {@code entry[].id}, or an empty string. */
    public String wabaId(byte[] body) {
        int entry = indexOf(body, ENTRY, 0);
        return entry < 0 ? "" : digitsAfterKey(body, ENTRY_ID, entry);
    }

    /** The first {@code value.metadata.phone_number_id}, or an empty string. */
    public String phoneNumberId(byte[] body) {
        return digitsAfterKey(body, PHONE_NUMBER_ID, 0);
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
