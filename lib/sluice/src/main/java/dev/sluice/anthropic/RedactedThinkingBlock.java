package dev.sluice.anthropic;

import java.util.Objects;

/**
 * Thinking that the API returns encrypted. Pass it back unchanged when continuing the conversation.
 *
 * @param data the encrypted thinking
 */
public record RedactedThinkingBlock(String data) implements ContentBlock {
    /** @throws NullPointerException if {@code data} is null */
    public RedactedThinkingBlock {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String type() {
        return "redacted_thinking";
    }
}
