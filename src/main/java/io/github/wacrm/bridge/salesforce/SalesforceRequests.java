package io.github.wacrm.bridge.salesforce;

import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CASE;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.salesforce.SalesforceProperties.ObjectMapping;

/**
 * The REST requests of the Salesforce sink, in the org's object and field names ({@code whatsapp.salesforce.objects}):
 * the SOQL query for the open WhatsApp Cases of some people, and an sObject Collections upsert of records of one object,
 * references by external id.
 */
final class SalesforceRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceProperties properties;

    SalesforceRequests(SalesforceProperties properties) {
        this.properties = properties;
    }

    String queryPath() {
        return "/services/data/v" + properties.apiVersion() + "/query";
    }

    String upsertPath(ObjectMapping mapping) {
        return "/services/data/v" + properties.apiVersion() + "/composite/sobjects/" + mapping.object() + "/"
                + mapping.externalId();
    }

    /** The open WhatsApp Cases (with a conversation key) of {@code people}, newest first. */
    String openCases(List<String> people) {
        ObjectMapping cases = properties.object(CASE);
        String personField = cases.field("whatsappId");
        return "SELECT " + cases.externalId() + ", " + personField + " FROM " + cases.object()
                + " WHERE " + personField + " IN (" + people.stream().map(SalesforceRequests::quote)
                        .collect(Collectors.joining(","))
                + ") AND IsClosed = false AND " + cases.externalId() + " != null ORDER BY CreatedDate DESC";
    }

    /** The body of one sObject Collections upsert: each record written on its own ({@code allOrNone: false}). */
    byte[] upsert(ObjectMapping mapping, List<CrmRecord> records) throws JsonProcessingException {
        ObjectNode body = JSON.createObjectNode();
        body.put("allOrNone", false);
        ArrayNode sobjects = body.putArray("records");
        for (CrmRecord record : records) {
            sobjects.add(toSObject(mapping, record));
        }
        return JSON.writeValueAsBytes(body);
    }

    ObjectNode toSObject(ObjectMapping mapping, CrmRecord record) {
        ObjectNode sobject = JSON.createObjectNode();
        sobject.putObject("attributes").put("type", mapping.object());
        sobject.put(mapping.externalId(), record.externalId());
        record.values().forEach((logical, value) -> put(sobject, mapping.field(logical), value));
        if (record.sendsCreateOnly()) {
            record.createOnlyValues().forEach((logical, value) -> put(sobject, mapping.field(logical), value));
        }
        record.references().forEach((relation, externalId) -> {
            String relationship = mapping.field(relation);
            if (relationship != null) {
                sobject.putObject(relationship).put(properties.object(relation).externalId(), externalId);
            }
        });
        return sobject;
    }

    private static void put(ObjectNode sobject, String field, Object value) {
        if (field == null || value == null) {
            return;
        }
        if (value instanceof Boolean b) {
            sobject.put(field, b);
        } else if (value instanceof Integer n) {
            sobject.put(field, n);
        } else {
            sobject.put(field, value.toString());
        }
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
