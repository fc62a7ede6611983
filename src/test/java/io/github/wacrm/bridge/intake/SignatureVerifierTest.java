package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.support.Fixtures;

class SignatureVerifierTest {

    private final SignatureVerifier verifier = new SignatureVerifier(List.of("current-secret", "previous-secret"));

    @Test
    void acceptsTheHmacOfTheRawBytesUnderEitherSecret() {
        byte[] body = Fixtures.raw("message-text");
        assertThatCode(() -> verifier.verify(body, SignatureVerifier.sign(body, "current-secret"))).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(body, SignatureVerifier.sign(body, "previous-secret"))).doesNotThrowAnyException();
    }

    @Test
    void acceptsAnUppercasePrefixAndHexDigits() {
        byte[] body = Fixtures.raw("message-text");
        String upper = SignatureVerifier.sign(body, "current-secret").toUpperCase();
        assertThatCode(() -> verifier.verify(body, upper)).doesNotThrowAnyException();
    }

    @Test
    void refusesAMissingMalformedOrWrongSignature() {
        byte[] body = Fixtures.raw("message-text");
        assertThatThrownBy(() -> verifier.verify(body, null)).isInstanceOf(InvalidSignatureException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> verifier.verify(body, "sha1=0123")).isInstanceOf(InvalidSignatureException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> verifier.verify(body, "sha256=" + "g".repeat(64))).isInstanceOf(InvalidSignatureException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> verifier.verify(body, SignatureVerifier.sign(body, "other-secret")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("does not match");
    }

    @Test
    void theSignatureCoversTheBytesAsSentNotARereserialisation() throws Exception {
        // Meta signs "\u00e9" and "\/" escapes as they are; hashing a re-serialised tree fails on them
        byte[] escaped = Fixtures.raw("unicode-escaped");
        String signature = SignatureVerifier.sign(escaped, "current-secret");
        byte[] reserialised = new ObjectMapper().writeValueAsBytes(new ObjectMapper().readTree(escaped));

        assertThatCode(() -> verifier.verify(escaped, signature)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.verify(reserialised, signature)).isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void withoutAConfiguredSecretEverythingIsRefused() {
        SignatureVerifier unconfigured = new SignatureVerifier(List.of("", " "));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> unconfigured.verify(body, SignatureVerifier.sign(body, "any")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("no app secret");
    }
}
