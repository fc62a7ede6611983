package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.support.Fixtures;

class EnvelopeHintsTest {

    private final EnvelopeHints hints = new EnvelopeHints();

    @Test
    void findsTheWabaAndPhoneNumberIdsOfAMetaDelivery() {
        byte[] body = Fixtures.raw("message-text");
        assertThat(hints.wabaId(body)).isEqualTo("102290129340398");
        assertThat(hints.phoneNumberId(body)).isEqualTo("106540352242922");
    }

    @Test
    void findsNothingInBodiesThatDoNotCarryThem() {
        byte[] body = "{\"object\":\"page\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(hints.wabaId(body)).isEmpty();
        assertThat(hints.phoneNumberId(body)).isEmpty();
        assertThat(hints.phoneNumberId("{\"phone_number_id\":\"12<script>\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(hints.wabaId(new byte[0])).isEmpty();
    }
}
