package io.github.wacrm.bridge.salesforce;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.crm.SinkMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the Salesforce sink reports: API calls by operation and outcome, records written by object and result, facts
 * per batch, webhook→Salesforce latency, the org's API usage from {@code Sforce-Limit-Info}, the breaker state, and an
 * alert counter when the daily request limit is reached. Meters are cached: no registry lookup per record.
 */
@Component
public class SalesforceMetrics extends SinkMetrics {

    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    private final AtomicLong apiUsed = new AtomicLong(-1);
    private final AtomicLong apiLimit = new AtomicLong(-1);
    private final Counter limitExceeded;

    public SalesforceMetrics(MeterRegistry registry, CircuitBreaker salesforceCircuitBreaker) {
        super(registry, "salesforce", "Salesforce", salesforceCircuitBreaker);
        Gauge.builder("salesforce.api.usage", apiUsed, AtomicLong::get)
                .description("API requests used in the org's 24 h window, from Sforce-Limit-Info (-1: not seen yet)")
                .register(registry);
        Gauge.builder("salesforce.api.limit", apiLimit, AtomicLong::get)
                .description("The org's daily API request limit, from Sforce-Limit-Info (-1: not seen yet)")
                .register(registry);
        this.limitExceeded = Counter.builder("salesforce.request.limit.exceeded")
                .description("ALERT: Salesforce answered REQUEST_LIMIT_EXCEEDED (daily API budget spent); the breaker opened")
                .register(registry);
    }

    public void call(String operation, String outcome) {
        counter("api.calls", "operation", operation, "outcome", outcome).increment();
    }

    public void limitExceeded() {
        limitExceeded.increment();
    }

    /** Reads {@code Sforce-Limit-Info: api-usage=N/M}. */
    public void limitInfo(String header) {
        if (header == null) {
            return;
        }
        Matcher m = API_USAGE.matcher(header);
        if (m.find()) {
            apiUsed.set(Long.parseLong(m.group(1)));
            apiLimit.set(Long.parseLong(m.group(2)));
        }
    }

}
