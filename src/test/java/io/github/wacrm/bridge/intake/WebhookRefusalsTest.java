package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;

/**
 * Every refused webhook is counted per minute and reason in webhook_refusal: a burst of bad signatures, an oversize
 * body, a handshake with the wrong verify token; a minute is written once it is over, and a count the database does
 * not take is kept for the next flush.
 */
class WebhookRefusalsTest extends BridgeIntegrationTest {

    @Autowired
    private WebhookRefusals refusals;

    @Test
    void aBurstOfBadSignaturesAnOversizeBodyAndAWrongVerifyTokenAreCountedPerMinute() throws Exception {
        refusals.flushAll();
        long badBefore = written(WebhookRefusals.BAD_SIGNATURE);
        long largeBefore = written(WebhookRefusals.TOO_LARGE);
        long handshakeBefore = written(WebhookRefusals.HANDSHAKE_REFUSED);

        byte[] body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 25; i++) {
            assertThat(post(body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
        }
        assertThat(post(body, null).statusCode()).isEqualTo(401);
        byte[] large = new byte[3 * 1024 * 1024 + 1];
        Arrays.fill(large, (byte) ' ');
        assertThat(postSigned(large).statusCode()).isEqualTo(413);
        assertThat(get(WEBHOOK_PATH + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=7").statusCode())
                .isEqualTo(403);
        assertThat(postSigned(body).statusCode()).as("an accepted delivery is not a refusal").isEqualTo(200);

        refusals.flushAll();
        assertThat(written(WebhookRefusals.BAD_SIGNATURE) - badBefore).isEqualTo(26);
        assertThat(written(WebhookRefusals.TOO_LARGE) - largeBefore).isEqualTo(1);
        assertThat(written(WebhookRefusals.HANDSHAKE_REFUSED) - handshakeBefore).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_refusal WHERE reason = ? AND "
                + "minute <> date_trunc('minute', minute)", Long.class, WebhookRefusals.BAD_SIGNATURE))
                .as("rows are minutes").isZero();
    }

    @Test
    void onlyMinutesThatAreOverAreWrittenAndACountTheDatabaseRefusesIsKept() {
        String replica = "refusals-test-" + System.nanoTime();
        MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:15:20Z"));
        JdbcTemplate away = new JdbcTemplate(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"));
        WebhookRefusals unreachable = new WebhookRefusals(away, replica, clock);
        unreachable.refused(WebhookRefusals.BAD_SIGNATURE);
        unreachable.refused(WebhookRefusals.BAD_SIGNATURE);
        clock.now = Instant.parse("2026-12-03T10:16:01Z");
        assertThatThrownBy(unreachable::flushCompleted).isInstanceOf(RuntimeException.class);
        assertThat(unreachable.pending()).as("kept for the next flush").isEqualTo(2);

        WebhookRefusals counting = new WebhookRefusals(jdbc, replica, clock);
        clock.now = Instant.parse("2026-12-03T10:15:30Z");
        counting.refused(WebhookRefusals.BAD_SIGNATURE);
        clock.now = Instant.parse("2026-12-03T10:16:40Z");
        counting.refused(WebhookRefusals.BAD_SIGNATURE);
        assertThat(counting.flushCompleted()).as("10:15 is over, 10:16 is not").isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT to_char(minute AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || refusals FROM "
                + "webhook_refusal WHERE replica = ?", String.class, replica)).containsExactly("10:15 1");
        assertThat(counting.pending()).isEqualTo(1);
        counting.destroy();
        assertThat(jdbc.queryForList("SELECT to_char(minute AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || refusals FROM "
                + "webhook_refusal WHERE replica = ? ORDER BY minute", String.class, replica))
                .as("stopping writes the minute in progress").containsExactly("10:15 1", "10:16 1");
    }

    private long written(String reason) {
        return jdbc.queryForObject("SELECT coalesce(sum(refusals), 0) FROM webhook_refusal WHERE reason = ?",
                Long.class, reason);
    }

    private static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
