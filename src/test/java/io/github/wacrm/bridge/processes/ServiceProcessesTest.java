package io.github.wacrm.bridge.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.wacrm.bridge.support.DevServices;

/** The dev services and the fault harness run the broker and PostgreSQL as processes that keep their data across a crash. */
class ServiceProcessesTest {

    @TempDir
    Path directory;

    @Test
    void aBrokerKilledWithSigkillComesBackWithEveryAcknowledgedRecord() throws Exception {
        KafkaServer kafka = new KafkaServer(directory.resolve("kafka"), DevServices.freePort(), DevServices.freePort());
        try {
            kafka.start();
            long pid = kafka.pid();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", (Object) kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "acknowledged before the crash")).get();
            }

            kafka.kill();
            assertThat(kafka.isAlive()).isFalse();
            kafka.start();

            assertThat(kafka.pid()).isNotEqualTo(pid);
            Properties config = new Properties();
            config.put("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("kept", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                List<String> values = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                    records.records(partition).forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactly("acknowledged before the crash");
            }
        } finally {
            kafka.kill();
        }
    }

    @Test
    void postgresStoppedAndStartedAgainKeepsItsDataAndTheBridgesDatabase() throws Exception {
        PostgresServer postgres = new PostgresServer(directory.resolve("postgres"), DevServices.freePort());
        try {
            postgres.start();
            try (Connection db = connect(postgres); Statement sql = db.createStatement()) {
                sql.execute("CREATE TABLE kept (note text)");
                sql.execute("INSERT INTO kept VALUES ('written before the stop')");
            }

            postgres.stop();
            assertThat(postgres.isRunning()).isFalse();
            postgres.start();

            try (Connection db = connect(postgres); Statement sql = db.createStatement();
                    ResultSet rows = sql.executeQuery("SELECT note FROM kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("written before the stop");
            }
        } finally {
            postgres.stop();
        }
    }

    private static Connection connect(PostgresServer postgres) throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
    }
}
