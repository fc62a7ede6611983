package io.github.wacrm.bridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ConfigurableApplicationContext;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * Whole pipeline into HubSpot: N signed text webhooks (one message each, from a pool of customers) sent at a fixed
 * rate to the real application (embedded Kafka and PostgreSQL, the HubSpot emulator with a portal budget of 100
 * requests per 10 s, the bridge's default), then the emulator is read until every communication is there. Prints
 * events/s, webhook→HubSpot latency, HubSpot calls per event and by endpoint, the most calls in any rolling 10 s and
 * the 429s HubSpot answered, and checks zero missing, zero duplicate communications, one contact and one open ticket
 * per customer, and every communication associated with its contact and ticket.
 *
 * <pre>mvn -q test-compile exec:java@bench-hubspot -Dexec.args="--events 30000 --rate 1000 --customers 3000"</pre>
 */
public final class HubSpotBenchmark {

    private HubSpotBenchmark() {
    }

    public static void main(String[] args) {
        WebhookLoad.main(args, HubSpotBenchmark::run);
    }

    private static void run(Map<String, String> options) throws Exception {
        int events = Integer.parseInt(options.getOrDefault("events", "30000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "1000"));
        int customers = Integer.parseInt(options.getOrDefault("customers", "3000"));
        int budget = Integer.parseInt(options.getOrDefault("budget", "100"));

        HubSpotEmulator hubspot = DevServices.get().hubspot();
        hubspot.budget(budget, 10_000, 1_000_000);
        WebhookLoad.Started started = WebhookLoad.start(Map.of("WHATSAPP_SALESFORCE_ENABLED", "false",
                "HUBSPOT_CREATE_MISSING_PROPERTIES", "true", "HUBSPOT_RATE_LIMIT_REQUESTS", String.valueOf(budget)));
        ConfigurableApplicationContext app = started.app();
        URI target = started.target();
        HttpClient http = started.http();
        HubSpotPortal portal = hubspot.portal();
        while (portal.property("contacts", "whatsapp_id") == null) {
            Thread.sleep(100); // the bridge creates its properties at start
        }
        Thread.sleep(1000);
        hubspot.clearCalls();

        System.out.printf(Locale.ROOT, "%nHubSpot benchmark: %d webhooks (1 message each, %d customers) at %d/s through the "
                + "whole pipeline into the HubSpot emulator (budget %d requests / 10 s)%n", events, customers, rate, budget);
        String run = Fixtures.newRun();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.currentTimeMillis();
        // --from-raw: the deliveries written straight to the raw topic (the pipeline behind the intake alone)
        boolean fromRaw = options.containsKey("from-raw");
        int accepted = events;
        if (fromRaw) {
            WebhookLoad.store(DevServices.get().kafkaBrokers(), run, events, customers, sentAt);
        } else {
            accepted = WebhookLoad.send(http, target, run, events, rate, customers, sentAt);
        }
        long sendMillis = System.currentTimeMillis() - start;
        String marker = "-" + run + "-";
        List<Record> communications = awaitCommunications(portal, marker, accepted, Duration.ofMinutes(20));
        Thread.sleep(3000); // the last associations, and anything late (a duplicate), would show now
        communications = communicationsOf(portal, marker);

        long[] latencies = new long[communications.size()];
        long last = 0;
        Map<String, Integer> perWamid = new HashMap<>();
        for (int i = 0; i < communications.size(); i++) {
            Record c = communications.get(i);
            String wamid = c.properties().get("whatsapp_message_id");
            perWamid.merge(wamid, 1, Integer::sum);
            long created = c.createdAt().toEpochMilli();
            latencies[i] = created - sentAt.getOrDefault(wamid, created);
            last = Math.max(last, created);
        }
        Arrays.sort(latencies);
        long duplicates = perWamid.values().stream().filter(n -> n > 1).count();
        long missing = accepted - perWamid.size();
        String prefix = WebhookLoad.CUSTOMER_PREFIX;
        long contacts = portal.all("contacts").stream()
                .filter(c -> String.valueOf(c.properties().get("whatsapp_id")).startsWith(prefix)).count();
        long tickets = portal.all("tickets").stream()
                .filter(t -> String.valueOf(t.properties().get("whatsapp_id")).startsWith(prefix)).count();
        Set<String> toContact = portal.associationPairs("communications", "contacts");
        Set<String> toTicket = portal.associationPairs("communications", "tickets");
        Set<String> linkedToContact = new java.util.HashSet<>();
        Set<String> linkedToTicket = new java.util.HashSet<>();
        toContact.forEach(p -> linkedToContact.add(p.substring(0, p.indexOf('>'))));
        toTicket.forEach(p -> linkedToTicket.add(p.substring(0, p.indexOf('>'))));
        long unlinked = communications.stream().filter(c -> !linkedToContact.contains(c.id())
                || !linkedToTicket.contains(c.id())).count();

        List<HubSpotEmulator.Call> calls = hubspot.calls();
        Map<String, Integer> byEndpoint = new TreeMap<>();
        calls.forEach(c -> byEndpoint.merge(c.endpoint(), 1, Integer::sum));
        long throttled = calls.stream().filter(c -> c.status() == 429).count();
        int maxWindow = hubspot.maxCallsInAnyWindow(10_000);
        double seconds = (last - start) / 1000.0;
        int expectedCustomers = Math.min(customers, events);
        System.out.printf(Locale.ROOT, "%s %d accepted of %d in %.1f s (%.0f/s offered)%n",
                fromRaw ? "stored in raw:   " : "sent:             ", accepted, events,
                sendMillis / 1000.0, accepted / (sendMillis / 1000.0));
        System.out.printf(Locale.ROOT, "synced:            %d communications in %.1f s from first send: %.0f events/s%n",
                perWamid.size(), seconds, perWamid.size() / seconds);
        System.out.printf(Locale.ROOT, "webhook→HubSpot:   %s%n", WebhookLoad.percentiles(latencies));
        System.out.printf(Locale.ROOT, "HubSpot API:       %d calls for %d events = %.4f calls/event; %s%n", calls.size(),
                accepted, calls.size() / (double) accepted, byEndpoint);
        System.out.printf(Locale.ROOT, "request rate:      at most %d calls in any 10 s (budget %d); %d answered 429%n",
                maxWindow, budget, throttled);
        System.out.printf(Locale.ROOT, "check:             %d missing, %d duplicate communications, %d without contact or "
                + "ticket; %d contacts and %d tickets for %d customers%n", missing, duplicates, unlinked, contacts, tickets,
                expectedCustomers);
        boolean ok = missing == 0 && duplicates == 0 && unlinked == 0 && contacts == expectedCustomers
                && tickets == expectedCustomers && maxWindow <= budget;
        System.out.println(ok ? "RESULT: every message once, inside the budget" : "RESULT: CHECK FAILED");
        app.close();
        System.exit(ok ? 0 : 1);
    }

    private static List<Record> awaitCommunications(HubSpotPortal portal, String marker, int expected, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<Record> found = communicationsOf(portal, marker);
        int lastCount = -1;
        while (found.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            found = communicationsOf(portal, marker);
            if (found.size() / 5000 != lastCount / 5000) {
                System.out.printf(Locale.ROOT, "  ... %d of %d communications%n", found.size(), expected);
            }
            lastCount = found.size();
        }
        return found;
    }

    private static List<Record> communicationsOf(HubSpotPortal portal, String marker) {
        return portal.all("communications").stream()
                .filter(c -> String.valueOf(c.properties().get("whatsapp_message_id")).contains(marker)).toList();
    }

}
