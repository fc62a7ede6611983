package io.github.wacrm.bridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Deliveries far larger than any fixture, built from the fixtures' own shapes (Meta's): a single text message of
 * about the size asked for, and one change carrying many statuses. Valid, signed-able bodies the intake accepts.
 */
public final class LargeDeliveries {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** ASCII, accents and an emoji outside the BMP (a surrogate pair), so a cut must mind code points. */
    private static final String PATTERN = "Olá, a very long message 👋 ";

    private LargeDeliveries() {
    }

    /** The message-text fixture with a text body of at least {@code bytes} UTF-8 bytes. */
    public static byte[] singleText(String run, int bytes) {
        int per = PATTERN.getBytes(StandardCharsets.UTF_8).length;
        String text = PATTERN.repeat(bytes / per + 1);
        String body = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                .replace("Hi, is my order #4521 shipped yet?", text);
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The status-delivered fixture with {@code count} {@code sent} statuses in its one change, each for its own
     * outbound message ({@link #statusWamid}) to its own customer ({@code +1650557NNNN}).
     */
    public static byte[] statuses(String run, int count) {
        try {
            ObjectNode delivery = (ObjectNode) JSON.readTree(Fixtures.load("status-delivered", run));
            ObjectNode value = (ObjectNode) delivery.path("entry").path(0).path("changes").path(0).path("value");
            ObjectNode template = (ObjectNode) value.path("statuses").path(0);
            ArrayNode statuses = value.putArray("statuses");
            for (int i = 0; i < count; i++) {
                ObjectNode status = template.deepCopy();
                status.put("id", statusWamid(run, i));
                status.put("status", "sent");
                status.put("recipient_id", String.format(Locale.ROOT, "1650557%04d", i));
                statuses.add(status);
            }
            return JSON.writeValueAsBytes(delivery);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The wamid of status {@code i} of {@link #statuses}. */
    public static String statusWamid(String run, int i) {
        return "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-" + run + "-out-" + i;
    }
}
