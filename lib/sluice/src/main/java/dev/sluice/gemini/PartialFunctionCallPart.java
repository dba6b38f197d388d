package dev.sluice.gemini;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A piece of a function call whose arguments stream (Vertex AI, with
 * {@code toolConfig.functionCallingConfig.streamFunctionCallArguments}): the call starts with a part
 * naming it, {@code {"functionCall": {"name": "f", "willContinue": true}}} (with the call's
 * {@code thoughtSignature} when the model thinks), its arguments follow as {@link PartialArg}s in
 * parts {@code {"functionCall": {"partialArgs": [...], "willContinue": true}}}, and a part without
 * {@code willContinue} (typically {@code {"functionCall": {}}}) ends it.
 * {@link GenerateContentAccumulator} joins the pieces into one {@link FunctionCallPart}; the neutral
 * view streams them as the call's argument text.
 *
 * @param id the call's id when sent, else null
 * @param name the function's name on the call's first piece, else null
 * @param partialArgs the pieces of the arguments this part carries, in order; possibly empty
 * @param willContinue whether more pieces of the same call follow
 * @param thoughtSignature the opaque signature the part carries, or null
 */
public record PartialFunctionCallPart(
        @Nullable String id,
        @Nullable String name,
        List<PartialArg> partialArgs,
        boolean willContinue,
        @Nullable String thoughtSignature)
        implements Part {
    /**
     * Checks the components and copies the list.
     *
     * @throws NullPointerException if partialArgs or one of them is null
     * @throws IllegalArgumentException if id or name is blank (null when absent)
     */
    public PartialFunctionCallPart {
        if (id != null && id.isBlank()) throw new IllegalArgumentException("id must not be blank (null when absent)");
        if (name != null && name.isBlank())
            throw new IllegalArgumentException("name must not be blank (null when absent)");
        partialArgs = List.copyOf(Objects.requireNonNull(partialArgs, "partialArgs"));
    }
}
