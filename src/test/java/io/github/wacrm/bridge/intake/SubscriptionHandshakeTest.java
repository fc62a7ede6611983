package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubscriptionHandshakeTest {

    private final SubscriptionHandshake handshake = new SubscriptionHandshake("s3cret");

    @Test
    void acceptsSubscribeWithTheMatchingToken() {
        assertThat(handshake.accepts("subscribe", "s3cret", "1158201444")).isTrue();
    }

    @Test
    void refusesAnyOtherModeTokenOrMissingChallenge() {
        assertThat(handshake.accepts("unsubscribe", "s3cret", "1")).isFalse();
        assertThat(handshake.accepts("subscribe", "S3CRET", "1")).isFalse();
        assertThat(handshake.accepts("subscribe", null, "1")).isFalse();
        assertThat(handshake.accepts("subscribe", "s3cret", null)).isFalse();
        assertThat(handshake.accepts("subscribe", "s3cret", "x".repeat(257))).isFalse();
    }

    @Test
    void withoutAConfiguredTokenNothingIsAccepted() {
        assertThat(new SubscriptionHandshake("").accepts("subscribe", "", "1")).isFalse();
    }
}
