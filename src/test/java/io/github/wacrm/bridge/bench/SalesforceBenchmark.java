package io.github.wacrm.bridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ConfigurableApplicationContext;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceOrg;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * Whole pipeline into Salesforce: N signed text webhooks (one message each, from a pool of customers) sent at a fixed
 * rate to the real application (embedded Kafka and PostgreSQL, the Salesforce emulator), then the emulator is queried
 * until every message record is there. Prints events/s, webhook→Salesforce latency (p50/p95/max, from the send to the
 * record's CreatedDate in the emulator), Salesforce API calls per event, and checks zero missing, zero duplicate
 * messages and one Contact per customer.
 *
 * <pre>mvn -q test-compile exec:java@bench-salesforce -Dexec.args="--events 30000 --rate 1000 --customers 3000"</pre>
 */
public final class SalesforceBenchmark {

    private SalesforceBenchmark() {
    }

    public static void main(String[] args) {
        WebhookLoad.main(args, SalesforceBenchmark::run);
    }

    private static void run(Map<String, String> options) throws Exception {
        int events = Integer.parseInt(options.getOrDefault("events", "30000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "1000"));
        int customers = Integer.parseInt(options.getOrDefault("customers", "3000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "2000"));

        DevServices services = DevServices.get();
        WebhookLoad.Started started = WebhookLoad.start(Map.of("WHATSAPP_HUBSPOT_ENABLED", "false"));
        ConfigurableApplicationContext app = started.app();
        URI target = started.target();
        SalesforceEmulator salesforce = services.salesforce();
        HttpClient http = started.http();

        System.out.printf(Locale.ROOT, "%nSalesforce benchmark: %d webhooks (1 message each, %d customers) at %d/s "
                + "(+%d warm-up) through the whole pipeline into the Salesforce emulator%n", events, customers, rate, warmup);
        String warm = Fixtures.newRun() + "W";
        WebhookLoad.send(http, target, warm, warmup, Math.min(rate, 500), customers, new ConcurrentHashMap<>());
        System.out.printf(Locale.ROOT, "warm-up:             %d of %d message records%n",
                awaitMessages(salesforce, warm, warmup, Duration.ofMinutes(5)).size(), warmup);
        salesforce.resetCounters();

        String run = Fixtures.newRun();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.currentTimeMillis();
        // --from-raw: the deliveries written straight to the raw topic (the pipeline behind the intake alone)
        boolean fromRaw = options.containsKey("from-raw");
        int accepted = events;
        if (fromRaw) {
            WebhookLoad.store(services.kafkaBrokers(), run, events, customers, sentAt);
        } else {
            accepted = WebhookLoad.send(http, target, run, events, rate, customers, sentAt);
        }
        long sendSeconds = System.currentTimeMillis() - start;
        List<Map<String, Object>> messages = awaitMessages(salesforce, run, accepted, Duration.ofMinutes(10));
        Thread.sleep(2000); // anything late (a duplicate) would show now
        messages = messagesOf(salesforce, run);

        long[] latencies = new long[messages.size()];
        long last = 0;
        Map<String, Integer> perWamid = new HashMap<>();
        int withoutContact = 0;
        for (int i = 0; i < messages.size(); i++) {
            Map<String, Object> m = messages.get(i);
            String wamid = (String) m.get("Wamid__c");
            perWamid.merge(wamid, 1, Integer::sum);
            long created = SalesforceOrg.parseDateTime((String) m.get("CreatedDate")).toEpochMilli();
            latencies[i] = created - sentAt.getOrDefault(wamid, created);
            last = Math.max(last, created);
            if (m.get("Contact__c") == null || m.get("Case__c") == null) {
                withoutContact++;
            }
        }
        Arrays.sort(latencies);
        long duplicates = perWamid.values().stream().filter(n -> n > 1).count();
        long missing = accepted - perWamid.size();
        long contacts = salesforce.org().all("Contact").stream()
                .filter(c -> String.valueOf(c.get("WhatsApp_Id__c")).startsWith(WebhookLoad.CUSTOMER_PREFIX)).count();
        long calls = salesforce.apiCalls();
        double seconds = (last - start) / 1000.0;
        System.out.printf(Locale.ROOT, "%s %d accepted of %d in %.1f s (%.0f/s offered)%n",
                fromRaw ? "stored in raw topic:" : "sent:               ", accepted, events,
                sendSeconds / 1000.0, accepted / (sendSeconds / 1000.0));
        System.out.printf(Locale.ROOT, "synced:              %d message records in %.1f s from first send: %.0f events/s%n",
                perWamid.size(), seconds, perWamid.size() / seconds);
        System.out.printf(Locale.ROOT, "webhook→Salesforce:  %s%n", WebhookLoad.percentiles(latencies));
        System.out.printf(Locale.ROOT, "Salesforce API:      %d calls for %d events = %.4f calls/event (%s; logins: %d)%n",
                calls, accepted, calls / (double) accepted, salesforce.callsByOperation(), salesforce.logins());
        System.out.printf(Locale.ROOT, "check:               %d missing, %d duplicate messages, %d without Contact or Case; "
                + "%d Contacts for %d customers%n", missing, duplicates, withoutContact, contacts, Math.min(customers, events + warmup));
        boolean ok = missing == 0 && duplicates == 0 && withoutContact == 0 && contacts <= customers;
        System.out.println(ok ? "RESULT: every message once" : "RESULT: MISSING OR DUPLICATE RECORDS");
        app.close();
        System.exit(ok ? 0 : 1);
    }

    /** Polls a count of the run's message records (cheap: the emulator shares the cores), then reads them once. */
    private static List<Map<String, Object>> awaitMessages(SalesforceEmulator salesforce, String run, int expected,
            Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String marker = "-" + run + "-";
        while (salesforce.org().count("WhatsApp_Message__c", m -> String.valueOf(m.get("Wamid__c")).contains(marker))
                < expected && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        return messagesOf(salesforce, run);
    }

    private static List<Map<String, Object>> messagesOf(SalesforceEmulator salesforce, String run) {
        String marker = "-" + run + "-";
        return salesforce.org().all("WhatsApp_Message__c").stream()
                .filter(m -> String.valueOf(m.get("Wamid__c")).contains(marker)).toList();
    }

}
