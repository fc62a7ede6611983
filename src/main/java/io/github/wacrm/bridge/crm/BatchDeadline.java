package io.github.wacrm.bridge.crm;

import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps a sink batch's worst case well under the consumer's poll interval. A batching consumer does not poll while
 * its batch is written; past {@code max.poll.interval.ms} Kafka gives its partitions to another member, which then
 * writes the same customers at the same time. {@link #start} marks the batch's deadline (redeliveries of the batch
 * share it), {@link #check} before every CRM call stops the batch once it is past. The worst case is then the
 * deadline, plus one call's timeout, plus one retry pause — checked at start to be at most half the poll interval. A
 * batch written fact by fact after it failed gives its first fact a deadline of its own ({@link #restart}): at most
 * twice the deadline plus a call and a pause, still under the poll interval.
 */
@Component("batchDeadline")
public class BatchDeadline {

    /** Exchange property: when the batch must stop (epoch milliseconds), and its length. */
    public static final String DEADLINE = "whatsappBatchDeadline";
    private static final String LENGTH = "whatsappBatchDeadlineLength";

    public BatchDeadline(@Value("${camel.component.kafka.max-poll-interval-ms:300000}") long maxPollIntervalMs,
            @Value("${whatsapp.salesforce.batch-deadline-ms:60000}") long salesforceMs,
            @Value("${whatsapp.hubspot.batch-deadline-ms:60000}") long hubspotMs,
            @Value("${camel.component.salesforce.http-request-timeout:30000}") long salesforceCallMs,
            @Value("${camel.component.http.response-timeout:30000}") long hubspotCallMs,
            @Value("${whatsapp.retry.max-delay-ms:30000}") long retryPauseMs) {
        require("whatsapp.salesforce.batch-deadline-ms", salesforceMs + salesforceCallMs + retryPauseMs, maxPollIntervalMs);
        require("whatsapp.hubspot.batch-deadline-ms", hubspotMs + hubspotCallMs + retryPauseMs, maxPollIntervalMs);
    }

    private static void require(String property, long worstCaseMs, long maxPollIntervalMs) {
        if (worstCaseMs > maxPollIntervalMs / 2) {
            throw new IllegalStateException(property + " plus one call's timeout and one retry pause (" + worstCaseMs
                    + " ms) must stay under half of camel.component.kafka.max-poll-interval-ms (" + maxPollIntervalMs
                    + " ms): a batch could otherwise outlast its consumer's ownership of its partitions");
        }
    }

    /** Route step, first of a sink batch: its deadline, {@code lengthMillis} from now (kept by its redeliveries). */
    public void start(Exchange batch, long lengthMillis) {
        if (batch.getProperty(DEADLINE) == null) {
            batch.setProperty(DEADLINE, System.currentTimeMillis() + lengthMillis);
            batch.setProperty(LENGTH, lengthMillis);
        }
    }

    /** A new deadline of the batch's length from now (the first fact of a batch written fact by fact). */
    public void restart(Exchange exchange) {
        Long length = exchange.getProperty(LENGTH, Long.class);
        if (length != null) {
            exchange.setProperty(DEADLINE, System.currentTimeMillis() + length);
        }
    }

    /** Route step before a CRM call: throws {@link BatchDeadlineException} once the batch is past its deadline. */
    public void check(Exchange exchange) {
        Long deadline = exchange.getProperty(DEADLINE, Long.class);
        if (deadline == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now > deadline) {
            long length = exchange.getProperty(LENGTH, 0L, Long.class);
            throw new BatchDeadlineException(now - deadline + length, length);
        }
    }
}
