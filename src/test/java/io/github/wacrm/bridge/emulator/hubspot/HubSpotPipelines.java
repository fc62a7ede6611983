package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ticket pipelines of a new HubSpot portal, as the pipelines API ({@code GET /crm/v3/pipelines/tickets}) shows
 * them: the default pipeline {@code "0"} (Support Pipeline) with its stages {@code "1"} New, {@code "2"} Waiting on
 * contact, {@code "3"} Waiting on us (all OPEN) and {@code "4"} Closed (CLOSED). A ticket's {@code hs_pipeline} must be
 * one of the pipelines and its {@code hs_pipeline_stage} one of that pipeline's stages, or HubSpot refuses it.
 */
final class HubSpotPipelines {

    /** A pipeline stage: id, label, ticket state (OPEN or CLOSED). */
    record Stage(String id, String label, String ticketState) {
    }

    /** A pipeline and its stages in their order. */
    record Pipeline(String id, String label, List<Stage> stages) {
    }

    static final Pipeline SUPPORT = new Pipeline("0", "Support Pipeline", List.of(new Stage("1", "New", "OPEN"),
            new Stage("2", "Waiting on contact", "OPEN"), new Stage("3", "Waiting on us", "OPEN"),
            new Stage("4", "Closed", "CLOSED")));

    private final Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    List<Pipeline> tickets() {
        return List.of(SUPPORT);
    }

    Pipeline ticketPipeline(String id) {
        return tickets().stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    /** Ids of every stage of every ticket pipeline (the options of {@code hs_pipeline_stage}). */
    List<String> ticketStageIds() {
        List<String> ids = new ArrayList<>();
        tickets().forEach(p -> p.stages().forEach(s -> ids.add(s.id())));
        return ids;
    }

    /**
     * Why HubSpot refuses a ticket's pipeline or stage, in its per-property problem form, or null. {@code pipeline}
     * is the ticket's pipeline after the write ({@code null}: the default pipeline).
     */
    String refusal(String pipeline, String stage) {
        Pipeline p = ticketPipeline(pipeline == null ? "0" : pipeline);
        if (p == null) {
            return problem("hs_pipeline", pipeline + " was not one of the allowed options: " + tickets().stream()
                    .map(Pipeline::id).toList());
        }
        if (stage != null && p.stages().stream().noneMatch(s -> s.id().equals(stage))) {
            return problem("hs_pipeline_stage", stage + " was not one of the allowed options for pipeline " + p.id()
                    + ": " + p.stages().stream().map(Stage::id).toList());
        }
        return null;
    }

    private static String problem(String property, String message) {
        return "{\"isValid\":false,\"message\":\"" + message + "\",\"error\":\"INVALID_OPTION\",\"name\":\"" + property
                + "\"}";
    }

    /** A pipeline as the pipelines API answers it. */
    Map<String, Object> body(Pipeline pipeline, int displayOrder) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("label", pipeline.label());
        body.put("displayOrder", displayOrder);
        body.put("id", pipeline.id());
        List<Map<String, Object>> stages = new ArrayList<>();
        for (int i = 0; i < pipeline.stages().size(); i++) {
            Stage stage = pipeline.stages().get(i);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("label", stage.label());
            s.put("displayOrder", i);
            s.put("metadata", Map.of("ticketState", stage.ticketState()));
            s.put("id", stage.id());
            s.put("createdAt", created.toString());
            s.put("updatedAt", created.toString());
            s.put("archived", false);
            s.put("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT");
            stages.add(s);
        }
        body.put("stages", stages);
        body.put("createdAt", created.toString());
        body.put("updatedAt", created.toString());
        body.put("archived", false);
        return body;
    }
}
