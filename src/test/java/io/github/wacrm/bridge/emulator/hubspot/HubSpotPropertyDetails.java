package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the properties API shows of a property besides its {@link HubSpotPortal.Property} definition: description,
 * display order, when a custom property was created and updated (HubSpot's own properties answer neither), and the
 * options of an enumeration with their labels; also a property group, and the {@code type}/{@code fieldType} pairs
 * HubSpot's properties guide allows.
 */
record HubSpotPropertyDetails(String description, int displayOrder, Instant createdAt, Instant updatedAt,
        List<Option> options) {

    /** One option of an enumeration. */
    record Option(String label, String value, String description, int displayOrder, boolean hidden) {
    }

    /** A property group. */
    record Group(String name, String label, int displayOrder) {
    }

    /**
     * The fieldTypes each type allows (HubSpot's properties guide, "Property type and fieldType values"): a bool is a
     * booleancheckbox, an enumeration a booleancheckbox, checkbox, radio or select, a date and a datetime a date, a
     * string a text, textarea, html, phonenumber or file, a number a number; calculated properties may use
     * calculation_equation.
     */
    static final Map<String, Set<String>> FIELD_TYPES = Map.of(
            "bool", Set.of("booleancheckbox", "calculation_equation"),
            "enumeration", Set.of("booleancheckbox", "checkbox", "radio", "select", "calculation_equation"),
            "date", Set.of("date"),
            "datetime", Set.of("date"),
            "string", Set.of("text", "textarea", "html", "phonenumber", "file", "calculation_equation"),
            "number", Set.of("number", "calculation_equation"));

    /** The fieldType HubSpot's own properties of a type have. */
    static String defaultFieldType(String type) {
        return switch (type) {
            case "number" -> "number";
            case "datetime", "date" -> "date";
            case "enumeration" -> "select";
            case "bool" -> "booleancheckbox";
            default -> "text";
        };
    }

    /** One of HubSpot's own properties: no description, no timestamps, options labelled by their values. */
    static HubSpotPropertyDetails builtIn(List<String> options) {
        return new HubSpotPropertyDetails("", -1, null, null, options(options));
    }

    static List<Option> options(List<String> values) {
        return java.util.stream.IntStream.range(0, values.size())
                .mapToObj(i -> new Option(values.get(i), values.get(i), null, i, false)).toList();
    }
}
