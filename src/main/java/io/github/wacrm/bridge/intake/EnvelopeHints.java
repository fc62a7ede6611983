package io.github.wacrm.bridge.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

import org.springframework.stereotype.Component;

/**
 * Labels a signed webhook for the raw topic: {@code whatsapp-received-at} (UTC, milliseconds), the WABA id and
 * phone-number id, and the record's key, all found without parsing the body, by a bounded byte scan of its first few
 * kilobytes, so the request thread never walks a JSON tree. The ids only label the Kafka record; the normaliser reads
 * the real ones.
 * <p>
 * The key is the first customer identity of the delivery ({@code customer:<wa_id, recipient_id, from or BSUID>}), else
 * its WABA ({@code waba:<id>}), so one customer's deliveries share a raw partition and are normalised in the order they
 * came. It is a hint, not a guarantee: a delivery that batches several customers goes with its first, and one seen
 * first by phone and later by BSUID alone goes to two partitions. The later stages do not depend on it: every merged
 * CRM field carries its event time and the latest wins (docs/reliability.md).
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
    /** Where a delivery names its customer, most specific first: a phone (wa_id), then a BSUID. */
    private static final List<byte[]> CUSTOMER_KEYS = java.util.stream.Stream.of("\"wa_id\"", "\"recipient_id\"",
            "\"from\"", "\"user_id\"", "\"recipient_user_id\"", "\"from_user_id\"")
            .map(k -> k.getBytes(StandardCharsets.US_ASCII)).toList();
    private static final int MAX_IDENTITY_LENGTH = 64;

    /** Route step: sets the three record headers from the body (raw bytes). */
    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        message.setHeader(RECEIVED_AT, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        String wabaId = wabaId(body);
        message.setHeader(WABA_ID, wabaId);
        message.setHeader(PHONE_NUMBER_ID, phoneNumberId(body));
        message.setHeader(KafkaConstants.KEY, recordKey(body, wabaId));
    }

    /** The raw record's key: its first customer, else its WABA, else none (spread over the partitions). */
    public String recordKey(byte[] body, String wabaId) {
        for (byte[] key : CUSTOMER_KEYS) {
            String identity = identityAfterKey(body, key);
            if (!identity.isEmpty()) {
                return "customer:" + identity;
            }
        }
        return wabaId.isEmpty() ? null : "waba:" + wabaId;
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
        return stringAfterKey(body, key, from, MAX_ID_LENGTH, false);
    }

    /** A string value of letters, digits, dots, dashes or underscores after {@code key}, or an empty string. */
    private static String identityAfterKey(byte[] body, byte[] key) {
        return stringAfterKey(body, key, 0, MAX_IDENTITY_LENGTH, true);
    }

    /** The string value after the first {@code key} from {@code from}: digits only, or identity characters. */
    private static String stringAfterKey(byte[] body, byte[] key, int from, int maxLength, boolean identity) {
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
        while (i < limit && i - start <= maxLength
                && (identity ? identityByte(body[i]) : body[i] >= '0' && body[i] <= '9')) {
            i++;
        }
        if (i >= limit || body[i] != '"' || i == start) {
            return "";
        }
        return new String(body, start, i - start, StandardCharsets.US_ASCII);
    }

    private static boolean identityByte(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '.' || b == '-'
                || b == '_';
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
