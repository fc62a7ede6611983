package io.github.wacrm.bridge.emulator.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * describeGlobal ({@code GET /sobjects}) and sObject describe ({@code GET /sobjects/{Object}/describe}), built from
 * the shipped metadata the org was made of: the objects, and each field's API type, length, external id, uniqueness,
 * whether it can be written, and a reference's target and relationship name.
 */
final class SalesforceDescribe {

    private static final String BASE = "/services/data/v62.0/sobjects/";

    private final SalesforceSchema schema;

    SalesforceDescribe(SalesforceSchema schema) {
        this.schema = schema;
    }

    Map<String, Object> global() {
        List<Object> sobjects = new ArrayList<>();
        for (SalesforceSchema.SObject object : schema.objects()) {
            sobjects.add(summary(object));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("encoding", "UTF-8");
        out.put("maxBatchSize", 200);
        out.put("sobjects", sobjects);
        return out;
    }

    SalesforceReply describe(String name) {
        return schema.object(name).map(object -> {
            Map<String, Object> out = summary(object);
            List<Object> fields = new ArrayList<>();
            fields.add(field("Id", "id", 18, false, true, false, false, null, null));
            for (SalesforceSchema.Field f : object.fields().values()) {
                fields.add(field(f.name(), apiType(f), f.length(), f.externalId(), f.unique(), f.createable() && !f.isFormula(),
                        f.isFormula(), f.referenceTo(), f.relationshipName()));
            }
            fields.add(field("CreatedDate", "datetime", 0, false, false, false, false, null, null));
            fields.add(field("LastModifiedDate", "datetime", 0, false, false, false, false, null, null));
            out.put("fields", fields);
            out.put("childRelationships", List.of());
            return new SalesforceReply(200, out);
        }).orElse(new SalesforceReply(404, SalesforceReply.errors("NOT_FOUND",
                "The requested resource does not exist")));
    }

    private static Map<String, Object> summary(SalesforceSchema.SObject object) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", object.name());
        out.put("label", object.name().replace("__c", "").replace('_', ' '));
        out.put("labelPlural", object.name().replace("__c", "").replace('_', ' ') + "s");
        out.put("keyPrefix", object.keyPrefix());
        out.put("custom", object.name().endsWith("__c"));
        out.put("createable", true);
        out.put("updateable", true);
        out.put("deletable", true);
        out.put("queryable", true);
        out.put("retrieveable", true);
        out.put("searchable", true);
        out.put("urls", Map.of("sobject", BASE + object.name(), "describe", BASE + object.name() + "/describe",
                "rowTemplate", BASE + object.name() + "/{ID}"));
        return out;
    }

    private static Map<String, Object> field(String name, String type, int length, boolean externalId, boolean unique,
            boolean writable, boolean calculated, String referenceTo, String relationshipName) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("label", name.replace("__c", "").replace('_', ' '));
        out.put("type", type);
        out.put("length", length);
        out.put("externalId", externalId);
        out.put("unique", unique);
        out.put("idLookup", externalId || "Id".equals(name));
        out.put("nillable", !"Id".equals(name) && !"boolean".equals(type));
        out.put("createable", writable);
        out.put("updateable", writable);
        out.put("calculated", calculated);
        out.put("custom", name.endsWith("__c"));
        out.put("referenceTo", referenceTo == null ? List.of() : List.of(referenceTo));
        out.put("relationshipName", relationshipName);
        out.put("picklistValues", List.of());
        return out;
    }

    /** The API type of a field as describe names it. */
    private static String apiType(SalesforceSchema.Field field) {
        return switch (field.type()) {
            case "LongTextArea" -> "textarea";
            case "DateTime" -> "datetime";
            case "Checkbox" -> "boolean";
            case "Number" -> "double";
            case "Lookup", "MasterDetail" -> "reference";
            case "Picklist" -> "picklist";
            case "Phone" -> "phone";
            case "Email" -> "email";
            case "Url" -> "url";
            default -> "string";
        };
    }
}
