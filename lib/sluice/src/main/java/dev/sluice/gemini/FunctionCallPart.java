package dev.sluice.gemini;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call of a declared function: {@code {"functionCall": {"name": "...", "args": {...}}}}. Gemini
 * sends each call whole, in one part, unless its arguments were asked to stream (Vertex AI's
 * {@code streamFunctionCallArguments}): then the call comes as {@link PartialFunctionCallPart}s, which
 * {@link GenerateContentAccumulator} joins into one of these.
 *
 * @param id the call's id when Gemini sent one (most responses carry none: then null)
 * @param name the function's name
 * @param args the arguments, a JSON object in Sluice's value model; empty when none
 * @param thoughtSignature the opaque signature Gemini attaches to the call when thinking, or null
 */
public record FunctionCallPart(
        @Nullable String id,
        String name,
        Map<String, Object> args,
        @Nullable String thoughtSignature) implements Part {
    /**
     * Checks the components and copies the arguments deeply.
     *
     * @throws NullPointerException if name or args is null
     * @throws IllegalArgumentException if name is blank, id is blank (null when absent), or args holds
     *     something that is not a JSON value
     */
    public FunctionCallPart {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        if (id != null && id.isBlank()) throw new IllegalArgumentException("id must not be blank (null when absent)");
        args = JsonValues.copyObject(args, "args");
    }
}
