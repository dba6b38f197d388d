package dev.sluice.anthropic;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Extended thinking. Pass it back unchanged, signature included, when continuing a conversation
 * that used tools (see {@link ThinkingParam}).
 *
 * @param thinking the thinking text
 * @param signature the signature (the {@code signature_delta} pieces joined), or null when none
 *     has arrived
 */
public record ThinkingBlock(String thinking, @Nullable String signature) implements ContentBlock {
    /** @throws NullPointerException if {@code thinking} is null */
    public ThinkingBlock {
        Objects.requireNonNull(thinking, "thinking");
    }

    @Override
    public String type() {
        return "thinking";
    }
}
