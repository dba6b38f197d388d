package dev.sluice.gemini;

import java.util.Objects;

/**
 * A part of a kind Sluice does not model (inline data, file data, executable code, a future kind),
 * kept as its JSON text so that nothing is lost and a new kind never breaks a stream.
 *
 * @param json the part's JSON object, as received
 */
public record UnknownPart(String json) implements Part {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if json is null
     */
    public UnknownPart {
        Objects.requireNonNull(json, "json");
    }
}
