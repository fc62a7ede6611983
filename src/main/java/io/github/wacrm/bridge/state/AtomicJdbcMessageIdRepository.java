package io.github.wacrm.bridge.state;

import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * Camel's JDBC idempotent repository, made safe for several replicas and for a database that goes away mid-fact.
 * <ul>
 *   <li>{@link #add} claims a key with one {@code INSERT … ON CONFLICT} on the primary key: two replicas racing on
 *       one key cannot both win (Camel's stock "count, then insert" lets them).</li>
 *   <li>{@link #confirm} marks the claim done when the route completed. A confirmed key is a duplicate forever
 *       after (until the retention purge).</li>
 *   <li>A claim that is neither confirmed nor released (the route failed while PostgreSQL itself was away, so Camel
 *       could not remove it) is not a duplicate: while its lease runs, {@link #add} throws
 *       {@link FactInProgressException} so the consumer retries; after the lease, the retry takes the claim over.</li>
 * </ul>
 * The table comes from Flyway ({@code V1__idempotency.sql}, {@code V4__idempotency_confirmation.sql}).
 */
public class AtomicJdbcMessageIdRepository extends JdbcMessageIdRepository {

    private static final String CLAIM = "INSERT INTO camel_messageprocessed (processorName, messageId, createdAt, confirmed) "
            + "VALUES (?, ?, now(), false) "
            + "ON CONFLICT (processorName, messageId) DO UPDATE SET createdAt = now() "
            + "WHERE camel_messageprocessed.confirmed = false "
            + "AND camel_messageprocessed.createdAt < now() - make_interval(secs => ?) "
            + "RETURNING messageId";
    private static final String STATE = "SELECT confirmed FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?";
    private static final String CONFIRM = "UPDATE camel_messageprocessed SET confirmed = true "
            + "WHERE processorName = ? AND messageId = ?";

    private final long leaseSeconds;

    public AtomicJdbcMessageIdRepository(DataSource dataSource, String processorName, long leaseSeconds) {
        super(dataSource, processorName);
        this.leaseSeconds = leaseSeconds;
        setCreateTableIfNotExists(false);
    }

    /** Claims the key: true when this caller now owns it, false when the fact was already processed. */
    @Override
    public boolean add(String key) {
        List<String> claimed = getJdbcTemplate().queryForList(CLAIM, String.class, getProcessorName(), key, leaseSeconds);
        if (!claimed.isEmpty()) {
            return true;
        }
        List<Boolean> confirmed = getJdbcTemplate().queryForList(STATE, Boolean.class, getProcessorName(), key);
        if (confirmed.isEmpty()) {
            // released between the two statements: claim again
            return add(key);
        }
        if (Boolean.TRUE.equals(confirmed.get(0))) {
            return false;
        }
        throw new FactInProgressException(key);
    }

    @Override
    public boolean confirm(String key) {
        return getJdbcTemplate().update(CONFIRM, getProcessorName(), key) == 1;
    }
}
