package io.github.wacrm.bridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The PrometheusRule's alerts are valid rules ({@code promtool check rules}) and behave as their unit tests say
 * ({@code promtool test rules src/test/prometheus/alerts.test.yaml}); every alert has a test where it fires and one
 * where it stays quiet. Skipped where promtool is not installed, except in CI.
 */
class AlertRulesTest {

    private static final Path RULE = Path.of("k8s/base/monitoring/prometheus-rule.yaml");
    private static final Path TESTS = Path.of("src/test/prometheus/alerts.test.yaml");

    @TempDir
    Path work;

    @Test
    void theRulesPassPromtoolsCheckAndTheirUnitTests() throws IOException {
        KubernetesManifests.assumeTool(promtoolInstalled(), "promtool");
        Path rules = work.resolve("rules.yaml");
        // JSON is YAML: promtool reads the spec as written
        new ObjectMapper().writeValue(rules.toFile(), KubernetesManifests.yamlFile(RULE).path("spec"));
        Files.copy(TESTS, work.resolve("alerts.test.yaml"));

        assertThat(promtool("check", "rules", "rules.yaml")).contains("SUCCESS");
        assertThat(promtool("test", "rules", "alerts.test.yaml")).contains("SUCCESS");
    }

    @Test
    void everyAlertHasATestWhereItFiresAndOneWhereItStaysQuiet() throws IOException {
        String operations = java.nio.file.Files.readString(Path.of("docs/operations.md"));
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : KubernetesManifests.yamlFile(RULE).at("/spec/groups")) {
            group.path("rules").forEach(rule -> {
                if (rule.has("alert")) {
                    alerts.add(rule.path("alert").asText());
                    String alert = rule.path("alert").asText();
                    assertThat(rule.at("/annotations/runbook_url").asText()).as(alert)
                            .endsWith("docs/operations.md#" + alert.toLowerCase(java.util.Locale.ROOT));
                    assertThat(operations).as("the runbook of " + alert).contains("\n### " + alert + "\n");
                }
            });
        }
        Map<String, Integer> firing = new TreeMap<>();
        Map<String, Integer> quiet = new TreeMap<>();
        for (JsonNode test : KubernetesManifests.yamlFile(TESTS).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String alert = check.path("alertname").asText();
                (check.path("exp_alerts").isEmpty() ? quiet : firing).merge(alert, 1, Integer::sum);
            }
        }
        assertThat(firing.keySet()).as("alerts with a test where they fire").isEqualTo(alerts);
        assertThat(quiet.keySet()).as("alerts with a test where they stay quiet").isEqualTo(alerts);
    }

    private String promtool(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "promtool";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(process.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    private static boolean promtoolInstalled() {
        try {
            Process probe = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException absent) {
            return false;
        }
    }
}
