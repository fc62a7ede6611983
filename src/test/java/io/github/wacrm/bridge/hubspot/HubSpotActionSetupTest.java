package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotActionDefinitions;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;

/**
 * The setup command creates the custom workflow action "Send a WhatsApp template" in the bridge's HubSpot app (the
 * shipped definition, calling the configured action URL), finds it again among the app's other definitions on a
 * later run and changes nothing, brings a definition someone changed back to the shipped one, and says what is
 * missing when the app is not configured or its key is refused.
 */
class HubSpotActionSetupTest extends BridgeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSetupCommandCreatesTheActionOnceAndKeepsItAsShipped() throws Exception {
        HubSpotActionDefinitions definitions = DevServices.get().hubspot().actionDefinitions();
        // the app has other actions too, more than one page of them
        for (int i = 0; definitions.all().size() < 120; i++) {
            definitions.add(JSON.createObjectNode().put("actionUrl", "https://other.example.com/action/" + i));
        }
        hubSpotPortalReady();
        assertThat(ours(definitions.all())).singleElement().satisfies(d -> {
            assertThat(d.path("objectTypes").path(0).asText()).isEqualTo("CONTACT");
            assertThat(d.path("labels").path("en").path("actionName").asText()).isEqualTo("Send a WhatsApp template");
            assertThat(d.path("outputFields").findValuesAsText("name")).contains("whatsapp_status", "whatsapp_reason");
        });
        assertThat(action(postActuator("/actuator/hubspot").body()).path("state").asText()).isEqualTo("current");

        // an admin changed it in the developer account: the next run puts the shipped definition back
        ObjectNode changed = (ObjectNode) ours(definitions.all()).get(0);
        ((ObjectNode) changed.path("labels").path("en")).put("actionName", "Renamed");
        JsonNode updated = action(postActuator("/actuator/hubspot").body());
        assertThat(updated.path("state").asText()).isEqualTo("updated");
        assertThat(ours(definitions.all())).singleElement().satisfies(d -> assertThat(d.path("labels").path("en")
                .path("actionName").asText()).isEqualTo("Send a WhatsApp template"));
        assertThat(ours(definitions.all())).hasSize(1);
    }

    @Test
    void withoutTheAppOrWithARefusedKeyItSaysWhatToDo() throws Exception {
        String url = DevServices.DEV_HUBSPOT_ACTION_URL;
        String hubspot = DevServices.get().hubspot().baseUrl();
        assertThat(new HubSpotActionSetup(true, url, "", "", hubspot).apply(true).state()).isEqualTo("not_configured");
        assertThat(new HubSpotActionSetup(false, url, "1", "k", hubspot).apply(true).state()).isEqualTo("disabled");
        assertThatThrownBy(() -> new HubSpotActionSetup(true, url, HubSpotActionDefinitions.DEV_APP_ID, "wrong-key",
                hubspot).apply(true)).isInstanceOf(IOException.class).hasMessageContaining("HUBSPOT_DEVELOPER_API_KEY");
    }

    private static List<JsonNode> ours(List<JsonNode> all) {
        return all.stream().filter(d -> DevServices.DEV_HUBSPOT_ACTION_URL.equals(d.path("actionUrl").asText())).toList();
    }

    private static JsonNode action(String report) throws IOException {
        return JSON.readTree(report).path("workflowAction");
    }
}
