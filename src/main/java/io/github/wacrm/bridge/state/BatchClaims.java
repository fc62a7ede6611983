package io.github.wacrm.bridge.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.observability.BridgeMetrics;

/**
 * The idempotent consumer of the router, a poll at a time: every key of the poll is claimed in one statement
 * ({@code INSERT … SELECT unnest(…) ON CONFLICT … RETURNING}), with the rules of {@link FactClaims} (same table, same
 * lease, same take-over of a dead replica's claims), and confirmed in one statement after the poll's facts are on
 * their topic. The poll's claims share one token. A fact seen twice in one poll passes once.
 * <ul>
 *   <li>A key another live owner holds unconfirmed fails the poll with {@link FactInProgressException} (retried),
 *       after this poll's own claims are released.</li>
 *   <li>Claims are released when the exchange fails before its facts were published ({@link #release}, also called by
 *       the route before it processes the poll record by record); a published poll's claims are kept and confirmed
 *       later (owed), never released.</li>
 * </ul>
 */
@Component("batchClaims")
public class BatchClaims {

    /** Exchange property: the keys this exchange's token claimed. */
    static final String CLAIMED_KEYS = "whatsappFactClaimKeys";

    private static final Logger LOG = LoggerFactory.getLogger(BatchClaims.class);

    private final ClaimTable table;
    private final BridgeMetrics metrics;

    public BatchClaims(FactClaims eventIdempotencyRepository, BridgeMetrics metrics) {
        this.table = eventIdempotencyRepository.table();
        this.metrics = metrics;
    }

    /**
     * Route step. Body: the poll's events, in order. Answers the new ones (in order), each key now claimed by this
     * exchange; duplicates are counted and left out.
     */
    public List<CanonicalEvent> claim(Exchange exchange, List<CanonicalEvent> events) {
        // the work tried again on the same exchange: its earlier claims go first (or are owed a confirm, if published)
        release(exchange);
        Map<String, CanonicalEvent> first = new LinkedHashMap<>();
        for (CanonicalEvent event : events) {
            if (first.putIfAbsent(event.dedupKey, event) != null) {
                metrics.duplicate(event);
            }
        }
        List<String> keys = new ArrayList<>();
        for (String key : first.keySet()) {
            if (table.confirmOwedNow(key)) {
                LOG.info("A fact published before its confirm failed is confirmed now and not published again");
            } else {
                keys.add(key);
            }
        }
        String token = UUID.randomUUID().toString();
        Set<String> won = keys.isEmpty() ? Set.of() : table.claim(keys, token);
        if (!won.isEmpty()) {
            exchange.setProperty(FactClaims.CLAIM_TOKEN, token);
            exchange.setProperty(CLAIMED_KEYS, List.copyOf(won));
            won.forEach(table.owed()::released);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onFailure(Exchange failed) {
                    release(failed);
                }

                @Override
                public void onComplete(Exchange done) {
                    // a failure an error handler handled (the record dead-lettered): released, so a replay gets through
                    if (ExchangeHelper.isFailureHandled(done)) {
                        release(done);
                    }
                }
            });
        }
        List<CanonicalEvent> fresh = new ArrayList<>(won.size());
        for (Map.Entry<String, CanonicalEvent> entry : first.entrySet()) {
            if (won.contains(entry.getKey())) {
                fresh.add(entry.getValue());
            } else {
                metrics.duplicate(entry.getValue());
            }
        }
        return fresh;
    }

    /**
     * Route step after the poll's facts are on their topics, before the offsets are committed: confirms the poll's
     * claims. A database error is thrown (the route retries; the claims are kept and owed meanwhile).
     */
    public void confirm(Exchange exchange) {
        List<String> keys = claimed(exchange);
        String token = exchange.getProperty(FactClaims.CLAIM_TOKEN, String.class);
        if (keys.isEmpty() || token == null) {
            return;
        }
        int confirmed;
        try {
            confirmed = table.confirm(keys, token);
        } catch (DataAccessException databaseAway) {
            keys.forEach(key -> table.owed().owesConfirm(key, token));
            table.inFlight().remove(token);
            throw databaseAway;
        }
        table.inFlight().remove(token);
        keys.forEach(table.owed()::confirmed);
        exchange.removeProperty(CLAIMED_KEYS);
        if (confirmed < keys.size()) {
            table.claimsLost(keys.size() - confirmed);
            LOG.error("{} of {} claims were taken over by another replica before this one confirmed them; those facts "
                    + "may reach their topic twice (the CRM writes are upserts)", keys.size() - confirmed, keys.size());
        }
    }

    /**
     * Releases the exchange's claims, unless its facts were published (then they are kept, owed a confirm). Called
     * when the exchange fails, and by the route before a failed poll is processed record by record.
     */
    public void release(Exchange exchange) {
        List<String> keys = claimed(exchange);
        String token = exchange.getProperty(FactClaims.CLAIM_TOKEN, String.class);
        exchange.removeProperty(CLAIMED_KEYS);
        if (keys.isEmpty() || token == null) {
            return;
        }
        table.inFlight().remove(token);
        if (exchange.getProperty(FactClaims.PUBLISHED, false, Boolean.class)) {
            keys.forEach(key -> table.owed().owesConfirm(key, token));
            return;
        }
        try {
            table.release(keys, token);
        } catch (DataAccessException databaseAway) {
            keys.forEach(key -> table.owed().owesRelease(key, token));
            LOG.warn("The claims of a failed poll could not be released now ({}); released in the background",
                    databaseAway.getClass().getSimpleName());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> claimed(Exchange exchange) {
        List<String> keys = exchange.getProperty(CLAIMED_KEYS, List.class);
        return keys == null ? List.of() : keys;
    }
}
