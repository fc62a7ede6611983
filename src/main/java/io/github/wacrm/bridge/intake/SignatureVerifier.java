package io.github.wacrm.bridge.intake;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.security.SecretFiles;

/**
 * Proves a webhook came from Meta: {@code X-Hub-Signature-256: sha256=<hex>} must be the HMAC-SHA256 of the raw
 * body bytes, exactly as received, under one of the configured app secrets (two are valid during a rotation).
 * The comparison is constant time. A changed {@code app-secrets} file is in use within seconds ({@link SecretFiles}),
 * with no restart and no webhook refused in between.
 */
@Component("signatureVerifier")
public class SignatureVerifier implements Processor {

    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";
    private static final int DIGEST_HEX_LENGTH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(SignatureVerifier.class);

    /** The secrets in use; replaced whole when they change. */
    private volatile List<SecretKeySpec> keys;
    /** Mac.getInstance is a provider lookup: each thread keeps one initialised Mac per secret, for those keys. */
    private final ThreadLocal<Macs> macs = new ThreadLocal<>();

    private record Macs(List<SecretKeySpec> keys, Mac[] macs) {
    }

    @Autowired
    public SignatureVerifier(WebhookProperties properties, SecretFiles files) {
        this(properties.appSecrets());
        if (keys.isEmpty()) {
            LOG.warn("No WhatsApp app secret configured (whatsapp.webhook.app-secrets / WHATSAPP_APP_SECRETS): "
                    + "every webhook POST will be refused with 401");
        } else {
            LOG.info("Webhook signatures accepted under {} app secret(s)", keys.size());
        }
        files.watch("app-secrets", secrets -> {
            useSecrets(List.of(secrets.split(",")));
            LOG.info("Webhook signatures now accepted under {} app secret(s)", keys.size());
        });
    }

    public SignatureVerifier(List<String> appSecrets) {
        useSecrets(appSecrets);
    }

    /** Accepts signatures under these secrets from now on (two during a rotation); blank ones are ignored. */
    public void useSecrets(List<String> appSecrets) {
        this.keys = appSecrets.stream()
                .filter(secret -> secret != null && !secret.isBlank())
                .map(secret -> new SecretKeySpec(secret.strip().getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .toList();
    }

    /** Whether at least one app secret is configured; without one every POST is refused. */
    public boolean isConfigured() {
        return !keys.isEmpty();
    }

    /** Route step: the body (raw bytes) must be signed by the {@value #HEADER} header. */
    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        verify(message.getBody(byte[].class), message.getHeader(HEADER, String.class));
    }

    /** Throws {@link InvalidSignatureException} unless the header carries a valid signature of {@code body}. */
    public void verify(byte[] body, String signatureHeader) {
        List<SecretKeySpec> current = keys;
        if (current.isEmpty()) {
            throw new InvalidSignatureException("no app secret configured");
        }
        if (signatureHeader == null) {
            throw new InvalidSignatureException("missing " + HEADER);
        }
        String value = signatureHeader.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || value.length() != PREFIX.length() + DIGEST_HEX_LENGTH) {
            throw new InvalidSignatureException("malformed " + HEADER);
        }
        byte[] claimed = new byte[DIGEST_HEX_LENGTH / 2];
        for (int i = 0; i < claimed.length; i++) {
            int high = Character.digit(value.charAt(PREFIX.length() + 2 * i), 16);
            int low = Character.digit(value.charAt(PREFIX.length() + 2 * i + 1), 16);
            if (high < 0 || low < 0) {
                throw new InvalidSignatureException("malformed " + HEADER);
            }
            claimed[i] = (byte) (high << 4 | low);
        }
        Macs mine = macs.get();
        if (mine == null || mine.keys() != current) {
            mine = new Macs(current, current.stream().map(SignatureVerifier::newMac).toArray(Mac[]::new));
            macs.set(mine);
        }
        boolean matched = false;
        for (Mac mac : mine.macs()) {
            // every key is tried, so the time taken does not tell which secret matched
            matched |= MessageDigest.isEqual(mac.doFinal(body), claimed);
        }
        if (!matched) {
            throw new InvalidSignatureException("signature does not match");
        }
    }

    /** The header value Meta would send for {@code body} under {@code secret}; used by tests and the sample sender. */
    public static String sign(byte[] body, String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        return PREFIX + HexFormat.of().formatHex(hmac(key, body));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] body) {
        return newMac(key).doFinal(body);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
