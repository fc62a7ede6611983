package io.github.wacrm.bridge.outbound;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What Meta says of the business, as gauges for the alerts (PostgreSQL, shared by the replicas: alert on {@code max}):
 * {@code whatsapp_business_numbers_flagged}, the business numbers whose latest quality event is {@code FLAGGED} or
 * whose Graph API rating is {@code RED}; {@code whatsapp_templates_paused}, the templates whose latest status is
 * {@code PAUSED} or {@code DISABLED}. Counted at most once per {@value #FRESH_FOR_MS} ms, whatever the scrape rate; a
 * database away keeps the last count.
 */
@Component
public class BusinessStateGauges {

    static final long FRESH_FOR_MS = 30_000;
    static final String FLAGGED = "SELECT count(*) FROM business_number_state WHERE quality_event = 'FLAGGED' "
            + "OR quality_rating = 'RED'";
    static final String PAUSED = "SELECT count(*) FROM whatsapp_template WHERE status IN ('PAUSED', 'DISABLED')";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Count flagged = new Count(FLAGGED);
    private final Count paused = new Count(PAUSED);

    @Autowired
    public BusinessStateGauges(JdbcTemplate jdbc, MeterRegistry registry) {
        this(jdbc, registry, Clock.systemUTC());
    }

    BusinessStateGauges(JdbcTemplate jdbc, MeterRegistry registry, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("whatsapp.business.numbers.flagged", flagged, Count::value)
                .description("Business numbers Meta flagged for quality (FLAGGED) or rated RED").register(registry);
        Gauge.builder("whatsapp.templates.paused", paused, Count::value)
                .description("Message templates whose latest status is PAUSED or DISABLED").register(registry);
    }

    private final class Count {
        private final String query;
        private final AtomicLong value = new AtomicLong();
        private volatile long countedAt = Long.MIN_VALUE;

        Count(String query) {
            this.query = query;
        }

        synchronized double value() {
            long now = clock.millis();
            if (countedAt == Long.MIN_VALUE || now - countedAt >= FRESH_FOR_MS) {
                try {
                    Long counted = jdbc.queryForObject(query, Long.class);
                    value.set(counted == null ? 0 : counted);
                    countedAt = now;
                } catch (DataAccessException databaseAway) {
                    // the last count stands; the next scrape asks again
                }
            }
            return value.get();
        }
    }
}
