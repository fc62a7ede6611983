package io.github.wacrm.bridge.state;

import java.sql.Timestamp;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * Camel's JDBC idempotent repository with an atomic add: one {@code INSERT … ON CONFLICT DO NOTHING} on the primary
 * key instead of "count, then insert". Two replicas racing on one key cannot both see it as new: PostgreSQL lets one
 * insert win and the other affects zero rows. The table comes from Flyway ({@code V1__idempotency.sql}).
 */
public class AtomicJdbcMessageIdRepository extends JdbcMessageIdRepository {

    private static final String INSERT_IF_ABSENT = "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) "
            + "VALUES (?, ?, ?) ON CONFLICT (processorName, messageId) DO NOTHING";

    public AtomicJdbcMessageIdRepository(DataSource dataSource, String processorName) {
        super(dataSource, processorName);
        setCreateTableIfNotExists(false);
    }

    @Override
    public boolean add(String key) {
        return getJdbcTemplate().update(INSERT_IF_ABSENT, getProcessorName(), key,
                new Timestamp(System.currentTimeMillis())) == 1;
    }
}
