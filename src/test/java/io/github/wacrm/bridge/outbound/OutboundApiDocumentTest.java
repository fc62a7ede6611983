package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document names what the API serves: its paths, their answers, and every refusal code the checks give. */
class OutboundApiDocumentTest {

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentNamesEveryPathAnswerAndRefusal() throws Exception {
        String text = Files.readString(Path.of("docs/outbound-api.openapi.yaml"));
        Map<String, Object> document = new Yaml().load(text);
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) document
                .get("paths");
        assertThat(paths).containsOnlyKeys("/api/v1/messages", "/api/v1/messages/{id}", "/api/v1/consents");
        assertThat((Map<String, Object>) paths.get("/api/v1/messages").get("post").get("responses"))
                .containsKeys("202", "400", "401", "409", "422", "503");
        assertThat((Map<String, Object>) paths.get("/api/v1/messages/{id}").get("get").get("responses"))
                .containsKeys("200", "404");
        String routes = Files.readString(Path.of("routes/60-outbound-api.camel.yaml"));
        assertThat(routes).contains("platform-http:/api/v1/messages\"", "platform-http:/api/v1/messages/{id}\"",
                "platform-http:/api/v1/consents\"");
        String checks = Files.readString(Path.of("src/main/java/io/github/wacrm/bridge/outbound/OutboundChecks.java"));
        java.util.regex.Matcher refusal = java.util.regex.Pattern.compile("new Refusal\\(\"([a-z_]+)\"").matcher(checks);
        while (refusal.find()) {
            assertThat(text).as("refusal " + refusal.group(1) + " documented").contains(refusal.group(1));
        }
    }
}
