package io.github.wacrm.bridge.salesforce;

import io.github.wacrm.bridge.failure.Outage;

/**
 * Some records of a batch stayed locked by Salesforce through every retry: the whole batch is read again from Kafka
 * and written again (every write is an upsert, so what was written already changes nothing).
 */
public class SalesforceBatchIncompleteException extends RuntimeException implements Outage {

    public SalesforceBatchIncompleteException(String message) {
        super(message);
    }
}
