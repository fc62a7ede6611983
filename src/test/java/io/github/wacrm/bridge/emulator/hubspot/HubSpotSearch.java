package io.github.wacrm.bridge.emulator.hubspot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchRefused;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Property;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;

/**
 * HubSpot's CRM search over the portal's records: filterGroups (OR of ANDs; at most 5 groups, 6 filters a group, 18
 * in all) with EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN and
 * NOT_CONTAINS_TOKEN (numbers compared as numbers, dates and datetimes as instants whether written as epoch millis or
 * ISO-8601, text case-insensitively); one sort ({@code {propertyName, direction}} as HubSpot documents it, or a
 * property name, {@code -name} for descending), else by id; paged with {@code after} (limit at most 200). An unknown
 * operator or too many filters is a 400. Not locked itself: {@link HubSpotPortal} calls it under its one lock.
 */
final class HubSpotSearch {

    private static final Pattern TOKENS = Pattern.compile("[^\\p{L}\\p{N}*@._+-]+");

    private final HubSpotRecords records;
    private final HubSpotPropertySchema schema;

    HubSpotSearch(HubSpotRecords records, HubSpotPropertySchema schema) {
        this.records = records;
        this.schema = schema;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> search(String type, Map<String, Object> request) {
        List<Map<String, Object>> groupsOfFilters = (List<Map<String, Object>>) request.getOrDefault("filterGroups",
                List.of());
        int filters = groupsOfFilters.stream().mapToInt(g -> ((List<?>) g.getOrDefault("filters", List.of())).size())
                .sum();
        if (groupsOfFilters.size() > 5 || filters > 18 || groupsOfFilters.stream()
                .anyMatch(g -> ((List<?>) g.getOrDefault("filters", List.of())).size() > 6)) {
            throw refused("A search takes at most 5 filterGroups of at most 6 filters, 18 filters in all");
        }
        List<String> wanted = (List<String>) request.getOrDefault("properties", List.of());
        int limit = ((Number) request.getOrDefault("limit", 10)).intValue();
        if (limit < 0 || limit > 200) {
            throw refused("limit must be between 0 and 200, was " + limit);
        }
        Object rawAfter = request.get("after");
        int after = rawAfter == null || rawAfter.toString().isEmpty() ? 0 : Integer.parseInt(rawAfter.toString());
        List<Record> matches = new ArrayList<>();
        for (Record record : records.byIdOrder(type)) {
            boolean match = groupsOfFilters.isEmpty();
            for (Map<String, Object> group : groupsOfFilters) {
                boolean all = true;
                for (Map<String, Object> filter : (List<Map<String, Object>>) group.getOrDefault("filters", List.of())) {
                    all &= matches(type, record, filter);
                }
                match |= all;
            }
            if (match) {
                matches.add(record);
            }
        }
        sort(type, matches, (List<Object>) request.getOrDefault("sorts", List.of()));
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = after; i < Math.min(matches.size(), after + limit); i++) {
            page.add(HubSpotRecords.result(type, matches.get(i), wanted));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", matches.size());
        answer.put("results", page);
        if (after + limit < matches.size()) {
            answer.put("paging", Map.of("next", Map.of("after", String.valueOf(after + limit))));
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private void sort(String type, List<Record> matches, List<Object> sorts) {
        if (sorts.isEmpty()) {
            return;
        }
        Object sort = sorts.get(0);
        String property;
        boolean descending;
        if (sort instanceof Map<?, ?> map) {
            property = String.valueOf(map.get("propertyName"));
            descending = "DESCENDING".equals(((Map<String, Object>) map).getOrDefault("direction", "ASCENDING"));
        } else {
            property = String.valueOf(sort).replaceFirst("^-", "");
            descending = String.valueOf(sort).startsWith("-");
        }
        Property definition = schema.property(type, property);
        Comparator<Record> order = Comparator.comparing(r -> comparable(definition, r.properties.get(property)),
                Comparator.nullsLast(Comparator.naturalOrder()));
        matches.sort(descending ? order.reversed() : order);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Comparable comparable(Property definition, String value) {
        return value == null ? null : (Comparable) HubSpotValueFormats.comparable(definition, value);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private boolean matches(String type, Record record, Map<String, Object> filter) {
        String name = String.valueOf(filter.get("propertyName"));
        Property definition = schema.property(type, name);
        String value = record.properties.get(name);
        String operator = String.valueOf(filter.getOrDefault("operator", "EQ"));
        Comparable own = comparable(definition, value);
        Comparable wanted = filter.get("value") == null ? null : comparable(definition, String.valueOf(filter.get(
                "value")));
        List<Object> values = (List<Object>) filter.getOrDefault("values", List.of());
        return switch (operator) {
            case "EQ" -> own != null && wanted != null && own.compareTo(wanted) == 0;
            case "NEQ" -> own == null || wanted == null || own.compareTo(wanted) != 0;
            case "LT" -> own != null && wanted != null && own.compareTo(wanted) < 0;
            case "LTE" -> own != null && wanted != null && own.compareTo(wanted) <= 0;
            case "GT" -> own != null && wanted != null && own.compareTo(wanted) > 0;
            case "GTE" -> own != null && wanted != null && own.compareTo(wanted) >= 0;
            case "BETWEEN" -> {
                Comparable high = filter.get("highValue") == null ? null : comparable(definition, String.valueOf(filter
                        .get("highValue")));
                yield own != null && wanted != null && high != null && own.compareTo(wanted) >= 0
                        && own.compareTo(high) <= 0;
            }
            case "IN" -> own != null && values.stream().map(v -> comparable(definition, String.valueOf(v)))
                    .anyMatch(v -> v != null && own.compareTo(v) == 0);
            case "NOT_IN" -> own == null || values.stream().map(v -> comparable(definition, String.valueOf(v)))
                    .noneMatch(v -> v != null && own.compareTo(v) == 0);
            case "HAS_PROPERTY" -> value != null;
            case "NOT_HAS_PROPERTY" -> value == null;
            case "CONTAINS_TOKEN" -> value != null && containsToken(value, String.valueOf(filter.get("value")));
            case "NOT_CONTAINS_TOKEN" -> value == null || !containsToken(value, String.valueOf(filter.get("value")));
            default -> throw refused("Unsupported operator " + operator + " for " + name);
        };
    }

    /** A word of the value is the token (case-insensitive; {@code *} in the token matches any characters). */
    private static boolean containsToken(String value, String token) {
        Pattern wanted = Pattern.compile(Arrays.stream(token.toLowerCase().split("\\*", -1)).map(Pattern::quote)
                .reduce((a, b) -> a + ".*" + b).orElse(""));
        return Arrays.stream(TOKENS.split(value.toLowerCase())).anyMatch(t -> wanted.matcher(t).matches())
                || token.contains(" ") && value.toLowerCase().contains(token.toLowerCase());
    }

    private static BatchRefused refused(String message) {
        return new BatchRefused(new Failure(400, "VALIDATION_ERROR", message, Map.of()));
    }
}
