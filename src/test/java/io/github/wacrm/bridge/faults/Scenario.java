package io.github.wacrm.bridge.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.wacrm.bridge.processes.BridgeReplica;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.LargeDeliveries;

/** The faults of the harness, one per scenario, each injected in the middle of a steady load. */
enum Scenario {

    KILL_REPLICA("kill-replica", "kill -9 one replica mid-load, restart it 10 s later") {
        @Override
        void inject(Run run) throws Exception {
            BridgeReplica replica = run.stack().replicas.get(run.stack().replicas.size() - 1);
            run.outage(run.seconds() / 3, "kill -9 " + replica.name(), replica::kill, 10, "start " + replica.name(),
                    replica::start);
        }
    },
    KILL_SENDER("kill-sender", "kill -9 a replica while both send WhatsApp templates (20/s through the REST API), "
            + "restart it 10 s later") {
        @Override
        int minimumSeconds() {
            return 30;
        }

        @Override
        void inject(Run run) throws Exception {
            FaultStack stack = run.stack();
            OutboundTraffic sends = new OutboundTraffic(stack.replicas, 20, run.seconds() * 2 / 3, run.ids().marker());
            Thread load = sends.start();
            BridgeReplica replica = stack.replicas.get(stack.replicas.size() - 1);
            run.outage(run.seconds() / 3, "kill -9 " + replica.name() + " mid-sends", replica::kill, 10,
                    "start " + replica.name(), replica::start);
            load.join();
            run.note("sends done; waiting for every request's final state");
            OutboundTraffic.Result result = sends.settle(stack.whatsapp, java.time.Duration.ofMinutes(3));
            run.note(result.summary());
            result.problems().forEach(run::fail);
        }
    },
    KILL_BROKER("kill-broker", "kill -9 the Kafka broker, restart it 20 s later") {
        @Override
        void inject(Run run) throws Exception {
            run.outage(run.seconds() / 3, "kill -9 the broker", run.stack().kafka::kill, 20, "start the broker",
                    run.stack().kafka::start);
        }
    },
    STOP_POSTGRES("stop-postgres", "stop PostgreSQL for 30 s") {
        @Override
        void inject(Run run) throws Exception {
            run.outage(run.seconds() / 3, "stop PostgreSQL", run.stack().postgres::stop, 30, "start PostgreSQL",
                    run.stack().postgres::start);
        }
    },
    CRM_OUTAGE("crm-outage", "Salesforce and HubSpot answer 503 for 60 s, then HubSpot a burst of 429s") {
        @Override
        int minimumSeconds() {
            return 90;
        }

        @Override
        void inject(Run run) throws Exception {
            FaultStack stack = run.stack();
            run.outage(10, "Salesforce and HubSpot down (503)", () -> {
                stack.salesforce.goDown();
                stack.hubspot.goDown();
            }, 60, "both back; HubSpot answers the next 60 calls 429", () -> {
                stack.salesforce.recover();
                stack.hubspot.recover();
                stack.hubspot.throttleNext(60);
            });
        }
    },
    HOSTILE_BODIES("hostile-bodies", "every bad-* fixture, a 2.5 MB text and 1,000 statuses in one delivery") {
        @Override
        void inject(Run run) throws Exception {
            run.at(run.seconds() / 2);
            run.note("hostile bodies");
            try (var files = Files.list(Path.of("src/test/resources/webhooks"))) {
                for (Path bad : files.filter(f -> f.getFileName().toString().startsWith("bad-")).sorted().toList()) {
                    run.traffic().deliver(Fixtures.load(bad.getFileName().toString().replace(".json", ""),
                            run.ids().marker() + "bad"), List.of(), true);
                }
            }
            int person = 9999;
            byte[] text = new String(LargeDeliveries.singleText("X", 2_500_000), StandardCharsets.UTF_8)
                    .replace("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-X-text",
                            run.ids().inboundWamid(person))
                    .replace("16505551234", run.ids().phone(person)).getBytes(StandardCharsets.UTF_8);
            run.traffic().deliver(text, run.ids().inboundFacts(person), false);
            byte[] statuses = new String(LargeDeliveries.statuses("X", 1000), StandardCharsets.UTF_8)
                    .replace("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-X-out-",
                            "wamid." + run.ids().marker() + "bulk-")
                    .replace("\"1650557", "\"" + run.ids().phone(0).substring(0, 7))
                    .getBytes(StandardCharsets.UTF_8);
            List<MetaWebhooks.Fact> facts = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                facts.add(new MetaWebhooks.Fact("wamid." + run.ids().marker() + "bulk-" + i, "sent"));
            }
            run.traffic().deliver(statuses, facts, false);
        }
    },
    TERM_REPLICA("term-replica", "SIGTERM one replica while 40 signed webhooks are half sent to it and 200/s more "
            + "arrive: each answered, every 200 in Kafka, the process gone within the pod's grace period") {
        @Override
        void inject(Run run) throws Exception {
            FaultStack stack = run.stack();
            int target = stack.replicas.size() - 1;
            BridgeReplica replica = stack.replicas.get(target);
            run.at(run.seconds() / 3);
            var rawFrom = stack.endOffsets(FaultStack.RAW_TOPIC);
            List<java.util.concurrent.CompletableFuture<MetaTraffic.FirstAttempt>> halfSent = new java.util.ArrayList<>();
            for (int person = IN_FLIGHT_PEOPLE; person < IN_FLIGHT_PEOPLE + 40; person++) {
                halfSent.add(run.traffic().deliverSlowly(target, run.ids().inboundText(person),
                        run.ids().inboundFacts(person), java.time.Duration.ofSeconds(3)));
            }
            // 200 webhooks/s more at the replica, from 0.5 s before the SIGTERM to 1.5 s after it
            List<java.util.concurrent.CompletableFuture<MetaTraffic.FirstAttempt>> around = new java.util.ArrayList<>();
            Thread burst = new Thread(() -> {
                for (int person = IN_FLIGHT_PEOPLE + 40; person < IN_FLIGHT_PEOPLE + 440; person++) {
                    // each on a new connection: the check is of the replica's drain, not of HTTP/1.1's race on a
                    // pooled idle connection the drain closes (the steady load meets that one, and is redelivered)
                    around.add(run.traffic().deliverOnANewConnection(target, run.ids().inboundText(person),
                            run.ids().inboundFacts(person)));
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "term-replica-burst");
            Thread.sleep(500);
            burst.start();
            Thread.sleep(500);
            run.note("SIGTERM " + replica.name() + " with 40 webhooks half sent to it and 200/s arriving");
            long signalled = System.nanoTime();
            boolean graceful = replica.terminate();
            double exited = (System.nanoTime() - signalled) / 1e9;
            burst.join();
            run.note(String.format(java.util.Locale.ROOT, "%s %s after %.1f s", replica.name(),
                    graceful ? "exited" : "had to be killed", exited));
            if (!graceful || exited > SHUTDOWN_BUDGET_SECONDS) {
                run.fail(String.format(java.util.Locale.ROOT, "%s took %.1f s to exit after SIGTERM (%s), more than "
                        + "the %d s the pod's grace period leaves after its preStop", replica.name(), exited,
                        graceful ? "exited" : "killed", SHUTDOWN_BUDGET_SECONDS));
            }
            List<MetaTraffic.FirstAttempt> answers = new java.util.ArrayList<>();
            for (var attempt : halfSent) {
                answers.add(attempt.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            run.note("the 40 half sent were answered " + byStatus(answers) + " (0: no answer)");
            List<MetaTraffic.FirstAttempt> after = new java.util.ArrayList<>();
            for (var attempt : around) {
                MetaTraffic.FirstAttempt answer = attempt.get(30, java.util.concurrent.TimeUnit.SECONDS);
                answers.add(answer);
                if (answer.answeredNanos() > signalled) {
                    after.add(answer);
                }
            }
            run.note("the " + after.size() + " of the burst answered after the SIGTERM: " + byStatus(after)
                    + " (0: no answer or connection refused)");
            List<MetaTraffic.FirstAttempt> cutOff = answers.stream().filter(MetaTraffic.FirstAttempt::cutOff).toList();
            if (!cutOff.isEmpty()) {
                run.fail(cutOff.size() + " of the " + answers.size() + " webhooks sent to " + replica.name()
                        + " around its SIGTERM lost their connection without an answer, e.g. " + cutOff.get(0).failure());
            }
            List<String> accepted = answers.stream().filter(a -> a.status() == 200)
                    .map(a -> a.webhook().facts.get(0).wamid()).toList();
            java.util.Set<String> stored = stack.found(rawFrom, accepted);
            if (stored.size() != accepted.size()) {
                run.fail((accepted.size() - stored.size()) + " of the " + accepted.size() + " webhooks answered 200 "
                        + "around the SIGTERM are not in " + FaultStack.RAW_TOPIC);
            } else {
                run.note("all " + accepted.size() + " answered 200 around the SIGTERM are in " + FaultStack.RAW_TOPIC);
            }
            replica.start().awaitReady(java.time.Duration.ofMinutes(3));
            run.note(replica.name() + " started again and ready");
        }

        private static java.util.Map<Integer, Long> byStatus(List<MetaTraffic.FirstAttempt> answers) {
            var byStatus = new java.util.TreeMap<Integer, Long>();
            answers.forEach(a -> byStatus.merge(a.status(), 1L, Long::sum));
            return byStatus;
        }
    },
    ROLLING_UPDATE("rolling-update", "SIGTERM each replica in turn and start it again (a rolling update)") {
        @Override
        void inject(Run run) throws Exception {
            run.at(run.seconds() / 4);
            for (BridgeReplica replica : run.stack().replicas) {
                run.note("SIGTERM " + replica.name());
                boolean graceful = replica.terminate();
                run.note(replica.name() + (graceful ? " stopped gracefully" : " had to be killed") + "; start it");
                replica.start().awaitReady(java.time.Duration.ofMinutes(3));
                run.note(replica.name() + " ready");
            }
        }
    };

    /** The people of the webhooks in flight at a SIGTERM: beyond any load's. */
    private static final int IN_FLIGHT_PEOPLE = 8000;
    /** k8s/base/deployment.yaml: terminationGracePeriodSeconds 80 less the preStop's 10 s. */
    static final int SHUTDOWN_BUDGET_SECONDS = 70;

    private final String id;
    private final String description;

    Scenario(String id, String description) {
        this.id = id;
        this.description = description;
    }

    String id() {
        return id;
    }

    String description() {
        return description;
    }

    /** The shortest load this fault needs. */
    int minimumSeconds() {
        return 20;
    }

    /** Injects the fault into a running scenario (its own thread; the load goes on meanwhile). */
    abstract void inject(Run run) throws Exception;

    static Scenario byId(String id) {
        for (Scenario scenario : values()) {
            if (scenario.id.equals(id)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("no scenario " + id + "; known: "
                + java.util.Arrays.stream(values()).map(Scenario::id).toList());
    }

    /** What a fault sees of its scenario. */
    interface Run {
        FaultStack stack();

        MetaTraffic traffic();

        MetaWebhooks ids();

        int seconds();

        /** Waits until {@code second} seconds into the load. */
        void at(int second) throws InterruptedException;

        void sleep(int seconds) throws InterruptedException;

        void note(String what);

        /** A check of the fault's own that failed: the harness exits non-zero. */
        void fail(String problem);

        /** At {@code second}: {@code fail}; {@code seconds} later: {@code heal}; each step noted. */
        default void outage(int second, String failing, Step fail, int seconds, String healing, Step heal)
                throws Exception {
            at(second);
            note(failing);
            fail.run();
            sleep(seconds);
            note(healing);
            heal.run();
        }
    }

    /** One step of a fault. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }
}
