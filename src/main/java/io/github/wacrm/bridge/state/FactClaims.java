package io.github.wacrm.bridge.state;

import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The idempotent consumer's repository (PostgreSQL, {@code camel_messageprocessed}), shared by every replica: Camel's
 * {@code idempotentConsumer} contract, one key per exchange (bean {@code #eventIdempotencyRepository}, for a route of
 * one's own and for tools); the router claims a poll at a time through {@link BatchClaims}, with the same statements
 * ({@link ClaimTable}) and rules. A fact's key is <em>claimed</em> by one exchange, which owns it until it <em>confirms</em> it (a duplicate forever after,
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
    private static final String CONFIRM_ANY = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ?";
    private static final String FORGET = "DELETE FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?";

    private final ClaimTable table;

    public FactClaims(DataSource dataSource, String processorName, String replicaId, long leaseSeconds,
            long replicaTimeoutSeconds, MeterRegistry registry) {
        super(dataSource, processorName);
        this.table = new ClaimTable(getJdbcTemplate(), processorName, replicaId, leaseSeconds, replicaTimeoutSeconds,
                registry);
        setCreateTableIfNotExists(false);
    }

    /** Claims the key for this exchange: true when it now owns it, false when the fact was already processed. */
    @Override
    public boolean add(Exchange exchange, String key) {
        if (table.confirmOwedNow(key)) {
            LOG.info("A fact published before its confirm failed is confirmed now and not published again");
            return false;
        }
        String token = UUID.randomUUID().toString();
        if (table.claim(List.of(key), token).isEmpty()) {
            return false;
        }
        table.owed().released(key);
        exchange.setProperty(CLAIM_TOKEN, token);
        exchange.setProperty(CLAIM_KEY, key);
        return true;
    }

    /**
     * Confirms this exchange's claim (before its offset is committed). A database error is thrown (the claim is kept
     * meanwhile). A claim another replica has taken over is logged and counted: that replica publishes the fact too.
     */
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
            confirmed = table.confirm(List.of(key), token);
        } catch (DataAccessException databaseAway) {
            if (published(exchange)) {
                table.owed().owesConfirm(key, token);
                table.inFlight().remove(token);
            }
            throw databaseAway;
        }
        table.inFlight().remove(token);
        table.owed().confirmed(key);
        exchange.setProperty(CONFIRMED, token);
        if (confirmed == 0) {
            table.claimsLost(1);
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
        table.inFlight().remove(token);
        if (published(exchange)) {
            table.owed().owesConfirm(key, token);
            return false;
        }
        try {
            return table.release(List.of(key), token) == 1;
        } catch (DataAccessException databaseAway) {
            table.owed().owesRelease(key, token);
            throw databaseAway;
        }
    }

    /** One round of settling what this replica owes the database (also run every 5 s in the background). */
    void settleOwed() {
        table.owed().settle();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        table.owed().start();
    }

    @Override
    protected void doStop() throws Exception {
        table.owed().stop();
        super.doStop();
    }

    // The key-only operations are an operator's (tools, a manual repair), never the routes'. They act on the key
    // whoever owns it.

    /** Claims the key for no exchange (a tool's claim): this replica may take it again at once, others after the lease. */
    @Override
    public boolean add(String key) {
        String token = UUID.randomUUID().toString();
        boolean won = !table.claim(List.of(key), token).isEmpty();
        table.inFlight().remove(token);
        return won;
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
        return table.replicaId();
    }

    /** The claims table as this replica writes it: for {@link BatchClaims}, which claims a poll at a time. */
    ClaimTable table() {
        return table;
    }
}
