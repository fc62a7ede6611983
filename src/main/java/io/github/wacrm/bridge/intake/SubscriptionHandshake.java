package io.github.wacrm.bridge.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.security.SecretFiles;

/**
 * Meta's subscription check: {@code GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C} is accepted when
 * T equals the configured verify token (compared in constant time). With no token configured nothing is accepted.
 * A changed {@code verify-token} file is in use within seconds ({@link SecretFiles}).
 */
@Component("subscriptionHandshake")
public class SubscriptionHandshake {

    private static final int MAX_CHALLENGE_LENGTH = 256;

    private volatile byte[] verifyToken;

    @Autowired
    public SubscriptionHandshake(WebhookProperties properties, SecretFiles files) {
        this(properties.verifyToken());
        files.watch("verify-token", this::useToken);
    }

    public SubscriptionHandshake(String verifyToken) {
        useToken(verifyToken);
    }

    /** Accepts this verify token from now on. */
    public void useToken(String verifyToken) {
        this.verifyToken = verifyToken == null ? new byte[0] : verifyToken.strip().getBytes(StandardCharsets.UTF_8);
    }

    public boolean accepts(@Header("hub.mode") String mode, @Header("hub.verify_token") String token,
            @Header("hub.challenge") String challenge) {
        byte[] expected = verifyToken;
        if (expected.length == 0 || token == null || challenge == null || !"subscribe".equals(mode)) {
            return false;
        }
        if (challenge.isEmpty() || challenge.length() > MAX_CHALLENGE_LENGTH) {
            return false;
        }
        return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }
}
