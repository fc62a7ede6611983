package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/**
 * HubSpot's request signatures as its documentation defines them, computed here independently: v3 (HMAC-SHA256 over
 * method, URL, body and timestamp, base64) within five minutes, v2 (SHA-256 over secret, method, URL and body, hex),
 * either of two secrets during a rotation; anything else refused with why.
 */
class HubSpotActionSignatureTest {

    private static final String URL = "https://bridge.example.com/hubspot/v1/actions/whatsapp-send";
    private static final String BODY = "{\"callbackId\":\"ap-1\",\"object\":{\"objectId\":51,\"objectType\":\"CONTACT\"}}";
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private final HubSpotActionSignature signature = new HubSpotActionSignature(List.of("old-secret", " new-secret "),
            URL, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void v3WithinFiveMinutesIsHubSpotsWithEitherSecret() throws Exception {
        long at = NOW.toEpochMilli() - 60_000;
        assertThat(signature.refusal("POST", BODY, v3("new-secret", at), Long.toString(at), null, null)).isNull();
        assertThat(signature.refusal("POST", BODY, v3("old-secret", at), Long.toString(at), null, null)).isNull();
    }

    @Test
    void v3StaleTamperedOrWithoutTimestampIsRefused() throws Exception {
        long stale = NOW.toEpochMilli() - Duration.ofMinutes(6).toMillis();
        assertThat(signature.refusal("POST", BODY, v3("new-secret", stale), Long.toString(stale), null, null))
                .contains("older than");
        long at = NOW.toEpochMilli();
        assertThat(signature.refusal("POST", BODY + " ", v3("new-secret", at), Long.toString(at), null, null))
                .contains("does not match");
        assertThat(signature.refusal("POST", BODY, v3("another", at), Long.toString(at), null, null))
                .contains("does not match");
        assertThat(signature.refusal("POST", BODY, v3("new-secret", at), null, null, null)).contains("Timestamp");
    }

    @Test
    void v2AsHubSpotSignsCustomActionsIsTakenAndChecked() throws Exception {
        String v2 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("old-secret" + "POST" + URL
                + BODY).getBytes(StandardCharsets.UTF_8)));
        assertThat(signature.refusal("POST", BODY, null, null, v2, "v2")).isNull();
        assertThat(signature.refusal("POST", BODY, null, null, v2.toUpperCase(), null)).isNull();
        assertThat(signature.refusal("POST", BODY.replace("51", "52"), null, null, v2, "v2")).contains("does not match");
        assertThat(signature.refusal("POST", BODY, null, null, v2, "v1")).contains("no HubSpot signature");
    }

    @Test
    void withoutASignatureOrASecretNothingIsTaken() {
        assertThat(signature.refusal("POST", BODY, null, null, null, null)).contains("no HubSpot signature");
        assertThat(new HubSpotActionSignature(List.of(), URL, Duration.ofMinutes(5), Clock.systemUTC())
                .refusal("POST", BODY, null, null, "x", "v2")).contains("client-secrets");
    }

    private static String v3(String secret, long at) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(("POST" + URL + BODY + at).getBytes(StandardCharsets.UTF_8)));
    }
}
