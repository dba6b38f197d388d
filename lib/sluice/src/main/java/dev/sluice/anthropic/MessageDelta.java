package dev.sluice.anthropic;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code message_delta}: changes to the message's top level near its end.
 *
 * @param stopReason why generation stopped ({@code end_turn}, {@code max_tokens},
 *     {@code stop_sequence}, {@code tool_use}, {@code pause_turn}, {@code refusal}, or a value this
 *     version does not know), or null when the event carried none
 * @param stopSequence the stop sequence that matched, or null
 * @param usage the usage fields this event carried (cumulative values; each replaces the
 *     message's field of the same name); empty when the event had no usage
 * @param stopDetails {@code delta.stop_details} (a refusal's category and explanation), or null
 * @param container {@code delta.container}, or null
 * @param contextManagement the event's {@code context_management}, or null
 */
public record MessageDelta(
        @Nullable String stopReason,
        @Nullable String stopSequence,
        MessageUsage usage,
        @Nullable StopDetails stopDetails,
        @Nullable Container container,
        @Nullable ContextManagement contextManagement)
        implements StreamEvent {
    /** @throws NullPointerException if {@code usage} is null */
    public MessageDelta {
        Objects.requireNonNull(usage, "usage");
    }

    /**
     * A delta without stop details, container or context management.
     *
     * @throws NullPointerException if {@code usage} is null
     */
    public MessageDelta(@Nullable String stopReason, @Nullable String stopSequence, MessageUsage usage) {
        this(stopReason, stopSequence, usage, null, null, null);
    }

    @Override
    public String type() {
        return "message_delta";
    }
}
