package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryRulesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static HttpHeaders headers(String... nameValues) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) map.put(nameValues[i], List.of(nameValues[i + 1]));
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504, 529, 599})
    void isRetryableStatus_retryableStatus_true(int status) {
        assertTrue(RetryRules.isRetryableStatus(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 301, 400, 401, 403, 404, 413, 422, 600})
    void isRetryableStatus_otherStatus_false(int status) {
        assertFalse(RetryRules.isRetryableStatus(status));
    }

    @Test
    void shouldRetry_xShouldRetryHeader_overridesStatus() {
        assertTrue(RetryRules.shouldRetry(400, headers("x-should-retry", "true")));
        assertFalse(RetryRules.shouldRetry(503, headers("x-should-retry", "false")));
        assertTrue(RetryRules.shouldRetry(503, headers("x-should-retry", "maybe")));
        assertFalse(RetryRules.shouldRetry(400, headers()));
    }

    @Test
    void serverDelay_retryAfterMsFractional_roundedUpToNanos() {
        assertEquals(
                Optional.of(Duration.ofNanos(1_500_500_000L)),
                RetryRules.serverDelay(headers("retry-after-ms", "1500.5"), CLOCK));
    }

    @Test
    void serverDelay_retryAfterMsPreferredOverRetryAfter() {
        assertEquals(
                Optional.of(Duration.ofMillis(250)),
                RetryRules.serverDelay(headers("retry-after-ms", "250", "retry-after", "9"), CLOCK));
    }

    @Test
    void serverDelay_unreadableRetryAfterMs_fallsBackToRetryAfter() {
        assertEquals(
                Optional.of(Duration.ofSeconds(9)),
                RetryRules.serverDelay(headers("retry-after-ms", "soon", "retry-after", "9"), CLOCK));
    }

    @Test
    void serverDelay_retryAfterSeconds_integerAndFractional() {
        assertEquals(Optional.of(Duration.ofSeconds(3)), RetryRules.serverDelay(headers("retry-after", "3"), CLOCK));
        assertEquals(
                Optional.of(Duration.ofMillis(2500)), RetryRules.serverDelay(headers("retry-after", " 2.5 "), CLOCK));
    }

    @Test
    void serverDelay_retryAfterHttpDate_countedFromClock() {
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atOffset(ZoneOffset.UTC));
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryRules.serverDelay(headers("retry-after", date), CLOCK));
    }

    @Test
    void serverDelay_pastDateZeroNegativeOrGarbage_absent() {
        String past =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(7).atOffset(ZoneOffset.UTC));
        for (String v : List.of(past, "0", "-3", "1e3", "NaN", "Infinity", "0x10", "tomorrow", "")) {
            assertEquals(Optional.empty(), RetryRules.serverDelay(headers("retry-after", v), CLOCK), v);
            assertEquals(Optional.empty(), RetryRules.serverDelay(headers("retry-after-ms", v), CLOCK), v);
        }
    }

    @Test
    void serverDelay_hugeValue_saturatesInsteadOfOverflowing() {
        Duration d = RetryRules.serverDelay(headers("retry-after", "99999999999999999999"), CLOCK)
                .orElseThrow();
        assertTrue(d.compareTo(Duration.ofDays(365)) > 0);
    }
}
