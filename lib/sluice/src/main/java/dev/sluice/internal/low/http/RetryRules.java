package dev.sluice.internal.low.http;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The provider-neutral retry rules, in one place:
 * <ul>
 *   <li>Retryable statuses: 408 (request timeout), 409 (conflict), 429 (rate limited) and every
 *       5xx (529, Anthropic's "overloaded", included). Other statuses are never retried.</li>
 *   <li>{@code x-should-retry: true} or {@code false} on a response overrides the status rule
 *       (any other value is ignored).</li>
 *   <li>The server's delay: {@code retry-after-ms} (milliseconds, possibly fractional) when present
 *       and readable, else {@code retry-after} (seconds, possibly fractional, or an HTTP date in
 *       RFC 1123 form, counted from the injected clock). A value that is unreadable, zero or
 *       negative (a date in the past) counts as absent.</li>
 * </ul>
 */
public final class RetryRules {
    /** The header by which a server overrides the status rule. */
    public static final String SHOULD_RETRY = "x-should-retry";
    /** The server's delay in milliseconds. */
    public static final String RETRY_AFTER_MS = "retry-after-ms";
    /** The server's delay in seconds, or as an HTTP date. */
    public static final String RETRY_AFTER = "retry-after";

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,30}(\\.[0-9]{0,30})?|\\.[0-9]{1,30}");

    private RetryRules() {}

    /** {@return whether a response with this status is retried when no header says otherwise} */
    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
    }

    /** {@return whether a response with this status and these headers is retried} */
    public static boolean shouldRetry(int status, HttpHeaders headers) {
        Optional<String> override =
                headers.firstValue(SHOULD_RETRY).map(v -> v.trim().toLowerCase(Locale.ROOT));
        if (override.isPresent()) {
            if (override.get().equals("true")) return true;
            if (override.get().equals("false")) return false;
        }
        return isRetryableStatus(status);
    }

    /** {@return {@code d} in milliseconds, rounded up: a delay is never cut short} */
    public static long ceilMillis(Duration d) {
        long ms = d.toMillis();
        return d.minusMillis(ms).isZero() ? ms : ms + 1;
    }

    /** {@return the positive delay the server asked for before a retry, when it named one} */
    public static Optional<Duration> serverDelay(HttpHeaders headers, Clock clock) {
        Optional<Duration> ms = headers.firstValue(RETRY_AFTER_MS).flatMap(v -> parseNumber(v, 1_000_000L));
        if (ms.isPresent()) return ms;
        return headers.firstValue(RETRY_AFTER).flatMap(v -> parseRetryAfter(v, clock));
    }

    /** {@return the delay of a {@code retry-after} value: seconds, or an HTTP date from {@code clock}'s now} */
    static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        if (NUMBER.matcher(value.trim()).matches()) return parseNumber(value, 1_000_000_000L);
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Parses a plain decimal number ({@code 12}, {@code 1.5}) of units {@code nanosPerUnit} long; positive results only. */
    private static Optional<Duration> parseNumber(String value, long nanosPerUnit) {
        String v = value.trim();
        if (!NUMBER.matcher(v).matches()) return Optional.empty();
        double nanos = Double.parseDouble(v) * nanosPerUnit;
        if (!(nanos > 0)) return Optional.empty();
        // Far beyond any cap: saturate rather than overflow; the caller compares with maxRetryAfter.
        if (nanos >= Long.MAX_VALUE) return Optional.of(Duration.ofNanos(Long.MAX_VALUE));
        return Optional.of(Duration.ofNanos((long) Math.ceil(nanos)));
    }
}
