package dev.sluice.internal.call.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.RateLimits;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Rate-limit headers as providers send them (captured header sets), read into {@link RateLimits}. */
class RateLimitHeadersTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static HttpHeaders headers(String... nameValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) m.put(nameValues[i], List.of(nameValues[i + 1]));
        return HttpHeaders.of(m, (a, b) -> true);
    }

    @Test
    void parse_anthropicResponseHeaders_everyKindWithLimitRemainingAndReset() {
        HttpHeaders h = headers(
                "anthropic-ratelimit-requests-limit", "4000",
                "anthropic-ratelimit-requests-remaining", "3999",
                "anthropic-ratelimit-requests-reset", "2025-06-01T12:00:01Z",
                "anthropic-ratelimit-tokens-limit", "480000",
                "anthropic-ratelimit-tokens-remaining", "479000",
                "anthropic-ratelimit-tokens-reset", "2025-06-01T12:00:00.120Z",
                "anthropic-ratelimit-input-tokens-limit", "400000",
                "anthropic-ratelimit-input-tokens-remaining", "399000",
                "anthropic-ratelimit-input-tokens-reset", "2025-06-01T12:00:00Z",
                "anthropic-ratelimit-output-tokens-limit", "80000",
                "anthropic-ratelimit-output-tokens-remaining", "80000",
                "anthropic-ratelimit-output-tokens-reset", "2025-06-01T12:00:00Z",
                "request-id", "req_011CQ");

        RateLimits r = RateLimitHeaders.parse(h, CLOCK);

        RateLimits.Limit requests = r.get(RateLimits.Kind.REQUESTS).orElseThrow();
        assertEquals(OptionalLong.of(4000), requests.limit());
        assertEquals(OptionalLong.of(3999), requests.remaining());
        assertEquals(Optional.of(Instant.parse("2025-06-01T12:00:01Z")), requests.resetAt());
        assertEquals(
                Instant.parse("2025-06-01T12:00:00.120Z"),
                r.get(RateLimits.Kind.TOKENS).orElseThrow().resetAt().orElseThrow());
        assertEquals(
                OptionalLong.of(399000),
                r.get(RateLimits.Kind.INPUT_TOKENS).orElseThrow().remaining());
        assertEquals(
                OptionalLong.of(80000),
                r.get(RateLimits.Kind.OUTPUT_TOKENS).orElseThrow().limit());
        assertEquals(Optional.empty(), r.retryAfter());
        assertEquals(Optional.empty(), r.exhaustedUntil());
        assertEquals(NOW, r.observedAt());
    }

    @Test
    void parse_anthropic429_exhaustedUntilTheLaterOfResetAndRetryAfter() {
        HttpHeaders h = headers(
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2025-06-01T12:00:20Z",
                "retry-after", "25");

        RateLimits r = RateLimitHeaders.parse(h, CLOCK);

        assertTrue(r.get(RateLimits.Kind.REQUESTS).orElseThrow().exhausted());
        assertEquals(Optional.of(Duration.ofSeconds(25)), r.retryAfter());
        assertEquals(Optional.of(Instant.parse("2025-06-01T12:00:25Z")), r.exhaustedUntil());
    }

    @Test
    void parse_openAiHeaders_goDurationsFromNow() {
        HttpHeaders h = headers(
                "x-ratelimit-limit-requests", "10000",
                "x-ratelimit-limit-tokens", "30000000",
                "x-ratelimit-remaining-requests", "0",
                "x-ratelimit-remaining-tokens", "29999975",
                "x-ratelimit-reset-requests", "6m0s",
                "x-ratelimit-reset-tokens", "20ms",
                "x-request-id", "req_abc");

        RateLimits r = RateLimitHeaders.parse(h, CLOCK);

        RateLimits.Limit requests = r.get(RateLimits.Kind.REQUESTS).orElseThrow();
        assertEquals(OptionalLong.of(10000), requests.limit());
        assertEquals(Optional.of(NOW.plusSeconds(360)), requests.resetAt());
        assertEquals(
                Optional.of(NOW.plusMillis(20)),
                r.get(RateLimits.Kind.TOKENS).orElseThrow().resetAt());
        assertEquals(Optional.of(NOW.plusSeconds(360)), r.exhaustedUntil());
    }

    @Test
    void parse_retryAfterMsAndHttpDate_serverDelay() {
        assertEquals(
                Optional.of(Duration.ofMillis(1500)),
                RateLimitHeaders.parse(headers("retry-after-ms", "1500"), CLOCK).retryAfter());
        assertEquals(
                Optional.of(Duration.ofSeconds(30)),
                RateLimitHeaders.parse(headers("retry-after", "Sun, 01 Jun 2025 12:00:30 GMT"), CLOCK)
                        .retryAfter());
    }

    @Test
    void parse_malformedValues_leftOutNeverAnError() {
        HttpHeaders h = headers(
                "anthropic-ratelimit-requests-limit", "lots",
                "anthropic-ratelimit-requests-remaining", "-1",
                "anthropic-ratelimit-requests-reset", "tomorrow",
                "x-ratelimit-reset-tokens", "5 minutes",
                "x-ratelimit-remaining-tokens", "99999999999999999999999",
                "retry-after", "soon");

        RateLimits r = RateLimitHeaders.parse(h, CLOCK);

        assertFalse(r.get(RateLimits.Kind.REQUESTS).isPresent());
        assertFalse(r.get(RateLimits.Kind.TOKENS).isPresent());
        assertEquals(Optional.empty(), r.retryAfter());
        assertTrue(RateLimitHeaders.parse(headers(), CLOCK).limits().isEmpty());
    }

    @Test
    void goDuration_compoundAndFractional() {
        assertEquals(Optional.of(Duration.ofSeconds(3723).plusMillis(500)), RateLimitHeaders.goDuration("1h2m3.5s"));
        assertEquals(Optional.of(Duration.ZERO), RateLimitHeaders.goDuration("0s"));
        assertEquals(Optional.empty(), RateLimitHeaders.goDuration("1x"));
        assertEquals(Optional.empty(), RateLimitHeaders.goDuration("s"));
    }
}
