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

    @Test
    void keysADeliveryByItsFirstCustomerSoOneCustomersDeliveriesShareARawPartition() {
        assertThat(hints.recordKey(Fixtures.raw("message-text"), "102290129340398")).isEqualTo("customer:16505551234");
        assertThat(hints.recordKey(Fixtures.raw("status-read"), "102290129340398")).isEqualTo("customer:16505551234");
        assertThat(hints.recordKey(Fixtures.raw("customer-bsuid-only"), "102290129340398"))
                .as("a BSUID, as it is").isEqualTo("customer:US.13491208655302741918RUN");
        assertThat(hints.recordKey(Fixtures.raw("status-bsuid-only"), "102290129340398"))
                .isEqualTo("customer:US.13491208655302741918RUN");
    }

    @Test
    void keysADeliveryWithoutACustomerByItsWabaAndOneWithNeitherByNothing() {
        assertThat(hints.recordKey(Fixtures.raw("template-status-approved"), "102290129340398"))
                .isEqualTo("waba:102290129340398");
        assertThat(hints.recordKey("{\"object\":\"page\"}".getBytes(StandardCharsets.UTF_8), "")).isNull();
        assertThat(hints.recordKey("{\"wa_id\":\"1<script>\"}".getBytes(StandardCharsets.UTF_8), "")).isNull();
    }
}
