package io.github.wacrm.bridge.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.github.wacrm.bridge.processes.BridgeReplica;
import io.github.wacrm.bridge.processes.ChildProcess;
import io.github.wacrm.bridge.processes.DevServicesCommand;

/**
 * The fault harness: {@code mvn -q test-compile exec:java@faults [-Dexec.args="--scenario kill-replica --seconds 60"]}.
 * Drives signed webhooks at a steady rate (distinct people, each writing once and getting the statuses of the
 * business's reply in any order) through replicas of the packaged jar sharing their consumer groups, injects one fault
 * per scenario, redelivers like Meta, waits until every consumer group has caught up, and checks against the
 * emulators that every fact of every webhook answered 200 is in Salesforce and in HubSpot exactly once, with no status
 * downgraded. Prints one row per scenario and {@code RESULT: N lost, N duplicated}. Options: {@code --scenario}
 * (comma-separated ids, default every one), {@code --rate} (webhooks/s, default 200), {@code --seconds} (load per
 * scenario, default 60), {@code --replicas} (default 2).
 */
public final class FaultHarness {

    private FaultHarness() {
    }

    public static void main(String[] args) {
        try {
            ChildProcess.quietLogs();
            System.exit(run(DevServicesCommand.options(args)));
        } catch (Throwable failure) {
            failure.printStackTrace();
            System.exit(2);
        }
    }

    private static int run(Map<String, String> options) throws Exception {
        List<Scenario> scenarios = options.containsKey("scenario")
                ? Arrays.stream(options.get("scenario").split(",")).map(String::trim).map(Scenario::byId).toList()
                : List.of(Scenario.values());
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int replicas = Integer.parseInt(options.getOrDefault("replicas", "2"));
        Path repository = Path.of("").toAbsolutePath();
        Path jar = packagedJar(repository);
        Path home = repository.resolve("target/faults");
        DevServicesCommand.delete(home);
        Files.createDirectories(home);

        System.out.printf(Locale.ROOT, "%nFault harness: %d replica(s) of %s, %d webhooks/s, %d s of load per scenario; "
                + "logs in %s%n", replicas, repository.relativize(jar), rate, seconds, repository.relativize(home));
        List<String[]> rows = new ArrayList<>();
        long lost = 0;
        long duplicated = 0;
        long downgraded = 0;
        List<String> failed = new ArrayList<>();
        long startedAt = System.nanoTime();
        try (FaultStack stack = new FaultStack(repository, home, jar, replicas)) {
            System.out.printf(Locale.ROOT, "Stack up in %.0f s: Kafka %s (pid %d), PostgreSQL, emulators, %s%n",
                    (System.nanoTime() - startedAt) / 1e9, stack.kafka.bootstrapServers(), stack.kafka.pid(),
                    stack.replicas.stream().map(BridgeReplica::name).toList());
            for (Scenario scenario : scenarios) {
                ScenarioRun run = new ScenarioRun(stack, scenario, scenario.ordinal() + 1, rate,
                        Math.max(seconds, scenario.minimumSeconds()));
                ScenarioRun.Outcome outcome = run.execute();
                rows.add(outcome.row());
                lost += outcome.result().lost();
                duplicated += outcome.result().duplicated();
                downgraded += outcome.result().downgraded();
                outcome.problems().forEach(problem -> failed.add(scenario.id() + ": " + problem));
            }
        }
        print(rows);
        System.out.printf(Locale.ROOT, "statuses downgraded: %d%n", downgraded);
        failed.forEach(problem -> System.out.println("FAILED CHECK: " + problem));
        System.out.printf(Locale.ROOT, "RESULT: %d lost, %d duplicated%n", lost, duplicated);
        return lost == 0 && duplicated == 0 && downgraded == 0 && failed.isEmpty() ? 0 : 1;
    }

    static final String[] HEADER = {"scenario", "webhooks sent", "200", "503 answers", "unanswered tries",
            "facts expected", "in Salesforce", "in HubSpot", "lost", "duplicated", "dead-lettered", "time to drain",
            "republished"};

    private static void print(List<String[]> rows) {
        int[] widths = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            widths[i] = HEADER[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        System.out.println();
        System.out.println(line(HEADER, widths));
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append(rule.isEmpty() ? "" : "-|-").append("-".repeat(width));
        }
        System.out.println(rule);
        rows.forEach(row -> System.out.println(line(row, widths)));
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            out.append(i == 0 ? "" : " | ");
            out.append(i == 0 ? String.format("%-" + widths[i] + "s", cells[i])
                    : String.format("%" + widths[i] + "s", cells[i]));
        }
        return out.toString();
    }

    /** The packaged jar, built first (mvn -q -DskipTests package) when it is missing or older than the classes. */
    static Path packagedJar(Path repository) throws IOException, InterruptedException {
        Path jar = BridgeReplica.packagedJar(repository);
        if (jar == null || isOlderThan(jar, repository.resolve("target/classes"))) {
            System.out.println("Packaging the bridge first: mvn -q -DskipTests package");
            Process build = new ProcessBuilder("mvn", "-q", "-B", "-DskipTests", "package").directory(repository.toFile())
                    .inheritIO().start();
            if (build.waitFor() != 0) {
                throw new IllegalStateException("mvn package failed");
            }
            jar = BridgeReplica.packagedJar(repository);
        }
        if (jar == null) {
            throw new IllegalStateException("no target/whatsapp-crm-bridge-*.jar after mvn package");
        }
        return jar;
    }

    private static boolean isOlderThan(Path jar, Path classes) throws IOException {
        if (!Files.isDirectory(classes)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (var files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.getLastModifiedTime(f);
                } catch (IOException e) {
                    return FileTime.fromMillis(0);
                }
            }).max(Comparator.naturalOrder()).map(newest -> newest.compareTo(built) > 0).orElse(false);
        }
    }

    /** The webhooks of one scenario, planned before it starts: when each is first delivered. */
    record Planned(long offsetMillis, byte[] body, List<MetaWebhooks.Fact> facts) {
    }

    /**
     * {@code rate × seconds} webhooks: a quarter are text messages from new people, spread evenly; the rest are the
     * sent, delivered and read statuses of the business's reply to each, each 0.5 to 8 s after the message, so they
     * arrive in any order (read before delivered, often).
     */
    static List<Planned> plan(MetaWebhooks ids, int rate, int seconds) {
        Random random = new Random(ids.hashCode());
        int people = Math.max(1, rate * seconds / 4);
        double every = 4000.0 / rate;
        List<Planned> plan = new ArrayList<>(people * 4);
        for (int p = 0; p < people; p++) {
            long at = Math.round(p * every);
            plan.add(new Planned(at, ids.inboundText(p), ids.inboundFacts(p)));
            for (String status : List.of("sent", "delivered", "read")) {
                plan.add(new Planned(at + 500 + random.nextInt(7500), ids.status(p, status), ids.statusFacts(p, status)));
            }
        }
        plan.sort(Comparator.comparingLong(Planned::offsetMillis));
        return plan;
    }
}
