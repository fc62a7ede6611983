package io.github.wacrm.bridge.state;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * This replica's row in {@code bridge_replica}, beaten every few seconds with the database's clock. Fact claims name
 * their replica; another replica may take over a claim whose replica has stopped beating (killed, cut off from the
 * database) without waiting for the whole lease. Started before the routes (lower phase than Camel's) and removed
 * after they have stopped, so a replica never looks gone while its routes still work.
 */
public class ReplicaPresence implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaPresence.class);
    private static final String BEAT = "INSERT INTO bridge_replica (replica_id, heartbeat_at) VALUES (?, now()) "
            + "ON CONFLICT (replica_id) DO UPDATE SET heartbeat_at = now()";
    private static final String FORGET_GONE = "DELETE FROM bridge_replica WHERE heartbeat_at < now() - interval '1 day'";

    private final JdbcTemplate jdbc;
    private final String replicaId;
    private final long beatMillis;
    private ScheduledExecutorService beats;
    private volatile boolean running;

    public ReplicaPresence(JdbcTemplate jdbc, String host, long beatMillis) {
        this.jdbc = jdbc;
        this.replicaId = (host == null || host.isBlank() ? "replica" : host) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        this.beatMillis = beatMillis;
    }

    /** This process's replica id: the host name (the pod's name on Kubernetes) and a random suffix per start. */
    public String replicaId() {
        return replicaId;
    }

    @Override
    public void start() {
        try {
            beat();
            jdbc.update(FORGET_GONE);
        } catch (RuntimeException databaseAway) {
            LOG.warn("Replica {} could not register (database away?); it keeps trying every {} ms", replicaId,
                    beatMillis);
        }
        beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "replica-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        beats.scheduleWithFixedDelay(this::beatQuietly, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
        running = true;
    }

    void beat() {
        jdbc.update(BEAT, replicaId);
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException databaseAway) {
            LOG.warn("Replica heartbeat failed: {}", databaseAway.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (beats != null) {
            beats.shutdownNow();
        }
        try {
            jdbc.update("DELETE FROM bridge_replica WHERE replica_id = ?", replicaId);
        } catch (RuntimeException databaseAway) {
            LOG.warn("Replica {} could not sign off; its claims are taken over once its heartbeat is stale", replicaId);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before Camel starts its routes, after Camel has stopped them. */
    @Override
    public int getPhase() {
        return 0;
    }
}
