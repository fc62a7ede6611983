package io.github.wacrm.bridge.intake;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.state.ReplicaPresence;

/**
 * The webhooks the intake refused, counted per minute and reason ({@code bad_signature}, {@code too_large},
 * {@code handshake_refused}) and written to {@code webhook_refusal} once a minute is over: a burst of forged
 * deliveries is one row a minute, not a row per request, and counting costs the intake one map merge. The flush timer
 * ({@code routes/12-webhook-refusal-counts}) writes the completed minutes; stopping writes the rest. A minute the
 * database does not take is kept and written by the next flush.
 */
@Component("webhookRefusals")
public class WebhookRefusals implements DisposableBean {

    public static final String BAD_SIGNATURE = "bad_signature";
    public static final String TOO_LARGE = "too_large";
    public static final String HANDSHAKE_REFUSED = "handshake_refused";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRefusals.class);
    private static final String INSERT = "INSERT INTO webhook_refusal (minute, reason, refusals, replica) VALUES (?, ?, ?, ?)";

    private record Minute(Instant start, String reason) {
    }

    /** Counts not written yet; merge and remove are atomic per minute, so no count lands on a minute being written. */
    private final Map<Minute, Long> counts = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final String replica;
    private final Clock clock;

    @Autowired
    public WebhookRefusals(JdbcTemplate jdbc, ReplicaPresence presence) {
        this(jdbc, presence.replicaId(), Clock.systemUTC());
    }

    WebhookRefusals(JdbcTemplate jdbc, String replica, Clock clock) {
        this.jdbc = jdbc;
        this.replica = replica;
        this.clock = clock;
    }

    /** Counts one refusal of this reason in the current minute. */
    public void refused(String reason) {
        counts.merge(new Minute(minute(clock.instant()), reason), 1L, Long::sum);
    }

    /** Route step of the handshake's refusal (403: wrong verify token). */
    public void handshakeRefused() {
        refused(HANDSHAKE_REFUSED);
    }

    /** Timer step: writes every minute that is over. Answers how many rows it wrote. */
    public int flushCompleted() {
        return flush(minute(clock.instant()));
    }

    /** Writes every minute counted so far, the current one too (at shutdown). */
    public int flushAll() {
        return flush(Instant.MAX);
    }

    private synchronized int flush(Instant before) {
        Map<Minute, Long> taken = new LinkedHashMap<>();
        for (Minute minute : List.copyOf(counts.keySet())) {
            if (minute.start().isBefore(before)) {
                Long count = counts.remove(minute);
                if (count != null) {
                    taken.put(minute, count);
                }
            }
        }
        if (taken.isEmpty()) {
            return 0;
        }
        try {
            jdbc.batchUpdate(INSERT, taken.entrySet().stream().map(count -> new Object[] {
                    Timestamp.from(count.getKey().start()), count.getKey().reason(),
                    (int) Math.min(Integer.MAX_VALUE, count.getValue()), replica}).toList());
            return taken.size();
        } catch (RuntimeException notWritten) {
            // kept for the next flush: a count a replica could not write yet is not a count lost
            taken.forEach((minute, count) -> counts.merge(minute, count, Long::sum));
            throw notWritten;
        }
    }

    /** Counts not written yet (the metrics and tests read it). */
    public long pending() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void destroy() {
        try {
            flushAll();
        } catch (RuntimeException notWritten) {
            LOG.warn("Webhook refusal counts of the last minutes not written at shutdown ({} refusals): {}", pending(),
                    notWritten.getMessage());
        }
    }

    private static Instant minute(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES);
    }
}
