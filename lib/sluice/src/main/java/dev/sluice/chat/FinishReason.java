package dev.sluice.chat;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why the model stopped: a provider-neutral {@link Kind} plus the provider's own string, kept as it
 * came. Each provider maps its strings with its own table ({@link #of(String, Map)}); the
 * aggregator and users only look at {@link #kind()}, and at {@link #raw()} for what a kind hides.
 *
 * <p>A refusal's words reach a consumer here, in {@link #message()}, not in the answer's text: for
 * {@link Kind#REFUSAL}, OpenAI's refusal message (Chat Completions' {@code refusal} deltas, the
 * Responses API's {@code response.refusal.delta}s) and Anthropic's {@code stop_details.explanation};
 * Gemini's {@code finishMessage} with any of its finish reasons.
 *
 * @param kind the neutral kind
 * @param raw the provider's string, e.g. {@code end_turn}; not blank
 * @param message what the provider or the model said about the stop, such as a refusal's text
 *     (see above); null if nothing
 */
public record FinishReason(Kind kind, String raw, @Nullable String message) {

    /** The neutral kinds of finish reason. */
    public enum Kind {
        /** The model finished its turn, or hit a stop sequence. */
        STOP,
        /** The output token limit was reached. */
        LENGTH,
        /** The model wants one or more tools called. */
        TOOL_CALLS,
        /** The provider's content filter stopped the output. */
        CONTENT_FILTER,
        /** A long-running turn paused; send the response back as it is to let the model continue. */
        PAUSE_TURN,
        /** The model declined to answer. */
        REFUSAL,
        /** Any other reason; see {@link FinishReason#raw()}. */
        OTHER
    }

    private static final Map<String, Kind> ANTHROPIC = Map.of(
            "end_turn", Kind.STOP,
            "stop_sequence", Kind.STOP,
            "max_tokens", Kind.LENGTH,
            "tool_use", Kind.TOOL_CALLS,
            "pause_turn", Kind.PAUSE_TURN,
            "compaction", Kind.PAUSE_TURN,
            "refusal", Kind.REFUSAL,
            "model_context_window_exceeded", Kind.LENGTH);

    /**
     * Checks the components.
     *
     * @throws NullPointerException if kind or raw is null
     * @throws IllegalArgumentException if raw is blank
     */
    public FinishReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(raw, "raw");
        if (raw.isBlank()) throw new IllegalArgumentException("raw must not be blank");
    }

    /**
     * A finish reason without a message.
     *
     * @param kind the neutral kind
     * @param raw the provider's string; not blank
     * @throws NullPointerException if kind or raw is null
     * @throws IllegalArgumentException if raw is blank
     */
    public FinishReason(Kind kind, String raw) {
        this(kind, raw, null);
    }

    /**
     * {@return this finish reason with a message, or without one for null or empty}
     *
     * @param message what the provider or the model said about the stop
     */
    public FinishReason withMessage(@Nullable String message) {
        return new FinishReason(kind, raw, message == null || message.isEmpty() ? null : message);
    }

    /**
     * Maps a provider's string with that provider's table.
     *
     * @param raw the provider's string
     * @param kinds the provider's strings and their kinds; a string not in it is {@link Kind#OTHER}
     * @return the finish reason, keeping raw
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if raw is blank
     */
    public static FinishReason of(String raw, Map<String, Kind> kinds) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(kinds, "kinds");
        return new FinishReason(kinds.getOrDefault(raw, Kind.OTHER), raw);
    }

    /**
     * Maps an Anthropic {@code stop_reason}: {@code end_turn} and {@code stop_sequence} to STOP,
     * {@code max_tokens} and {@code model_context_window_exceeded} (the answer was cut off where
     * the context window ends: a truncation) to LENGTH, {@code tool_use} to TOOL_CALLS, {@code pause_turn} and
     * {@code compaction} (the turn paused after server-side compaction, {@code pause_after_compaction}:
     * send the response back as it is to go on) to PAUSE_TURN, {@code refusal} to REFUSAL, anything
     * else to OTHER.
     *
     * @param stopReason Anthropic's stop reason
     * @return the finish reason, keeping stopReason as {@link #raw()}
     * @throws NullPointerException if stopReason is null
     * @throws IllegalArgumentException if stopReason is blank
     */
    public static FinishReason fromAnthropic(String stopReason) {
        return of(stopReason, ANTHROPIC);
    }
}
