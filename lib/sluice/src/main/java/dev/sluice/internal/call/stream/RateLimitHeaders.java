package dev.sluice.internal.call.stream;

import dev.sluice.client.RateLimits;
import dev.sluice.internal.low.http.RetryRules;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link RateLimits} from response headers: Anthropic's
 * {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}}
 * (the reset an RFC 3339 time), OpenAI's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}}
 * (the reset a duration such as {@code 1s}, {@code 6m0s}, {@code 20ms}, from the response's arrival),
 * and {@code retry-after-ms} / {@code retry-after} (seconds or an HTTP date). Values that cannot be
 * read are left out, never an error: these headers are advice. Stateless.
 */
public final class RateLimitHeaders {
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|us|µs|ns|m|s)");
    private static final Pattern COUNT = Pattern.compile("\\d{1,18}");

    private RateLimitHeaders() {}

    /** {@return the limits the headers report, observed now by {@code clock}} */
    public static RateLimits parse(HttpHeaders headers, Clock clock) {
        Instant now = clock.instant();
        Map<RateLimits.Kind, RateLimits.Limit> limits = new EnumMap<>(RateLimits.Kind.class);
        anthropic(headers, "requests", RateLimits.Kind.REQUESTS, limits);
        anthropic(headers, "tokens", RateLimits.Kind.TOKENS, limits);
        anthropic(headers, "input-tokens", RateLimits.Kind.INPUT_TOKENS, limits);
        anthropic(headers, "output-tokens", RateLimits.Kind.OUTPUT_TOKENS, limits);
        openAi(headers, "requests", RateLimits.Kind.REQUESTS, now, limits);
        openAi(headers, "tokens", RateLimits.Kind.TOKENS, now, limits);
        return new RateLimits(limits, RetryRules.serverDelay(headers, clock), now);
    }

    private static void anthropic(
            HttpHeaders h, String what, RateLimits.Kind kind, Map<RateLimits.Kind, RateLimits.Limit> out) {
        String p = "anthropic-ratelimit-" + what + "-";
        OptionalLong limit = count(h.firstValue(p + "limit"));
        OptionalLong remaining = count(h.firstValue(p + "remaining"));
        Optional<Instant> reset = h.firstValue(p + "reset").flatMap(RateLimitHeaders::instant);
        if (limit.isPresent() || remaining.isPresent() || reset.isPresent()) {
            out.put(kind, new RateLimits.Limit(limit, remaining, reset));
        }
    }

    private static void openAi(
            HttpHeaders h, String what, RateLimits.Kind kind, Instant now, Map<RateLimits.Kind, RateLimits.Limit> out) {
        OptionalLong limit = count(h.firstValue("x-ratelimit-limit-" + what));
        OptionalLong remaining = count(h.firstValue("x-ratelimit-remaining-" + what));
        Optional<Instant> reset = h.firstValue("x-ratelimit-reset-" + what)
                .flatMap(RateLimitHeaders::goDuration)
                .map(now::plus);
        if (limit.isPresent() || remaining.isPresent() || reset.isPresent()) {
            out.putIfAbsent(kind, new RateLimits.Limit(limit, remaining, reset));
        }
    }

    static OptionalLong count(Optional<String> value) {
        if (value.isEmpty()) return OptionalLong.empty();
        String v = value.get().trim();
        return COUNT.matcher(v).matches() ? OptionalLong.of(Long.parseLong(v)) : OptionalLong.empty();
    }

    static Optional<Instant> instant(String value) {
        try {
            return Optional.of(OffsetDateTime.parse(value.trim()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@return a Go-style duration ({@code 1h2m3.5s}, {@code 20ms}, {@code 0s}), or empty when it is not one} */
    static Optional<Duration> goDuration(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 64) return Optional.empty();
        Matcher m = GO_DURATION_PART.matcher(v);
        double nanos = 0;
        int at = 0;
        while (at < v.length()) {
            if (!m.find(at) || m.start() != at) return Optional.empty();
            double n = Double.parseDouble(m.group(1));
            nanos += n
                    * switch (m.group(2)) {
                        case "h" -> 3_600e9;
                        case "m" -> 60e9;
                        case "s" -> 1e9;
                        case "ms" -> 1e6;
                        case "us", "µs" -> 1e3;
                        default -> 1;
                    };
            at = m.end();
        }
        if (!(nanos < 1e18)) return Optional.empty();
        return Optional.of(Duration.ofNanos((long) Math.ceil(nanos)));
    }
}
