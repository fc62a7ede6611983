package io.github.wacrm.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.failure.FailedRecords;
import io.github.wacrm.bridge.failure.FailureClassification;
import io.github.wacrm.bridge.failure.Verdict;
import io.github.wacrm.bridge.media.MediaJob;
import io.github.wacrm.bridge.media.MediaProperties;
import io.github.wacrm.bridge.media.MediaTransfer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** How the Salesforce media route reads Salesforce's answers about a file's message record and its upload. */
class SalesforceFilesTest {

    private final FailureClassification classification = new FailureClassification();
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void aMessageRecordNotThereYetIsWaitedForThenTheFileIsDeadLettered() throws Exception {
        Exchange recent = exchange(Instant.now().minusSeconds(60));
        answer(recent, 200, "{\"totalSize\":0,\"done\":true,\"records\":[]}");
        assertThatThrownBy(() -> files().located(recent))
                .satisfies(e -> assertThat(classification.classify(e)).isEqualTo(Verdict.RETRIED));

        Exchange old = exchange(Instant.now().minus(Duration.ofHours(1)));
        answer(old, 200, "{\"totalSize\":0,\"done\":true,\"records\":[]}");
        assertThatThrownBy(() -> files().located(old)).satisfies(e -> {
            assertThat(classification.classify(e)).isEqualTo(Verdict.RECORD_FAULT);
            assertThat(classification.reason(e)).isEqualTo("message_record_missing");
        });
    }

    @Test
    void aRecordThatAlreadyHasAnOutcomeIsLeftAlone() throws Exception {
        Exchange exchange = exchange(Instant.now());
        answer(exchange, 200, "{\"records\":[{\"Id\":\"a0B000000000001AAA\",\"Media_Status__c\":\"stored\"}]}");
        files().located(exchange);
        MediaJob job = exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
        assertThat(job.pending()).isFalse();
        assertThat(job.recordable()).isFalse();
    }

    @Test
    void aRefusedUploadIsRecordedWithSalesforcesCodeAndAnOutageIsTriedAgain() throws Exception {
        Exchange refused = exchange(Instant.now());
        answer(refused, 400, "[{\"message\":\"storage limit exceeded\",\"errorCode\":\"STORAGE_LIMIT_EXCEEDED\",\"fields\":[]}]");
        files().uploaded(refused);
        assertThat(refused.getProperty(MediaJob.PROPERTY, MediaJob.class).outcome())
                .isEqualTo("failed: refused_by_salesforce: STORAGE_LIMIT_EXCEEDED");

        for (int status : new int[] {503, 500, 429}) {
            Exchange away = exchange(Instant.now());
            answer(away, status, "[{\"errorCode\":\"SERVER_UNAVAILABLE\"}]");
            assertThatThrownBy(() -> files().uploaded(away))
                    .satisfies(e -> assertThat(classification.classify(e)).isEqualTo(Verdict.RETRIED));
        }
    }

    @Test
    void aRefusedQueryOrUpdateDeadLettersTheFileButAnUnavailableSalesforceIsAnOutage() {
        Exchange refused = exchange(Instant.now());
        refused.getMessage().setHeader(SalesforceSync.OPERATION, "query");
        refused.setProperty(Exchange.EXCEPTION_CAUGHT, new SalesforceException("MALFORMED_QUERY", 400));
        assertThatThrownBy(() -> files().failed(refused)).satisfies(e -> {
            assertThat(classification.classify(e)).isEqualTo(Verdict.RECORD_FAULT);
            assertThat(classification.reason(e)).isEqualTo("refused_by_salesforce");
        });
        Exchange away = exchange(Instant.now());
        away.getMessage().setHeader(SalesforceSync.OPERATION, "update WhatsApp_Message__c");
        away.setProperty(Exchange.EXCEPTION_CAUGHT, new SalesforceException("unavailable", 503));
        assertThatThrownBy(() -> files().failed(away))
                .satisfies(e -> assertThat(classification.classify(e)).isEqualTo(Verdict.RETRIED));
    }

    private SalesforceFiles files() throws Exception {
        return new SalesforceFiles(SalesforceMappingTest.defaults(),
                new MediaProperties(0, 0, 0, Duration.ofMinutes(30), 3, null), null,
                new SalesforceMetrics(new SimpleMeterRegistry(), CircuitBreaker.ofDefaults("salesforce")), camel);
    }

    private Exchange exchange(Instant receivedAt) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(FailedRecords.ORIGINAL_RECORD, ("{\"kind\":\"message\",\"messageId\":\"wamid.A\","
                + "\"receivedAt\":\"" + receivedAt + "\",\"payload\":{\"type\":\"image\",\"media\":{\"id\":\"1\"}}}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            assertThat(new MediaTransfer(new MediaProperties(0, 0, 0, null, 0, null), "http://x", "v23.0")
                    .start(exchange)).isTrue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return exchange;
    }

    private static void answer(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
    }
}
