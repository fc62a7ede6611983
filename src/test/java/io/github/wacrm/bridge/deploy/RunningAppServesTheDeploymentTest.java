package io.github.wacrm.bridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.outbound.OutboundClient;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.FactsTopic;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * What {@code k8s/} asks of the app, asked of the running app: the probes' paths answer on the management port with
 * Camel's and the database's health in them, and every metric the alerts and the Grafana dashboard name is on
 * {@code /actuator/prometheus} once the app has seen the traffic that creates it (a webhook, a dead letter in each
 * sink, a redelivery, an outbound refusal and a template sent).
 */
class RunningAppServesTheDeploymentTest extends BridgeIntegrationTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:whatsapp|salesforce|hubspot)_[a-z_]+)");
    private static final Duration SETTLED = Duration.ofSeconds(60);

    @Test
    void theProbesPathsAnswerOnTheManagementPortWithCamelAndTheDatabaseInThem() throws Exception {
        JsonNode container = KubernetesManifests.container("prod");
        Set<String> paths = new TreeSet<>();
        for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("management");
            paths.add(container.at("/" + probe + "/httpGet/path").asText());
        }
        assertThat(paths).contains("/actuator/health/liveness", "/actuator/health/readiness");
        for (String path : paths) {
            HttpResponse<String> health = actuator(path);
            assertThat(health.statusCode()).as(path).isEqualTo(200);
            assertThat(health.body()).as(path).contains("\"status\":\"UP\"");
        }
        // Camel's readiness is down while a route, a Kafka consumer or producer check is (camel.health in
        // application.yaml)
        assertThat(actuator("/actuator/health/readiness").body()).contains("camelReadinessState", "\"db\"");
        assertThat(actuator("/actuator/health/liveness").body()).contains("camelLivenessState");
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardNameIsExported() throws Exception {
        Set<String> named = new TreeSet<>();
        named.addAll(metricsIn(Path.of("k8s/base/monitoring/prometheus-rule.yaml")));
        named.addAll(metricsIn(Path.of("k8s/base/monitoring/grafana-dashboard.json")));
        assertThat(named).hasSizeGreaterThan(15);

        hubSpotPortalReady();
        String run = Fixtures.newRun();
        byte[] message = Fixtures.load("message-text", run);
        assertThat(postSigned(message).statusCode()).isEqualTo(200);
        assertThat(postSigned(message).statusCode()).as("a redelivery").isEqualTo(200);
        assertThat(postSigned("{\"object\": \"whatsapp_business_account\", \"entry\": [".getBytes(
                StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        // a fact with an unreadable time: each sink dead-letters it as the record's own fault
        FactsTopic.produce(FactsTopic.userPreference(run, "not-a-time", "bsuid:" + run));
        OutboundClient outbound = new OutboundClient(apiPort);
        outbound.send(UUID.randomUUID().toString(), OutboundClient.template(OutboundClient.newNumber(),
                "no_such_template", "[]"));
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE "
                + "name = 'order_update' AND components IS NOT NULL", Integer.class) > 0);
        String sent = OutboundClient.json(outbound.send(UUID.randomUUID().toString(),
                OutboundClient.orderUpdate(OutboundClient.newNumber()))).path("id").asText();
        outbound.awaitStatus(sent, "read", SETTLED);

        Set<String> missing = new TreeSet<>();
        await().atMost(SETTLED).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> exported = exported(actuator("/actuator/prometheus").body());
            missing.clear();
            named.stream().filter(name -> !exported.contains(name)).forEach(missing::add);
            assertThat(missing).as("named by k8s/base/monitoring, not exported by the app").isEmpty();
        });
    }

    private static Set<String> metricsIn(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher found = METRIC.matcher(Files.readString(file));
        while (found.find()) {
            names.add(found.group(1).replaceFirst("_(bucket|count|sum)$", ""));
        }
        // the rule and dashboard names of the bridge itself, not metrics
        names.removeIf(name -> name.startsWith("whatsapp_crm_bridge") || name.endsWith("_"));
        return names;
    }

    /** The metric names of a Prometheus scrape (a histogram's or summary's series under its base name). */
    private static Set<String> exported(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                String name = line.split("[{ ]", 2)[0];
                names.add(name);
                names.add(name.replaceFirst("_(bucket|count|sum|max)$", ""));
            }
        }
        return names;
    }
}
