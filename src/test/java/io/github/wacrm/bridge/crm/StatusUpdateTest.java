package io.github.wacrm.bridge.crm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.event.CanonicalEvent;

class StatusUpdateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFailedStatusCarriesMetasErrorAndItsTimeField() throws Exception {
        StatusUpdate update = StatusUpdate.of(status("wamid.1", """
                {"status":"failed","pricing":{"category":"marketing"},"conversation":{"id":"c-1"},
                 "errors":[{"code":131047,"title":"Re-engagement message"}]}"""));
        assertThat(update.skippedReason()).isNull();
        assertThat(update.failed()).isTrue();
        assertThat(update.timeField()).isEqualTo(CrmRecord.statusTimeField("failed"));
        assertThat(update.failureCode()).isEqualTo(131047);
        assertThat(update.failureTitle()).isEqualTo("Re-engagement message");
        assertThat(update.pricingCategory()).isEqualTo("marketing");
        assertThat(update.conversationId()).isEqualTo("c-1");
    }

    @Test
    void aDeliveredStatusHasNoError() throws Exception {
        StatusUpdate update = StatusUpdate.of(status("wamid.2", """
                {"status":"delivered","errors":[{"code":1,"title":"ignored"}]}"""));
        assertThat(update.failed()).isFalse();
        assertThat(update.timeField()).isEqualTo(CrmRecord.statusTimeField("delivered"));
        assertThat(update.failureCode()).isNull();
        assertThat(update.failureTitle()).isNull();
    }

    @Test
    void aStatusWithoutMessageIdOrOfAnUnkeptStatusIsSkipped() throws Exception {
        assertThat(StatusUpdate.of(status(null, "{\"status\":\"read\"}")).skippedReason()).isEqualTo("no_message_id");
        assertThat(StatusUpdate.of(status("wamid.3", "{\"status\":\"deleted\"}")).skippedReason())
                .isEqualTo("status_not_synced");
    }

    private static CanonicalEvent status(String messageId, String payload) throws Exception {
        CanonicalEvent event = new CanonicalEvent();
        event.messageId = messageId;
        event.payload = (ObjectNode) JSON.readTree(payload);
        return event;
    }
}
