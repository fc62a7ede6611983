package io.github.wacrm.bridge.salesforce;

/**
 * Some records of a batch stayed locked by Salesforce through every retry: the whole batch is read again from Kafka
 * and written again (every write is an upsert, so what was written already changes nothing).
 */
public class SalesforceBatchIncompleteException extends RuntimeException {

    public SalesforceBatchIncompleteException(String message) {
        super(message);
    }
}
