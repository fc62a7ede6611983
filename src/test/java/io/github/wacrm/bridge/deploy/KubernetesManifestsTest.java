package io.github.wacrm.bridge.deploy;

import static io.github.wacrm.bridge.deploy.KubernetesManifests.container;
import static io.github.wacrm.bridge.deploy.KubernetesManifests.deployment;
import static io.github.wacrm.bridge.deploy.KubernetesManifests.mountPaths;
import static io.github.wacrm.bridge.deploy.KubernetesManifests.ofKind;
import static io.github.wacrm.bridge.deploy.KubernetesManifests.only;
import static io.github.wacrm.bridge.deploy.KubernetesManifests.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code k8s/} renders with stock kustomize, every object is valid Kubernetes 1.32, and what the app relies on holds:
 * the probes on the management port, the routes where the app loads them, every secret from the Secret template, a
 * grace period that covers the shutdown, limits, a locked-down container, the topics the app writes.
 */
class KubernetesManifestsTest {

    static final List<String> OVERLAYS = KubernetesManifests.OVERLAYS;
    private static final Pattern ENV_VARIABLE_DEFAULT = Pattern.compile("\\$\\{[A-Z_]+:([^}]*)}");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyBuiltInObjectIsValidKubernetes132(String overlay) {
        List<JsonNode> objects = render(overlay);
        assertThat(objects).isNotEmpty();
        objects.stream().filter(KubernetesSchemas::isBuiltIn).forEach(KubernetesSchemas::validate);
        assertThat(objects).allMatch(o -> KubernetesSchemas.isBuiltIn(o) || Set.of("ServiceMonitor", "PrometheusRule",
                "ScaledObject").contains(o.path("kind").asText()), "only built-in kinds and the monitoring CRDs");
    }

    @Test
    void theSchemaCheckRefusesAnUnknownFieldAndAWrongType() {
        ObjectNode unknownField = deployment("prod").deepCopy();
        ((ObjectNode) unknownField.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        assertThatThrownBy(() -> KubernetesSchemas.validate(unknownField)).hasMessageContaining("imagePullPolicyy");
        ObjectNode wrongType = deployment("prod").deepCopy();
        ((ObjectNode) wrongType.path("spec")).put("replicas", "three");
        assertThatThrownBy(() -> KubernetesSchemas.validate(wrongType)).isInstanceOf(AssertionError.class);
    }

    @Test
    void theTopicsRenderForStrimziWithTheRetentionAndSizeTheAppNeeds() throws IOException {
        JsonNode app = KubernetesManifests.yamlFile(Path.of("application.yaml"));
        long largestRecord = app.at("/whatsapp/webhook/max-body-bytes").asLong()
                + app.at("/whatsapp/kafka/record-headroom-bytes").asLong();
        Set<String> topics = new TreeSet<>();
        for (JsonNode topic : render("topics")) {
            assertThat(topic.path("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotBlank();
            String name = topic.at("/spec/topicName").asText();
            topics.add(name);
            JsonNode config = topic.at("/spec/config");
            assertThat(config.path("max.message.bytes").asLong()).as(name).isGreaterThanOrEqualTo(largestRecord);
            if (name.endsWith(".raw") || name.endsWith(".dlq")) {
                assertThat(config.path("retention.ms").asLong()).as(name).isGreaterThanOrEqualTo(8L * 24 * 3600 * 1000);
            }
        }
        Set<String> written = new TreeSet<>();
        app.at("/whatsapp/topics").forEach(topic -> written.add(topic.asText()));
        assertThat(topics).isEqualTo(written);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theProbesAskTheManagementPortsHealthGroups(String overlay) throws IOException {
        JsonNode container = container(overlay);
        int management = port(container, "management");
        assertThat(management).isEqualTo(Integer.parseInt(defaultOfEnvironmentVariable(
                KubernetesManifests.yamlFile(Path.of("application.yaml")).at("/management/server/port").asText())));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("port").asText()).as(probe).isEqualTo("management");
            assertThat(get.path("path").asText()).as(probe).isIn("/actuator/health/liveness",
                    "/actuator/health/readiness");
        }
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(port(container, "webhook")).isEqualTo(8080);
        assertThat(port(container, "outbound-api")).isEqualTo(8082);
    }

    @Test
    void everyRouteFileIsInTheRoutesConfigMapTheAppLoads() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            routes.map(route -> route.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml"))
                    .forEach(files::add);
        }
        for (String overlay : OVERLAYS) {
            JsonNode routesMap = configMapMountedAs(overlay, "routes");
            Set<String> keys = new TreeSet<>();
            routesMap.path("data").fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(overlay).isEqualTo(files);
            assertThat(mountPaths(overlay)).containsEntry("routes", "/app/routes");
            JsonNode mapping = configMapMountedAs(overlay, "salesforce-mapping");
            assertThat(mapping.path("data").has("salesforce-mapping.yaml")).isTrue();
            assertThat(configMapMountedAs(overlay, "config").path("data").has("application.yaml")).isTrue();
        }
        // the image's working directory is the /app the mounts are under (ContainerImageIT reads the built image)
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<workingDirectory>/app</workingDirectory>");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everySecretComesFromTheSecretTemplateAndNoneSitsInAConfigMap(String overlay) throws IOException {
        Set<String> template = new TreeSet<>();
        JsonNode secret = KubernetesManifests.yamlFile(Path.of("k8s/base/secret.template.yaml"));
        secret.path("stringData").fieldNames().forEachRemaining(template::add);
        Set<String> referenced = new TreeSet<>();
        for (JsonNode env : container(overlay).path("env")) {
            String name = env.path("name").asText();
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                assertThat(ref.path("name").asText()).isEqualTo(secret.at("/metadata/name").asText());
                referenced.add(ref.path("key").asText());
            } else {
                assertThat(name).as("a secret as a literal value").doesNotContainPattern("TOKEN|SECRET|PASSWORD|_KEY");
            }
        }
        assertThat(template).containsAll(referenced);
        assertThat(referenced).isEqualTo(template);
        assertThat(ofKind(overlay, "Secret")).as("a Secret with values in the rendered objects").isEmpty();
        for (JsonNode map : ofKind(overlay, "ConfigMap")) {
            map.path("data").forEach(text -> assertThat(text.asText())
                    .doesNotContainPattern("(?im)^\\s*(password|client-secret|access-token|app-secrets):\\s*[^\\s$]"));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theGracePeriodCoversThePreStopTheDrainsAndTheRoutesShutdown(String overlay) throws IOException {
        JsonNode app = KubernetesManifests.yamlFile(Path.of("application.yaml"));
        int camel = app.at("/camel/main/shutdown-timeout").asInt();
        int intake = Integer.parseInt(app.at("/whatsapp/webhook/drain-timeout").asText().replace("s", ""));
        int web = Integer.parseInt(app.at("/spring/lifecycle/timeout-per-shutdown-phase").asText().replace("s", ""));
        assertThat(camel).isPositive();
        assertThat(app.at("/server/shutdown").asText()).isEqualTo("graceful");
        JsonNode pod = deployment(overlay).at("/spec/template/spec");
        int preStop = pod.at("/containers/0/lifecycle/preStop/sleep/seconds").asInt();
        assertThat(preStop).isPositive();
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(preStop + intake + web + camel);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theContainerHasLimitsAndRunsLockedDown(String overlay) {
        JsonNode container = container(overlay);
        assertThat(container.at("/resources/requests/cpu").asText()).isNotBlank();
        assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/cpu").asText()).isNotBlank();
        JsonNode pod = deployment(overlay).at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop").toString()).contains("ALL");
        assertThat(mountPaths(overlay)).containsEntry("tmp", "/tmp");
        assertThat(pod.at("/affinity/podAntiAffinity").isMissingNode()).isFalse();
        assertThat(pod.path("topologySpreadConstraints")).isNotEmpty();
    }

    @Test
    void productionRunsThreeReplicasThatADrainCannotAllTake() {
        assertThat(deployment("prod").at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment("prod").at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        assertThat(only("prod", "PodDisruptionBudget").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(only("prod", "HorizontalPodAutoscaler").at("/spec/minReplicas").asInt()).isEqualTo(3);
        assertThat(ofKind("keda", "HorizontalPodAutoscaler")).as("KEDA owns its autoscaler").isEmpty();
        assertThat(only("keda", "ScaledObject").at("/spec/triggers/0/metadata/query").asText())
                .contains("whatsapp_consumer_lag");
        assertThat(deployment("dev").at("/spec/replicas").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theIngressAndTheNetworkPolicyNameWhatExists(String overlay) throws IOException {
        JsonNode app = KubernetesManifests.yamlFile(Path.of("application.yaml"));
        JsonNode ingress = only(overlay, "Ingress");
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isNotBlank();
        Set<String> services = new TreeSet<>();
        ofKind(overlay, "Service").forEach(s -> services.add(s.at("/metadata/name").asText()));
        List<String> paths = new ArrayList<>();
        for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
            paths.add(path.path("path").asText());
            JsonNode backend = path.at("/backend/service");
            assertThat(services).contains(backend.path("name").asText());
            port(container(overlay), backend.at("/port/name").asText());
        }
        assertThat(paths).contains(app.at("/whatsapp/webhook/path").asText(), "/api/v1");
        assertThat(ingress.at("/spec/tls/0/hosts/0").asText()).isEqualTo(ingress.at("/spec/rules/0/host").asText());
        for (JsonNode rule : only(overlay, "NetworkPolicy").at("/spec/ingress")) {
            rule.path("ports").forEach(p -> port(container(overlay), p.path("port").asText()));
        }
        for (JsonNode service : ofKind(overlay, "Service")) {
            service.at("/spec/ports").forEach(p -> port(container(overlay), p.path("targetPort").asText()));
        }
    }

    @Test
    void routesKustomizationListsEveryRouteFile() throws IOException {
        String kustomization = Files.readString(Path.of("routes/kustomization.yaml"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            routes.map(route -> route.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml"))
                    .forEach(name -> assertThat(kustomization).as("routes/kustomization.yaml lists " + name)
                            .contains("      - " + name + "\n"));
        }
    }

    private static JsonNode configMapMountedAs(String overlay, String volume) {
        JsonNode pod = deployment(overlay).at("/spec/template/spec");
        String name = null;
        for (JsonNode v : pod.path("volumes")) {
            if (volume.equals(v.path("name").asText())) {
                name = v.at("/configMap/name").asText();
            }
        }
        String mapName = name;
        return ofKind(overlay, "ConfigMap").stream().filter(m -> m.at("/metadata/name").asText().equals(mapName))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + mapName
                        + " for the volume " + volume));
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("the container has no port named " + name);
    }

    /** The value application.yaml falls back to when the variable is unset: {@code ${MANAGEMENT_PORT:8081}} is 8081. */
    private static String defaultOfEnvironmentVariable(String value) {
        Matcher matcher = ENV_VARIABLE_DEFAULT.matcher(value);
        return matcher.matches() ? matcher.group(1) : value;
    }
}
