package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends BridgeIntegrationTest {

    @Test
    void prometheusShowsWebhookOutcomesEventKindsDuplicatesDeadLettersAndLatency() throws Exception {
        String run = Fixtures.newRun();
        byte[] text = Fixtures.load("message-text", run);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.webhooks.dlq")) {
            postSigned(text);
            postSigned(text);
            post(text, "sha256=" + "1".repeat(64));
            postSigned(Fixtures.load("bad-not-json", run));
            dlq.await(r -> new String(r.value()).contains(run), 1, Duration.ofSeconds(20));
        }
        String metrics = awaitMetric(metric("whatsapp_duplicates_skipped_total", "kind=\"message\""));

        assertThat(metrics)
                .containsPattern(metric("whatsapp_webhooks_total", "outcome=\"accepted\""))
                .containsPattern(metric("whatsapp_webhooks_total", "outcome=\"bad_signature\""))
                .containsPattern(metric("whatsapp_events_total", "kind=\"message\""))
                .containsPattern(metric("whatsapp_duplicates_skipped_total", "kind=\"message\""))
                .containsPattern(metric("whatsapp_dead_letters_total", "reason=\"not_json\""))
                .contains("whatsapp_intake_latency_seconds_bucket")
                .contains("whatsapp_intake_latency_seconds_count");
    }

    @Test
    void readinessAndLivenessIncludeCamelAndTheDatabase() throws Exception {
        var readiness = actuator("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"").contains("camelReadinessState").contains("db");
        var liveness = actuator("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("camelLivenessState");
    }

    @Test
    void logsNeverCarryAPhoneNumberOrAMessageBody(CapturedOutput output) throws Exception {
        String run = Fixtures.newRun();
        try (TopicProbe events = TopicProbe.open("whatsapp.events")) {
            postSigned(Fixtures.load("customer-mexico-521", run));
            postSigned(Fixtures.load("message-text", run));
            events.await(r -> new String(r.value()).contains(run), 2, Duration.ofSeconds(20));
        }
        Thread.sleep(1500); // let the router log its lines
        assertThat(output.getAll())
                .contains("message messages")
                .doesNotContain("5215512345678").doesNotContain("525512345678").doesNotContain("16505551234")
                .doesNotContain("Hi, is my order").doesNotContain("Hola");
    }

    private String awaitMetric(String pattern) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = actuator("/actuator/prometheus").body();
            if (java.util.regex.Pattern.compile(pattern).matcher(body).find()) {
                return body;
            }
            Thread.sleep(200);
        }
        return body;
    }
}
