package io.github.wacrm.bridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.SpringApplication;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotActionDefinitions;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real services the bridge needs, started in-process for tests and for {@code mvn spring-boot:test-run}: a KRaft
 * Kafka broker, a PostgreSQL server, and the Salesforce and HubSpot emulators. One instance per JVM, shared by every
 * test class.
 */
public final class DevServices {

    public static final String DEV_APP_SECRET = "dev-app-secret";
    public static final String DEV_PREVIOUS_APP_SECRET = "dev-previous-app-secret";
    public static final String DEV_VERIFY_TOKEN = "dev-verify-token";
    public static final int PARTITIONS = 3;
    public static final List<String> TOPICS = List.of(
            "whatsapp.webhooks.raw", "whatsapp.events", "whatsapp.webhooks.dlq", "whatsapp.events.unhandled",
            "whatsapp.facts", "whatsapp.salesforce.dlq", "whatsapp.salesforce.replay", "whatsapp.hubspot.dlq",
            "whatsapp.hubspot.replay", "whatsapp.outbound.requests", "whatsapp.salesforce.activity.dlq",
            "whatsapp.hubspot.activity.dlq");
    /** The HubSpot app's client secret of the local run and the tests (workflow action signatures). */
    public static final String DEV_HUBSPOT_APP_SECRET = "dev-hubspot-app-secret";
    /** The workflow action's URL as HubSpot signs it in the local run and the tests. */
    public static final String DEV_HUBSPOT_ACTION_URL = "https://bridge.local/hubspot/v1/actions/whatsapp-send";
    /** The "Send a webhook" URL the dev workflows sign (the path the bridge serves, behind a TLS proxy). */
    public static final String DEV_HUBSPOT_WEBHOOK_URL = "https://bridge.local/hubspot/v1/webhooks/whatsapp-send";
    /** System property: the Salesforce emulator's port (0, the default for tests: any free port). */
    public static final String SALESFORCE_PORT_PROPERTY = "whatsapp.dev.salesforce-port";
    /** System property: the Salesforce emulator's Pub/Sub API port (0, the default for tests: any free port). */
    public static final String SALESFORCE_PUBSUB_PORT_PROPERTY = "whatsapp.dev.salesforce-pubsub-port";
    /** System property: the HubSpot emulator's port (0, the default for tests: any free port). */
    public static final String HUBSPOT_PORT_PROPERTY = "whatsapp.dev.hubspot-port";
    /** System property: the WhatsApp Cloud API emulator's port (0, the default for tests: any free port). */
    public static final String WHATSAPP_PORT_PROPERTY = "whatsapp.dev.whatsapp-port";
    /** The outbound REST API's token in tests and the local run. */
    public static final String DEV_OUTBOUND_TOKEN = "dev-outbound-token";
    /** The local run's and the tests' operator token (every operator role), named {@code ops}. */
    public static final String DEV_OPERATOR_TOKEN = "dev-operator-token";
    /** The local run's and the tests' erasure token (name {@code dpo}, the {@code erasure} role only). */
    public static final String DEV_ERASURE_TOKEN = "dev-erasure-token";
    /** System property: when true the HubSpot emulator accepts any token (the local run); tests use one token. */
    public static final String HUBSPOT_ANY_TOKEN_PROPERTY = "whatsapp.dev.hubspot-any-token";

    private static DevServices instance;

    private final EmbeddedKafkaKraftBroker kafka;
    private final EmbeddedPostgres postgres;
    private final SalesforceEmulator salesforce;
    private final HubSpotEmulator hubspot;
    private final WhatsAppCloudEmulator whatsapp;

    private DevServices(EmbeddedKafkaKraftBroker kafka, EmbeddedPostgres postgres, SalesforceEmulator salesforce,
            HubSpotEmulator hubspot, WhatsAppCloudEmulator whatsapp) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.salesforce = salesforce;
        this.hubspot = hubspot;
        this.whatsapp = whatsapp;
    }

    public static synchronized DevServices get() {
        if (instance == null) {
            quietLogs();
            // the emulators' JDK HTTP server writes an answer's headers and body apart: without TCP_NODELAY each answer
            // on a kept-alive connection waits for the client's delayed ACK (about 40 ms), which no real service does
            System.setProperty("sun.net.httpserver.nodelay", "true");
            EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
            kafka.brokerProperties(Map.of(
                    "auto.create.topics.enable", "false",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "offsets.topic.replication.factor", "1",
                    "message.max.bytes", "5242880"));
            kafka.afterPropertiesSet();
            kafka.addTopics(TOPICS.stream().map(name -> new NewTopic(name, PARTITIONS, (short) 1)).toArray(NewTopic[]::new));
            EmbeddedPostgres postgres;
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            SalesforceEmulator salesforce = SalesforceEmulator.start(Integer.getInteger(SALESFORCE_PORT_PROPERTY, 0),
                    Integer.getInteger(SALESFORCE_PUBSUB_PORT_PROPERTY, 0));
            HubSpotEmulator hubspot = HubSpotEmulator.start(Integer.getInteger(HUBSPOT_PORT_PROPERTY, 0),
                    Boolean.getBoolean(HUBSPOT_ANY_TOKEN_PROPERTY) ? null : HubSpotEmulator.DEV_TOKEN);
            WhatsAppCloudEmulator whatsapp = WhatsAppCloudEmulator.start(Integer.getInteger(WHATSAPP_PORT_PROPERTY, 0));
            instance = new DevServices(kafka, postgres, salesforce, hubspot, whatsapp);
            // after the application's contexts are closed (Spring's shutdown hook runs its handlers then), so the
            // application stops while the broker and the database it uses are still there; a JVM hook of its own
            // would run beside Spring's, and the connection pool would wait for a database gone away
            SpringApplication.getShutdownHandlers().add(instance::stop);
        }
        return instance;
    }

    /** The embedded broker and database log every step at INFO; only their warnings matter here. */
    private static void quietLogs() {
        for (String name : List.of("kafka", "org.apache.kafka", "org.apache.zookeeper", "io.zonky", "state.change.logger")) {
            org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(name);
            if (logger instanceof ch.qos.logback.classic.Logger logback) {
                logback.setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
    }

    /** A port nothing listens on right now. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafkaBrokers() {
        return kafka.getBrokersAsString();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public SalesforceEmulator salesforce() {
        return salesforce;
    }

    public HubSpotEmulator hubspot() {
        return hubspot;
    }

    public WhatsAppCloudEmulator whatsapp() {
        return whatsapp;
    }

    public EmbeddedKafkaKraftBroker kafka() {
        return kafka;
    }

    /** The application properties that point the bridge at these services. */
    public Map<String, String> applicationProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        // the variables application.yaml reads, so a test can still override the real keys
        properties.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBrokers());
        properties.put("DATABASE_URL", jdbcUrl());
        properties.put("DATABASE_USERNAME", "postgres");
        properties.put("DATABASE_PASSWORD", "postgres");
        // the Salesforce sink, pointed at the emulator (which accepts any client credentials)
        properties.put("WHATSAPP_SALESFORCE_ENABLED", "true");
        properties.put("SALESFORCE_LOGIN_URL", salesforce.baseUrl());
        properties.put("SALESFORCE_CLIENT_ID", "dev-client-id");
        properties.put("SALESFORCE_CLIENT_SECRET", "dev-client-secret");
        // the HubSpot sink, pointed at the emulator
        properties.put("WHATSAPP_HUBSPOT_ENABLED", "true");
        properties.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        properties.put("HUBSPOT_ACCESS_TOKEN", HubSpotEmulator.DEV_TOKEN);
        // the reverse routes, sending through the WhatsApp Cloud API emulator
        properties.put("WHATSAPP_OUTBOUND_ENABLED", "true");
        properties.put("WHATSAPP_CLOUD_API_URL", whatsapp.baseUrl());
        properties.put("WHATSAPP_ACCESS_TOKEN", WhatsAppCloudEmulator.DEV_TOKEN);
        properties.put("WHATSAPP_WABA_ID", WhatsAppCloudEmulator.WABA_ID);
        properties.put("WHATSAPP_PHONE_NUMBER_ID", WhatsAppCloudEmulator.PHONE_NUMBER_ID);
        properties.put("WHATSAPP_OUTBOUND_API_TOKEN", DEV_OUTBOUND_TOKEN);
        properties.put("WHATSAPP_OPERATOR_TOKEN", DEV_OPERATOR_TOKEN);
        // WhatsApp_Send__e events, read from the Salesforce emulator's Pub/Sub API (plaintext gRPC on loopback)
        properties.put("WHATSAPP_OUTBOUND_SALESFORCE_EVENTS", "true");
        properties.put("SALESFORCE_PUBSUB_HOST", "127.0.0.1");
        properties.put("SALESFORCE_PUBSUB_PORT", Integer.toString(salesforce.pubSubPort()));
        properties.put("whatsapp.outbound.salesforce-events.plaintext", "true");
        // the HubSpot workflow action, signed by the HubSpot emulator's workflows with the dev app secret
        properties.put("WHATSAPP_OUTBOUND_HUBSPOT_ACTIONS", "true");
        properties.put("WHATSAPP_HUBSPOT_ACTION_URL", DEV_HUBSPOT_ACTION_URL);
        properties.put("WHATSAPP_HUBSPOT_WEBHOOK_URL", DEV_HUBSPOT_WEBHOOK_URL);
        properties.put("HUBSPOT_APP_CLIENT_SECRETS", DEV_HUBSPOT_APP_SECRET);
        // the setup command creates the action's definition in the emulator's dev app
        properties.put("HUBSPOT_APP_ID", HubSpotActionDefinitions.DEV_APP_ID);
        properties.put("HUBSPOT_DEVELOPER_API_KEY", HubSpotActionDefinitions.DEV_DEVELOPER_KEY);
        // the embedded broker logs every step at INFO
        for (String logger : List.of("kafka", "org.apache.kafka", "state.change.logger", "io.zonky")) {
            properties.put("logging.level." + logger, "WARN");
        }
        return properties;
    }

    private void stop() {
        salesforce.close();
        hubspot.close();
        whatsapp.close();
        try {
            postgres.close();
        } catch (IOException | RuntimeException ignored) {
            // the JVM is going away
        }
        try {
            kafka.destroy();
        } catch (RuntimeException ignored) {
            // the JVM is going away
        }
    }
}
