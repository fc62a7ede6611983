package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchAnswer;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;

/**
 * One answer of the emulated portal, a status and a JSON body, and the shapes HubSpot answers in that every resource
 * shares: the error body ({@code status, message, correlationId, category, context}), the batch body ({@code status,
 * results, numErrors, errors, requestedAt...}) and which status a batch gets (its own, 207 with per-input errors, or a
 * lone input's error).
 */
record HubSpotAnswer(int status, Object body) {

    /** A batch call's answer: {@code okStatus} with no errors, 207 with some, a lone input's error on a create. */
    static HubSpotAnswer batch(BatchAnswer answer, int okStatus) {
        if (answer.errors().isEmpty()) {
            return new HubSpotAnswer(okStatus, batchBody(answer.results(), List.of()));
        }
        if (answer.results().isEmpty() && answer.errors().size() == 1 && okStatus != 200) {
            Failure f = answer.errors().get(0);
            return failure(f);
        }
        return new HubSpotAnswer(207, batchBody(answer.results(), answer.errors()));
    }

    static Map<String, Object> batchBody(List<Map<String, Object>> results, List<Failure> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        String now = Instant.now().toString();
        body.put("status", "COMPLETE");
        body.put("results", results);
        if (!errors.isEmpty()) {
            body.put("numErrors", errors.size());
            body.put("errors", errors.stream().map(f -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("status", "error");
                e.put("category", f.category());
                if (f.subCategory() != null) {
                    e.put("subCategory", f.subCategory());
                }
                e.put("message", f.message());
                e.put("context", f.context());
                return e;
            }).toList());
        }
        body.put("requestedAt", now);
        body.put("startedAt", now);
        body.put("completedAt", now);
        return body;
    }

    /** A single-record call's answer: the record with {@code okStatus}, or the failure the portal reported. */
    static HubSpotAnswer single(Object result, int okStatus) {
        return result instanceof Failure f ? failure(f) : new HubSpotAnswer(okStatus, result);
    }

    static HubSpotAnswer failure(Failure f) {
        Map<String, Object> body = error(f.category(), f.message(), f.context());
        if (f.subCategory() != null) {
            body.put("subCategory", f.subCategory());
        }
        return new HubSpotAnswer(f.status(), body);
    }

    /** HubSpot's answer to a path whose object type it does not know. */
    static HubSpotAnswer unknownType(String rawType) {
        return new HubSpotAnswer(400, error("VALIDATION_ERROR", "Unable to infer object type from: " + rawType, Map.of()));
    }

    /** A request's JSON body; an empty body is an empty object. */
    static Map<String, Object> body(byte[] request) throws java.io.IOException {
        return request.length == 0 ? Map.of()
                : HubSpotEmulator.JSON.readValue(request, new com.fasterxml.jackson.core.type.TypeReference<>() {
                });
    }

    static Map<String, Object> error(String category, String message, Map<String, List<String>> context) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", category);
        if (!context.isEmpty()) {
            body.put("context", context);
        }
        return body;
    }
}
