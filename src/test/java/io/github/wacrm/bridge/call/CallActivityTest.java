package io.github.wacrm.bridge.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A call's state merged from its events, in whatever order they come; its status never goes back. */
class CallActivityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONNECT = "{\"event\":\"connect\",\"direction\":\"user_initiated\"}";
    private static final String RINGING = "{\"event\":\"status\",\"status\":\"RINGING\"}";
    private static final String ACCEPTED = "{\"event\":\"status\",\"status\":\"ACCEPTED\"}";
    private static final String TERMINATE = "{\"event\":\"terminate\",\"direction\":\"user_initiated\",\"status\":"
            + "\"COMPLETED\",\"startTime\":\"2024-11-22T10:06:45Z\",\"endTime\":\"2024-11-22T10:08:45Z\","
            + "\"durationSeconds\":120}";

    @Test
    void eventsInOrderEndAsOneCompletedCall() throws Exception {
        CallActivity call = CallActivity.of(null).merge(json(CONNECT), "2024-11-22T10:06:40Z")
                .merge(json(RINGING), "2024-11-22T10:06:41Z").merge(json(ACCEPTED), "2024-11-22T10:06:45Z")
                .merge(json(TERMINATE), "2024-11-22T10:08:45Z");
        assertThat(call.status()).isEqualTo("COMPLETED");
        assertThat(call.ended()).isTrue();
        assertThat(call.inbound()).isTrue();
        assertThat(call.beganAt()).isEqualTo("2024-11-22T10:06:45Z");
        assertThat(call.durationSeconds()).isEqualTo(120);
    }

    @Test
    void aStatusOrConnectAfterTheEndChangesNothingAndTheStoredStateMergesTheSame() throws Exception {
        CallActivity ended = CallActivity.of(null).merge(json(TERMINATE), "2024-11-22T10:08:45Z");
        CallActivity stored = CallActivity.of(ended.toJson()).merge(json(RINGING), "2024-11-22T10:06:41Z")
                .merge(json(CONNECT), "2024-11-22T10:06:40Z");
        assertThat(stored.status()).isEqualTo("COMPLETED");
        assertThat(stored.ended()).isTrue();
        assertThat(stored.durationSeconds()).isEqualTo(120);
        assertThat(stored.beganAt()).isEqualTo("2024-11-22T10:06:45Z");
    }

    @Test
    void aStatusNeverGoesBackAndARejectionEndsTheCall() throws Exception {
        CallActivity call = CallActivity.of(null).merge(json(ACCEPTED), "2024-11-22T10:06:45Z")
                .merge(json(RINGING), "2024-11-22T10:06:41Z");
        assertThat(call.status()).isEqualTo("ACCEPTED");
        assertThat(call.ended()).isFalse();

        CallActivity rejected = CallActivity.of(null).merge(json("{\"event\":\"status\",\"status\":\"REJECTED\"}"),
                "2024-11-22T10:06:45Z").merge(json(RINGING), "2024-11-22T10:06:41Z");
        assertThat(rejected.status()).isEqualTo("REJECTED");
        assertThat(rejected.ended()).isTrue();
    }

    @Test
    void aBusinessCallIsOutboundAndADurationIsComputedWhenMetaSendsNone() throws Exception {
        CallActivity call = CallActivity.of(null)
                .merge(json("{\"event\":\"connect\",\"direction\":\"business_initiated\"}"), "2024-11-22T10:00:00Z")
                .merge(json("{\"event\":\"terminate\",\"startTime\":\"2024-11-22T10:00:05Z\",\"endTime\":"
                        + "\"2024-11-22T10:01:05Z\"}"), "2024-11-22T10:01:05Z");
        assertThat(call.inbound()).isFalse();
        assertThat(call.status()).isEqualTo("COMPLETED");
        assertThat(call.durationSeconds()).isEqualTo(60);
        assertThat(call.description()).contains("from the business").contains("Duration: 60 s");
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
