package dev.sluice.anthropic;

import java.util.Objects;

/**
 * A thinking block passed back unchanged in an assistant message.
 *
 * @param thinking the thinking text
 * @param signature its signature, as received
 */
public record ThinkingParam(String thinking, String signature) implements ContentBlockParam {
    /** @throws NullPointerException if an argument is null */
    public ThinkingParam {
        Objects.requireNonNull(thinking, "thinking");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * {@return the request form of a thinking block received in a response}
     *
     * @throws IllegalArgumentException if the block has no signature
     */
    public static ThinkingParam of(ThinkingBlock block) {
        Objects.requireNonNull(block, "block");
        if (block.signature() == null)
            throw new IllegalArgumentException("the thinking block has no signature (is it complete?)");
        return new ThinkingParam(block.thinking(), block.signature());
    }

    @Override
    public String type() {
        return "thinking";
    }
}
