package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The flagged-numbers and paused-templates gauges count in PostgreSQL at most once per 30 s whatever the scrape rate,
 * and keep their last count while the database is away.
 */
class BusinessStateGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MovableClock clock = new MovableClock();
    private final CountingDatabase database = new CountingDatabase();

    @Test
    void theGaugesShowTheCountsOfTheDatabase() {
        database.answers.put(BusinessStateGauges.FLAGGED, 2L);
        database.answers.put(BusinessStateGauges.PAUSED, 1L);
        new BusinessStateGauges(database, registry, clock);

        assertThat(gauge("whatsapp.business.numbers.flagged")).isEqualTo(2);
        assertThat(gauge("whatsapp.templates.paused")).isEqualTo(1);
    }

    @Test
    void scrapesWithinThirtySecondsAskTheDatabaseOnce() {
        database.answers.put(BusinessStateGauges.FLAGGED, 1L);
        new BusinessStateGauges(database, registry, clock);
        gauge("whatsapp.business.numbers.flagged");
        database.answers.put(BusinessStateGauges.FLAGGED, 3L);
        clock.advance(Duration.ofSeconds(29));

        assertThat(gauge("whatsapp.business.numbers.flagged")).isEqualTo(1);
        assertThat(database.asked).containsExactly(BusinessStateGauges.FLAGGED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(gauge("whatsapp.business.numbers.flagged")).isEqualTo(3);
        assertThat(database.asked).hasSize(2);
    }

    @Test
    void aDatabaseAwayKeepsTheLastCountAndTheNextScrapeAsksAgain() {
        database.answers.put(BusinessStateGauges.PAUSED, 4L);
        new BusinessStateGauges(database, registry, clock);
        gauge("whatsapp.templates.paused");
        database.away = true;
        clock.advance(Duration.ofMinutes(1));

        assertThat(gauge("whatsapp.templates.paused")).isEqualTo(4);

        database.away = false;
        database.answers.put(BusinessStateGauges.PAUSED, 0L);
        assertThat(gauge("whatsapp.templates.paused")).isZero();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    /** Answers the gauges' two counts, or fails as a database away does. */
    private static final class CountingDatabase extends JdbcTemplate {
        final Map<String, Long> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        boolean away;

        @Override
        public <T> T queryForObject(String sql, Class<T> requiredType) {
            asked.add(sql);
            if (away) {
                throw new DataAccessResourceFailureException("connection refused");
            }
            return requiredType.cast(answers.getOrDefault(sql, 0L));
        }
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
