package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code input_json_delta}: a piece of the tool input's JSON text; the pieces joined make the whole input (a piece may end anywhere, even inside a string).
 *
 * @param partialJson the piece, possibly empty
 */
public record InputJsonDelta(String partialJson) implements Delta {
    /** @throws NullPointerException if {@code partialJson} is null */
    public InputJsonDelta {
        Objects.requireNonNull(partialJson, "partialJson");
    }

    @Override
    public String type() {
        return "input_json_delta";
    }
}
