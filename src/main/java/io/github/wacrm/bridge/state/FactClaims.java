package io.github.wacrm.bridge.state;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The idempotent consumer's repository (PostgreSQL, {@code camel_messageprocessed}), shared by every replica. A fact's
 * key is <em>claimed</em> by one exchange, which owns it until it <em>confirms</em> it (a duplicate forever after,
 * until the retention purge) or <em>releases</em> it (the fact failed before it was published).
 * <ul>
 *   <li>{@link #add(Exchange, String)} claims with one {@code INSERT … ON CONFLICT}: two replicas racing on one key
 *       cannot both win. The claim carries a token of its own (exchange property {@link #CLAIM_TOKEN}) and this
 *       replica's id.</li>
 *   <li>An unconfirmed claim of another owner is not a duplicate: {@link FactInProgressException}, the consumer
 *       retries. It is taken over only when its lease has run out (longer than a consumer's poll interval plus the
 *       producer's delivery timeout, so a stalled owner is never overtaken while it can still publish) or its replica
 *       has stopped beating ({@link ReplicaPresence}).</li>
 *   <li>Confirm and release touch only the owner's row ({@code WHERE owner = ?}): a failing duplicate, or an owner
 *       that lost its claim, never deletes the row of the replica that did the work.</li>
 *   <li>A fact that was published is never released: if its confirm fails (the database away), the claim is kept
 *       and remembered, the route retries the confirm, and when the record comes again this replica confirms it then
 *       and answers "duplicate" — it is not published a second time. What this replica still owes (confirms, and the
 *       releases of unpublished facts) is also settled in the background every 5 s.</li>
 *   <li>This replica's own claim that none of its exchanges holds any more (its release failed, or the claim's answer
 *       was lost with the connection) is taken again at once, not after the lease.</li>
 * </ul>
 * The table comes from Flyway ({@code V1}, {@code V4}, {@code V7}).
 */
public class FactClaims extends JdbcMessageIdRepository {

    /** Exchange property: the token of the claim this exchange won. */
    public static final String CLAIM_TOKEN = "whatsappFactClaim";
    /** Exchange property: the key of the claim this exchange won. */
    public static final String CLAIM_KEY = "whatsappFactClaimKey";
    /** Exchange property set once the fact is on its topic: from then on its claim is never released. */
    public static final String PUBLISHED = "whatsappFactPublished";
    private static final String CONFIRMED = "whatsappFactClaimConfirmed";

    private static final Logger LOG = LoggerFactory.getLogger(FactClaims.class);
    private static final String CLAIM = "INSERT INTO camel_messageprocessed "
            + "(processorName, messageId, createdAt, confirmed, owner, replica) VALUES (?, ?, now(), false, ?, ?) "
            + "ON CONFLICT (processorName, messageId) DO UPDATE SET createdAt = now(), owner = EXCLUDED.owner, "
            + "replica = EXCLUDED.replica "
            + "WHERE camel_messageprocessed.confirmed = false AND ("
            + "camel_messageprocessed.createdAt < now() - make_interval(secs => ?) "
            + "OR (camel_messageprocessed.replica IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bridge_replica r "
            + "WHERE r.replica_id = camel_messageprocessed.replica AND r.heartbeat_at > now() - make_interval(secs => ?))) "
            // this replica's own claim that none of its exchanges holds any more (its release or its answer was lost)
            + "OR (camel_messageprocessed.replica = ? AND NOT (camel_messageprocessed.owner = ANY(?::varchar[])))) "
            + "RETURNING messageId";
    private static final String STATE = "SELECT confirmed FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?";
    private static final String CONFIRM = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ? AND owner = ?";
    private static final String CONFIRM_ANY = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ?";
    private static final String FORGET = "DELETE FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?";
    private static final String RELEASE = "DELETE FROM camel_messageprocessed "
            + "WHERE processorName = ? AND messageId = ? AND owner = ? AND confirmed = false";

    private final String replicaId;
    private final long leaseSeconds;
    private final long replicaTimeoutSeconds;
    /** Confirms of published facts and releases of unpublished ones that failed, settled in the background. */
    private final OwedClaims owed;
    /** Tokens of the claims this replica's exchanges hold right now. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * Held while a claim is made (one key or a batch's): the claim's token is in {@link #inFlight} before its statement
     * runs, so another exchange of this replica never takes it for a stale claim of its own.
     */
    private final Object claimLock = new Object();
    private final Counter claimsLost;

    public FactClaims(DataSource dataSource, String processorName, String replicaId, long leaseSeconds,
            long replicaTimeoutSeconds, MeterRegistry registry) {
        super(dataSource, processorName);
        this.replicaId = replicaId;
        this.leaseSeconds = leaseSeconds;
        this.replicaTimeoutSeconds = replicaTimeoutSeconds;
        this.claimsLost = Counter.builder("whatsapp.claims.lost")
                .description("Facts whose claim another replica took over before this one confirmed it")
                .register(registry);
        this.owed = new OwedClaims(new org.springframework.jdbc.core.JdbcTemplate(dataSource), processorName, CONFIRM, RELEASE);
        setCreateTableIfNotExists(false);
    }

    /** Claims the key for this exchange: true when it now owns it, false when the fact was already processed. */
    @Override
    public boolean add(Exchange exchange, String key) {
        String pending = owed.confirmOwed(key);
        if (pending != null) {
            int confirmed = getJdbcTemplate().update(CONFIRM, getProcessorName(), key, pending);
            owed.confirmed(key);
            if (confirmed == 1) {
                LOG.info("A fact published before its confirm failed is confirmed now and not published again");
                return false;
            }
        }
        String token = UUID.randomUUID().toString();
        boolean won = false;
        // one claim at a time in this replica, its token held before it is made: another exchange of this replica
        // then never takes it for a stale one
        synchronized (claimLock) {
            inFlight.add(token);
            try {
                won = claim(key, token);
            } finally {
                if (!won) {
                    inFlight.remove(token);
                }
            }
        }
        if (won) {
            owed.released(key);
            exchange.setProperty(CLAIM_TOKEN, token);
            exchange.setProperty(CLAIM_KEY, key);
            return true;
        }
        return false;
    }

    /** The tokens this replica holds: its exchanges' claims and those it still owes a confirm. */
    Set<String> held(String token) {
        Set<String> held = new java.util.HashSet<>(inFlight);
        held.addAll(owed.unconfirmedTokens());
        held.add(token);
        return held;
    }

    private boolean claim(String key, String token) {
        Set<String> held = held(token);
        List<String> claimed = getJdbcTemplate().execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(CLAIM)) {
                ps.setString(1, getProcessorName());
                ps.setString(2, key);
                ps.setString(3, token);
                ps.setString(4, replicaId);
                ps.setLong(5, leaseSeconds);
                ps.setLong(6, replicaTimeoutSeconds);
                ps.setString(7, replicaId);
                ps.setArray(8, c.createArrayOf("varchar", held.toArray()));
                List<String> rows = new java.util.ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                return rows;
            }
        });
        if (!claimed.isEmpty()) {
            return true;
        }
        List<Boolean> confirmed = getJdbcTemplate().queryForList(STATE, Boolean.class, getProcessorName(), key);
        if (confirmed.isEmpty()) {
            // released between the two statements: claim again
            return claim(key, token);
        }
        if (Boolean.TRUE.equals(confirmed.get(0))) {
            return false;
        }
        throw new FactInProgressException(key);
    }

    /**
     * Route step after the fact's work, before its offset is committed: confirms this exchange's claim. A database
     * error is thrown (the route retries this step; the claim is kept meanwhile). A claim another replica has taken
     * over is logged and counted: that replica publishes the fact too.
     */
    public void confirmClaim(Exchange exchange) {
        String key = exchange.getProperty(CLAIM_KEY, String.class);
        if (key != null) {
            confirm(exchange, key);
        }
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        String token = exchange.getProperty(CLAIM_TOKEN, String.class);
        if (token == null) {
            // a duplicate: this exchange owns no claim
            return true;
        }
        if (token.equals(exchange.getProperty(CONFIRMED))) {
            return true;
        }
        int confirmed;
        try {
            confirmed = getJdbcTemplate().update(CONFIRM, getProcessorName(), key, token);
        } catch (DataAccessException databaseAway) {
            if (published(exchange)) {
                owed.owesConfirm(key, token);
                inFlight.remove(token);
            }
            throw databaseAway;
        }
        inFlight.remove(token);
        owed.confirmed(key);
        exchange.setProperty(CONFIRMED, token);
        if (confirmed == 0) {
            claimsLost.increment();
            LOG.error("The claim of fact {} was taken over by another replica before this one confirmed it; "
                    + "the fact may reach its topic twice (the CRM writes are upserts)", key);
            return false;
        }
        return true;
    }

    /** Releases this exchange's own claim, unless its fact was published (then it is kept for the confirm). */
    @Override
    public boolean remove(Exchange exchange, String key) {
        String token = exchange.getProperty(CLAIM_TOKEN, String.class);
        if (token == null || token.equals(exchange.getProperty(CONFIRMED))) {
            return false;
        }
        inFlight.remove(token);
        if (published(exchange)) {
            owed.owesConfirm(key, token);
            return false;
        }
        try {
            return getJdbcTemplate().update(RELEASE, getProcessorName(), key, token) == 1;
        } catch (DataAccessException databaseAway) {
            owed.owesRelease(key, token);
            throw databaseAway;
        }
    }

    /** One round of settling what this replica owes the database (also run every 5 s in the background). */
    void settleOwed() {
        owed.settle();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        owed.start();
    }

    @Override
    protected void doStop() throws Exception {
        owed.stop();
        super.doStop();
    }

    // The key-only operations are an operator's (tools, a manual repair), never the routes': Camel's idempotent
    // consumer always calls the exchange ones above. They act on the key whoever owns it.

    /** Claims the key for no exchange (a tool's claim): this replica may take it again at once, others after the lease. */
    @Override
    public boolean add(String key) {
        return claim(key, UUID.randomUUID().toString());
    }

    /** Marks the key's fact as processed, whoever claimed it. */
    @Override
    public boolean confirm(String key) {
        return getJdbcTemplate().update(CONFIRM_ANY, getProcessorName(), key) == 1;
    }

    /** Forgets the key, confirmed or not, so the fact is let through again (a replay of a fact written wrongly). */
    @Override
    public boolean remove(String key) {
        return getJdbcTemplate().update(FORGET, getProcessorName(), key) == 1;
    }

    private static boolean published(Exchange exchange) {
        return exchange.getProperty(PUBLISHED, false, Boolean.class);
    }

    public String replicaId() {
        return replicaId;
    }

    // ---- for BatchClaims, which claims a whole poll in one statement with the same rules ----

    static String claimConditions() {
        return CLAIM.substring(CLAIM.indexOf("ON CONFLICT"));
    }

    Object claimLock() {
        return claimLock;
    }

    Set<String> inFlight() {
        return inFlight;
    }

    OwedClaims owed() {
        return owed;
    }

    long leaseSeconds() {
        return leaseSeconds;
    }

    long replicaTimeoutSeconds() {
        return replicaTimeoutSeconds;
    }

    void claimsLost(int count) {
        claimsLost.increment(count);
    }
}
