package io.github.wacrm.bridge.emulator.hubspot;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Property;

/**
 * How HubSpot reads and writes the values of each property type. A {@code datetime} is written as epoch milliseconds
 * or ISO-8601 and kept to the millisecond; HubSpot answers it ISO-8601 in UTC ({@code 2024-11-22T10:06:40Z},
 * {@code 2024-11-22T10:06:40.123Z}), whatever form it was sent in. A {@code date} is written as {@code YYYY-MM-DD} or
 * as the epoch milliseconds of a midnight UTC, and answered {@code YYYY-MM-DD}. Numbers, booleans, enumerations and
 * strings are answered as they were written. Also what searches compare: numbers as numbers, dates as instants.
 */
final class HubSpotValueFormats {

    private HubSpotValueFormats() {
    }

    /** Whether HubSpot takes this value for the property. */
    static boolean valid(Property property, String value) {
        return switch (property.type()) {
            case "number" -> number(value) != null;
            case "datetime" -> instant(value) != null;
            case "date" -> date(value) != null;
            case "enumeration" -> property.options().isEmpty() || property.options().contains(value);
            case "bool" -> value.equals("true") || value.equals("false");
            default -> value.length() <= 65_536;
        };
    }

    /** The value as HubSpot keeps and answers it (an invalid value unchanged: the caller refuses it first). */
    static String canonical(Property property, String value) {
        if (property == null || value == null || value.isEmpty()) {
            return value;
        }
        return switch (property.type()) {
            case "datetime" -> {
                Instant at = instant(value);
                yield at == null ? value : at.toString();
            }
            case "date" -> {
                LocalDate day = date(value);
                yield day == null ? value : day.toString();
            }
            default -> value;
        };
    }

    /** A value a search can order: a number, epoch millis of a date or datetime, else the lower-case text. */
    static Comparable<?> comparable(Property property, String value) {
        String type = property == null ? "string" : property.type();
        switch (type) {
            case "number":
                return number(value);
            case "datetime": {
                Instant at = instant(value);
                return at == null ? null : BigDecimal.valueOf(at.toEpochMilli());
            }
            case "date": {
                LocalDate day = date(value);
                return day == null ? null : BigDecimal.valueOf(day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            }
            default:
                return value.toLowerCase();
        }
    }

    private static BigDecimal number(String value) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String value) {
        if (value.matches("-?\\d{1,13}")) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return Instant.parse(value).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            try {
                // a date alone is midnight UTC of that day
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** A date: YYYY-MM-DD, or epoch millis of a midnight UTC (HubSpot refuses a date with a time of day). */
    private static LocalDate date(String value) {
        if (value.matches("-?\\d{1,13}")) {
            long millis = Long.parseLong(value);
            return millis % 86_400_000L != 0 ? null
                    : Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
