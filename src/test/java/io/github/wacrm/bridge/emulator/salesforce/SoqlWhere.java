package io.github.wacrm.bridge.emulator.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SOQL WHERE clause: conditions joined by AND and OR, in parentheses as deep as needed, with the operators {@code =
 * != < <= > >= LIKE IN NOT IN}, literals in quotes, numbers, {@code true false null}, DateTimes
 * ({@code 2024-11-22T10:06:40Z}) and the date literals {@code TODAY}, {@code YESTERDAY}, {@code LAST_N_DAYS:n}.
 * Keywords in any case, as Salesforce reads them.
 */
final class SoqlWhere {

    record Condition(String field, String operator, List<Object> values) {
    }

    /** From (inclusive) to (exclusive): what a date literal means for a DateTime field. */
    record DateRange(Instant from, Instant to) {
    }

    /** OR of AND-lists of terms; a term is a {@link Condition} or a nested {@link SoqlWhere}. */
    private final List<List<Object>> anyOf;

    private static final Pattern CONDITION = Pattern.compile(
            "(?is)^\\s*([\\w.]+)\\s*(<=|>=|!=|=|<|>|\\bNOT\\s+IN\\b|\\bIN\\b|\\bLIKE\\b)\\s*(.+?)\\s*$");

    private SoqlWhere(List<List<Object>> anyOf) {
        this.anyOf = anyOf;
    }

    static SoqlWhere all() {
        return new SoqlWhere(List.of(List.of()));
    }

    static SoqlWhere parse(String text) {
        List<List<Object>> anyOf = new ArrayList<>();
        for (String alternative : split(text, "OR")) {
            List<Object> all = new ArrayList<>();
            for (String part : split(alternative, "AND")) {
                String term = part.trim();
                all.add(wrapped(term) ? parse(term.substring(1, term.length() - 1)) : condition(term));
            }
            anyOf.add(all);
        }
        return new SoqlWhere(anyOf);
    }

    /** Every condition, however deep. */
    List<Condition> conditions() {
        List<Condition> out = new ArrayList<>();
        for (List<Object> all : anyOf) {
            for (Object term : all) {
                if (term instanceof Condition c) {
                    out.add(c);
                } else {
                    out.addAll(((SoqlWhere) term).conditions());
                }
            }
        }
        return out;
    }

    /** Whether a row matches; {@code value} reads a field (or a relationship path) of it. */
    boolean matches(Function<String, Object> value) {
        for (List<Object> all : anyOf) {
            boolean every = true;
            for (Object term : all) {
                boolean ok = term instanceof Condition c ? test(c, value.apply(c.field()))
                        : ((SoqlWhere) term).matches(value);
                if (!ok) {
                    every = false;
                    break;
                }
            }
            if (every) {
                return true;
            }
        }
        return false;
    }

    private static boolean test(Condition c, Object actual) {
        return switch (c.operator()) {
            case "=" -> same(actual, c.values().get(0));
            case "!=" -> !same(actual, c.values().get(0));
            case "IN" -> c.values().stream().anyMatch(v -> same(actual, v));
            case "NOT IN" -> c.values().stream().noneMatch(v -> same(actual, v));
            case "LIKE" -> actual != null && like(actual.toString(), String.valueOf(c.values().get(0)));
            default -> actual != null && c.values().get(0) != null && compare(c.operator(), actual, c.values().get(0));
        };
    }

    private static boolean same(Object actual, Object expected) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (expected instanceof DateRange range) {
            Instant at = SalesforceOrg.parseDateTime(actual.toString());
            return !at.isBefore(range.from()) && at.isBefore(range.to());
        }
        if (expected instanceof Instant at) {
            return SalesforceOrg.parseDateTime(actual.toString()).equals(at);
        }
        return expected.toString().equals(actual.toString());
    }

    private static boolean compare(String operator, Object actual, Object expected) {
        int order;
        if (expected instanceof DateRange range) {
            Instant at = SalesforceOrg.parseDateTime(actual.toString());
            Instant bound = operator.startsWith(">") ? (operator.equals(">") ? range.to() : range.from())
                    : (operator.equals("<") ? range.from() : range.to());
            order = at.compareTo(bound);
            return switch (operator) {
                case ">", ">=" -> order >= 0;
                default -> order < 0;
            };
        } else if (expected instanceof Instant at) {
            order = SalesforceOrg.parseDateTime(actual.toString()).compareTo(at);
        } else if (expected instanceof String number && number.matches("-?\\d+(\\.\\d+)?")) {
            order = new BigDecimal(actual.toString()).compareTo(new BigDecimal(number));
        } else {
            order = actual.toString().compareTo(expected.toString());
        }
        return switch (operator) {
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            default -> order >= 0;
        };
    }

    /** LIKE: {@code %} any run, {@code _} one character, case-insensitive. */
    private static boolean like(String actual, String pattern) {
        StringBuilder regex = new StringBuilder("(?is)");
        for (char ch : pattern.toCharArray()) {
            regex.append(ch == '%' ? ".*" : ch == '_' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return actual.matches(regex.toString());
    }

    private static Condition condition(String part) {
        Matcher c = CONDITION.matcher(part);
        if (!c.matches()) {
            throw new Soql.MalformedQueryException("unexpected condition: " + part);
        }
        String op = c.group(2).toUpperCase().replaceAll("\\s+", " ");
        List<Object> values = op.endsWith("IN") ? literals(unwrap(c.group(3)))
                : Collections.singletonList(literal(c.group(3)));
        return new Condition(c.group(1), op, values);
    }

    private static boolean wrapped(String term) {
        if (!term.startsWith("(") || !term.endsWith(")")) {
            return false;
        }
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < term.length(); i++) {
            char ch = term.charAt(i);
            if (ch == '\'' && (i == 0 || term.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')' && --depth == 0 && i < term.length() - 1) {
                return false;
            }
        }
        return true;
    }

    /** Splits at a keyword ({@code AND}, {@code OR}) outside quotes and parentheses. */
    private static List<String> split(String text, String keyword) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        String spaced = " " + keyword + " ";
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' && quoted && i + 1 < text.length()) {
                current.append(ch).append(text.charAt(++i));
                continue;
            }
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            }
            if (!quoted && depth == 0 && text.regionMatches(true, i, spaced, 0, spaced.length())) {
                parts.add(current.toString());
                current.setLength(0);
                i += spaced.length() - 1;
                continue;
            }
            current.append(ch);
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unwrap(String list) {
        String trimmed = list.trim();
        if (!trimmed.startsWith("(") || !trimmed.endsWith(")")) {
            throw new Soql.MalformedQueryException("IN needs a parenthesised list: " + list);
        }
        return trimmed.substring(1, trimmed.length() - 1);
    }

    private static List<Object> literals(String list) {
        List<Object> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char ch = list.charAt(i);
            if (ch == '\\' && quoted && i + 1 < list.length()) {
                current.append(ch).append(list.charAt(++i));
            } else if (ch == '\'') {
                quoted = !quoted;
                current.append(ch);
            } else if (ch == ',' && !quoted) {
                values.add(literal(current.toString()));
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        if (!current.toString().isBlank()) {
            values.add(literal(current.toString()));
        }
        return values;
    }

    private static Object literal(String text) {
        String t = text.trim();
        if (t.startsWith("'") && t.endsWith("'") && t.length() >= 2) {
            return t.substring(1, t.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
        }
        if (t.equalsIgnoreCase("null")) {
            return null;
        }
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        if (t.matches("-?\\d+(\\.\\d+)?")) {
            return t;
        }
        if (t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:?\\d\\d)")) {
            return SalesforceOrg.parseDateTime(t.replaceAll("([+-]\\d\\d)(\\d\\d)$", "$1:$2"));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (t.equalsIgnoreCase("TODAY")) {
            return days(today, today.plusDays(1));
        }
        if (t.equalsIgnoreCase("YESTERDAY")) {
            return days(today.minusDays(1), today);
        }
        Matcher lastDays = Pattern.compile("(?i)LAST_N_DAYS:(\\d+)").matcher(t);
        if (lastDays.matches()) {
            return days(today.minusDays(Long.parseLong(lastDays.group(1))), today.plusDays(1));
        }
        throw new Soql.MalformedQueryException("unexpected literal: " + t);
    }

    private static DateRange days(LocalDate from, LocalDate to) {
        return new DateRange(from.atStartOfDay().toInstant(ZoneOffset.UTC), to.atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
