package io.github.wacrm.bridge.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Association;
import io.github.wacrm.bridge.hubspot.HubSpotSchema.ObjectType;

/** The HubSpot batch requests of a sink batch's calls: each call's path and JSON body. */
final class HubSpotRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotProperties properties;

    HubSpotRequests(HubSpotProperties properties) {
        this.properties = properties;
    }

    String path(HubSpotCall call) {
        return switch (call.kind()) {
            case UPSERT -> properties.objectsPath(call.objectType(), "/batch/upsert");
            case UPDATE -> properties.objectsPath(call.objectType(), "/batch/update");
            case READ -> properties.objectsPath(call.objectType(), "/batch/read");
            case ASSOCIATE -> properties.associationsPath(call.objectType(), call.associations().get(0).toType(),
                    "/batch/create");
        };
    }

    ObjectNode body(HubSpotCall call) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        switch (call.kind()) {
            case UPSERT -> {
                ObjectType type = HubSpotSchema.objectType(call.objectType());
                for (CrmRecord record : call.records()) {
                    ObjectNode input = inputs.addObject().put("idProperty", type.idProperty())
                            .put("id", record.externalId());
                    ObjectNode props = input.putObject("properties");
                    // the unique value as a property too, so HubSpot's answer names it and each result finds its input
                    props.put(type.idProperty(), record.externalId());
                    record.values().forEach((field, value) -> props.put(type.property(field), value.toString()));
                    if (record.sendsCreateOnly()) {
                        record.createOnlyValues().forEach((field, value) -> props.put(type.property(field),
                                value.toString()));
                    }
                }
            }
            case UPDATE -> {
                ObjectType type = HubSpotSchema.objectType(call.objectType());
                for (CrmRecord record : call.records()) {
                    ObjectNode props = inputs.addObject().put("id", call.updateIds().get(record))
                            .putObject("properties");
                    record.createOnlyValues().forEach((field, value) -> props.put(type.property(field), value.toString()));
                }
            }
            case READ -> {
                body.putArray("properties").add("hs_pipeline").add("hs_pipeline_stage");
                call.readIds().forEach(id -> inputs.addObject().put("id", id));
            }
            case ASSOCIATE -> {
                for (Association a : call.associations()) {
                    ObjectNode input = inputs.addObject();
                    input.putObject("from").put("id", a.fromId());
                    input.putObject("to").put("id", a.toId());
                    input.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED")
                            .put("associationTypeId", a.typeId());
                }
            }
        }
        return body;
    }
}
