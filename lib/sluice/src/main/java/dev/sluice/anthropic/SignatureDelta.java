package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code signature_delta}: a piece of the thinking block's signature, appended to what came before.
 *
 * @param signature the piece, possibly empty
 */
public record SignatureDelta(String signature) implements Delta {
    /** @throws NullPointerException if {@code signature} is null */
    public SignatureDelta {
        Objects.requireNonNull(signature, "signature");
    }

    @Override
    public String type() {
        return "signature_delta";
    }
}
