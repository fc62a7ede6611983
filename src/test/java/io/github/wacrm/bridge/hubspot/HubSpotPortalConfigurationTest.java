package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The association type ids and the ticket pipeline the sink uses are checked against what the portal has. */
class HubSpotPortalConfigurationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> portal = new java.util.HashMap<>(Map.of(
            "/crm/v4/associations/communications/contacts/labels", labels(81),
            "/crm/v4/associations/notes/contacts/labels", labels(202),
            "/crm/v4/associations/calls/contacts/labels", labels(194),
            "/crm/v4/associations/communications/tickets/labels", labels(83),
            "/crm/v4/associations/tickets/contacts/labels", labels(16),
            "/crm/v3/pipelines/tickets", """
                    {"results": [{"id": "0", "label": "Support Pipeline", "stages": [
                      {"id": "1", "label": "New"}, {"id": "2", "label": "Waiting on contact"},
                      {"id": "3", "label": "Waiting on us"}, {"id": "4", "label": "Closed"}]}]}"""));

    @Test
    void aPortalWithTheConfiguredTypesPipelineAndStagesHasNoProblem() throws Exception {
        assertThat(check(properties("0", "1", List.of("4")))).isEmpty();
    }

    @Test
    void aTypeIdThePortalDoesNotDefineIsNamedWithThePortalsOwn() throws Exception {
        portal.put("/crm/v4/associations/tickets/contacts/labels", labels(15));
        assertThat(check(properties("0", "1", List.of("4")))).singleElement().asString()
                .contains("association-types.ticket-to-contact is 16").contains("[15]");
    }

    @Test
    void aMissingPipelineOrStageIsNamedWithWhatThePortalHas() throws Exception {
        assertThat(check(properties("7", "1", List.of("4")))).singleElement().asString()
                .contains("pipeline 7").contains("[0]");
        assertThat(check(properties("0", "9", List.of("4")))).singleElement().asString()
                .contains("stage 9").contains("[1, 2, 3, 4]");
    }

    private List<String> check(HubSpotProperties properties) throws Exception {
        return new HubSpotPortalConfiguration(properties).problems(path -> {
            String answer = portal.get(path);
            if (answer == null) {
                throw new java.io.IOException("HubSpot answered 404 to GET " + path);
            }
            return JSON.readTree(answer);
        });
    }

    private static HubSpotProperties properties(String pipeline, String stage, List<String> closed) {
        return new HubSpotProperties(true, "http://portal", "pat", "v3", false, 100, 100, 2, null, null, 20,
                new HubSpotProperties.Tickets(true, pipeline, stage, closed, "WhatsApp conversation"),
                new HubSpotProperties.AssociationTypes(81, 83, 202, 16, 194), null);
    }

    private static String labels(int typeId) {
        return "{\"results\": [{\"category\": \"HUBSPOT_DEFINED\", \"typeId\": " + typeId + ", \"label\": null}]}";
    }
}
