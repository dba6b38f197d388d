package dev.sluice.anthropic;

import java.util.Objects;

/**
 * A redacted thinking block passed back unchanged in an assistant message.
 *
 * @param data the encrypted thinking, as received in a {@link RedactedThinkingBlock}
 */
public record RedactedThinkingParam(String data) implements ContentBlockParam {
    /** @throws NullPointerException if {@code data} is null */
    public RedactedThinkingParam {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String type() {
        return "redacted_thinking";
    }
}
