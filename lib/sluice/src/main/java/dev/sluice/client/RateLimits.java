package dev.sluice.client;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rate limits a provider reported with a response: for each kind of limit its size, what is
 * left and when it resets, and the delay the server asked for before the next request. Read from
 * Anthropic's {@code anthropic-ratelimit-*}, OpenAI's {@code x-ratelimit-*} and the
 * {@code retry-after} / {@code retry-after-ms} headers; a header that is absent or cannot be read
 * leaves its value empty. Immutable.
 *
 * @param limits the limits reported, by kind (absent kinds were not reported)
 * @param retryAfter the delay the server asked for, if any
 * @param observedAt when the response arrived, the base of a relative reset time
 */
public record RateLimits(Map<Kind, Limit> limits, Optional<Duration> retryAfter, Instant observedAt) {

    /** What a limit counts. */
    public enum Kind {
        /** Requests ({@code anthropic-ratelimit-requests-*}, {@code x-ratelimit-*-requests}). */
        REQUESTS,
        /** Tokens ({@code anthropic-ratelimit-tokens-*}, {@code x-ratelimit-*-tokens}). */
        TOKENS,
        /** Input tokens ({@code anthropic-ratelimit-input-tokens-*}). */
        INPUT_TOKENS,
        /** Output tokens ({@code anthropic-ratelimit-output-tokens-*}). */
        OUTPUT_TOKENS
    }

    /**
     * One limit.
     *
     * @param limit the most allowed in the window, if reported
     * @param remaining what is left, if reported
     * @param resetAt when it is replenished, if reported
     */
    public record Limit(OptionalLong limit, OptionalLong remaining, Optional<Instant> resetAt) {
        /** @throws NullPointerException if an argument is null */
        public Limit {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(remaining, "remaining");
            Objects.requireNonNull(resetAt, "resetAt");
        }

        /** {@return whether nothing is left} */
        public boolean exhausted() {
            return remaining.isPresent() && remaining.getAsLong() <= 0;
        }
    }

    /** @throws NullPointerException if an argument is null */
    public RateLimits {
        limits = Map.copyOf(Objects.requireNonNull(limits, "limits"));
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(observedAt, "observedAt");
    }

    /** {@return no limits reported, observed at {@code at}} */
    public static RateLimits none(Instant at) {
        return new RateLimits(new EnumMap<>(Kind.class), Optional.empty(), at);
    }

    /** {@return the limit of a kind, when reported} */
    public Optional<Limit> get(Kind kind) {
        return Optional.ofNullable(limits.get(Objects.requireNonNull(kind, "kind")));
    }

    /**
     * {@return until when new requests would be refused: the latest reset among the exhausted
     * limits, or the end of the server's retry-after delay, whichever is later; empty when nothing
     * is exhausted}
     */
    public Optional<Instant> exhaustedUntil() {
        Instant until = retryAfter.map(observedAt::plus).orElse(null);
        for (Limit l : limits.values()) {
            if (l.exhausted()
                    && l.resetAt().isPresent()
                    && (until == null || l.resetAt().get().isAfter(until))) {
                until = l.resetAt().get();
            }
        }
        return Optional.ofNullable(until);
    }
}
