package io.github.wacrm.bridge.faults;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/** One scenario: the load, the fault in its own thread, Meta's redeliveries, the drain, and the check. */
final class ScenarioRun implements Scenario.Run {

    /** The table row, the counts behind it, and what failed besides losses and duplicates. */
    record Outcome(String[] row, CrmCheck.Result result, List<String> problems) {
    }

    private final FaultStack stack;
    private final Scenario scenario;
    private final int index;
    private final int rate;
    private final int seconds;
    private final MetaWebhooks ids;
    private MetaTraffic traffic;
    private long startNanos;
    private final List<String> faultProblems = new java.util.concurrent.CopyOnWriteArrayList<>();

    ScenarioRun(FaultStack stack, Scenario scenario, int index, int rate, int seconds) {
        this.stack = stack;
        this.scenario = scenario;
        this.index = index;
        this.rate = rate;
        this.seconds = seconds;
        this.ids = new MetaWebhooks(Fixtures.newRun(), index);
    }

    Outcome execute() throws Exception {
        stack.healed();
        System.out.printf(Locale.ROOT, "%n[%s] %s%n", scenario.id(), scenario.description());
        long deadLettersBefore = stack.deadLetters();
        var factsFrom = stack.endOffsets("whatsapp.facts");
        List<FaultHarness.Planned> plan = FaultHarness.plan(ids, rate, seconds);
        try (MetaTraffic meta = new MetaTraffic(stack.webhooks(), DevServices.DEV_APP_SECRET)) {
            traffic = meta;
            startNanos = System.nanoTime();
            AtomicReference<Throwable> faultFailure = new AtomicReference<>();
            Thread fault = new Thread(() -> {
                try {
                    scenario.inject(this);
                } catch (Throwable t) {
                    faultFailure.set(t);
                }
            }, "fault-" + scenario.id());
            fault.start();
            for (FaultHarness.Planned planned : plan) {
                long wait = startNanos + planned.offsetMillis() * 1_000_000 - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                meta.deliver(planned.body(), planned.facts(), false);
            }
            long loadEnd = System.nanoTime();
            note(String.format(Locale.ROOT, "load done: %d webhooks first delivered", plan.size()));
            fault.join();
            if (faultFailure.get() != null) {
                throw new IllegalStateException("the fault of " + scenario.id() + " failed", faultFailure.get());
            }
            boolean accepted = meta.awaitAllAccepted(Duration.ofMinutes(10));
            note(accepted ? "every webhook got its 200" : meta.notAccepted() + " webhooks never got a 200");
            Duration drained = stack.awaitDrained(Duration.ofMinutes(15));
            Duration drain = Duration.ofNanos(System.nanoTime() - loadEnd);
            note(drained != null ? "every consumer group caught up" : "the consumer groups did not catch up");
            Thread.sleep(2000);
            CrmCheck.Result result = CrmCheck.check(ids, meta.webhooks(), stack.salesforce.org(),
                    stack.hubspot.portal(), "+" + ids.phone(0).substring(0, 7));
            long deadLettered = stack.deadLetters() - deadLettersBefore;
            // every stored delivery of a bad body is dead-lettered (Meta delivers some twice)
            long expectedDead = meta.webhooks().stream().filter(w -> w.deadLetterExpected)
                    .mapToLong(w -> w.acceptedTimes.get()).sum();
            long republished = stack.republishedFacts(factsFrom, ids.marker());
            result.examples().forEach(example -> note("  " + example));
            List<String> problems = new java.util.ArrayList<>();
            if (!accepted) {
                problems.add(meta.notAccepted() + " webhooks never got a 200 (their facts are counted lost)");
            }
            if (drained == null) {
                problems.add("the consumer groups did not catch up within 15 minutes");
            }
            if (meta.answeredOther() > 0) {
                problems.add(meta.answeredOther() + " answers other than 200 or 503 " + meta.answeredOtherByStatus());
                meta.answeredOtherAt().stream().limit(10).forEach(other -> note(String.format(Locale.ROOT,
                        "  %d from port %d at %.3f s", other.status(), other.port(),
                        (other.nanos() - startNanos) / 1e9)));
            }
            if (deadLettered != expectedDead) {
                problems.add(deadLettered + " dead letters, " + expectedDead + " expected");
            }
            problems.addAll(faultProblems);
            problems.forEach(problem -> note("FAILED: " + problem));
            List<MetaTraffic.Webhook> webhooks = meta.webhooks();
            String[] row = {scenario.id(), String.valueOf(webhooks.size()),
                    String.valueOf(webhooks.stream().filter(w -> w.accepted).count()),
                    String.valueOf(meta.answeredUnavailable()), String.valueOf(meta.unanswered()),
                    String.valueOf(result.expected()), String.valueOf(result.inSalesforce()),
                    String.valueOf(result.inHubSpot()), String.valueOf(result.lost()),
                    String.valueOf(result.duplicated()), String.valueOf(deadLettered),
                    drained == null ? "not drained" : String.format(Locale.ROOT, "%.0f s", drain.toMillis() / 1000.0),
                    String.valueOf(republished)};
            System.out.println("  " + String.join(" | ", row));
            return new Outcome(row, result, problems);
        }
    }

    @Override
    public FaultStack stack() {
        return stack;
    }

    @Override
    public MetaTraffic traffic() {
        return traffic;
    }

    @Override
    public MetaWebhooks ids() {
        return ids;
    }

    @Override
    public int seconds() {
        return seconds;
    }

    @Override
    public void at(int second) throws InterruptedException {
        long wait = startNanos + second * 1_000_000_000L - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }

    @Override
    public void sleep(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    @Override
    public void fail(String problem) {
        faultProblems.add(problem);
    }

    @Override
    public void note(String what) {
        System.out.printf(Locale.ROOT, "  [%6.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, what);
    }
}
