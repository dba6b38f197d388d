package dev.sluice.objects;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Java types written as formatted JSON strings ({@code java.time}, {@code UUID}), and the JSON
 * Schema formats Sluice checks: {@code date}, {@code date-time}, {@code time}, {@code duration} and
 * {@code uuid}. Every check here is linear in the string; none takes a pattern from a schema.
 */
final class Formats {
    private Formats() {}

    /**
     * How a Java type is written.
     *
     * @param format the JSON Schema format, or null
     * @param pattern a regular expression for the providers where no format fits, or null
     * @param parse reads the string; throws {@link DateTimeParseException} or {@link IllegalArgumentException}
     */
    record Mapping(@Nullable String format, @Nullable String pattern, Function<String, Object> parse) {}

    private static final String LOCAL_TIME = "\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?";

    private static final Map<Class<?>, Mapping> TYPES = Map.of(
            LocalDate.class, new Mapping("date", null, LocalDate::parse),
            OffsetDateTime.class, new Mapping("date-time", null, s -> OffsetDateTime.parse(upper(s))),
            Instant.class,
                    new Mapping(
                            "date-time",
                            null,
                            s -> OffsetDateTime.parse(upper(s)).toInstant()),
            ZonedDateTime.class, new Mapping("date-time", null, s -> ZonedDateTime.parse(upper(s))),
            OffsetTime.class, new Mapping("time", null, s -> OffsetTime.parse(upper(s))),
            LocalTime.class, new Mapping(null, "^" + LOCAL_TIME + "$", LocalTime::parse),
            LocalDateTime.class, new Mapping(null, "^\\d{4}-\\d{2}-\\d{2}T" + LOCAL_TIME + "$", LocalDateTime::parse),
            Duration.class, new Mapping("duration", null, s -> Duration.parse(s)),
            Period.class, new Mapping("duration", null, s -> Period.parse(s)),
            UUID.class,
                    new Mapping("uuid", null, s -> {
                        if (!isUuid(s)) throw new IllegalArgumentException("not a UUID");
                        return UUID.fromString(s);
                    }));

    /** {@return how a Java type is written, or null when it is not one of the formatted types} */
    static @Nullable Mapping of(Class<?> type) {
        return TYPES.get(type);
    }

    /** {@return what a message calls a value of the format: {@code a date}, {@code a duration} ...} */
    static String describe(String format) {
        return switch (format) {
            case "date" -> "a date (YYYY-MM-DD)";
            case "date-time" -> "a date and time with an offset (RFC 3339)";
            case "time" -> "a time with an offset (RFC 3339)";
            case "duration" -> "an ISO 8601 duration (such as PT20M)";
            case "uuid" -> "a UUID";
            default -> "a " + format;
        };
    }

    /** {@return whether s is written in the format; true for a format Sluice does not check} */
    static boolean valid(String format, String s) {
        try {
            return switch (format) {
                case "date" -> {
                    LocalDate.parse(s);
                    yield true;
                }
                case "date-time" -> {
                    OffsetDateTime.parse(upper(s));
                    yield true;
                }
                case "time" -> {
                    OffsetTime.parse(upper(s));
                    yield true;
                }
                case "duration" -> isDuration(s);
                case "uuid" -> isUuid(s);
                default -> true;
            };
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String upper(String s) {
        return s.length() > 64 ? s : s.toUpperCase(Locale.ROOT); // RFC 3339 allows t and z; too long to be one anyway
    }

    /** ISO 8601 durations as RFC 3339 (appendix A) writes them: P, then dates, weeks or a T and times; fractions on the last. */
    static boolean isDuration(String s) {
        int n = s.length();
        if (n < 3 || s.charAt(0) != 'P') return false;
        int i = 1;
        boolean time = false;
        boolean any = false;
        String order = "YMWD";
        int next = 0;
        while (i < n) {
            if (s.charAt(i) == 'T') {
                if (time || i + 1 == n) return false;
                time = true;
                order = "HMS";
                next = 0;
                i++;
                continue;
            }
            int start = i;
            while (i < n && digit(s.charAt(i))) i++;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',') && i > start) {
                i++;
                int fraction = i;
                while (i < n && digit(s.charAt(i))) i++;
                if (i == fraction || i != n - 1) return false; // a fraction only on the last part
            }
            if (i == start || i >= n) return false;
            int unit = order.indexOf(s.charAt(i), next);
            if (unit < 0) return false;
            next = unit + 1;
            any = true;
            i++;
        }
        return any;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isUuid(String s) {
        if (s.length() != 36) return false;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
        }
        return true;
    }
}
