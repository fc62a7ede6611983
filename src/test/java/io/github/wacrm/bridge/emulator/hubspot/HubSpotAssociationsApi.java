package io.github.wacrm.bridge.emulator.hubspot;

import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.batch;
import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.error;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * The v4 associations resource, {@code /crm/v4/associations/{from}/{to}/batch/create|read} and
 * {@code /crm/associations/{version}/...}: batch create (up to 2,000 inputs) and batch read (up to 1,000 ids; 207
 * with NO_ASSOCIATIONS_FOUND for an id without associations); and {@code GET .../{from}/{to}/labels}, the association
 * types between two object types.
 */
final class HubSpotAssociationsApi {

    private final HubSpotPortal portal;

    HubSpotAssociationsApi(HubSpotPortal portal) {
        this.portal = portal;
    }

    /** {@code GET /crm/v4/associations/{from}/{to}/labels}. */
    HubSpotAnswer labels(String rawFrom, String rawTo) {
        String from = HubSpotPortal.canonicalType(rawFrom);
        String to = HubSpotPortal.canonicalType(rawTo);
        if (from == null || to == null) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "Unknown object type " + rawFrom + " or " + rawTo,
                    Map.of()));
        }
        return new HubSpotAnswer(200, Map.of("results", HubSpotAssociations.labels(from, to)));
    }

    @SuppressWarnings("unchecked")
    HubSpotAnswer answer(String rawFrom, String rawTo, String operation, byte[] request) throws IOException {
        String from = HubSpotPortal.canonicalType(rawFrom);
        String to = HubSpotPortal.canonicalType(rawTo);
        if (from == null || to == null) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "Unknown object type " + rawFrom + " or " + rawTo,
                    Map.of()));
        }
        Map<String, Object> body = HubSpotEmulator.JSON.readValue(request, new TypeReference<>() {
        });
        List<Map<String, Object>> inputs = (List<Map<String, Object>>) body.getOrDefault("inputs", List.of());
        if (inputs.size() > ("read".equals(operation) ? 1000 : 2000)) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "Too many inputs: " + inputs.size(), Map.of()));
        }
        if ("read".equals(operation)) {
            List<String> ids = inputs.stream().map(i -> String.valueOf(i.get("id"))).toList();
            return batch(portal.readAssociations(from, to, ids), 200);
        }
        return batch(portal.associate(from, to, inputs), 201);
    }
}
