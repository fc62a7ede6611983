package io.github.wacrm.bridge.processes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One replica of the bridge: the packaged jar ({@code java -jar target/whatsapp-crm-bridge-*.jar}) in a process of its
 * own, configured only through environment variables, as in production; {@code application.yaml} and {@code routes/}
 * are read from its working directory.
 */
public final class BridgeReplica {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int webhookPort;
    private final int managementPort;
    private final int apiPort;
    private final ChildProcess process;

    public BridgeReplica(String name, Path jar, Path workingDirectory, Path logDirectory, int webhookPort, int managementPort,
            int apiPort, Map<String, String> environment) {
        this.name = name;
        this.webhookPort = webhookPort;
        this.managementPort = managementPort;
        this.apiPort = apiPort;
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("PORT", String.valueOf(webhookPort));
        env.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("OUTBOUND_API_PORT", String.valueOf(apiPort));
        List<String> command = List.of(ChildProcess.java(), "-Xms256m", "-Xmx768m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString());
        this.process = new ChildProcess(name, command, env, workingDirectory, logDirectory.resolve(name + ".log"));
    }

    /** The packaged jar of this build: {@code target/whatsapp-crm-bridge-<version>.jar}. */
    public static Path packagedJar(Path repository) {
        try (var files = Files.list(repository.resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("whatsapp-crm-bridge-.*\\.jar")
                    && !f.getFileName().toString().endsWith("-plain.jar")).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public BridgeReplica start() {
        process.start();
        return this;
    }

    /** Waits until the replica's readiness is UP (Kafka reachable, routes started). */
    public BridgeReplica awaitReady(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited:\n" + process.tail(60));
            }
            if (status("/actuator/health/readiness") == 200) {
                return this;
            }
            ChildProcess.pause(500);
        }
        throw new IllegalStateException(name + " did not become ready within " + within + ":\n" + process.tail(60));
    }

    /** {@code kill -9}: a crashed pod. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM, as a rolling update stops a pod; waits for the graceful shutdown. */
    public boolean terminate() {
        return process.terminate(90);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    public URI webhook() {
        return URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/whatsapp");
    }

    public int managementPort() {
        return managementPort;
    }

    /** The outbound REST API ({@code POST /api/v1/messages}). */
    public URI api(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    public ChildProcess process() {
        return process;
    }

    /** The HTTP status of a GET on the management port, 0 when it does not answer. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }
}
