package io.github.wacrm.bridge.state;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.observability.BridgeMetrics;

/**
 * The idempotent consumer of the router, a poll at a time: every key of the poll is claimed in one statement
 * ({@code INSERT … SELECT unnest(…) ON CONFLICT … RETURNING}), with the rules of {@link FactClaims} (same table, same
 * lease, same take-over of a dead replica's claims), and confirmed in one statement after the poll's facts are on
 * their topic. The poll's claims share one token. A fact seen twice in one poll passes once.
 * <ul>
 *   <li>A key another live owner holds unconfirmed fails the poll with {@link FactInProgressException} (retried),
 *       after this poll's own claims are released.</li>
 *   <li>Claims are released when the exchange fails before its facts were published ({@link #release}, also called by
 *       the route before it processes the poll record by record); a published poll's claims are kept and confirmed
 *       later (owed), never released.</li>
 * </ul>
 */
@Component("batchClaims")
public class BatchClaims {

    /** Exchange property: the keys this exchange's token claimed. */
    static final String CLAIMED_KEYS = "whatsappFactClaimKeys";

    private static final Logger LOG = LoggerFactory.getLogger(BatchClaims.class);
    private static final String CLAIM = "INSERT INTO camel_messageprocessed "
            + "(processorName, messageId, createdAt, confirmed, owner, replica) "
            + "SELECT ?, k, now(), false, ?, ? FROM unnest(?::varchar[]) AS k " + FactClaims.claimConditions();
    private static final String STATE = "SELECT messageId, confirmed FROM camel_messageprocessed "
            + "WHERE processorName = ? AND messageId = ANY(?::varchar[])";
    private static final String CONFIRM = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ANY(?::varchar[]) AND owner = ?";
    private static final String CONFIRM_ONE = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ? AND owner = ?";
    private static final String RELEASE = "DELETE FROM camel_messageprocessed "
            + "WHERE processorName = ? AND messageId = ANY(?::varchar[]) AND owner = ? AND confirmed = false";

    private final FactClaims claims;
    private final JdbcTemplate jdbc;
    private final BridgeMetrics metrics;

    public BatchClaims(FactClaims eventIdempotencyRepository, BridgeMetrics metrics) {
        this.claims = eventIdempotencyRepository;
        this.jdbc = eventIdempotencyRepository.getJdbcTemplate();
        this.metrics = metrics;
    }

    /**
     * Route step. Body: the poll's events, in order. Answers the new ones (in order), each key now claimed by this
     * exchange; duplicates are counted and left out.
     */
    public List<CanonicalEvent> claim(Exchange exchange, List<CanonicalEvent> events) {
        // the work tried again on the same exchange: its earlier claims go first (or are owed a confirm, if published)
        release(exchange);
        Map<String, CanonicalEvent> first = new java.util.LinkedHashMap<>();
        for (CanonicalEvent event : events) {
            if (first.putIfAbsent(event.dedupKey, event) != null) {
                metrics.duplicate(event);
            }
        }
        Set<String> keys = new LinkedHashSet<>(first.keySet());
        keys.removeIf(this::confirmedNowIfOwed);
        String token = UUID.randomUUID().toString();
        Set<String> won = keys.isEmpty() ? Set.of() : claimAll(keys, token, 0);
        if (!won.isEmpty()) {
            exchange.setProperty(FactClaims.CLAIM_TOKEN, token);
            exchange.setProperty(CLAIMED_KEYS, List.copyOf(won));
            won.forEach(claims.owed()::released);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onFailure(Exchange failed) {
                    release(failed);
                }

                @Override
                public void onComplete(Exchange done) {
                    // a failure an error handler handled (the record dead-lettered): released, so a replay gets through
                    if (ExchangeHelper.isFailureHandled(done)) {
                        release(done);
                    }
                }
            });
        }
        List<CanonicalEvent> fresh = new ArrayList<>(won.size());
        for (Map.Entry<String, CanonicalEvent> entry : first.entrySet()) {
            if (won.contains(entry.getKey())) {
                fresh.add(entry.getValue());
            } else {
                metrics.duplicate(entry.getValue());
            }
        }
        return fresh;
    }

    /** A fact published before its confirm failed: confirmed now, and a duplicate (not published again). */
    private boolean confirmedNowIfOwed(String key) {
        String pending = claims.owed().confirmOwed(key);
        if (pending == null) {
            return false;
        }
        int confirmed = jdbc.update(CONFIRM_ONE, claims.getProcessorName(), key, pending);
        claims.owed().confirmed(key);
        if (confirmed == 1) {
            LOG.info("A fact published before its confirm failed is confirmed now and not published again");
            return true;
        }
        return false;
    }

    private Set<String> claimAll(Set<String> keys, String token, int round) {
        Set<String> won = new java.util.HashSet<>();
        synchronized (claims.claimLock()) {
            claims.inFlight().add(token);
            Set<String> held = claims.held(token);
            jdbc.execute((Connection c) -> {
                try (var ps = c.prepareStatement(CLAIM)) {
                    ps.setString(1, claims.getProcessorName());
                    ps.setString(2, token);
                    ps.setString(3, claims.replicaId());
                    ps.setArray(4, c.createArrayOf("varchar", keys.toArray()));
                    ps.setLong(5, claims.leaseSeconds());
                    ps.setLong(6, claims.replicaTimeoutSeconds());
                    ps.setString(7, claims.replicaId());
                    ps.setArray(8, c.createArrayOf("varchar", held.toArray()));
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            won.add(rs.getString(1));
                        }
                    }
                }
                return null;
            });
        }
        List<String> lost = keys.stream().filter(k -> !won.contains(k)).toList();
        if (lost.isEmpty()) {
            return won;
        }
        Map<String, Boolean> state = new HashMap<>();
        jdbc.query(keysStatement(STATE, lost, null), rs -> {
            state.put(rs.getString(1), rs.getBoolean(2));
        });
        Set<String> released = new LinkedHashSet<>();
        for (String key : lost) {
            Boolean confirmed = state.get(key);
            if (confirmed == null) {
                released.add(key); // released between the two statements: claimed again below
            } else if (!confirmed) {
                releaseKeys(won, token);
                claims.inFlight().remove(token);
                throw new FactInProgressException(key);
            }
        }
        if (!released.isEmpty() && round < 3) {
            won.addAll(claimAll(released, token, round + 1));
        }
        if (won.isEmpty()) {
            claims.inFlight().remove(token);
        }
        return won;
    }

    /**
     * Route step after the poll's facts are on their topics, before the offsets are committed: confirms the poll's
     * claims. A database error is thrown (the route retries; the claims are kept and owed meanwhile).
     */
    public void confirm(Exchange exchange) {
        List<String> keys = claimed(exchange);
        String token = exchange.getProperty(FactClaims.CLAIM_TOKEN, String.class);
        if (keys.isEmpty() || token == null) {
            return;
        }
        int confirmed;
        try {
            confirmed = jdbc.update(keysStatement(CONFIRM, keys, token));
        } catch (DataAccessException databaseAway) {
            keys.forEach(key -> claims.owed().owesConfirm(key, token));
            claims.inFlight().remove(token);
            throw databaseAway;
        }
        claims.inFlight().remove(token);
        keys.forEach(claims.owed()::confirmed);
        exchange.removeProperty(CLAIMED_KEYS);
        if (confirmed < keys.size()) {
            claims.claimsLost(keys.size() - confirmed);
            LOG.error("{} of {} claims were taken over by another replica before this one confirmed them; those facts "
                    + "may reach their topic twice (the CRM writes are upserts)", keys.size() - confirmed, keys.size());
        }
    }

    /**
     * Releases the exchange's claims, unless its facts were published (then they are kept, owed a confirm). Called
     * when the exchange fails, and by the route before a failed poll is processed record by record.
     */
    public void release(Exchange exchange) {
        List<String> keys = claimed(exchange);
        String token = exchange.getProperty(FactClaims.CLAIM_TOKEN, String.class);
        exchange.removeProperty(CLAIMED_KEYS);
        if (keys.isEmpty() || token == null) {
            return;
        }
        claims.inFlight().remove(token);
        if (exchange.getProperty(FactClaims.PUBLISHED, false, Boolean.class)) {
            keys.forEach(key -> claims.owed().owesConfirm(key, token));
            return;
        }
        try {
            releaseKeys(keys, token);
        } catch (DataAccessException databaseAway) {
            keys.forEach(key -> claims.owed().owesRelease(key, token));
            LOG.warn("The claims of a failed poll could not be released now ({}); released in the background",
                    databaseAway.getClass().getSimpleName());
        }
    }

    private void releaseKeys(java.util.Collection<String> keys, String token) {
        if (!keys.isEmpty()) {
            jdbc.update(keysStatement(RELEASE, List.copyOf(keys), token));
        }
    }

    /** A statement on the processor's keys (an array made on the statement's own connection), and the owner. */
    private PreparedStatementCreator keysStatement(String sql, List<String> keys, String owner) {
        return c -> {
            var ps = c.prepareStatement(sql);
            ps.setString(1, claims.getProcessorName());
            ps.setArray(2, c.createArrayOf("varchar", keys.toArray()));
            if (owner != null) {
                ps.setString(3, owner);
            }
            return ps;
        };
    }

    @SuppressWarnings("unchecked")
    private static List<String> claimed(Exchange exchange) {
        List<String> keys = exchange.getProperty(CLAIMED_KEYS, List.class);
        return keys == null ? List.of() : keys;
    }
}
