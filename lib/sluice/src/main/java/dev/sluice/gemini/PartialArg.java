package dev.sluice.gemini;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One streamed piece of a function call's arguments, an entry of {@code functionCall.partialArgs}
 * (Vertex AI, with {@code toolConfig.functionCallingConfig.streamFunctionCallArguments}):
 * {@code {"jsonPath": "$.location", "stringValue": "Bos", "willContinue": true}}. The value is one of
 * {@code stringValue}, {@code numberValue}, {@code boolValue} or {@code nullValue}; a string may come in
 * several pieces of the same path, each but the last with {@code willContinue}.
 *
 * @param jsonPath the RFC 9535 path of the value inside the arguments, such as {@code $.a.b[0]} or
 *     {@code $['a.b']}
 * @param value a {@link String}, a {@link Number} as read ({@code Long}, {@code Double}, {@code BigInteger}
 *     or {@code BigDecimal}), a {@link Boolean}, or null for {@code nullValue}
 * @param willContinue whether another piece of the same path follows (a string continues)
 */
public record PartialArg(String jsonPath, @Nullable Object value, boolean willContinue) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if jsonPath is null
     * @throws IllegalArgumentException if jsonPath does not start with {@code $}, or the value is
     *     not a string, number, boolean or null
     */
    public PartialArg {
        Objects.requireNonNull(jsonPath, "jsonPath");
        if (!jsonPath.startsWith("$")) throw new IllegalArgumentException("jsonPath must start with $: " + jsonPath);
        if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException("a partial argument's value is a string, number, boolean or null, not "
                    + value.getClass().getName());
        }
    }
}
