package io.github.wacrm.bridge.crm;

import io.github.wacrm.bridge.failure.Outage;

/**
 * A sink batch ran out of its time (slow CRM answers, long throttling): it stops before its consumer would miss its
 * poll interval and lose its partitions mid-write. Nothing is committed; the batch is read again (every write is an
 * upsert, so what was written already changes nothing).
 */
public class BatchDeadlineException extends RuntimeException implements Outage {

    public BatchDeadlineException(long elapsedMillis, long deadlineMillis) {
        super("batch still writing after " + elapsedMillis + " ms (deadline " + deadlineMillis
                + " ms): read again later");
    }
}
