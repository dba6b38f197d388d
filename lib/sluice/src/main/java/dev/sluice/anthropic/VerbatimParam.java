package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;

/**
 * A block of a response passed back in an assistant message exactly as it came, in its place: a
 * {@link FallbackBlock} (the API validates the thinking on either side of it), a server tool's call
 * and result, an MCP tool's call and result, a container upload (what a {@code pause_turn}
 * continuation sends back).
 *
 * @param json every field of the block, {@code type} included, as it was received
 */
public record VerbatimParam(Map<String, Object> json) implements ContentBlockParam {
    /**
     * @throws NullPointerException if json is null
     * @throws IllegalArgumentException if {@code json} has no string {@code type} or is not a JSON
     *     object of the value model
     */
    public VerbatimParam {
        json = JsonValues.copyObject(Objects.requireNonNull(json, "json"), "block json");
        if (!(json.get("type") instanceof String))
            throw new IllegalArgumentException("a block needs a string type: " + json);
    }

    /** {@return the param of a received fallback block} @throws NullPointerException if block is null */
    public static VerbatimParam of(FallbackBlock block) {
        return new VerbatimParam(block.json());
    }

    @Override
    public String type() {
        return (String) Objects.requireNonNull(json.get("type"), "checked by the constructor");
    }
}
