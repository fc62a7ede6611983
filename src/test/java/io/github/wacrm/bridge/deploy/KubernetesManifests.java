package io.github.wacrm.bridge.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The objects of {@code k8s/}, rendered as the platform team renders them: stock {@code kubectl kustomize}. Where
 * kubectl is not installed the tests that need it are skipped, except in CI ({@code CI} set), where they fail.
 */
final class KubernetesManifests {

    static final List<String> OVERLAYS = List.of("dev", "prod", "keda");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private KubernetesManifests() {
    }

    /** Every object of {@code k8s/overlays/<overlay>} (or another kustomization under k8s/, e.g. "topics"). */
    static List<JsonNode> render(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, KubernetesManifests::kustomize);
    }

    static JsonNode deployment(String overlay) {
        return only(overlay, "Deployment");
    }

    static JsonNode only(String overlay, String kind) {
        List<JsonNode> found = ofKind(overlay, kind);
        if (found.size() != 1) {
            throw new AssertionError(overlay + " renders " + found.size() + " " + kind + " objects, not one");
        }
        return found.get(0);
    }

    static List<JsonNode> ofKind(String overlay, String kind) {
        return render(overlay).stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** The bridge container's volume mounts: volume name to mount path. */
    static Map<String, String> mountPaths(String overlay) {
        Map<String, String> mounts = new TreeMap<>();
        container(overlay).path("volumeMounts")
                .forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        return mounts;
    }

    static JsonNode container(String overlay) {
        return deployment(overlay).at("/spec/template/spec/containers/0");
    }

    /** A YAML file of the repository as JSON. */
    static JsonNode yamlFile(Path file) throws IOException {
        List<JsonNode> documents = documents(Files.readString(file));
        return documents.get(0);
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }

    static boolean kubectlInstalled() {
        try {
            Process probe = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException absent) {
            return false;
        }
    }

    static void assumeTool(boolean installed, String tool) {
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError(tool + " is not installed, and CI must check with it");
        }
        Assumptions.assumeTrue(installed, tool + " is not installed: the check is skipped (CI installs it)");
    }

    private static List<JsonNode> kustomize(String kustomization) {
        assumeTool(kubectlInstalled(), "kubectl");
        Path dir = OVERLAYS.contains(kustomization) ? Path.of("k8s", "overlays", kustomization) : Path.of("k8s",
                kustomization);
        try {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
            byte[] errors;
            String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            errors = kubectl.getErrorStream().readAllBytes();
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: "
                        + new String(errors, StandardCharsets.UTF_8));
            }
            return documents(out);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("kubectl kustomize " + dir + " could not run", e);
        }
    }
}
