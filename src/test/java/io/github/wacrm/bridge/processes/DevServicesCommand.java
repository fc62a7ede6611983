package io.github.wacrm.bridge.processes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.support.DevServices;

/**
 * {@code mvn -q test-compile exec:java@dev-services}: the services the bridge needs, each as a process of its own, so
 * the packaged jar can run against them as in production and each can fail alone: a Kafka broker (KRaft, data under
 * {@code target/dev-services/kafka}), PostgreSQL ({@code target/dev-services/postgres}) and the Salesforce and HubSpot
 * emulators (ports 8091 and 8092). Prints the environment that points {@code java -jar target/…jar} at them (and writes
 * it to {@code target/dev-services/bridge.env}). The broker and PostgreSQL keep their data across their restarts;
 * type {@code kill kafka}, {@code start kafka}, {@code stop postgres}, {@code start postgres}, {@code status} or
 * {@code quit}. Options: {@code --fresh} (start with empty data), {@code --kafka-port}, {@code --postgres-port},
 * {@code --salesforce-port}, {@code --hubspot-port}.
 */
public final class DevServicesCommand {

    private DevServicesCommand() {
    }

    public static void main(String[] args) throws Exception {
        ChildProcess.quietLogs();
        Map<String, String> options = options(args);
        Path repository = Path.of("").toAbsolutePath();
        Path home = repository.resolve("target/dev-services");
        if (options.containsKey("fresh")) {
            delete(home);
        }
        int kafkaPort = Integer.parseInt(options.getOrDefault("kafka-port", "9092"));
        int postgresPort = Integer.parseInt(options.getOrDefault("postgres-port", "5432"));
        int salesforcePort = Integer.parseInt(options.getOrDefault("salesforce-port", "8091"));
        int hubspotPort = Integer.parseInt(options.getOrDefault("hubspot-port", "8092"));

        System.out.println("Starting Kafka, PostgreSQL and the CRM emulators as separate processes...");
        KafkaServer kafka = new KafkaServer(home.resolve("kafka"), kafkaPort, kafkaPort + 1).start();
        PostgresServer postgres = new PostgresServer(home.resolve("postgres"), postgresPort).start();
        ChildProcess emulators = emulators(repository, home, salesforcePort, hubspotPort);
        Map<String, String> environment = bridgeEnvironment(kafka, postgres, salesforcePort, hubspotPort);
        Path envFile = home.resolve("bridge.env");
        StringBuilder env = new StringBuilder();
        environment.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
        Files.writeString(envFile, env.toString());

        System.out.println();
        System.out.println("=== Dev services (separate processes) ===");
        System.out.printf("Kafka (KRaft):      %s  pid %d  data %s%n", kafka.bootstrapServers(), kafka.pid(),
                home.resolve("kafka/data"));
        System.out.printf("PostgreSQL:         %s (user %s)  data %s%n", postgres.jdbcUrl(), PostgresServer.USER,
                home.resolve("postgres/data"));
        System.out.printf("Salesforce, HubSpot emulators: http://127.0.0.1:%d, http://127.0.0.1:%d  pid %d%n",
                salesforcePort, hubspotPort, emulators.pid());
        System.out.println();
        System.out.println("Run the packaged bridge against them (mvn -q -DskipTests package first):");
        System.out.println("  set -a; . " + repository.relativize(envFile) + "; set +a");
        System.out.println("  java -jar target/whatsapp-crm-bridge-0.1.0-SNAPSHOT.jar");
        System.out.println("The environment:");
        environment.forEach((k, v) -> System.out.println("  " + k + "=" + v));
        System.out.println();
        System.out.println("Commands: kill kafka | stop kafka | start kafka | stop postgres | start postgres | status | quit");

        control(kafka, postgres, emulators);
        emulators.terminate(10);
        postgres.stop();
        kafka.stop();
    }

    /** What the packaged jar needs to run against these services (the application.yaml variables). */
    public static Map<String, String> bridgeEnvironment(KafkaServer kafka, PostgresServer postgres, int salesforcePort,
            int hubspotPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("DATABASE_URL", postgres.jdbcUrl());
        env.put("DATABASE_USERNAME", PostgresServer.USER);
        env.put("DATABASE_PASSWORD", PostgresServer.PASSWORD);
        env.put("WHATSAPP_APP_SECRETS", DevServices.DEV_APP_SECRET);
        env.put("WHATSAPP_VERIFY_TOKEN", DevServices.DEV_VERIFY_TOKEN);
        env.put("WHATSAPP_SALESFORCE_ENABLED", "true");
        env.put("SALESFORCE_LOGIN_URL", "http://127.0.0.1:" + salesforcePort);
        env.put("SALESFORCE_CLIENT_ID", "dev-client-id");
        env.put("SALESFORCE_CLIENT_SECRET", "dev-client-secret");
        env.put("WHATSAPP_HUBSPOT_ENABLED", "true");
        env.put("HUBSPOT_BASE_URL", "http://127.0.0.1:" + hubspotPort);
        env.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.DEV_TOKEN);
        env.put("HUBSPOT_CREATE_MISSING_PROPERTIES", "true");
        return env;
    }

    private static ChildProcess emulators(Path repository, Path home, int salesforcePort, int hubspotPort) {
        ChildProcess emulators = new ChildProcess("emulators", List.of(ChildProcess.java(), "-Xmx512m", "-cp",
                ChildProcess.classpath(), DevEmulators.class.getName(), String.valueOf(salesforcePort),
                String.valueOf(hubspotPort)), Map.of(), repository, home.resolve("emulators.log")).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!(open(salesforcePort) && open(hubspotPort))) {
            if (!emulators.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the emulators did not start:\n" + emulators.tail(30));
            }
            ChildProcess.pause(200);
        }
        return emulators;
    }

    private static void control(KafkaServer kafka, PostgresServer postgres, ChildProcess emulators) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "kill kafka" -> kafka.kill();
                case "stop kafka" -> kafka.stop();
                case "start kafka" -> kafka.start();
                case "stop postgres" -> postgres.stop();
                case "start postgres" -> postgres.start();
                case "status" -> { }
                case "quit", "exit" -> {
                    return;
                }
                case "" -> {
                    continue;
                }
                default -> System.out.println("unknown command: " + line.trim());
            }
            System.out.printf("kafka %s, postgres %s, emulators %s%n", kafka.isAlive() ? "up" : "down",
                    postgres.isRunning() ? "up" : "down", emulators.isAlive() ? "up" : "down");
        }
        // no terminal (started in the background): run until the JVM is stopped
        new CountDownLatch(1).await();
    }

    private static boolean open(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(name, hasValue ? args[++i] : "true");
        }
        return options;
    }

    public static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
