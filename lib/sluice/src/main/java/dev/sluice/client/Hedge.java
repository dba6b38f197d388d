package dev.sluice.client;

import java.time.Duration;
import java.util.Objects;

/**
 * One hedge of a fallback chain ({@code dev.sluice.chat.FallbackChain}): the running target had
 * produced no content after {@link #after()}, so the chain started the next target as well and
 * kept whichever produced content first, cancelling the other at once. A chunk of the chain's
 * stream carries it ({@code MessageChunk.hedge()}), just before the winner's first chunk, and the
 * chain's {@link StreamObserver}s see it. Nothing of the loser reaches the consumer, so unlike a
 * {@link Failover} it never asks to discard anything. Names and counts only: safe to show anyone.
 *
 * @param from the target that was running when the hedge started, as the chain names it
 * @param to the target started as the hedge
 * @param winner the target that answered: {@code from} or {@code to}
 * @param after how long {@code from} had run without content when the hedge started
 * @param loserInputTokens the input tokens the cancelled attempt reported before its cancel, 0 if none
 * @param loserOutputTokens the output tokens the cancelled attempt reported before its cancel, 0 if none
 */
public record Hedge(
        String from, String to, String winner, Duration after, long loserInputTokens, long loserOutputTokens) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code winner} is neither {@code from} nor {@code to},
     *     {@code after} is negative, or a token count is negative
     */
    public Hedge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(winner, "winner");
        Objects.requireNonNull(after, "after");
        if (!winner.equals(from) && !winner.equals(to)) {
            throw new IllegalArgumentException("winner must be " + from + " or " + to + ": " + winner);
        }
        if (after.isNegative()) throw new IllegalArgumentException("after must not be negative: " + after);
        if (loserInputTokens < 0 || loserOutputTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must not be negative: " + loserInputTokens + ", " + loserOutputTokens);
        }
    }

    /** {@return whether the hedge answered: the winner is {@link #to()}} */
    public boolean won() {
        return winner.equals(to);
    }

    /** {@return the target that was cancelled} */
    public String loser() {
        return won() ? from : to;
    }

    /** {@return what the hedge cost in tokens the losing attempt reported: input plus output} */
    public long loserTokens() {
        return loserInputTokens + loserOutputTokens;
    }
}
