package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;

/**
 * A {@link FallbackBlock} passed back verbatim, in its place, in an assistant message.
 *
 * @param json every field of the block as it was received ({@code type} is written as {@code fallback}
 *     whatever this holds)
 */
public record FallbackParam(Map<String, Object> json) implements ContentBlockParam {
    /**
     * @throws NullPointerException if json is null
     * @throws IllegalArgumentException if {@code json} is not a JSON object of the value model
     */
    public FallbackParam {
        json = JsonValues.copyObject(json, "fallback block json");
    }

    /** {@return the param of a received block} @throws NullPointerException if block is null */
    public static FallbackParam of(FallbackBlock block) {
        return new FallbackParam(block.json());
    }

    @Override
    public String type() { return "fallback"; }
}
