package io.github.wacrm.bridge.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.github.wacrm.bridge.intake.PayloadTooLargeException;
import io.github.wacrm.bridge.intake.WebhookPayloadReader;

/**
 * The intake's bounded read, whatever the body and the Content-Length claim: the exact bytes when they fit the limit,
 * else {@link PayloadTooLargeException} (413); never another exception, never more than the limit buffered.
 */
class WebhookPayloadReaderFuzzTest {

    private static final int LIMIT = 4096;
    private static final WebhookPayloadReader READER = new WebhookPayloadReader(LIMIT);

    @FuzzTest(maxDuration = "30s")
    void anyBodyAndContentLengthIsReadExactlyOrRefusedAsTooLarge(FuzzedDataProvider data) {
        String contentLength = data.consumeBoolean() ? data.consumeString(24) : null;
        boolean streamed = data.consumeBoolean();
        int chunk = data.consumeInt(1, 9000);
        byte[] body = data.consumeRemainingAsBytes();
        readOrRefuse(body, contentLength, streamed, chunk);
    }

    @Test
    void theFixturesAndTheEdgesOfTheLimitPassTheSameCheck() {
        for (var file : FuzzSeeds.webhookBodies()) {
            readOrRefuse(FuzzSeeds.read(file), null, true, 8192);
        }
        for (int size : new int[] {0, 1, LIMIT - 1, LIMIT, LIMIT + 1, 3 * LIMIT}) {
            for (String length : new String[] {null, "", String.valueOf(size), "-1", "99999999999999999999", "x"}) {
                readOrRefuse(new byte[size], length, true, 7);
                readOrRefuse(new byte[size], length, false, 7);
            }
        }
    }

    static void readOrRefuse(byte[] body, String contentLength, boolean streamed, int chunk) {
        Object given = streamed ? new Trickle(body, chunk) : body;
        try {
            byte[] read = READER.read(given, contentLength);
            assertThat(read).isEqualTo(body);
            assertThat(read.length).isLessThanOrEqualTo(LIMIT);
        } catch (PayloadTooLargeException refused) {
            boolean claimedTooLarge;
            try {
                claimedTooLarge = contentLength != null && Long.parseLong(contentLength.trim()) > LIMIT;
            } catch (NumberFormatException unreadable) {
                claimedTooLarge = false;
            }
            assertThat(body.length > LIMIT || claimedTooLarge).as("refused only when too large").isTrue();
        }
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a socket does. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int chunk;

        Trickle(byte[] body, int chunk) {
            this.in = new ByteArrayInputStream(body);
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            return in.read(into, offset, Math.min(length, chunk));
        }
    }
}
