package io.github.wacrm.bridge.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.observability.BridgeMetrics;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.Race;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A poll's facts are claimed in one statement with the rules of one fact's claim: two replicas racing on overlapping
 * polls, a fact twice in one poll, a poll meeting another owner's claim, a poll failing before or after it published,
 * and a dead-lettered record whose claim must let its replay through.
 */
class BatchClaimsTest extends BridgeIntegrationTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    @Autowired
    private DataSource dataSource;

    private final String processor = "batch-claims-" + Fixtures.newRun();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void twoReplicasClaimingOverlappingPollsLetEachFactThroughExactlyOnce() throws Exception {
        BatchClaims replicaA = batchClaims("a");
        BatchClaims replicaB = batchClaims("b");
        Set<String> through = ConcurrentHashMap.newKeySet();
        List<String> duplicatesThrough = new ArrayList<>();
        Race.run(4, t -> {
            BatchClaims replica = t % 2 == 0 ? replicaA : replicaB;
            int offset = t * 25;
            for (int round = 0; round < 20; round++) {
                // polls of 50 facts, each overlapping the next thread's by half
                int shift = round * 10;
                List<CanonicalEvent> poll = events(IntStream.range(offset, offset + 50)
                        .mapToObj(k -> "message:wamid.POLL-" + ((k + shift) % 200)).toList());
                Exchange exchange = exchange();
                try {
                    for (CanonicalEvent fresh : replica.claim(exchange, poll)) {
                        if (!through.add(fresh.dedupKey)) {
                            synchronized (duplicatesThrough) {
                                duplicatesThrough.add(fresh.dedupKey);
                            }
                        }
                    }
                    exchange.setProperty(FactClaims.PUBLISHED, true);
                    replica.confirm(exchange);
                } catch (FactInProgressException busy) {
                    // another poll holds one of these: this one is read again later
                }
            }
        });

        assertThat(duplicatesThrough).as("no fact let through twice").isEmpty();
        assertThat(unconfirmed()).as("every claim confirmed or released").isZero();
        // what went through is exactly what is confirmed
        assertThat(confirmedKeys()).containsExactlyInAnyOrderElementsOf(through);
    }

    @Test
    void aFactTwiceInOnePollPassesOnceAndIsCountedADuplicate() {
        BatchClaims claims = batchClaims("a");
        Exchange exchange = exchange();
        List<CanonicalEvent> fresh = claims.claim(exchange, events(List.of("message:wamid.A", "message:wamid.B",
                "message:wamid.A")));
        assertThat(fresh).extracting(e -> e.dedupKey).containsExactly("message:wamid.A", "message:wamid.B");
        // the test's events carry no kind: counted under "unknown"
        assertThat(registry.get("whatsapp.duplicates.skipped").tag("kind", "unknown").counter().count())
                .as("the second copy counted a duplicate").isEqualTo(1.0);
        claims.confirm(exchange);
        assertThat(claims.claim(exchange(), events(List.of("message:wamid.A", "message:wamid.C"))))
                .as("confirmed facts are duplicates for the next poll").extracting(e -> e.dedupKey)
                .containsExactly("message:wamid.C");
    }

    @Test
    void aPollMeetingAnotherLiveOwnersClaimFailsInProgressAndLeavesNoClaimOfItsOwn() {
        BatchClaims replicaA = batchClaims("a");
        BatchClaims replicaB = batchClaims("b");
        Exchange holder = exchange();
        replicaA.claim(holder, events(List.of("message:wamid.HELD")));

        assertThatThrownBy(() -> replicaB.claim(exchange(), events(List.of("message:wamid.FREE-1", "message:wamid.HELD",
                "message:wamid.FREE-2")))).isInstanceOf(FactInProgressException.class);
        assertThat(rows("message:wamid.FREE-1") + rows("message:wamid.FREE-2")).as("the poll's own claims released")
                .isZero();

        replicaA.confirm(holder);
        assertThat(replicaB.claim(exchange(), events(List.of("message:wamid.FREE-1", "message:wamid.HELD"))))
                .as("once confirmed, the held fact is a duplicate").extracting(e -> e.dedupKey)
                .containsExactly("message:wamid.FREE-1");
    }

    @Test
    void aPollThatFailsBeforeItPublishedIsReleasedAndOneThatPublishedIsNotPublishedAgain() {
        BatchClaims claims = batchClaims("a");
        Exchange unpublished = exchange();
        claims.claim(unpublished, events(List.of("message:wamid.UNPUBLISHED")));
        claims.release(unpublished);
        assertThat(rows("message:wamid.UNPUBLISHED")).as("released for its retry").isZero();
        assertThat(claims.claim(exchange(), events(List.of("message:wamid.UNPUBLISHED")))).hasSize(1);

        Exchange published = exchange();
        claims.claim(published, events(List.of("message:wamid.PUBLISHED")));
        published.setProperty(FactClaims.PUBLISHED, true);
        claims.release(published);
        assertThat(rows("message:wamid.PUBLISHED")).as("kept: its fact is on its topic").isEqualTo(1);
        assertThat(claims.claim(exchange(), events(List.of("message:wamid.PUBLISHED"))))
                .as("confirmed when it comes again, and not let through a second time").isEmpty();
        assertThat(confirmed("message:wamid.PUBLISHED")).isTrue();
    }

    @Test
    void theWorkTriedAgainOnTheSameExchangeTakesItsOwnClaimsAgain() {
        BatchClaims claims = batchClaims("a");
        Exchange exchange = exchange();
        claims.claim(exchange, events(List.of("message:wamid.AGAIN")));
        assertThat(claims.claim(exchange, events(List.of("message:wamid.AGAIN"))))
                .as("a redelivery of the work, not another owner").hasSize(1);
        claims.confirm(exchange);
        assertThat(confirmed("message:wamid.AGAIN")).isTrue();
    }

    @Test
    void aRecordAnErrorHandlerDeadLetteredLeavesNoClaimSoItsReplayGetsThrough() {
        BatchClaims claims = batchClaims("a");
        Exchange exchange = exchange();
        claims.claim(exchange, events(List.of("message:wamid.DEAD-LETTERED")));
        List<Synchronization> completions = exchange.getExchangeExtension().handoverCompletions();
        exchange.getExchangeExtension().setFailureHandled(true);
        completions.forEach(c -> c.onComplete(exchange));
        assertThat(rows("message:wamid.DEAD-LETTERED")).isZero();
        assertThat(claims.claim(exchange(), events(List.of("message:wamid.DEAD-LETTERED")))).hasSize(1);
    }

    @Test
    void claimsAnotherReplicaTookOverAreCountedLostWhenTheSlowOwnerConfirms() {
        BatchClaims slow = batchClaims("slow");
        Exchange exchange = exchange();
        slow.claim(exchange, events(List.of("message:wamid.SLOW-1", "message:wamid.SLOW-2")));
        jdbc.update("UPDATE camel_messageprocessed SET createdAt = now() - interval '1 hour' "
                + "WHERE processorName = ? AND messageId = ?", processor, "message:wamid.SLOW-1");
        assertThat(batchClaims("fast").claim(exchange(), events(List.of("message:wamid.SLOW-1")))).hasSize(1);

        slow.confirm(exchange);
        assertThat(registry.find("whatsapp.claims.lost").counter().count()).isEqualTo(1.0);
        assertThat(confirmed("message:wamid.SLOW-2")).isTrue();
        assertThat(confirmed("message:wamid.SLOW-1")).as("the new owner's row untouched").isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private BatchClaims batchClaims(String replicaName) {
        ReplicaPresence replica = new ReplicaPresence(jdbc, replicaName + "-" + processor, 60_000);
        replica.beat();
        FactClaims claims = new FactClaims(dataSource, processor, replica.replicaId(), 600, 30, registry);
        claims.start();
        return new BatchClaims(claims, new BridgeMetrics(registry));
    }

    private static List<CanonicalEvent> events(List<String> keys) {
        return keys.stream().map(key -> {
            CanonicalEvent event = new CanonicalEvent();
            event.dedupKey = key;
            return event;
        }).toList();
    }

    private static Exchange exchange() {
        return new DefaultExchange(CAMEL);
    }

    private int rows(String key) {
        return jdbc.queryForObject("SELECT count(*) FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?",
                Integer.class, processor, key);
    }

    private boolean confirmed(String key) {
        return jdbc.queryForObject("SELECT confirmed FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?",
                Boolean.class, processor, key);
    }

    private int unconfirmed() {
        return jdbc.queryForObject("SELECT count(*) FROM camel_messageprocessed WHERE processorName = ? AND NOT confirmed",
                Integer.class, processor);
    }

    private List<String> confirmedKeys() {
        return jdbc.queryForList("SELECT messageId FROM camel_messageprocessed WHERE processorName = ? AND confirmed",
                String.class, processor);
    }
}
