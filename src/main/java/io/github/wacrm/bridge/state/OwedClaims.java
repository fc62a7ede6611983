package io.github.wacrm.bridge.state;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a replica still owes the claims table after a database outage, per key with the claim's token: the confirms of
 * facts it published (never to be published again) and the releases of facts it did not publish. Settled every few
 * seconds in the background, so another replica that reads those records meanwhile neither waits for the lease nor
 * publishes a fact again once it has run out.
 */
final class OwedClaims {

    private final JdbcTemplate jdbc;
    private final String processorName;
    private final String confirmSql;
    private final String releaseSql;
    private final Map<String, String> confirms = new ConcurrentHashMap<>();
    private final Map<String, String> releases = new ConcurrentHashMap<>();
    private ScheduledExecutorService settler;

    OwedClaims(JdbcTemplate jdbc, String processorName, String confirmSql, String releaseSql) {
        this.jdbc = jdbc;
        this.processorName = processorName;
        this.confirmSql = confirmSql;
        this.releaseSql = releaseSql;
    }

    void owesConfirm(String key, String token) {
        confirms.put(key, token);
    }

    void owesRelease(String key, String token) {
        releases.put(key, token);
    }

    /** The token of a published fact's claim still to be confirmed, or null. */
    String confirmOwed(String key) {
        return confirms.get(key);
    }

    void confirmed(String key) {
        confirms.remove(key);
    }

    void released(String key) {
        releases.remove(key);
    }

    /** Tokens of the published facts' claims still owed a confirm: never to be taken again by this replica. */
    Collection<String> unconfirmedTokens() {
        return confirms.values();
    }

    /** One round: every owed confirm and release tried once; what the database refuses waits for the next round. */
    void settle() {
        settle(confirms, confirmSql);
        settle(releases, releaseSql);
    }

    private void settle(Map<String, String> owed, String sql) {
        owed.forEach((key, token) -> {
            try {
                jdbc.update(sql, processorName, key, token);
                owed.remove(key, token);
            } catch (DataAccessException stillAway) {
                // next round
            }
        });
    }

    void start() {
        settler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fact-claims-owed");
            thread.setDaemon(true);
            return thread;
        });
        settler.scheduleWithFixedDelay(this::settle, 5, 5, TimeUnit.SECONDS);
    }

    void stop() {
        if (settler != null) {
            settler.shutdownNow();
        }
    }
}
