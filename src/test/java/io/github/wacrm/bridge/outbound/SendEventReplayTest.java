package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * camel-salesforce hands over the next event before the last one's exchange is done, so events finish in any order:
 * the position kept is only ever the end of the run of finished events, and an event that never finishes holds it.
 */
class SendEventReplayTest {

    /** The replay ids written to {@code pubsub_replay}, in order. */
    private final List<Object> kept = new ArrayList<>();
    private final SendEventReplay replay = new SendEventReplay(new JdbcTemplate() {
        @Override
        public int update(String sql, Object... args) {
            kept.add(args[1]);
            return 1;
        }
    }, "/event/WhatsApp_Send__e", "LATEST");

    @Test
    void aLaterEventFinishingFirstDoesNotMoveThePositionPastAnEarlierOne() {
        Exchange first = event("AAAAAAAAAAE=");
        Exchange second = event("AAAAAAAAAAI=");
        Exchange third = event("AAAAAAAAAAM=");
        replay.store(second);
        assertThat(kept).as("the first is not done yet").isEmpty();
        replay.store(first);
        assertThat(kept).containsExactly("AAAAAAAAAAI=");
        replay.store(third);
        assertThat(kept).containsExactly("AAAAAAAAAAI=", "AAAAAAAAAAM=");
    }

    @Test
    void anEventThatNeverFinishesHoldsThePositionBeforeIt() {
        Exchange stuck = event("AAAAAAAAAAo=");
        Exchange after = event("AAAAAAAAAAs=");
        replay.store(after);
        assertThat(kept).isEmpty();
        assertThat(stuck.getProperty("pubSubReplayId")).isNotNull();
    }

    @Test
    void thePresetIsLatestUntilAPositionIsKept() {
        SendEventReplay fresh = new SendEventReplay(new JdbcTemplate() {
            @Override
            public <T> List<T> queryForList(String sql, Class<T> type, Object... args) {
                return List.of();
            }
        }, "/event/WhatsApp_Send__e", "earliest");
        assertThat(fresh.apply("preset")).isEqualTo("EARLIEST");
        assertThat(fresh.apply("id")).isEmpty();
    }

    private Exchange event(String replayId) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty("pubSubReplayId", replayId);
        replay.begin(exchange);
        return exchange;
    }
}
