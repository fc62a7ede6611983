package io.github.wacrm.bridge.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What is known of one WhatsApp call, merged from its events in whatever order they come: its direction, when it was
 * connected, started and ended, how long it lasted, and its status, which only moves forward (RINGING, then ACCEPTED,
 * then an end: COMPLETED, REJECTED, FAILED, ...). A terminate's own status and times win over anything a status
 * event said. Kept as JSON in {@code call_activity.state}.
 */
public final class CallActivity {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> RANK = Map.of("RINGING", 1, "ACCEPTED", 2);

    private String direction;
    private String connectedAt;
    private String startTime;
    private String endTime;
    private Long durationSeconds;
    private String status;
    private boolean ended;
    private boolean recording;
    private boolean transcription;
    private String lastEventAt;

    /** The state as stored, or a new call when there is none. */
    public static CallActivity of(JsonNode stored) {
        CallActivity a = new CallActivity();
        if (stored == null || !stored.isObject()) {
            return a;
        }
        a.direction = text(stored, "direction");
        a.connectedAt = text(stored, "connectedAt");
        a.startTime = text(stored, "startTime");
        a.endTime = text(stored, "endTime");
        a.durationSeconds = stored.path("durationSeconds").canConvertToLong() ? stored.path("durationSeconds").asLong()
                : null;
        a.status = text(stored, "status");
        a.ended = stored.path("ended").asBoolean(false);
        a.recording = stored.path("recording").asBoolean(false);
        a.transcription = stored.path("transcription").asBoolean(false);
        a.lastEventAt = text(stored, "lastEventAt");
        return a;
    }

    /** Merges one event's payload (a CALL fact's), which happened at {@code occurredAt}. */
    public CallActivity merge(JsonNode event, String occurredAt) {
        String kind = text(event, "event");
        if (direction == null) {
            direction = text(event, "direction");
        }
        if ("connect".equals(kind) && (connectedAt == null || before(occurredAt, connectedAt))) {
            connectedAt = occurredAt;
        }
        if ("terminate".equals(kind)) {
            ended = true;
            status = text(event, "status") != null ? text(event, "status") : status != null && !RANK.containsKey(status)
                    ? status : "COMPLETED";
            startTime = text(event, "startTime") != null ? text(event, "startTime") : startTime;
            endTime = text(event, "endTime") != null ? text(event, "endTime") : occurredAt;
            if (event.path("durationSeconds").canConvertToLong()) {
                durationSeconds = event.path("durationSeconds").asLong();
            }
        } else if ("status".equals(kind) && !ended) {
            String next = text(event, "status");
            if (next != null && rank(next) >= rank(status)) {
                status = next;
                ended = !RANK.containsKey(next); // REJECTED, FAILED...: the call is over
            }
        }
        recording |= event.path("recording").asBoolean(false);
        transcription |= event.path("transcription").asBoolean(false);
        if (lastEventAt == null || before(lastEventAt, occurredAt)) {
            lastEventAt = occurredAt;
        }
        return this;
    }

    private static int rank(String status) {
        return status == null ? 0 : RANK.getOrDefault(status, 3);
    }

    private static boolean before(String a, String b) {
        try {
            return Instant.parse(a).isBefore(Instant.parse(b));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    // ---- what the CRMs write ------------------------------------------------------------------------------------

    public boolean inbound() {
        return !"business_initiated".equals(direction);
    }

    public String direction() {
        return direction;
    }

    /** When the call began: its start time, else when it was connected, else its first event. */
    public String beganAt() {
        return startTime != null ? startTime : connectedAt != null ? connectedAt : lastEventAt;
    }

    public String endTime() {
        return endTime;
    }

    /** The call's length: what Meta said, else the time between start and end. */
    public Long durationSeconds() {
        if (durationSeconds != null) {
            return durationSeconds;
        }
        if (startTime != null && endTime != null) {
            return Duration.between(Instant.parse(startTime), Instant.parse(endTime)).toSeconds();
        }
        return null;
    }

    public String status() {
        return status;
    }

    public boolean ended() {
        return ended;
    }

    /** A few lines for the activity's body. */
    public String description() {
        StringBuilder text = new StringBuilder("WhatsApp call, ").append(inbound() ? "from the customer" : "from the business");
        if (beganAt() != null) {
            text.append("\nStarted: ").append(beganAt());
        }
        if (endTime != null) {
            text.append("\nEnded: ").append(endTime);
        }
        if (durationSeconds() != null) {
            text.append("\nDuration: ").append(durationSeconds()).append(" s");
        }
        if (status != null) {
            text.append("\nStatus: ").append(status);
        }
        if (recording) {
            text.append("\nA recording is available in WhatsApp Business Manager.");
        }
        if (transcription) {
            text.append("\nA transcription is available in WhatsApp Business Manager.");
        }
        return text.toString();
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("direction", direction).put("connectedAt", connectedAt).put("startTime", startTime)
                .put("endTime", endTime).put("status", status).put("ended", ended).put("recording", recording)
                .put("transcription", transcription).put("lastEventAt", lastEventAt);
        if (durationSeconds != null) {
            node.put("durationSeconds", durationSeconds);
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
