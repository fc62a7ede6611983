package io.github.wacrm.bridge.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka's own broker ({@code kafka.Kafka} from {@code org.apache.kafka:kafka_2.13}, on the test class path) as a
 * process of its own: KRaft, one node that is broker and controller, its log directory on disk, so it keeps its data
 * across its own restarts and a {@code kill -9} is a real crash.
 */
public final class KafkaServer {

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final ChildProcess process;

    public KafkaServer(Path directory, int port, int controllerPort) {
        this.directory = directory.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), "-Xms256m", "-Xmx512m",
                "-XX:+UseSerialGC", "-Dlogback.configurationFile=" + this.directory.resolve("logback.xml"),
                "-cp", ChildProcess.classpath(), "kafka.Kafka", this.directory.resolve("server.properties").toString()));
        this.process = new ChildProcess("kafka", command, Map.of(), this.directory, this.directory.resolve("kafka.log"));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it answers. */
    public KafkaServer start() {
        try {
            Files.createDirectories(directory.resolve("data"));
            writeConfig();
            if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
                format();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.start();
        // a broker killed with kill -9 recovers its logs first: on a busy 2-core machine that took over 90 s
        awaitReady(Duration.ofSeconds(240));
        return this;
    }

    /** {@code kill -9} of the broker. */
    public void kill() {
        process.kill();
    }

    /** A clean stop (SIGTERM). */
    public void stop() {
        process.terminate(60);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited:\n" + process.tail(40));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                ChildProcess.pause(500);
            }
        }
        throw new IllegalStateException("the Kafka broker did not answer within " + within + ":\n" + process.tail(40));
    }

    private void format() throws IOException {
        List<String> command = List.of(ChildProcess.java(), "-Xmx256m",
                "-Dlogback.configurationFile=" + directory.resolve("logback.xml"), "-cp", ChildProcess.classpath(),
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                directory.resolve("server.properties").toString());
        ChildProcess format = new ChildProcess("kafka-format", command, Map.of(), directory,
                directory.resolve("kafka-format.log")).start();
        for (int i = 0; i < 120 && format.isAlive(); i++) {
            ChildProcess.pause(500);
        }
        if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            throw new IllegalStateException("formatting the Kafka storage failed:\n" + format.tail(20));
        }
    }

    private void writeConfig() throws IOException {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", directory.resolve("data").toString());
        config.put("num.partitions", "3");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "10");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        // as a production cluster usually is: the bridge creates its own topics, sized for its largest record
        config.put("auto.create.topics.enable", "false");
        try (var out = Files.newBufferedWriter(directory.resolve("server.properties"))) {
            config.store(out, "written by KafkaServer (dev services / fault harness)");
        }
        Files.writeString(directory.resolve("logback.xml"), """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{ISO8601} %-5level %logger{30} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="out"/></root>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                </configuration>
                """);
    }
}
