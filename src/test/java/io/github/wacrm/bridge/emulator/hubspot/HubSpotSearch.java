package io.github.wacrm.bridge.emulator.hubspot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchRefused;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;

/**
 * HubSpot's CRM search over the portal's records: filterGroups (OR of ANDs) with EQ, NEQ, IN, HAS_PROPERTY,
 * NOT_HAS_PROPERTY; sorted by id; paged with {@code after}. Not locked itself: {@link HubSpotPortal} calls it under its
 * one lock.
 */
final class HubSpotSearch {

    private final HubSpotRecords records;

    HubSpotSearch(HubSpotRecords records) {
        this.records = records;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> search(String type, Map<String, Object> request) {
        List<Map<String, Object>> groupsOfFilters = (List<Map<String, Object>>) request.getOrDefault("filterGroups",
                List.of());
        List<String> wanted = (List<String>) request.getOrDefault("properties", List.of());
        int limit = Math.min(200, ((Number) request.getOrDefault("limit", 10)).intValue());
        int after = request.get("after") == null ? 0 : Integer.parseInt(request.get("after").toString());
        List<Record> matches = new ArrayList<>();
        for (Record record : records.byIdOrder(type)) {
            boolean match = groupsOfFilters.isEmpty();
            for (Map<String, Object> group : groupsOfFilters) {
                boolean all = true;
                for (Map<String, Object> filter : (List<Map<String, Object>>) group.getOrDefault("filters", List.of())) {
                    all &= matches(record, filter);
                }
                match |= all;
            }
            if (match) {
                matches.add(record);
            }
        }
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
    private static boolean matches(Record record, Map<String, Object> filter) {
        String value = record.properties.get(String.valueOf(filter.get("propertyName")));
        String operator = String.valueOf(filter.getOrDefault("operator", "EQ"));
        return switch (operator) {
            case "EQ" -> value != null && value.equalsIgnoreCase(String.valueOf(filter.get("value")));
            case "NEQ" -> value == null || !value.equalsIgnoreCase(String.valueOf(filter.get("value")));
            case "IN" -> value != null && ((List<Object>) filter.getOrDefault("values", List.of())).stream()
                    .anyMatch(v -> value.equalsIgnoreCase(String.valueOf(v)));
            case "HAS_PROPERTY" -> value != null;
            case "NOT_HAS_PROPERTY" -> value == null;
            default -> throw new BatchRefused(new Failure(400, "VALIDATION_ERROR", "Unsupported operator " + operator,
                    Map.of()));
        };
    }
}
