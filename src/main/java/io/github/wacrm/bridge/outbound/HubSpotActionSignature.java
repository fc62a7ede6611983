package io.github.wacrm.bridge.outbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Proves a workflow action request came from HubSpot, with the app's client secret (several at once, for rotation).
 * {@code X-HubSpot-Signature-v3}: base64 HMAC-SHA256 of method + URL + body + {@code X-HubSpot-Request-Timestamp}, and a
 * timestamp older than {@code max-age} (5 minutes) is refused. HubSpot signs custom workflow actions with v2: hex
 * SHA-256 of secret + method + URL + body ({@code X-HubSpot-Signature}, version header {@code v2}), which carries no
 * time: its replay is harmless, for the callback id is the idempotency key. The URL is the one HubSpot calls
 * ({@code whatsapp.outbound.hubspot-actions.url}, or {@code webhook-url} and the query for the plain "Send a webhook"
 * action), not what a proxy makes of it. Compared in constant time.
 */
@Component
public class HubSpotActionSignature {

    private volatile List<String> secrets;
    private final String url;
    private final Duration maxAge;
    private final Clock clock;

    @Autowired
    public HubSpotActionSignature(@Value("${whatsapp.outbound.hubspot-actions.client-secrets:}") List<String> secrets,
            @Value("${whatsapp.outbound.hubspot-actions.url:}") String url,
            @Value("${whatsapp.outbound.hubspot-actions.max-age:PT5M}") Duration maxAge,
            io.github.wacrm.bridge.security.SecretFiles files) {
        this(secrets, url, maxAge, Clock.systemUTC());
        // a rotated client secret (two, comma-separated, while HubSpot signs with either) without a restart
        files.watch("hubspot-app-client-secrets", value -> this.secrets = usable(List.of(value.split(","))));
    }

    HubSpotActionSignature(List<String> secrets, String url, Duration maxAge, Clock clock) {
        this.secrets = usable(secrets);
        this.url = url;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    private static List<String> usable(List<String> secrets) {
        return secrets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Throws a 401 refusal unless the request (its headers in {@code in}) is HubSpot's, signed for {@code url}; a
     * null {@code url} is the custom action's configured one.
     */
    public void verify(String url, org.apache.camel.Message in, String body) {
        String v3 = in.getHeader("X-HubSpot-Signature-v3", String.class);
        String timestamp = in.getHeader("X-HubSpot-Request-Timestamp", String.class);
        String v2 = in.getHeader("X-HubSpot-Signature", String.class);
        String version = in.getHeader("X-HubSpot-Signature-Version", String.class);
        String refusal = url == null ? refusal("POST", body, v3, timestamp, v2, version)
                : refusal(url, "POST", body, v3, timestamp, v2, version);
        if (refusal != null) {
            throw new OutboundApiRefusal(401, "invalid_signature", refusal);
        }
    }

    /** Null when the request is HubSpot's, for the custom action's URL; else why it is refused. */
    public String refusal(String method, String body, String v3, String timestamp, String v2, String version) {
        if (url == null || url.isBlank()) {
            return "no whatsapp.outbound.hubspot-actions.url: workflow actions are refused";
        }
        return refusal(url, method, body, v3, timestamp, v2, version);
    }

    /** Null when the request is HubSpot's, signed for {@code url} (with its query, as HubSpot called it). */
    public String refusal(String url, String method, String body, String v3, String timestamp, String v2,
            String version) {
        if (secrets.isEmpty()) {
            return "no whatsapp.outbound.hubspot-actions.client-secrets: workflow requests are refused";
        }
        if (v3 != null) {
            long at;
            try {
                at = Long.parseLong(timestamp == null ? "" : timestamp.strip());
            } catch (NumberFormatException unreadable) {
                return "X-HubSpot-Request-Timestamp is missing or not a number";
            }
            if (Math.abs(clock.millis() - at) > maxAge.toMillis()) {
                return "the request's timestamp is older than " + maxAge + " (a replay?)";
            }
            String signedUrl = decodedForV3(url);
            for (String secret : secrets) {
                if (equal(v3.strip(), Base64.getEncoder().encodeToString(hmac(secret, method + signedUrl + body + at)))) {
                    return null;
                }
            }
            return "X-HubSpot-Signature-v3 does not match";
        }
        if (v2 != null && (version == null || version.strip().equalsIgnoreCase("v2"))) {
            for (String secret : secrets) {
                if (equal(v2.strip().toLowerCase(), Sha256.hex(secret + method + url + body))) {
                    return null;
                }
            }
            return "X-HubSpot-Signature (v2) does not match";
        }
        return "no HubSpot signature (X-HubSpot-Signature-v3, or X-HubSpot-Signature v2)";
    }

    /** HubSpot signs v3 over the URI with these escapes decoded (its validation guide lists them). */
    static String decodedForV3(String url) {
        String[][] escapes = {{"%3A", ":"}, {"%2F", "/"}, {"%3F", "?"}, {"%40", "@"}, {"%21", "!"}, {"%24", "$"},
            {"%27", "'"}, {"%28", "("}, {"%29", ")"}, {"%2A", "*"}, {"%2C", ","}, {"%3B", ";"}};
        String decoded = url;
        for (String[] escape : escapes) {
            decoded = decoded.replace(escape[0], escape[1]).replace(escape[0].toLowerCase(), escape[1]);
        }
        return decoded;
    }

    private static boolean equal(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
