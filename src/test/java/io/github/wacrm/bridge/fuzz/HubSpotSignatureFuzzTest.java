package io.github.wacrm.bridge.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.github.wacrm.bridge.outbound.HubSpotActionSignature;

/**
 * The HubSpot signature check, whatever the headers, URL and body: a refusal with its reason, never an exception, and
 * never an acceptance of a request nobody signed with the app's secret.
 */
class HubSpotSignatureFuzzTest {

    private static final HubSpotActionSignature SIGNATURE = new HubSpotActionSignature(
            List.of("fuzz-app-secret", "fuzz-previous-secret"), "https://bridge.example/hubspot/v1/actions/whatsapp-send",
            Duration.ofMinutes(5), new io.github.wacrm.bridge.security.SecretFiles("", 10_000));

    @FuzzTest(maxDuration = "30s")
    void anyRequestIsRefusedWithAReasonUnlessSigned(FuzzedDataProvider data) {
        String url = data.consumeBoolean() ? null : data.consumeString(200);
        String method = data.pickValue(new String[] {"POST", "GET", "post", ""});
        String v3 = data.consumeBoolean() ? data.consumeString(120) : null;
        String timestamp = data.consumeBoolean() ? data.consumeString(24)
                : String.valueOf(System.currentTimeMillis() + data.consumeLong(-600_000, 600_000));
        String v2 = data.consumeBoolean() ? data.consumeString(120) : null;
        String version = data.consumeBoolean() ? data.consumeString(8) : null;
        String body = data.consumeRemainingAsString();
        refused(url, method, body, v3, timestamp, v2, version);
    }

    @Test
    void edgeCasesAreRefusedWithAReason() {
        String[] odd = {null, "", " ", "v2", "V3", "%3A%2f%zz", "sha256=", "\u0000", "9".repeat(40), "-1"};
        for (String a : odd) {
            for (String b : odd) {
                refused(a == null ? null : "https://bridge.example/" + a, "POST", b == null ? "" : b, a, b, b, a);
            }
        }
    }

    private static void refused(String url, String method, String body, String v3, String timestamp, String v2,
            String version) {
        String refusal = url == null ? SIGNATURE.refusal(method, body, v3, timestamp, v2, version)
                : SIGNATURE.refusal(url, method, body, v3, timestamp, v2, version);
        assertThat(refusal).as("a request nobody signed is refused, with its reason").isNotBlank();
    }
}
