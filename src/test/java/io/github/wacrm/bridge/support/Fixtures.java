package io.github.wacrm.bridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Webhook fixtures under {@code src/test/resources/webhooks/}, one file per case, read as raw bytes. Ids in the
 * fixtures carry the token {@code RUN}; {@link #load(String, String)} replaces it, so every test gets facts of its
 * own in the shared Kafka and PostgreSQL. Where Meta sends only digits (a {@code display_phone_number}), the token
 * {@code RUNDIGITS} stands for ten digits of the run ({@link #digits}); where Meta sends a JSON number (a
 * {@code message_template_id}), the ten digits {@code 4242424242}, written after a non-zero digit so the raw fixture and
 * the loaded one are both valid JSON, stand for them too. Only those tokens change: every other byte stays as written.
 */
public final class Fixtures {

    public static final String TOKEN = "RUN";
    public static final String DIGITS_TOKEN = "RUNDIGITS";
    public static final String NUMBER_TOKEN = "4242424242";

    private Fixtures() {
    }

    public static String newRun() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    public static byte[] raw(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/webhooks/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture webhooks/" + name + ".json");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] load(String name, String run) {
        return load(name, run, raw(name));
    }

    /** {@link #load(String, String)} on fixture bytes already read, for callers that load one fixture many times. */
    public static byte[] load(String name, String run, byte[] raw) {
        return replace(replace(replace(raw, DIGITS_TOKEN, digits(run)), NUMBER_TOKEN, digits(run)), TOKEN, run);
    }

    /** Ten digits that stand for the run where a field holds only digits. */
    public static String digits(String run) {
        long bits = UUID.nameUUIDFromBytes(run.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
        return String.format("%010d", Math.floorMod(bits, 10_000_000_000L));
    }

    static byte[] replace(byte[] body, String token, String with) {
        byte[] needle = token.getBytes(StandardCharsets.US_ASCII);
        byte[] replacement = with.getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length + 64);
        int i = 0;
        while (i < body.length) {
            if (matches(body, i, needle)) {
                out.writeBytes(replacement);
                i += needle.length;
            } else {
                out.write(body[i++]);
            }
        }
        return out.toByteArray();
    }

    private static boolean matches(byte[] body, int at, byte[] needle) {
        if (at + needle.length > body.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (body[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
