package dev.sluice.client;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One switch of a fallback chain ({@code dev.sluice.chat.FallbackChain}) from a failed target to
 * the next: a chunk of the chain's stream carries it ({@code MessageChunk.failover()}), and the
 * chain's {@link StreamObserver}s see it. Built only from the failure's kind, never from a
 * provider's text, so it may be shown to anyone.
 *
 * <p>What a consumer of the stream does with it is its {@link #mode()}: {@link Mode#CONTINUE},
 * keep what was received and append what follows; {@link Mode#RESTART}, discard everything the
 * answer received so far (text, thinking, tool calls) and start again from the next chunk, as the
 * AI SDK's {@code reset-step} does. {@code ChunkAggregator} does either by itself.
 *
 * @param from the target that failed, as the chain names it
 * @param to the target the answer goes on with
 * @param reason the kind of failure that moved it
 * @param mode what happens to the answer so far
 * @param keptText the answer text kept and continued by {@code to} (the whole text so far); empty
 *     for a restart, and for a switch before any content
 * @param inputTokens the input tokens the attempt on {@code from} reported, 0 if none
 * @param outputTokens the output tokens the attempt on {@code from} reported, 0 if none
 * @param fromRequestId the request id of the failed attempt on {@code from}, as its provider sent it (what
 *     its support asks for), or null when it sent none
 */
public record Failover(
        String from,
        String to,
        Reason reason,
        Mode mode,
        String keptText,
        long inputTokens,
        long outputTokens,
        @Nullable String fromRequestId) {

    /** What a switch does to the answer received so far. */
    public enum Mode {
        /**
         * Keep it: the next target continues the answer (an assistant prefill), or nothing had been
         * received yet. As a chain's mode: continue where the next target can, else restart.
         */
        CONTINUE,
        /** Discard it: the next target answers from the start. As a chain's mode: always, after content. */
        RESTART
    }

    /** The kinds of failure that move a stream to the next target. */
    public enum Reason {
        /** The provider said it is overloaded (Anthropic's 529 or {@code overloaded_error}, a 503). */
        OVERLOADED,
        /** Rate limited (a 429), or a local limit of the client refused the stream. */
        RATE_LIMITED,
        /** Another server error (a 5xx, 408, 409, or an in-stream API error). */
        SERVER_ERROR,
        /** The first-event or idle timeout expired. */
        TIMEOUT,
        /** The connection was lost or the body ended before the answer did. */
        CONNECTION_LOST,
        /** The stream could not be read (malformed events). */
        MALFORMED,
        /** The target's circuit breaker is open: skipped without a request. */
        BREAKER_OPEN
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a token count is negative, or a restart keeps text
     */
    public Failover {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(keptText, "keptText");
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must not be negative: " + inputTokens + ", " + outputTokens);
        }
        if (mode == Mode.RESTART && !keptText.isEmpty()) throw new IllegalArgumentException("a restart keeps no text");
    }

    /**
     * A switch whose failed attempt's request id is not known, as {@link #Failover(String, String, Reason,
     * Mode, String, long, long, String)} with a null {@code fromRequestId}.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a token count is negative, or a restart keeps text
     */
    public Failover(
            String from, String to, Reason reason, Mode mode, String keptText, long inputTokens, long outputTokens) {
        this(from, to, reason, mode, keptText, inputTokens, outputTokens, null);
    }

    /** {@return whether consumers must discard the answer so far: the mode is {@link Mode#RESTART}} */
    public boolean reset() {
        return mode == Mode.RESTART;
    }

    /** {@return the reason in lower case, as the relay and the CLI write it: {@code overloaded}, {@code timeout} ...} */
    public String reasonName() {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
