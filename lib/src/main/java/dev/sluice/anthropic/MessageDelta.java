package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code message_delta}: changes to the message's top level near its end.
 *
 * @param stopReason why generation stopped ({@code end_turn}, {@code max_tokens},
 *     {@code stop_sequence}, {@code tool_use}, {@code pause_turn}, {@code refusal}, or a value this
 *     version does not know), or null when the event carried none
 * @param stopSequence the stop sequence that matched, or null
 * @param usage the usage fields this event carried (cumulative values; each replaces the
 *     message's field of the same name); empty when the event had no usage
 */
public record MessageDelta(String stopReason, String stopSequence, MessageUsage usage) implements StreamEvent {
    /** @throws NullPointerException if {@code usage} is null */
    public MessageDelta {
        Objects.requireNonNull(usage, "usage");
    }

    @Override
    public String type() { return "message_delta"; }
}
