package dev.sluice.client;

import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A limit on the output tokens of one stream, counted as the deltas arrive: each text, thinking
 * or tool-input delta is estimated at one token per four characters (at least one per delta)
 * until the provider reports its own count, which then replaces the estimate when higher. When the
 * count reaches {@code maxOutputTokens} the stream ends normally, after the delta that reached it,
 * as {@link dev.sluice.stream.EndReason#TOKEN_BUDGET} (no error: what arrived is the answer so
 * far). When it first reaches {@code alertAtTokens}, {@code onAlert} is called with the count, on
 * the stream's producer thread (keep it short: the stream waits for it; an exception it throws is
 * logged and ignored). Immutable.
 *
 * <p>The provider's own {@code max_tokens} stops generation on the server; this budget stops
 * reading on the client (the request is abandoned), for a limit that is decided or changed per
 * stream, or one across resumes.
 *
 * @param maxOutputTokens the most output tokens, at least 1
 * @param alertAtTokens the count that triggers {@code onAlert}, at least 1 and at most
 *     {@code maxOutputTokens}
 * @param onAlert called once with the count when it first reaches {@code alertAtTokens}
 */
public record TokenBudget(long maxOutputTokens, long alertAtTokens, LongConsumer onAlert) {

    /**
     * @throws IllegalArgumentException if a count is out of range
     * @throws NullPointerException if {@code onAlert} is null
     */
    public TokenBudget {
        if (maxOutputTokens < 1)
            throw new IllegalArgumentException("maxOutputTokens must be at least 1: " + maxOutputTokens);
        if (alertAtTokens < 1 || alertAtTokens > maxOutputTokens) {
            throw new IllegalArgumentException(
                    "alertAtTokens must be from 1 to maxOutputTokens (" + maxOutputTokens + "): " + alertAtTokens);
        }
        Objects.requireNonNull(onAlert, "onAlert");
    }

    /**
     * {@return a budget of {@code maxOutputTokens} without an alert}
     *
     * @throws IllegalArgumentException if {@code maxOutputTokens} is less than 1
     */
    public static TokenBudget of(long maxOutputTokens) {
        return new TokenBudget(maxOutputTokens, Math.max(1, maxOutputTokens), TokenBudget::noAlert);
    }

    private static void noAlert(long count) {}

    /**
     * {@return this budget with an alert at {@code alertAtTokens}}
     *
     * @throws IllegalArgumentException if {@code alertAtTokens} is out of range
     */
    public TokenBudget withAlert(long alertAtTokens, LongConsumer onAlert) {
        return new TokenBudget(maxOutputTokens, alertAtTokens, onAlert);
    }

    /** {@return the estimate of a delta of {@code chars} characters: one token per four, at least one} */
    public static long estimate(int chars) {
        return Math.max(1, (chars + 3L) / 4);
    }
}
