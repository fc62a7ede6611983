package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How a {@code WhatsApp_Send__e} event is read: its form checked (each refusal with its code), its recipient's record
 * looked up by a query built from a checked id only, and the WhatsApp number taken from that record.
 */
class SalesforceSendEventsReadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SalesforceSendEvents events = new SalesforceSendEvents(null, null, new OutboundProperties("waba",
            "106540352242922", Map.of(), 80, 6000, 8, Duration.ofMinutes(10), Duration.ofMinutes(5), null, 0), null);

    @Test
    void aTemplateEventOfACaseBecomesARequestAndAQueryForTheCasesContact() throws Exception {
        Exchange exchange = exchange("{\"CreatedDate\": 1, \"Recipient_Id__c\": \"500000000000006AAA\", "
                + "\"Template_Name__c\": \"order_update\", \"Template_Language__c\": \"en_US\", "
                + "\"Parameters__c\": \"[\\\"#4521\\\", \\\"today\\\"]\", \"Correlation_Id__c\": {\"string\": \"c-1\"}, "
                + "\"Text__c\": null}");
        events.read(exchange);
        OutboundRequest request = exchange.getProperty(SalesforceSendEvents.REQUEST, OutboundRequest.class);
        assertThat(request.source).isEqualTo("salesforce");
        assertThat(request.requestedBy).isEqualTo("500000000000006AAA");
        assertThat(request.correlationId).as("Avro's JSON wraps optional values").isEqualTo("c-1");
        assertThat(request.phoneNumberId).isEqualTo("106540352242922");
        assertThat(request.template.parameters.get(1).asText()).isEqualTo("today");
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("SELECT Id, Contact.WhatsApp_E164__c, "
                + "Contact.WhatsApp_Id__c, Contact.MobilePhone FROM Case WHERE Id = '500000000000006AAA'");
    }

    @Test
    void contactsAndLeadsAreAskedForThemselves() {
        assertThat(SalesforceSendEvents.recipientQuery("003000000000001AAA")).endsWith("FROM Contact WHERE Id = "
                + "'003000000000001AAA'");
        assertThat(SalesforceSendEvents.recipientQuery("00Q000000000001AAA")).endsWith("FROM Lead WHERE Id = "
                + "'00Q000000000001AAA'");
    }

    @Test
    void eachFormErrorIsRefusedWithItsCode() {
        assertRefused("{\"Recipient_Id__c\": \"003' OR Id != '\", \"Text__c\": \"hi\"}", "invalid_recipient");
        assertRefused("{\"Template_Name__c\": \"order_update\"}", "invalid_recipient");
        assertRefused("{\"Recipient_Id__c\": \"003000000000001AAA\"}", "template_or_text");
        assertRefused("{\"Recipient_Id__c\": \"003000000000001AAA\", \"Text__c\": \"hi\", \"Template_Name__c\": \"x\"}",
                "template_or_text");
        assertRefused("{\"Recipient_Id__c\": \"003000000000001AAA\", \"Template_Name__c\": \"order_update\"}",
                "invalid_template");
        assertRefused("{\"Recipient_Id__c\": \"003000000000001AAA\", \"Template_Name__c\": \"order_update\", "
                + "\"Template_Language__c\": \"en_US\", \"Parameters__c\": \"#4521, today\"}", "invalid_parameters");
        assertRefused("not json", "invalid_event");
    }

    @Test
    void theWhatsAppNumberComesFromTheWhatsAppFieldsFirstThenAnE164Mobile() throws Exception {
        assertThat(number("{\"WhatsApp_E164__c\": \"+16505551234\", \"MobilePhone\": \"+442071234567\"}"))
                .isEqualTo("+16505551234");
        assertThat(number("{\"WhatsApp_Id__c\": \"+16505551234\"}")).isEqualTo("+16505551234");
        assertThat(number("{\"WhatsApp_Id__c\": \"16505551234\"}")).isEqualTo("+16505551234");
        assertThat(number("{\"WhatsApp_Id__c\": \"US.13491208655302741918\"}")).isEqualTo("US.13491208655302741918");
        assertThat(number("{\"MobilePhone\": \"+1 (650) 555-1234\"}")).isEqualTo("+16505551234");
        assertThat(number("{\"MobilePhone\": \"(650) 555-1234\"}")).as("no country: not guessed").isNull();
        assertThat(number("{}")).isNull();
    }

    private void assertRefused(String event, String code) {
        assertThatThrownBy(() -> events.read(exchange(event))).isInstanceOfSatisfying(OutboundApiRefusal.class,
                refusal -> assertThat(refusal.code()).isEqualTo(code));
    }

    private static String number(String record) throws Exception {
        return SalesforceSendEvents.whatsappNumber(JSON.readTree(record));
    }

    private static Exchange exchange(String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
