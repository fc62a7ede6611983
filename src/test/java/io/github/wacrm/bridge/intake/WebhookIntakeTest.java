package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Flow;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

class WebhookIntakeTest extends BridgeIntegrationTest {

    private static final String RAW = "whatsapp.webhooks.raw";

    @Test
    void handshakeEchoesTheChallengeAsPlainTextWhenTheTokenMatches() throws Exception {
        HttpResponse<String> response = get(WEBHOOK_PATH + "?hub.mode=subscribe&hub.verify_token=" + VERIFY_TOKEN
                + "&hub.challenge=1158201444");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1158201444");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void handshakeIsRefusedWithAWrongTokenOrMode() throws Exception {
        assertThat(get(WEBHOOK_PATH + "?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(get(WEBHOOK_PATH + "?hub.mode=unsubscribe&hub.verify_token=" + VERIFY_TOKEN + "&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(get(WEBHOOK_PATH + "?hub.mode=subscribe&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(get(WEBHOOK_PATH).statusCode()).isEqualTo(403);
    }

    @Test
    void aSignedDeliveryIsStoredAsItsExactBytesBeforeThe200() throws Exception {
        String run = Fixtures.newRun();
        byte[] body = Fixtures.load("unicode-raw-utf8", run);
        try (TopicProbe raw = TopicProbe.open(RAW)) {
            HttpResponse<String> response = postSigned(body);

            assertThat(response.statusCode()).isEqualTo(200);
            List<ConsumerRecord<String, byte[]>> stored = raw.await(r -> Arrays.equals(r.value(), body), 1, Duration.ofSeconds(10));
            assertThat(stored).hasSize(1);
            ConsumerRecord<String, byte[]> record = stored.get(0);
            assertThat(TopicProbe.header(record, "whatsapp-waba-id")).isEqualTo("102290129340398");
            assertThat(TopicProbe.header(record, "whatsapp-phone-number-id")).isEqualTo("106540352242922");
            assertThat(TopicProbe.header(record, "whatsapp-received-at")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(record.key()).as("keyed by its customer").isEqualTo("customer:5215512345678");
            assertThat(Arrays.stream(record.headers().toArray()).map(Header::key))
                    .as("request headers never become Kafka record headers")
                    .containsExactlyInAnyOrder("whatsapp-received-at", "whatsapp-waba-id", "whatsapp-phone-number-id");
        }
    }

    @Test
    void aSignedBodyIsStoredAsSentWhateverItsDeclaredContentType() throws Exception {
        byte[] body = Fixtures.load("message-text", Fixtures.newRun());
        try (TopicProbe raw = TopicProbe.open(RAW)) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(webhookUri())
                    .timeout(java.time.Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Hub-Signature-256", SignatureVerifier.sign(body, APP_SECRET))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(raw.await(r -> Arrays.equals(r.value(), body), 1, Duration.ofSeconds(10))).hasSize(1);
        }
    }

    @Test
    void requestHeadersAreNotEchoedBackInTheResponse() throws Exception {
        byte[] body = Fixtures.load("message-text", Fixtures.newRun());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(webhookUri())
                .timeout(java.time.Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", SignatureVerifier.sign(body, APP_SECRET))
                .header("X-Canary", "do-not-echo")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.equalsIgnoreCase("X-Canary")
                || name.equalsIgnoreCase("X-Hub-Signature-256") || name.toLowerCase().startsWith("whatsapp-")
                || name.toLowerCase().startsWith("kafka") || name.toLowerCase().startsWith("camel"));
    }

    @Test
    void theSecondSecretIsAcceptedDuringARotation() throws Exception {
        byte[] body = Fixtures.load("message-text", Fixtures.newRun());
        assertThat(post(body, SignatureVerifier.sign(body, PREVIOUS_APP_SECRET)).statusCode()).isEqualTo(200);
    }

    @Test
    void missingMalformedOrWrongSignaturesGet401AndNothingIsStored() throws Exception {
        String run = Fixtures.newRun();
        byte[] body = Fixtures.load("message-text", run);
        try (TopicProbe raw = TopicProbe.open(RAW)) {
            assertThat(post(body, null).statusCode()).isEqualTo(401);
            assertThat(post(body, "sha1=abc").statusCode()).isEqualTo(401);
            assertThat(post(body, "sha256=zz" + "0".repeat(62)).statusCode()).isEqualTo(401);
            assertThat(post(body, SignatureVerifier.sign(body, "another-apps-secret")).statusCode()).isEqualTo(401);
            byte[] tampered = Fixtures.load("message-text", run + "X");
            assertThat(post(tampered, SignatureVerifier.sign(body, APP_SECRET)).statusCode()).isEqualTo(401);

            assertThat(raw.settle(r -> new String(r.value(), StandardCharsets.UTF_8).contains(run), Duration.ofSeconds(2))).isEmpty();
        }
    }

    @Test
    void aBodyOverTheLimitGets413WithContentLength() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        assertThat(postSigned(body).statusCode()).isEqualTo(413);
        assertThat(actuator("/actuator/prometheus").body()).containsPattern(metric("whatsapp_webhooks_total", "outcome=\"too_large\""));
    }

    @Test
    void aBodyFarOverTheLimitIsRefusedBeforeItIsBuffered() throws Exception {
        byte[] body = new byte[7 * 1024 * 1024];
        assertThat(post(body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(413);
    }

    @Test
    void aChunkedBodyOverTheLimitGets413() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        int chunks = 3 * 16 + 1; // 3 MiB + 64 KiB, streamed without Content-Length
        HttpRequest.BodyPublisher unsized = new HttpRequest.BodyPublisher() {
            private final HttpRequest.BodyPublisher inner = HttpRequest.BodyPublishers.ofByteArrays(
                    java.util.Collections.nCopies(chunks, chunk));

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                inner.subscribe(subscriber);
            }
        };
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(webhookUri())
                .timeout(java.time.Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
                .POST(unsized).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(webhookUri())
                .timeout(java.time.Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
    }
}
