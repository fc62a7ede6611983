package io.github.wacrm.bridge.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bridge's topics ({@code whatsapp.topics.*}) take its largest record ({@link RecordSizeLimit}). Checked once the
 * beans are ready and before any route starts: a missing topic is created with the right {@code max.message.bytes}
 * (when {@code whatsapp.kafka.create-missing-topics} is on), and a topic too small for the largest record stops the
 * bridge from starting, with the command that fixes it. While the broker cannot be reached the bridge starts anyway
 * (the intake answers 503 until it can) and the check runs again with the pipeline's progress check
 * ({@link #checkIfPending}); what it finds then is logged and reported by the {@code pipeline} health component.
 */
@Component("bridgeTopics")
public class BridgeTopics implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeTopics.class);

    private final String brokers;
    private final TopicNames topics;
    private final int maxRecordBytes;
    private final boolean createMissing;
    private final int partitions;
    private final short replicationFactor;
    private final Duration timeout;
    private final TopicRetention retention;
    private volatile boolean checked;
    private volatile List<String> retentionWarnings = List.of();
    private volatile List<String> problems = List.of();

    public BridgeTopics(TopicNames topics, RecordSizeLimit limit, TopicRetention retention,
            @Value("${camel.component.kafka.brokers}") String brokers,
            @Value("${whatsapp.kafka.create-missing-topics:true}") boolean createMissing,
            @Value("${whatsapp.kafka.topic-partitions:3}") int partitions,
            @Value("${whatsapp.kafka.topic-replication-factor:-1}") short replicationFactor,
            @Value("${whatsapp.kafka.topic-check-timeout-ms:15000}") long timeoutMs) {
        this.brokers = brokers;
        this.topics = topics;
        this.maxRecordBytes = limit.maxRecordBytes();
        this.createMissing = createMissing;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.timeout = Duration.ofMillis(timeoutMs);
        this.retention = retention;
    }

    /** At start: refuses to start when a topic cannot take the largest record; goes on when the broker is away. */
    @Override
    public void afterPropertiesSet() {
        List<String> found;
        try {
            found = check();
        } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            // a timeout, or no broker address that resolves
            LOG.warn("Kafka ({}) cannot be reached to check the topics ({}); the bridge starts (webhooks get 503 until "
                    + "Kafka can be reached) and checks them again once it can", brokers, e.getClass().getSimpleName());
            return;
        }
        if (!found.isEmpty()) {
            throw new IllegalStateException(describe(found));
        }
    }

    /** Runs the check again if the broker could not be reached before; called by the pipeline's progress check. */
    public void checkIfPending() {
        if (checked) {
            return;
        }
        try {
            List<String> found = check();
            if (!found.isEmpty()) {
                LOG.error(describe(found));
            }
        } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
            // a timeout, or no broker address that resolves
            LOG.debug("Kafka still cannot be reached to check the topics");
        }
    }

    /** What the last completed check found wrong (empty when every topic is right, or before any check completed). */
    public List<String> problems() {
        return problems;
    }

    /** The topics that keep records longer than whatsapp.kafka.retention says (warned at start, not refused). */
    public List<String> retentionWarnings() {
        return retentionWarnings;
    }

    public boolean isChecked() {
        return checked;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Creates what is missing and answers what is still wrong; a timeout when the broker cannot be reached. */
    List<String> check() throws java.util.concurrent.TimeoutException {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "whatsapp-crm-bridge-topic-check");
        try (Admin admin = Admin.create(config)) {
            Collection<String> names = topics.all();
            List<String> missing = new ArrayList<>();
            Map<String, Integer> partitionCounts = new LinkedHashMap<>();
            for (Map.Entry<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> topic : admin
                    .describeTopics(names).topicNameValues().entrySet()) {
                Throwable failure = failure(topic.getValue());
                if (failure instanceof UnknownTopicOrPartitionException) {
                    missing.add(topic.getKey());
                } else if (failure == null) {
                    partitionCounts.put(topic.getKey(), partitionsOf(topic.getValue()));
                }
            }
            List<String> found = new ArrayList<>(coPartitioned(partitionCounts));
            if (!missing.isEmpty()) {
                found.addAll(createMissing ? create(admin, missing) : missing.stream()
                        .map(name -> name + ": does not exist (create it with max.message.bytes=" + maxRecordBytes
                                + ", or set whatsapp.kafka.create-missing-topics=true)").toList());
            }
            List<ConfigResource> existing = names.stream().filter(name -> !missing.contains(name))
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            Map<ConfigResource, Config> configs;
            try {
                configs = get(admin.describeConfigs(existing).all());
            } catch (AuthorizationException notAllowed) {
                // asking again will not help: say what must hold, and go on
                LOG.warn("The bridge may not read the topics' configuration ({}): make sure each of {} takes "
                        + "max.message.bytes={} or more", notAllowed.getMessage(), names, maxRecordBytes);
                problems = List.copyOf(found);
                checked = true;
                return found;
            }
            List<String> longer = new ArrayList<>();
            for (Map.Entry<ConfigResource, Config> topic : configs.entrySet()) {
                ConfigEntry kept = topic.getValue().get(TopicConfig.RETENTION_MS_CONFIG);
                String warning = retention.warning(topic.getKey().name(), kept == null ? null : kept.value(), brokers);
                if (warning != null) {
                    longer.add(warning);
                    LOG.warn("Kafka topic {}", warning);
                }
                ConfigEntry size = topic.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                long bytes = size == null || size.value() == null ? 0 : Long.parseLong(size.value());
                if (bytes < maxRecordBytes) {
                    found.add(topic.getKey().name() + ": max.message.bytes is " + bytes + "; raise it: kafka-configs.sh "
                            + "--bootstrap-server " + brokers + " --alter --entity-type topics --entity-name "
                            + topic.getKey().name() + " --add-config max.message.bytes=" + maxRecordBytes);
                }
            }
            retentionWarnings = List.copyOf(longer);
            problems = List.copyOf(found);
            checked = true;
            if (found.isEmpty()) {
                LOG.info("Kafka topics checked: {} topics take records of {} bytes", names.size(), maxRecordBytes);
            }
            return found;
        }
    }

    /**
     * Each CRM sink reads the facts topic and its replay topic with the range assignor, so partition N of both goes to
     * one consumer and a customer's replayed facts are written by the consumer that writes their live ones: the two
     * topics need the same number of partitions.
     */
    private List<String> coPartitioned(Map<String, Integer> partitionCounts) {
        List<String> found = new ArrayList<>();
        Integer facts = partitionCounts.get(topics.facts());
        for (String replay : new String[] {topics.salesforceReplay(), topics.hubspotReplay()}) {
            Integer count = partitionCounts.get(replay);
            if (facts != null && count != null && !facts.equals(count)) {
                found.add(replay + ": has " + count + " partitions, " + topics.facts() + " has "
                        + facts + "; a replayed fact would be written beside another partition's live facts: give "
                        + "both the same number (kafka-topics.sh --alter --partitions)");
            }
        }
        return found;
    }

    private static int partitionsOf(KafkaFuture<org.apache.kafka.clients.admin.TopicDescription> described) {
        try {
            return described.get().partitions().size();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the topics", interrupted);
        } catch (java.util.concurrent.ExecutionException cannotHappen) {
            throw new IllegalStateException(cannotHappen.getCause());
        }
    }

    private List<String> create(Admin admin, List<String> missing) throws java.util.concurrent.TimeoutException {
        List<NewTopic> created = missing.stream().map(name -> new NewTopic(name, Optional.of(partitions),
                replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty())
                .configs(topicConfig(name))).toList();
        List<String> found = new ArrayList<>();
        Map<String, KafkaFuture<Void>> results = new LinkedHashMap<>(admin.createTopics(created).values());
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            Throwable failure = failure(result.getValue());
            if (failure == null) {
                LOG.info("Created topic {} ({} partitions, replication factor {}, max.message.bytes={}, retention.ms={})",
                        result.getKey(), partitions, replicationFactor > 0 ? replicationFactor : "of the broker's default",
                        maxRecordBytes, retention.retentionMs(result.getKey()));
            } else if (!(failure instanceof TopicExistsException)) {
                found.add(result.getKey() + ": does not exist and could not be created (" + failure.getClass()
                        .getSimpleName() + ": " + failure.getMessage() + "); create it with max.message.bytes="
                        + maxRecordBytes);
            }
        }
        return found;
    }

    private Map<String, String> topicConfig(String name) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxRecordBytes));
        String retentionMs = retention.retentionMs(name);
        if (retentionMs != null) {
            config.put(TopicConfig.RETENTION_MS_CONFIG, retentionMs);
            config.put(TopicConfig.SEGMENT_MS_CONFIG, retention.segmentMs(name));
        }
        return config;
    }

    private String describe(List<String> found) {
        return "Kafka topics are not as the bridge needs them: each must take its largest record (" + maxRecordBytes
                + " bytes: whatsapp.webhook.max-body-bytes plus whatsapp.kafka.record-headroom-bytes), and each replay "
                + "topic must have as many partitions as the facts topic; a delivery answered 200 could otherwise never "
                + "be processed, or be written out of order. Fix:\n  - " + String.join("\n  - ", found);
    }

    /** The failure of a completed future, null when it succeeded; a timeout when it did not complete in time. */
    private Throwable failure(KafkaFuture<?> future) throws java.util.concurrent.TimeoutException {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeoutException) {
                throw timeoutException;
            }
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Kafka topics", e);
        }
    }

    private <T> T get(KafkaFuture<T> future) throws java.util.concurrent.TimeoutException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeoutException) {
                throw timeoutException;
            }
            if (e.getCause() instanceof AuthorizationException notAllowed) {
                throw notAllowed;
            }
            throw new IllegalStateException("Kafka refused to describe the topics: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Kafka topics", e);
        }
    }
}
