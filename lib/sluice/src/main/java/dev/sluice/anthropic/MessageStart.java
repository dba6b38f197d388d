package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code message_start}: the message as it begins — id, model, role, usually empty content, and
 * the usage known so far.
 *
 * @param message the message in its initial state
 */
public record MessageStart(Message message) implements StreamEvent {
    /** @throws NullPointerException if {@code message} is null */
    public MessageStart {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String type() {
        return "message_start";
    }
}
