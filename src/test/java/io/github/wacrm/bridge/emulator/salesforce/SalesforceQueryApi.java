package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /services/data/vNN.N/query?q=} and {@code GET /services/data/vNN.N/query/{locator}} (queryMore): a
 * result with more rows than the batch size (2,000, as Salesforce's default) answers the first batch with
 * {@code done: false} and a {@code nextRecordsUrl}; each next batch is read from that URL until {@code done: true}.
 * A locator that does not exist (or was read to the end) is {@code INVALID_QUERY_LOCATOR}.
 */
final class SalesforceQueryApi {

    static final int DEFAULT_BATCH_SIZE = 2000;

    private final SalesforceOrg org;
    private final Map<String, List<Object>> cursors = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile int batchSize = DEFAULT_BATCH_SIZE;

    SalesforceQueryApi(SalesforceOrg org) {
        this.org = org;
    }

    /** For tests: a smaller batch, so paging shows without thousands of rows. */
    void batchSize(int rows) {
        batchSize = rows;
    }

    SalesforceReply query(String version, String soql) {
        Map<String, Object> result = Soql.execute(org, soql);
        @SuppressWarnings("unchecked")
        List<Object> records = (List<Object>) result.get("records");
        String locator = "01g" + String.format("%015d", sequence.incrementAndGet());
        return new SalesforceReply(200, page(result, records, version, locator, 0));
    }

    SalesforceReply queryMore(String version, String locatorAndOffset) {
        int dash = locatorAndOffset.lastIndexOf('-');
        List<Object> records = dash < 0 ? null : cursors.get(locatorAndOffset.substring(0, dash));
        if (records == null) {
            return new SalesforceReply(400, errors("INVALID_QUERY_LOCATOR", "invalid query locator"));
        }
        String locator = locatorAndOffset.substring(0, dash);
        int from = Integer.parseInt(locatorAndOffset.substring(dash + 1));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("totalSize", records.size());
        return new SalesforceReply(200, page(result, records, version, locator, from));
    }

    private Map<String, Object> page(Map<String, Object> result, List<Object> records, String version, String locator,
            int from) {
        int to = Math.min(records.size(), from + batchSize);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("totalSize", result.get("totalSize"));
        boolean done = to >= records.size();
        page.put("done", done);
        if (done) {
            cursors.remove(locator);
        } else {
            cursors.put(locator, records);
            page.put("nextRecordsUrl", "/services/data/" + version + "/query/" + locator + "-" + to);
        }
        page.put("records", new ArrayList<>(records.subList(Math.min(from, to), to)));
        return page;
    }
}
