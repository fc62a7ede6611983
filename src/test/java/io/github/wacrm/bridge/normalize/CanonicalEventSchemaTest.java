package io.github.wacrm.bridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.event.CanonicalEvent;

/** Keeps the documented schema true: every field the normaliser writes, for every sample, is declared in it. */
class CanonicalEventSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFieldOfEveryEventFromEverySampleIsDeclaredInTheSchema() throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/schema/canonical-event.schema.json")) {
            schema = JSON.readTree(in);
        }
        Set<String> topLevel = names(schema.path("properties"));
        Set<String> customer = names(schema.path("$defs").path("customer").path("properties"));
        Set<String> payload = new HashSet<>();
        schema.path("$defs").forEach(def -> payload.addAll(names(def.path("properties"))));
        Set<String> kinds = new HashSet<>();
        schema.path("properties").path("kind").path("enum").forEach(k -> kinds.add(k.asText()));
        List<String> required = JSON.convertValue(schema.path("required"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));

        WebhookNormalizer normalizer = new WebhookNormalizer(new PhoneIdentity(""));
        int checked = 0;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/webhooks"))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("bad-")).toList()) {
                String name = file.getFileName().toString().replace(".json", "");
                for (CanonicalEvent event : normalizer.normalize(Fixtures.raw(name), "2024-11-22T10:07:00Z")) {
                    JsonNode json = JSON.valueToTree(event);
                    assertThat(names(json)).as(name).isSubsetOf(topLevel).containsAll(required);
                    assertThat(kinds).as(name).contains(json.path("kind").asText());
                    if (json.has("customer")) {
                        assertThat(names(json.path("customer"))).as(name).isSubsetOf(customer);
                    }
                    assertThat(names(json.path("payload"))).as(name).isSubsetOf(payload);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(45);
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
