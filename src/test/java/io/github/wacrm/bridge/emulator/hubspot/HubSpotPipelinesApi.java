package io.github.wacrm.bridge.emulator.hubspot;

import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.error;

import java.util.List;
import java.util.Map;

/**
 * The pipelines resource, {@code GET /crm/v3/pipelines/{type}} (every pipeline with its stages), {@code GET
 * .../{pipelineId}} and {@code GET .../{pipelineId}/stages}: the portal's ticket pipelines ({@link HubSpotPipelines}).
 * Contacts, communications and notes have no pipelines.
 */
final class HubSpotPipelinesApi {

    private final HubSpotPortal portal;

    HubSpotPipelinesApi(HubSpotPortal portal) {
        this.portal = portal;
    }

    @SuppressWarnings("unchecked")
    HubSpotAnswer answer(String rawType, String rest) {
        String type = HubSpotPortal.canonicalType(rawType);
        if (type == null) {
            return HubSpotAnswer.unknownType(rawType);
        }
        if (!type.equals("tickets")) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", type + " do not have pipelines", Map.of()));
        }
        List<Map<String, Object>> all = portal.ticketPipelines();
        if (rest == null || rest.isEmpty() || rest.equals("/")) {
            return new HubSpotAnswer(200, Map.of("results", all));
        }
        String[] parts = rest.substring(1).split("/");
        Map<String, Object> pipeline = all.stream().filter(p -> p.get("id").equals(parts[0])).findFirst().orElse(null);
        if (pipeline == null) {
            return new HubSpotAnswer(404, error("OBJECT_NOT_FOUND", "Unable to find pipeline " + parts[0], Map.of()));
        }
        if (parts.length == 1) {
            return new HubSpotAnswer(200, pipeline);
        }
        List<Map<String, Object>> stages = (List<Map<String, Object>>) pipeline.get("stages");
        if (parts.length == 2 && parts[1].equals("stages")) {
            return new HubSpotAnswer(200, Map.of("results", stages));
        }
        if (parts.length == 3 && parts[1].equals("stages")) {
            return stages.stream().filter(s -> s.get("id").equals(parts[2])).findFirst()
                    .map(s -> new HubSpotAnswer(200, s)).orElse(new HubSpotAnswer(404, error("OBJECT_NOT_FOUND",
                            "Unable to find stage " + parts[2] + " of pipeline " + parts[0], Map.of())));
        }
        return new HubSpotAnswer(404, error("OBJECT_NOT_FOUND", "Not found: " + rest, Map.of()));
    }
}
