package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.time.format.DateTimeParseException;
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

/**
 * The portal's property schema, what HubSpot's properties API serves: per object type, the properties (built-in and
 * custom, with unique values) and the property groups, and the checks HubSpot makes of the values written to records
 * (unknown properties, enumeration values, dates, numbers, required properties on create, the portal's validation
 * rules). Not locked itself: {@link HubSpotPortal} calls it under its one lock.
 */
final class HubSpotPropertySchema {

    private final Map<String, Map<String, Property>> properties = new HashMap<>();
    private final Map<String, Set<String>> groups = new HashMap<>();
    private final List<Predicate<Map<String, String>>> validationRules = new ArrayList<>();

    /** Back to HubSpot's own properties and groups of these types, no validation rules. */
    void reset(Collection<String> types) {
        properties.clear();
        groups.clear();
        validationRules.clear();
        for (String type : types) {
            properties.put(type, new LinkedHashMap<>());
            groups.put(type, new LinkedHashSet<>(List.of(type.equals("contacts") ? "contactinformation" : type
                    .replaceAll("s$", "") + "information")));
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
        properties.get("communications").put("hs_communication_channel_type", new Property("hs_communication_channel_type",
                "Channel type", "enumeration", "select", "communicationinformation", false, false,
                List.of("WHATS_APP", "LINKEDIN_MESSAGE", "SMS")));
        properties.get("communications").put("hs_communication_logged_from", new Property("hs_communication_logged_from",
                "Logged from", "enumeration", "select", "communicationinformation", false, false, List.of("CRM")));
        builtIn("notes", "hs_note_body", "string");
        builtIn("notes", "hs_timestamp", "datetime");
        for (String p : List.of("subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority")) {
            builtIn("tickets", p, "string");
        }
    }

    private void builtIn(String type, String name, String valueType) {
        properties.get(type).put(name, new Property(name, name, valueType, "text", groups.get(type).iterator().next(),
                false, false, List.of()));
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

    Failure createGroup(String type, String name) {
        if (!groups.get(type).add(name)) {
            return new Failure(409, "OBJECT_ALREADY_EXISTS", "A property group named '" + name + "' already exists.", Map.of());
        }
        return null;
    }

    Set<String> groups(String type) {
        return Set.copyOf(groups.get(type));
    }

    Failure createProperty(String type, Property property) {
        if (property.name() == null || !property.name().matches("[a-z][a-z0-9_]*")) {
            return new Failure(400, "VALIDATION_ERROR", "Property name '" + property.name() + "' is not valid", Map.of());
        }
        if (properties.get(type).containsKey(property.name())) {
            return new Failure(409, "OBJECT_ALREADY_EXISTS", "Property named '" + property.name()
                    + "' already exists.", Map.of("name", List.of(property.name())));
        }
        if (!groups.get(type).contains(property.groupName())) {
            return new Failure(400, "VALIDATION_ERROR", "Property group '" + property.groupName() + "' does not exist.",
                    Map.of());
        }
        if (!Set.of("string", "number", "datetime", "date", "enumeration", "bool").contains(property.type())) {
            return new Failure(400, "VALIDATION_ERROR", "Unknown property type " + property.type(), Map.of());
        }
        properties.get(type).put(property.name(), property);
        return null;
    }

    // ---- checks of values ----------------------------------------------------------------------------------------

    /** Why HubSpot would refuse these values (unknown properties, invalid values, a validation rule), or null. */
    Failure validate(String type, Map<String, String> values, Map<String, List<String>> context) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Property property = properties.get(type).get(entry.getKey());
            String value = entry.getValue();
            if (property == null) {
                problems.add("{\"isValid\":false,\"message\":\"Property \\\"" + entry.getKey()
                        + "\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"" + entry.getKey() + "\"}");
            } else if (value != null && !value.isEmpty() && !valid(property, value)) {
                problems.add("{\"isValid\":false,\"message\":\"" + value.replace("\"", "'") + " was not a valid "
                        + property.type() + ".\",\"error\":\"INVALID_" + property.type().toUpperCase() + "\",\"name\":\""
                        + property.name() + "\"}");
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

    private static boolean valid(Property property, String value) {
        return switch (property.type()) {
            case "number" -> value.matches("-?\\d+(\\.\\d+)?");
            case "datetime", "date" -> value.matches("\\d{10,13}") || parses(value);
            case "enumeration" -> property.options().isEmpty() || property.options().contains(value);
            case "bool" -> value.equals("true") || value.equals("false");
            default -> value.length() <= 65_536;
        };
    }

    private static boolean parses(String iso) {
        try {
            Instant.parse(iso);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
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
