package io.github.wacrm.bridge.state;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The claims table ({@code camel_messageprocessed}) as one replica writes it: the claim statement with its rules
 * (described on {@link FactClaims}), confirm and release by owner, the tokens this replica's exchanges hold, and what
 * it still owes the table after an outage. One key or a whole poll go through the same statements.
 */
final class ClaimTable {

    private static final String CLAIM = "INSERT INTO camel_messageprocessed "
            + "(processorName, messageId, createdAt, confirmed, owner, replica) "
            + "SELECT ?, k, now(), false, ?, ? FROM unnest(?::varchar[]) AS k "
            + "ON CONFLICT (processorName, messageId) DO UPDATE SET createdAt = now(), owner = EXCLUDED.owner, "
            + "replica = EXCLUDED.replica "
            + "WHERE camel_messageprocessed.confirmed = false AND ("
            + "camel_messageprocessed.createdAt < now() - make_interval(secs => ?) "
            + "OR (camel_messageprocessed.replica IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bridge_replica r "
            + "WHERE r.replica_id = camel_messageprocessed.replica AND r.heartbeat_at > now() - make_interval(secs => ?))) "
            // this replica's own claim that none of its exchanges holds any more (its release or its answer was lost)
            + "OR (camel_messageprocessed.replica = ? AND NOT (camel_messageprocessed.owner = ANY(?::varchar[])))) "
            + "RETURNING messageId";
    private static final String STATE = "SELECT messageId, confirmed FROM camel_messageprocessed "
            + "WHERE processorName = ? AND messageId = ANY(?::varchar[])";
    private static final String CONFIRM = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ANY(?::varchar[]) AND owner = ?";
    private static final String RELEASE = "DELETE FROM camel_messageprocessed "
            + "WHERE processorName = ? AND messageId = ANY(?::varchar[]) AND owner = ? AND confirmed = false";
    private static final String CONFIRM_ONE = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ? AND owner = ?";
    private static final String RELEASE_ONE = "DELETE FROM camel_messageprocessed "
            + "WHERE processorName = ? AND messageId = ? AND owner = ? AND confirmed = false";
    /** Keys released by their owner between the claim and the look at their state are claimed again this often. */
    private static final int CLAIM_ROUNDS = 3;

    private final JdbcTemplate jdbc;
    private final String processorName;
    private final String replicaId;
    private final long leaseSeconds;
    private final long replicaTimeoutSeconds;
    /** Confirms of published facts and releases of unpublished ones that failed, settled in the background. */
    private final OwedClaims owed;
    /** Tokens of the claims this replica's exchanges hold right now. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * Held while a claim is made: its token is in {@link #inFlight} before its statement runs, so another exchange of
     * this replica never takes it for a stale claim of its own.
     */
    private final Object claimLock = new Object();
    private final Counter claimsLost;

    ClaimTable(JdbcTemplate jdbc, String processorName, String replicaId, long leaseSeconds, long replicaTimeoutSeconds,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.processorName = processorName;
        this.replicaId = replicaId;
        this.leaseSeconds = leaseSeconds;
        this.replicaTimeoutSeconds = replicaTimeoutSeconds;
        this.owed = new OwedClaims(jdbc, processorName, CONFIRM_ONE, RELEASE_ONE);
        this.claimsLost = Counter.builder("whatsapp.claims.lost")
                .description("Facts whose claim another replica took over before this one confirmed it")
                .register(registry);
    }

    /**
     * Claims {@code keys} for {@code token}: answers the keys won; the others are confirmed facts (duplicates). A key
     * another live owner holds unconfirmed throws {@link FactInProgressException}, after the keys won here are released.
     * While any key is won, the token stays held ({@link #inFlight}) until it is confirmed or released.
     */
    Set<String> claim(Collection<String> keys, String token) {
        Set<String> won = new HashSet<>();
        Set<String> toClaim = new LinkedHashSet<>(keys);
        for (int round = 0; round < CLAIM_ROUNDS && !toClaim.isEmpty(); round++) {
            won.addAll(claimOnce(toClaim, token));
            toClaim.removeAll(won);
            Set<String> released = new LinkedHashSet<>();
            Map<String, Boolean> states = states(toClaim);
            for (String key : toClaim) {
                Boolean confirmed = states.get(key);
                if (confirmed == null) {
                    released.add(key); // released between the two statements: claimed again
                } else if (!confirmed) {
                    giveUp(won, token);
                    throw new FactInProgressException(key);
                }
            }
            toClaim = released;
        }
        if (!toClaim.isEmpty()) {
            // released again and again by their owners: in progress elsewhere
            giveUp(won, token);
            throw new FactInProgressException(toClaim.iterator().next());
        }
        if (won.isEmpty()) {
            inFlight.remove(token);
        }
        return won;
    }

    private Set<String> claimOnce(Collection<String> keys, String token) {
        Set<String> won = new HashSet<>();
        synchronized (claimLock) {
            inFlight.add(token);
            Set<String> held = new HashSet<>(inFlight);
            held.addAll(owed.unconfirmedTokens());
            jdbc.execute((Connection c) -> {
                try (var ps = c.prepareStatement(CLAIM)) {
                    ps.setString(1, processorName);
                    ps.setString(2, token);
                    ps.setString(3, replicaId);
                    ps.setArray(4, c.createArrayOf("varchar", keys.toArray()));
                    ps.setLong(5, leaseSeconds);
                    ps.setLong(6, replicaTimeoutSeconds);
                    ps.setString(7, replicaId);
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
        return won;
    }

    private void giveUp(Set<String> won, String token) {
        try {
            release(won, token);
        } finally {
            inFlight.remove(token);
        }
    }

    /** Key → confirmed, for the keys that have a row. */
    private Map<String, Boolean> states(Collection<String> keys) {
        Map<String, Boolean> states = new HashMap<>();
        if (!keys.isEmpty()) {
            jdbc.query(keysStatement(STATE, keys, null), rs -> {
                states.put(rs.getString(1), rs.getBoolean(2));
            });
        }
        return states;
    }

    /** Confirms the token's claims of {@code keys}: answers how many it still owned. */
    int confirm(Collection<String> keys, String token) {
        return keys.isEmpty() ? 0 : jdbc.update(keysStatement(CONFIRM, keys, token));
    }

    /** Releases the token's unconfirmed claims of {@code keys}: answers how many it still owned. */
    int release(Collection<String> keys, String token) {
        return keys.isEmpty() ? 0 : jdbc.update(keysStatement(RELEASE, keys, token));
    }

    /**
     * A fact published before its confirm failed: confirmed now with the claim's token. True when it was (a duplicate:
     * not published again); false when nothing was owed or the claim has moved on.
     */
    boolean confirmOwedNow(String key) {
        String pending = owed.confirmOwed(key);
        if (pending == null) {
            return false;
        }
        int confirmed = jdbc.update(CONFIRM_ONE, processorName, key, pending);
        owed.confirmed(key);
        return confirmed == 1;
    }

    /** A statement on the processor's keys (an array made on the statement's own connection), and the owner. */
    private PreparedStatementCreator keysStatement(String sql, Collection<String> keys, String owner) {
        List<String> list = new ArrayList<>(keys);
        return c -> {
            var ps = c.prepareStatement(sql);
            ps.setString(1, processorName);
            ps.setArray(2, c.createArrayOf("varchar", list.toArray()));
            if (owner != null) {
                ps.setString(3, owner);
            }
            return ps;
        };
    }

    Set<String> inFlight() {
        return inFlight;
    }

    OwedClaims owed() {
        return owed;
    }

    void claimsLost(int count) {
        claimsLost.increment(count);
    }

    String replicaId() {
        return replicaId;
    }
}
