package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * HTTP/1.1 pipelining on one keep-alive connection: the intake answers a signed delivery only once Kafka has it, but
 * a refused one at once. Each request must still get its own answer, in the order the requests came.
 */
class PipelinedRequestsTest extends BridgeIntegrationTest {

    @Test
    void pipelinedRequestsGetTheirOwnAnswersInOrder() throws Exception {
        String run = Fixtures.newRun();
        byte[] good = Fixtures.load("message-text", run);
        byte[] forged = Fixtures.load("message-image", run);
        byte[] large = LargeBody.of(run);

        List<Integer> statuses = pipeline(
                request(good, SignatureVerifier.sign(good, APP_SECRET)),
                request(forged, "sha256=" + "0".repeat(64)),
                request(large, SignatureVerifier.sign(large, APP_SECRET)),
                request(forged, "sha256=" + "1".repeat(64)),
                request(good, SignatureVerifier.sign(good, APP_SECRET)));

        assertThat(statuses).containsExactly(200, 401, 200, 401, 200);
    }

    private List<Integer> pipeline(byte[]... requests) throws IOException {
        try (Socket socket = new Socket("localhost", webhookPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] request : requests) {
                all.writeBytes(request);
            }
            // every request in one write: they reach the server back to back, before any answer
            out.write(all.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < requests.length; i++) {
                statuses.add(readResponse(in));
            }
            return statuses;
        }
    }

    private static byte[] request(byte[] body, String signature) {
        String head = "POST " + WEBHOOK_PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + SignatureVerifier.HEADER + ": " + signature + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        return request.toByteArray();
    }

    /** Reads one HTTP/1.1 response (status line, headers, Content-Length body) and answers its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int contentLength = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                contentLength = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        in.readNBytes(contentLength);
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed after " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** A valid delivery of about 1 MB: its Kafka write takes longer than a refusal's answer. */
    private static final class LargeBody {
        static byte[] of(String run) {
            String text = new String(Fixtures.load("message-text", run + "L"), StandardCharsets.UTF_8);
            return text.replace("Hi, is my order #4521 shipped yet?", "x".repeat(1_000_000))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
