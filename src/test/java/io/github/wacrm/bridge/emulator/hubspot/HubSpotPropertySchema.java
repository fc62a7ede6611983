package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Property;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPropertyDetails.Group;

/**
 * The portal's property schema, what HubSpot's properties API serves: per object type, the properties (built-in and
 * custom, with unique values, their {@link HubSpotPropertyDetails}) and the property groups, and the checks HubSpot
 * makes of the values written to records (unknown properties, enumeration options, dates, numbers, a ticket's pipeline
 * and stage, required properties on create, the portal's validation rules). Values are read and answered as {@link
 * HubSpotValueFormats} says. Not locked itself: {@link HubSpotPortal} calls it under its one lock.
 */
final class HubSpotPropertySchema {

    private final Map<String, Map<String, Property>> properties = new HashMap<>();
    private final Map<String, HubSpotPropertyDetails> details = new HashMap<>();
    private final Map<String, Map<String, Group>> groups = new HashMap<>();
    private final List<Predicate<Map<String, String>>> validationRules = new ArrayList<>();
    private volatile Predicate<String> knownFile = id -> true;
    private final HubSpotPipelines pipelines;

    HubSpotPropertySchema(HubSpotPipelines pipelines) {
        this.pipelines = pipelines;
    }

    /** Back to HubSpot's own properties and groups of these types, no validation rules. */
    void reset(Collection<String> types) {
        properties.clear();
        details.clear();
        groups.clear();
        validationRules.clear();
        for (String type : types) {
            properties.put(type, new LinkedHashMap<>());
            String group = type.equals("contacts") ? "contactinformation" : type.replaceAll("s$", "") + "information";
            groups.put(type, new LinkedHashMap<>(Map.of(group, new Group(group, label(type) + " information", 0))));
            builtIn(type, "hs_object_id", "number");
            builtIn(type, "hs_createdate", "datetime");
            builtIn(type, "hs_lastmodifieddate", "datetime");
            builtIn(type, "hubspot_owner_id", "enumeration");
        }
        for (String p : List.of("firstname", "lastname", "email", "phone", "mobilephone", "company")) {
            builtIn("contacts", p, "string");
        }
        builtIn("contacts", "createdate", "datetime");
        builtIn("contacts", "lastmodifieddate", "datetime");
        builtIn("communications", "hs_communication_body", "string");
        builtIn("communications", "hs_timestamp", "datetime");
        builtIn("communications", "hs_communication_channel_type", "enumeration", "WHATS_APP", "LINKEDIN_MESSAGE", "SMS");
        builtIn("communications", "hs_communication_logged_from", "enumeration", "CRM");
        // a call engagement: its direction, status and duration (milliseconds) as HubSpot's calling tools write them
        builtIn("calls", "hs_timestamp", "datetime");
        builtIn("calls", "hs_call_title", "string");
        builtIn("calls", "hs_call_body", "string");
        builtIn("calls", "hs_call_duration", "number");
        builtIn("calls", "hs_call_direction", "enumeration", "INBOUND", "OUTBOUND");
        builtIn("calls", "hs_call_status", "enumeration", "BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED",
                "CONNECTING", "FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING");
        builtIn("notes", "hs_note_body", "string");
        builtIn("notes", "hs_timestamp", "datetime");
        // the files attached to a note, semicolon-separated file ids (files API)
        builtIn("notes", "hs_attachment_ids", "string");
        for (String p : List.of("subject", "content", "hs_ticket_priority")) {
            builtIn("tickets", p, "string");
        }
        // enumerations whose options are the pipelines and their stages; checked against the pipeline in validate
        builtIn("tickets", "hs_pipeline", "enumeration");
        builtIn("tickets", "hs_pipeline_stage", "enumeration");
    }

    private static String label(String type) {
        String singular = type.replaceAll("s$", "");
        return Character.toUpperCase(singular.charAt(0)) + singular.substring(1);
    }

    private void builtIn(String type, String name, String valueType, String... options) {
        properties.get(type).put(name, new Property(name, name, valueType, HubSpotPropertyDetails.defaultFieldType(
                valueType), groups.get(type).keySet().iterator().next(), false, false, List.of(options)));
        details.put(type + "|" + name, HubSpotPropertyDetails.builtIn(List.of(options)));
    }

    void addValidationRule(Predicate<Map<String, String>> refuse) {
        validationRules.add(refuse);
    }

    void clearValidationRules() {
        validationRules.clear();
    }

    // ---- properties and groups -----------------------------------------------------------------------------------

    List<Property> properties(String type) {
        return List.copyOf(properties.get(type).values());
    }

    /** The property's definition, or null when the type has no such property. */
    Property property(String type, String name) {
        return properties.get(type).get(name);
    }

    /** What the properties API shows of a property besides its definition. */
    HubSpotPropertyDetails details(String type, String name) {
        return details.get(type + "|" + name);
    }

    Failure createGroup(String type, String name) {
        return createGroup(type, name, name, -1);
    }

    Failure createGroup(String type, String name, String label, int displayOrder) {
        if (name == null || !name.matches("[a-z0-9_]+") || label == null || label.isBlank()) {
            return new Failure(400, "VALIDATION_ERROR", "A property group needs a name (lower case, digits, _) and a "
                    + "label", Map.of());
        }
        if (groups.get(type).containsKey(name)) {
            return new Failure(409, "OBJECT_ALREADY_EXISTS", "A property group named '" + name + "' already exists.",
                    Map.of());
        }
        groups.get(type).put(name, new Group(name, label, displayOrder));
        return null;
    }

    Set<String> groups(String type) {
        return Set.copyOf(groups.get(type).keySet());
    }

    List<Group> groupDefinitions(String type) {
        return List.copyOf(groups.get(type).values());
    }

    Failure createProperty(String type, Property property) {
        return createProperty(type, property, new HubSpotPropertyDetails("", -1, null, null,
                HubSpotPropertyDetails.options(property.options())));
    }

    Failure createProperty(String type, Property property, HubSpotPropertyDetails given) {
        if (property.name() == null || !property.name().matches("[a-z][a-z0-9_]*")) {
            return new Failure(400, "VALIDATION_ERROR", "Property name '" + property.name() + "' is not valid", Map.of());
        }
        if (properties.get(type).containsKey(property.name())) {
            return new Failure(409, "OBJECT_ALREADY_EXISTS", "Property named '" + property.name()
                    + "' already exists.", Map.of("name", List.of(property.name())));
        }
        if (property.label() == null || property.label().isBlank()) {
            return new Failure(400, "VALIDATION_ERROR", "Property '" + property.name() + "' needs a label", Map.of());
        }
        if (!groups.get(type).containsKey(property.groupName())) {
            return new Failure(400, "VALIDATION_ERROR", "Property group '" + property.groupName() + "' does not exist.",
                    Map.of());
        }
        Set<String> fieldTypes = HubSpotPropertyDetails.FIELD_TYPES.get(property.type());
        if (fieldTypes == null) {
            return new Failure(400, "VALIDATION_ERROR", "Unknown property type " + property.type() + "; valid types: "
                    + HubSpotPropertyDetails.FIELD_TYPES.keySet(), Map.of());
        }
        if (!fieldTypes.contains(property.fieldType())) {
            return new Failure(400, "VALIDATION_ERROR", "Property type " + property.type() + " cannot have fieldType "
                    + property.fieldType() + "; valid fieldTypes: " + fieldTypes, Map.of());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        properties.get(type).put(property.name(), property);
        details.put(type + "|" + property.name(), new HubSpotPropertyDetails(given.description(), given.displayOrder(),
                now, now, given.options()));
        return null;
    }

    /** Archives a custom property (HubSpot's own cannot be): null, or why not. */
    Failure archiveProperty(String type, String name) {
        Property property = properties.get(type).get(name);
        if (property == null) {
            return new Failure(404, "OBJECT_NOT_FOUND", "Unable to find property " + name, Map.of());
        }
        if (!property.custom()) {
            return new Failure(400, "VALIDATION_ERROR", "HubSpot-defined property " + name + " cannot be archived",
                    Map.of());
        }
        properties.get(type).remove(name);
        details.remove(type + "|" + name);
        return null;
    }

    // ---- checks of values ----------------------------------------------------------------------------------------

    /** The values as HubSpot keeps them: datetimes and dates in HubSpot's form (see {@link HubSpotValueFormats}). */
    String canonical(String type, String name, String value) {
        return HubSpotValueFormats.canonical(property(type, name), value);
    }

    void knownFiles(Predicate<String> exists) {
        knownFile = exists;
    }

    /** Why HubSpot would refuse these values (unknown properties, invalid values, a validation rule), or null. */
    Failure validate(String type, Map<String, String> values, Map<String, List<String>> context) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Property property = properties.get(type).get(entry.getKey());
            String value = entry.getValue();
            if (property == null) {
                problems.add("{\"isValid\":false,\"message\":\"Property \\\"" + entry.getKey()
                        + "\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"" + entry.getKey() + "\"}");
            } else if (value != null && !value.isEmpty() && property.type().equals("enumeration")
                    && !HubSpotValueFormats.valid(property, value)) {
                problems.add("{\"isValid\":false,\"message\":\"" + value.replace("\"", "'") + " was not one of the "
                        + "allowed options: " + property.options() + "\",\"error\":\"INVALID_OPTION\",\"name\":\""
                        + property.name() + "\"}");
            } else if (value != null && !value.isEmpty() && !HubSpotValueFormats.valid(property, value)) {
                problems.add("{\"isValid\":false,\"message\":\"" + value.replace("\"", "'") + " was not a valid "
                        + property.type() + ".\",\"error\":\"INVALID_" + property.type().toUpperCase() + "\",\"name\":\""
                        + property.name() + "\"}");
            }
        }
        String attachments = type.equals("notes") ? values.get("hs_attachment_ids") : null;
        for (String fileId : attachments == null || attachments.isBlank() ? new String[0] : attachments.split(";")) {
            if (!knownFile.test(fileId.trim())) {
                problems.add("{\"isValid\":false,\"message\":\"File " + fileId.trim() + " does not exist\","
                        + "\"error\":\"INVALID_FILE\",\"name\":\"hs_attachment_ids\"}");
            }
        }
        if (type.equals("tickets") && (values.get("hs_pipeline") != null || values.get("hs_pipeline_stage") != null)) {
            String refusal = pipelines.refusal(values.get("hs_pipeline"), values.get("hs_pipeline_stage"));
            if (refusal != null) {
                problems.add(refusal);
            }
        }
        if (problems.isEmpty()) {
            for (Predicate<Map<String, String>> rule : validationRules) {
                if (rule.test(values)) {
                    problems.add("{\"isValid\":false,\"message\":\"refused by a validation rule\","
                            + "\"error\":\"INVALID_OPTION\",\"name\":\"rule\"}");
                }
            }
        }
        return problems.isEmpty() ? null : new Failure(400, "VALIDATION_ERROR", "Property values were not valid: "
                + problems, context);
    }

    /** HubSpot's required properties on create. */
    static Failure required(String type, Map<String, String> values, Map<String, List<String>> context) {
        List<String> needed = switch (type) {
            case "communications" -> List.of("hs_timestamp", "hs_communication_channel_type", "hs_communication_logged_from");
            case "notes" -> List.of("hs_timestamp");
            case "tickets" -> List.of("subject", "hs_pipeline_stage");
            default -> List.of();
        };
        List<String> missing = needed.stream().filter(p -> values.get(p) == null || values.get(p).isEmpty()).toList();
        return missing.isEmpty() ? null : new Failure(400, "VALIDATION_ERROR", "Property values were not valid: "
                + missing.stream().map(p -> "{\"isValid\":false,\"message\":\"" + p + " is required\",\"error\":"
                        + "\"REQUIRED_PROPERTY\",\"name\":\"" + p + "\"}").toList(), context);
    }
}
