package io.github.wacrm.bridge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.wacrm.bridge.failure.FailedRecords;
import io.github.wacrm.bridge.failure.FailureClassification;
import io.github.wacrm.bridge.failure.Verdict;

/** How the media route reads Meta's answers: every outcome of a lookup and a download. */
class MediaTransferTest {

    private static final byte[] BYTES = "the file's bytes".getBytes(StandardCharsets.UTF_8);
    private final FailureClassification classification = new FailureClassification();

    @TempDir
    Path temp;

    @Test
    void onlyACustomersMessageWithAFileIsAJob() throws Exception {
        assertThat(start(fact("image", "\"media\":{\"id\":\"1479537139650973\",\"mimeType\":\"image/jpeg\"}"))).isNotNull();
        assertThat(start(fact("text", "\"text\":\"hi\""))).isNull();
        assertThat(start(fact("image", "\"media\":{}"))).isNull();
        assertThat(start("{\"kind\":\"status\",\"messageId\":\"wamid.A\"}")).isNull();
        assertThat(start("not json")).isNull();
    }

    @Test
    void aLookupGivesTheUrlAndTheLookupsDigestWhenTheWebhookNamesNone() throws Exception {
        Exchange exchange = exchange(fact("image", "\"media\":{\"id\":\"1\",\"sha256\":\"IMAGE_HASH\"}"));
        answer(exchange, 200, "{\"url\":\"https://lookaside.fbsbx.com/x?mid=1\",\"mime_type\":\"image/jpeg\",\"sha256\":\""
                + hex(BYTES) + "\",\"file_size\":\"" + BYTES.length + "\",\"id\":\"1\"}");
        transfer(100).lookupAnswered(exchange);
        MediaJob job = job(exchange);
        assertThat(job.url()).isEqualTo("https://lookaside.fbsbx.com/x?mid=1");
        assertThat(job.size()).isEqualTo(BYTES.length);

        download(exchange, 200, BYTES);
        assertThat(job.fetched()).isTrue();
        assertThat(Files.readAllBytes(job.file())).isEqualTo(BYTES);
        transfer(100).cleanup(exchange);
        assertThat(temp.toFile().list()).isEmpty();
    }

    @Test
    void aMediaIdMetaNoLongerHasIsARecordedFailureWhetherAnswered404Or400Code100Subcode33() throws Exception {
        for (int status : new int[] {404, 400}) {
            Exchange exchange = exchange(fact("video", "\"media\":{\"id\":\"1\"}"));
            answer(exchange, status, "{\"error\":{\"message\":\"Unsupported get request.\",\"type\":\"GraphMethodException\","
                    + "\"code\":100,\"error_subcode\":33}}");
            transfer(100).lookupAnswered(exchange);
            assertThat(job(exchange).outcome()).startsWith("failed: media_gone");
            assertThat(job(exchange).pending()).isFalse();
        }
    }

    @Test
    void aRefusedTokenThrottlingOrMetaAwayIsAnOutageTriedAgain() throws Exception {
        for (String[] answer : new String[][] {{"401", "{\"error\":{\"code\":190}}"}, {"500", ""}, {"429", ""},
                {"400", "{\"error\":{\"code\":80007}}"}}) {
            Exchange exchange = exchange(fact("image", "\"media\":{\"id\":\"1\"}"));
            answer(exchange, Integer.parseInt(answer[0]), answer[1]);
            assertThatThrownBy(() -> transfer(100).lookupAnswered(exchange))
                    .satisfies(e -> assertThat(classification.classify(e)).isEqualTo(Verdict.RETRIED));
        }
    }

    @Test
    void anotherRefusalOfTheLookupIsRecordedWithItsCode() throws Exception {
        Exchange exchange = exchange(fact("image", "\"media\":{\"id\":\"1\"}"));
        answer(exchange, 400, "{\"error\":{\"code\":131051}}");
        transfer(100).lookupAnswered(exchange);
        assertThat(job(exchange).outcome()).isEqualTo("failed: lookup_refused: HTTP 400 error 131051");
    }

    @Test
    void aFileLargerThanTheBoundOrThanItsCrmTakesIsRecordedAsTooLargeBeforeItIsFetched() throws Exception {
        Exchange exchange = exchange(fact("document", "\"media\":{\"id\":\"1\"}"));
        answer(exchange, 200, "{\"url\":\"u\",\"file_size\":104857601}");
        transfer(104_857_600).lookupAnswered(exchange);
        assertThat(job(exchange).outcome()).startsWith("failed: too_large: 104857601 bytes");

        Exchange forCrm = exchange(fact("document", "\"media\":{\"id\":\"1\"}"));
        job(forCrm).crmLimit("HubSpot", 1000);
        answer(forCrm, 200, "{\"url\":\"u\",\"file_size\":1001}");
        transfer(104_857_600).lookupAnswered(forCrm);
        assertThat(job(forCrm).outcome()).isEqualTo("failed: too_large: 1001 bytes, more than HubSpot takes (1000)");
    }

    @Test
    void aDownloadLongerThanTheBoundStopsAndLeavesNoFile() throws Exception {
        Exchange exchange = exchange(fact("document", "\"media\":{\"id\":\"1\",\"sha256\":\"" + hex(BYTES) + "\"}"));
        answer(exchange, 200, "{\"url\":\"u\"}");
        MediaTransfer bounded = transfer(BYTES.length - 1);
        bounded.lookupAnswered(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setBody(new ByteArrayInputStream(BYTES));
        bounded.downloaded(exchange);
        assertThat(job(exchange).outcome()).startsWith("failed: too_large");
        assertThat(temp.toFile().list()).isEmpty();
    }

    @Test
    void bytesThatDoNotMatchTheWebhooksSha256AreRefusedAndDeleted() throws Exception {
        String base64 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(BYTES));
        Exchange exchange = exchange(fact("image", "\"media\":{\"id\":\"1\",\"sha256\":\"" + base64 + "\"}"));
        answer(exchange, 200, "{\"url\":\"u\"}");
        transfer(100).lookupAnswered(exchange);
        download(exchange, 200, "other bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(job(exchange).outcome()).startsWith("failed: sha256_mismatch");
        assertThat(job(exchange).file()).isNull();
        assertThat(temp.toFile().list()).isEmpty();
    }

    @Test
    void anExpiredUrlIsAskedForAgainUpToTheBoundThenTheFileWaitsForTheNextTry() throws Exception {
        Exchange exchange = exchange(fact("image", "\"media\":{\"id\":\"1\"}"));
        MediaTransfer transfer = transfer(100);
        for (int lookup = 1; lookup <= 3; lookup++) {
            answer(exchange, 200, "{\"url\":\"u" + lookup + "\"}");
            transfer.lookupAnswered(exchange);
            if (lookup < 3) {
                download(exchange, 404, new byte[0]);
                assertThat(job(exchange).needsUrl()).isTrue();
            }
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
        exchange.getMessage().setBody(new ByteArrayInputStream(new byte[0]));
        assertThatThrownBy(() -> transfer.downloaded(exchange))
                .satisfies(e -> assertThat(classification.classify(e)).isEqualTo(Verdict.RETRIED));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private MediaTransfer transfer(long maxBytes) {
        return new MediaTransfer(new MediaProperties(maxBytes, 0, 0, Duration.ofMinutes(30), 3, temp.toString()),
                "https://graph.facebook.com", "v23.0");
    }

    private static String fact(String type, String content) {
        return "{\"kind\":\"message\",\"messageId\":\"wamid.A\",\"receivedAt\":\"2026-12-04T00:00:00Z\","
                + "\"payload\":{\"type\":\"" + type + "\"," + content + "}}";
    }

    private MediaJob start(String fact) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(FailedRecords.ORIGINAL_RECORD, fact.getBytes(StandardCharsets.UTF_8));
        return transfer(100).start(exchange) ? job(exchange) : null;
    }

    private Exchange exchange(String fact) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(FailedRecords.ORIGINAL_RECORD, fact.getBytes(StandardCharsets.UTF_8));
        assertThat(transfer(100).start(exchange)).isTrue();
        job(exchange).located("a0B000000000001AAA", false);
        return exchange;
    }

    private static void answer(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body);
    }

    private void download(Exchange exchange, int status, byte[] bytes) throws Exception {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(new ByteArrayInputStream(bytes));
        transfer(100).downloaded(exchange);
    }

    private static MediaJob job(Exchange exchange) {
        return exchange.getProperty(MediaJob.PROPERTY, MediaJob.class);
    }

    private static String hex(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
