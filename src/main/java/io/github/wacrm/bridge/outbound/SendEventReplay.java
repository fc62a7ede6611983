package io.github.wacrm.bridge.outbound;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where the Salesforce send-event subscription resumes ({@code routes/65-salesforce-send-events}). The replay id of an
 * event is stored in PostgreSQL ({@code pubsub_replay}) only once its outbound request is on the requests topic, and at
 * start the route's endpoint reads it through the property function {@code send-replay}:
 * {@code {{send-replay:preset}}} is {@code CUSTOM} when a replay id is stored (else {@code start-at}: LATEST or
 * EARLIEST) and {@code {{send-replay:id}}} that replay id. So a restart neither loses an event (it resumes after the
 * last one stored) nor repeats a send (an event read twice is the same request: its id is the idempotency key).
 */
@Component("sendEventReplay")
public class SendEventReplay implements PropertiesFunction, CamelContextConfiguration {

    private final JdbcTemplate jdbc;
    /** This pod's events not yet kept, in stream order: replay id → done. */
    private final java.util.LinkedHashMap<String, Boolean> inFlight = new java.util.LinkedHashMap<>();
    private final String topic;
    private final String startAt;
    /** Set when Salesforce refused the stored position: the next start is from the oldest event it keeps. */
    private volatile boolean fromEarliest;

    public SendEventReplay(JdbcTemplate jdbc,
            @Value("${whatsapp.outbound.salesforce-events.topic:/event/WhatsApp_Send__e}") String topic,
            @Value("${whatsapp.outbound.salesforce-events.start-at:LATEST}") String startAt) {
        this.jdbc = jdbc;
        this.topic = topic;
        this.startAt = startAt.trim().toUpperCase(java.util.Locale.ROOT);
        if (!this.startAt.equals("LATEST") && !this.startAt.equals("EARLIEST")) {
            throw new IllegalArgumentException("whatsapp.outbound.salesforce-events.start-at is LATEST or EARLIEST, not "
                    + startAt);
        }
    }

    @Override
    public String getName() {
        return "send-replay";
    }

    /** {@code preset} or {@code id}, as the subscription's endpoint takes them. */
    @Override
    public String apply(String what) {
        String stored = stored();
        return switch (what) {
            case "preset" -> stored != null ? "CUSTOM" : fromEarliest ? "EARLIEST" : startAt;
            case "id" -> stored != null ? stored : "";
            default -> throw new IllegalArgumentException("send-replay:" + what + " is send-replay:preset or "
                    + "send-replay:id");
        };
    }

    /** The topic whose position is kept. */
    public String topic() {
        return topic;
    }

    /**
     * Salesforce no longer keeps the stored position ({@link ReplayIdRecovery}): it is forgotten, and the
     * subscription's next start is from the oldest event kept, whatever {@code start-at} says.
     */
    public void startFromEarliest() {
        fromEarliest = true;
        jdbc.update("DELETE FROM pubsub_replay WHERE topic = ?", topic);
        synchronized (inFlight) {
            inFlight.clear();
        }
    }

    /** The stored replay id of the topic (base64, as camel-salesforce gives it), or null. */
    public String stored() {
        List<String> ids = jdbc.queryForList("SELECT replay_id FROM pubsub_replay WHERE topic = ?", String.class, topic);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Route step, first for every event: its replay id joins this pod's events in stream order. camel-salesforce does
     * not wait for one event's exchange to finish before it hands over the next, so they may finish in any order: only
     * the end of the run of finished events is ever kept.
     */
    public void begin(Exchange exchange) {
        String replayId = exchange.getProperty("pubSubReplayId", String.class);
        if (replayId != null) {
            synchronized (inFlight) {
                inFlight.put(replayId, Boolean.FALSE);
            }
        }
    }

    /**
     * Route step, after the event's request is on its topic (or was refused and recorded): the event is done, and the
     * replay id of the last event before which every event is done is kept. An event that never finishes (an outage
     * retried, a failure) holds the kept position before it: after a restart it is read again, never skipped. The
     * route keeps the event's headers as the properties {@code pubSubReplayId} and {@code pubSubEventId} (the Kafka
     * step drops headers).
     */
    public void store(Exchange exchange) {
        String replayId = exchange.getProperty("pubSubReplayId", String.class);
        if (replayId == null) {
            return;
        }
        String keep = null;
        synchronized (inFlight) {
            inFlight.replace(replayId, Boolean.TRUE);
            var events = inFlight.entrySet().iterator();
            while (events.hasNext()) {
                var event = events.next();
                if (!event.getValue()) {
                    break;
                }
                keep = event.getKey();
                events.remove();
            }
        }
        if (keep != null) {
            String eventId = keep.equals(replayId) ? exchange.getProperty("pubSubEventId", String.class) : null;
            jdbc.update("INSERT INTO pubsub_replay (topic, replay_id, event_id) VALUES (?, ?, ?) ON CONFLICT (topic) DO "
                    + "UPDATE SET replay_id = EXCLUDED.replay_id, event_id = EXCLUDED.event_id, updated_at = now()",
                    topic, keep, eventId);
        }
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        context.getPropertiesComponent().addPropertiesFunction(this);
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        // nothing: the function is read when the route's endpoint is made
    }
}
