package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

class WebhookPayloadReaderTest {

    private final WebhookPayloadReader reader = new WebhookPayloadReader(10);

    @Test
    void readsABodyUpToTheLimitExactly() {
        byte[] body = "0123456789".getBytes();
        assertThat(reader.read(new ByteArrayInputStream(body), "10")).isEqualTo(body);
        assertThat(reader.read(new ByteArrayInputStream(body), null)).isEqualTo(body);
    }

    @Test
    void refusesADeclaredLengthOverTheLimitWithoutReading() {
        InputStream neverRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };
        assertThatThrownBy(() -> reader.read(neverRead, "11")).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void refusesAnUndeclaredBodyAsSoonAsItPassesTheLimit() {
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[11]), null))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void refusesABodyLongerThanItsDeclaredLengthClaims() {
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[50]), "5"))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void anEmptyBodyIsEmptyBytes() {
        assertThat(reader.read(null, null)).isEmpty();
    }
}
