package io.github.wacrm.bridge.emulator.salesforce;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL the bridge, the tests and everyday tooling use: {@code SELECT f1, Rel__r.f2 | COUNT() FROM Object [WHERE
 * ...] [ORDER BY f [ASC|DESC]] [LIMIT n]}, keywords in any case, the WHERE clause of {@link SoqlWhere}. Anything else
 * is refused with MALFORMED_QUERY, as Salesforce refuses what it cannot parse; a column the object lacks is
 * INVALID_FIELD.
 */
final class Soql {

    record Query(List<String> fields, boolean count, String object, SoqlWhere where, String orderBy,
            boolean descending, Integer limit) {
    }

    static class MalformedQueryException extends RuntimeException {
        MalformedQueryException(String message) {
            super(message);
        }
    }

    /** A column the object does not have: Salesforce answers {@code INVALID_FIELD}, not {@code MALFORMED_QUERY}. */
    static final class InvalidFieldException extends MalformedQueryException {
        InvalidFieldException(String message) {
            super(message);
        }
    }

    /** Fields every record has, not in the metadata. */
    private static final Set<String> SYSTEM_FIELDS = Set.of("Id", "CreatedDate", "LastModifiedDate", "SystemModstamp",
            "CreatedById", "LastModifiedById", "IsDeleted", "OwnerId");

    private static final Pattern QUERY = Pattern.compile(
            "(?is)^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+([\\w.]+)(?:\\s+(ASC|DESC))?)?"
                    + "(?:\\s+LIMIT\\s+(\\d+))?\\s*$");

    private Soql() {
    }

    static Query parse(String soql) {
        Matcher m = QUERY.matcher(soql);
        if (!m.matches()) {
            throw new MalformedQueryException("unexpected token in query: " + soql);
        }
        String select = m.group(1).trim();
        boolean count = select.equalsIgnoreCase("COUNT()");
        List<String> fields = count ? List.of() : List.of(select.split("\\s*,\\s*"));
        SoqlWhere where = m.group(3) == null ? SoqlWhere.all() : SoqlWhere.parse(m.group(3));
        return new Query(fields, count, m.group(2), where, m.group(4), "DESC".equalsIgnoreCase(m.group(5)),
                m.group(6) == null ? null : Integer.parseInt(m.group(6)));
    }

    static Map<String, Object> execute(SalesforceOrg org, String soql) {
        Query query = parse(soql);
        if (org.schema().object(query.object()).isEmpty()) {
            throw new MalformedQueryException("sObject type '" + query.object() + "' is not supported.");
        }
        for (SoqlWhere.Condition condition : query.where().conditions()) {
            checkField(org, query.object(), condition.field());
        }
        for (String field : query.fields()) {
            checkField(org, query.object(), field);
        }
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> row : org.all(query.object())) {
            if (query.where().matches(field -> org.path(query.object(), row, field))) {
                matching.add(row);
            }
        }
        if (query.orderBy() != null) {
            Comparator<Map<String, Object>> order = Comparator.comparing(
                    r -> Objects.toString(org.path(query.object(), r, query.orderBy()), ""));
            matching.sort(query.descending() ? order.reversed() : order);
        }
        if (query.limit() != null && matching.size() > query.limit()) {
            matching = matching.subList(0, query.limit());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("totalSize", matching.size());
        result.put("done", true);
        List<Map<String, Object>> records = new ArrayList<>();
        if (!query.count()) {
            for (Map<String, Object> row : matching) {
                Map<String, Object> record = record(query.object(), row);
                for (String field : query.fields()) {
                    put(org, query.object(), row, record, field);
                }
                records.add(record);
            }
        }
        result.put("records", records);
        return result;
    }

    private static Map<String, Object> record(String object, Map<String, Object> row) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("attributes", Map.of("type", object, "url", "/services/data/v62.0/sobjects/" + object + "/" + row.get("Id")));
        return record;
    }

    /**
     * One selected column, as Salesforce answers it: a relationship column ({@code Contact__r.WhatsApp_Id__c}) nests
     * under the relationship, with the parent's attributes ({@code "Contact__r": {"attributes": ..., "WhatsApp_Id__c":
     * ...}}), or {@code "Contact__r": null} when the record has no parent.
     */
    @SuppressWarnings("unchecked")
    private static void put(SalesforceOrg org, String object, Map<String, Object> row, Map<String, Object> record,
            String field) {
        int dot = field.indexOf('.');
        if (dot < 0) {
            record.put(field, row.get(field));
            return;
        }
        String relationship = field.substring(0, dot);
        SalesforceOrg.Parent parent = org.parent(object, row, relationship);
        if (parent == null) {
            record.put(relationship, null);
            return;
        }
        Map<String, Object> nested = record.get(relationship) instanceof Map<?, ?> known ? (Map<String, Object>) known
                : record(parent.type(), parent.view());
        record.put(relationship, nested);
        put(org, parent.type(), parent.view(), nested, field.substring(dot + 1));
    }

    /** A column of the object (or, through its relationships, of a parent), or INVALID_FIELD. */
    private static void checkField(SalesforceOrg org, String object, String field) {
        int dot = field.indexOf('.');
        SalesforceSchema.SObject sobject = org.schema().object(object).orElseThrow();
        if (dot < 0) {
            if (!SYSTEM_FIELDS.contains(field) && sobject.field(field).isEmpty()) {
                throw new InvalidFieldException("No such column '" + field + "' on entity '" + object + "'. If you are "
                        + "attempting to use a custom field, be sure to append the '__c' after the custom field name.");
            }
            return;
        }
        String relationship = field.substring(0, dot);
        SalesforceSchema.Field reference = sobject.relationship(relationship).orElseThrow(() -> new InvalidFieldException(
                "Didn't understand relationship '" + relationship + "' in field path. If you are attempting to use a "
                        + "custom relationship, be sure to append the '__r' after the custom relationship name."));
        checkField(org, reference.referenceTo(), field.substring(dot + 1));
    }





}
