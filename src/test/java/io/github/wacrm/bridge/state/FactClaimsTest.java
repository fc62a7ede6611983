package io.github.wacrm.bridge.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;

import com.zaxxer.hikari.HikariDataSource;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.FlakyDataSource;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.Race;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Claims belong to their owner: two replicas, backdated claims, dead replicas, lost claims, failing duplicates, a
 * database that goes away between the publish and the confirm, and replicas whose sessions run in other time zones.
 */
class FactClaimsTest extends BridgeIntegrationTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    @Autowired
    private DataSource dataSource;

    private final String processor = "claims-" + Fixtures.newRun();

    @Test
    void twoReplicasRacingOnTheSameKeysLetEachKeyThroughExactlyOnce() throws Exception {
        FactClaims replicaA = claims(dataSource, live("a"), 600);
        FactClaims replicaB = claims(dataSource, live("b"), 600);
        int keys = 300;
        AtomicInteger accepted = new AtomicInteger();
        Race.run(8, t -> {
            FactClaims replica = t % 2 == 0 ? replicaA : replicaB;
            for (int k = 0; k < keys; k++) {
                String key = "status:wamid.RACE-" + k + ":read";
                Exchange exchange = exchange();
                try {
                    if (replica.add(exchange, key)) {
                        accepted.incrementAndGet();
                        replica.confirm(exchange, key);
                    }
                } catch (FactInProgressException busy) {
                    // the other replica holds the claim: this one would retry later and find it confirmed
                }
            }
        });

        assertThat(accepted.get()).isEqualTo(keys);
        assertThat(replicaA.contains("status:wamid.RACE-7:read")).isTrue();
    }

    @Test
    void aLiveReplicasUnconfirmedClaimIsInProgressUntilItsLeaseRunsOutThenTakenOver() {
        FactClaims owner = claims(dataSource, live("owner"), 600);
        FactClaims other = claims(dataSource, live("other"), 600);
        String key = "message:wamid.LEASE-" + Fixtures.newRun();
        Exchange first = exchange();
        assertThat(owner.add(first, key)).isTrue();

        backdate(key, 590);
        assertThatThrownBy(() -> other.add(exchange(), key)).as("10 s of the lease left")
                .isInstanceOf(FactInProgressException.class);

        backdate(key, 601);
        Exchange takeover = exchange();
        assertThat(other.add(takeover, key)).as("the lease ran out").isTrue();
        assertThat(other.confirm(takeover, key)).isTrue();
        assertThat(owner.add(exchange(), key)).as("confirmed: a duplicate from now on").isFalse();
    }

    @Test
    void aClaimOfAReplicaThatStoppedBeatingIsTakenOverWithoutWaitingForTheLease() {
        ReplicaPresence gone = live("gone");
        FactClaims dead = claims(dataSource, gone, 600);
        FactClaims survivor = claims(dataSource, live("survivor"), 600);
        String key = "message:wamid.DEAD-" + Fixtures.newRun();
        assertThat(dead.add(exchange(), key)).isTrue();
        assertThatThrownBy(() -> survivor.add(exchange(), key)).isInstanceOf(FactInProgressException.class);

        jdbc.update("UPDATE bridge_replica SET heartbeat_at = now() - interval '31 seconds' WHERE replica_id = ?",
                gone.replicaId());

        assertThat(survivor.add(exchange(), key)).as("its replica is gone (heartbeat 31 s old)").isTrue();
    }

    @Test
    void anOwnerThatLostItsClaimNeitherConfirmsNorReleasesTheNewOwnersRow() {
        FactClaims slow = claims(dataSource, live("slow"), 600);
        FactClaims fast = claims(dataSource, live("fast"), 600);
        String key = "message:wamid.LOST-" + Fixtures.newRun();
        Exchange stalled = exchange();
        assertThat(slow.add(stalled, key)).isTrue();
        backdate(key, 700);
        Exchange overtaking = exchange();
        assertThat(fast.add(overtaking, key)).isTrue();

        assertThat(slow.confirm(stalled, key)).as("the stalled owner's confirm").isFalse();
        assertThat(confirmed(key)).as("the new owner's claim is untouched").isFalse();
        assertThat(slow.remove(stalled, key)).as("the stalled owner's release").isFalse();
        assertThat(rows(key)).isEqualTo(1);

        assertThat(fast.confirm(overtaking, key)).isTrue();
        assertThat(slow.remove(stalled, key)).isFalse();
        assertThat(confirmed(key)).isTrue();
        assertThat(slow.add(exchange(), key)).as("a later redelivery is a duplicate").isFalse();
    }

    @Test
    void aFailingDuplicateDoesNotReleaseTheConfirmedRow() {
        FactClaims claims = claims(dataSource, live("dup"), 600);
        String key = "message:wamid.DUP-" + Fixtures.newRun();
        Exchange done = exchange();
        assertThat(claims.add(done, key)).isTrue();
        claims.confirm(done, key);

        Exchange duplicate = exchange();
        assertThat(claims.add(duplicate, key)).isFalse();
        // the duplicate exchange fails later on (skipDuplicate: false): Camel calls remove for it
        assertThat(claims.remove(duplicate, key)).isFalse();

        assertThat(rows(key)).isEqualTo(1);
        assertThat(confirmed(key)).isTrue();
    }

    @Test
    void aFactThatFailsBeforeItIsPublishedIsReleasedForItsRetry() {
        FactClaims claims = claims(dataSource, live("release"), 600);
        String key = "message:wamid.RELEASE-" + Fixtures.newRun();
        Exchange failed = exchange();
        assertThat(claims.add(failed, key)).isTrue();

        assertThat(claims.remove(failed, key)).isTrue();

        assertThat(rows(key)).isZero();
        assertThat(claims.add(exchange(), key)).as("the retry claims it again").isTrue();
    }

    @Test
    void aPublishedFactWhoseConfirmFailsIsConfirmedWhenItComesAgainAndNotPublishedTwice() {
        AtomicBoolean databaseAway = new AtomicBoolean();
        FactClaims claims = claims(new FlakyDataSource(dataSource, databaseAway), live("flaky"), 600);
        String key = "message:wamid.FLAKY-" + Fixtures.newRun();
        Exchange first = exchange();
        assertThat(claims.add(first, key)).isTrue();
        first.setProperty(FactClaims.PUBLISHED, "true");

        databaseAway.set(true);
        assertThatThrownBy(() -> claims.confirm(first, key)).as("the route retries the confirm")
                .isInstanceOf(DataAccessException.class);
        // the retries ran out: the exchange fails, and Camel asks to release the claim
        assertThat(claims.remove(first, key)).isFalse();
        databaseAway.set(false);

        assertThat(rows(key)).as("the claim of a published fact is kept").isEqualTo(1);
        assertThat(claims.add(exchange(), key)).as("the record comes again: a duplicate, confirmed now").isFalse();
        assertThat(confirmed(key)).isTrue();
    }

    @Test
    void aClaimWhoseReleaseFailedIsTakenAgainAtOnceByItsReplicaAndReleasedForTheOthersOnceTheDatabaseIsBack() {
        AtomicBoolean databaseAway = new AtomicBoolean();
        ReplicaPresence replica = live("own");
        FactClaims claims = claims(new FlakyDataSource(dataSource, databaseAway), replica, 600);
        FactClaims other = claims(dataSource, live("other"), 600);
        String key = "message:wamid.OWN-" + Fixtures.newRun();
        Exchange failed = exchange();
        assertThat(claims.add(failed, key)).isTrue();

        databaseAway.set(true);
        assertThatThrownBy(() -> claims.remove(failed, key)).isInstanceOf(DataAccessException.class);
        databaseAway.set(false);

        assertThat(rows(key)).as("the release was lost").isEqualTo(1);
        assertThatThrownBy(() -> other.add(exchange(), key)).as("another replica waits")
                .isInstanceOf(FactInProgressException.class);
        Exchange retry = exchange();
        assertThat(claims.add(retry, key)).as("its own replica takes it again, no lease to wait for").isTrue();
        assertThat(claims.remove(retry, key)).isTrue();

        Exchange again = exchange();
        assertThat(claims.add(again, key)).isTrue();
        databaseAway.set(true);
        assertThatThrownBy(() -> claims.remove(again, key)).isInstanceOf(DataAccessException.class);
        databaseAway.set(false);
        claims.settleOwed();
        assertThat(other.add(exchange(), key)).as("released in the background: the other replica goes on").isTrue();
    }

    @Test
    void aConfirmOwedAfterAnOutageIsSettledInTheBackgroundSoAnotherReplicaSeesADuplicate() {
        AtomicBoolean databaseAway = new AtomicBoolean();
        FactClaims claims = claims(new FlakyDataSource(dataSource, databaseAway), live("owes"), 600);
        FactClaims other = claims(dataSource, live("reads-next"), 600);
        String key = "message:wamid.OWED-" + Fixtures.newRun();
        Exchange published = exchange();
        assertThat(claims.add(published, key)).isTrue();
        published.setProperty(FactClaims.PUBLISHED, "true");
        databaseAway.set(true);
        assertThatThrownBy(() -> claims.confirm(published, key)).isInstanceOf(DataAccessException.class);
        claims.remove(published, key);
        databaseAway.set(false);
        assertThatThrownBy(() -> other.add(exchange(), key)).isInstanceOf(FactInProgressException.class);

        claims.settleOwed();

        assertThat(other.add(exchange(), key)).as("confirmed: the partition's new owner skips it").isFalse();
    }

    @Test
    void twoExchangesOfOneReplicaOnTheSameKeyDoNotTakeEachOthersClaim() {
        FactClaims claims = claims(dataSource, live("same"), 600);
        String key = "message:wamid.SAME-" + Fixtures.newRun();
        assertThat(claims.add(exchange(), key)).isTrue();

        assertThatThrownBy(() -> claims.add(exchange(), key)).as("the first still holds it")
                .isInstanceOf(FactInProgressException.class);
    }

    @Test
    void replicasInOtherTimeZonesDoNotSkewTheLease() {
        String url = DevServices.get().jdbcUrl();
        try (HikariDataSource westOfUtc = session(url, "-12"); HikariDataSource eastOfUtc = session(url, "+14")) {
            FactClaims west = claims(westOfUtc, live("west"), 600);
            FactClaims east = claims(eastOfUtc, live("east"), 600);
            String key = "message:wamid.ZONE-" + Fixtures.newRun();
            assertThat(west.add(exchange(), key)).isTrue();

            assertThatThrownBy(() -> east.add(exchange(), key)).as("claimed a moment ago, whatever the zones")
                    .isInstanceOf(FactInProgressException.class);
        }
    }

    @Test
    void theLeaseMustOutlastThePollIntervalAndTheDeliveryTimeout() {
        assertThatThrownBy(() -> new StateConfiguration().eventIdempotencyRepository(dataSource, live("check"),
                new SimpleMeterRegistry(), processor, 120, 30, 300_000, 120_000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("420 s");
    }

    @Test
    void anOperatorsKeyOnlyOperationsActOnTheKeyWhoeverOwnsIt() {
        FactClaims claims = claims(dataSource, live("operator"), 600);
        String key = "message:wamid.OPERATOR-" + Fixtures.newRun();
        assertThat(claims.add(key)).as("a tool's claim").isTrue();
        assertThatThrownBy(() -> claims(dataSource, live("another"), 600).add(exchange(), key))
                .isInstanceOf(FactInProgressException.class);

        assertThat(claims.confirm(key)).isTrue();
        assertThat(claims.add(exchange(), key)).as("confirmed: a duplicate").isFalse();
        assertThat(claims.remove(key)).as("forgotten, though confirmed").isTrue();
        assertThat(claims.add(exchange(), key)).as("let through again").isTrue();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private ReplicaPresence live(String name) {
        ReplicaPresence replica = new ReplicaPresence(jdbc, name, 60_000);
        replica.beat();
        return replica;
    }

    private FactClaims claims(DataSource source, ReplicaPresence replica, long leaseSeconds) {
        FactClaims claims = new FactClaims(source, processor, replica.replicaId(), leaseSeconds, 30,
                new SimpleMeterRegistry());
        claims.start();
        return claims;
    }

    private static Exchange exchange() {
        return new DefaultExchange(CAMEL);
    }

    private void backdate(String key, int seconds) {
        jdbc.update("UPDATE camel_messageprocessed SET createdAt = now() - make_interval(secs => ?) "
                + "WHERE processorName = ? AND messageId = ?", seconds, processor, key);
    }

    private int rows(String key) {
        return jdbc.queryForObject("SELECT count(*) FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?",
                Integer.class, processor, key);
    }

    private boolean confirmed(String key) {
        return jdbc.queryForObject("SELECT confirmed FROM camel_messageprocessed WHERE processorName = ? AND messageId = ?",
                Boolean.class, processor, key);
    }

    private static HikariDataSource session(String url, String zone) {
        HikariDataSource source = new HikariDataSource();
        source.setJdbcUrl(url);
        source.setMaximumPoolSize(2);
        source.setConnectionInitSql("SET TIME ZONE '" + zone + "'");
        return source;
    }
}
