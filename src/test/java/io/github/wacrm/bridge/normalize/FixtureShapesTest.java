package io.github.wacrm.bridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.support.ExternalWebhooks;

/**
 * The bridge's own fixtures are no kinder than Meta: every field path of every fixture under
 * {@code src/test/resources/webhooks/} is a path some real body in {@code webhooks-external/} carries for the same
 * webhook field (arrays taken as one element). The malformed fixtures ({@code bad-*}) are exempt, and a few named cases below are there on purpose.
 */
class FixtureShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/webhooks");

    /** Fixtures that carry a field no real body has, on purpose, with the reason. */
    private static final Map<String, String> ON_PURPOSE = Map.of(
            "unknown-field.json", "a webhook field Meta may add later: it must reach the unhandled topic");

    @Test
    void everyFieldOfEveryFixtureIsOneMetaSends() throws IOException {
        Set<String> real = new TreeSet<>();
        for (String name : ExternalWebhooks.names()) {
            paths(JSON.readTree(ExternalWebhooks.body(name)), "", real);
        }
        Map<String, Set<String>> invented = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(FIXTURES)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("bad-") || ON_PURPOSE.containsKey(name)) {
                    continue;
                }
                Set<String> fixture = new TreeSet<>();
                paths(JSON.readTree(Files.readAllBytes(file)), "", fixture);
                fixture.removeAll(real);
                if (!fixture.isEmpty()) {
                    invented.put(name, fixture);
                }
            }
        }
        assertThat(invented).as("fields in fixtures that no real webhook body carries").isEmpty();
    }

    private static void paths(JsonNode node, String at, Set<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String path = at + "." + field.getKey();
                into.add(path);
                paths(field.getValue(), path, into);
            });
        } else if (node.isArray()) {
            // a change's value is read by its field: messages.value.x and statuses.value.x are different paths
            node.forEach(element -> paths(element, at + (element.has("field") && at.endsWith(".changes")
                    ? "[" + element.path("field").asText() + "]" : "[]"), into));
        }
    }
}
