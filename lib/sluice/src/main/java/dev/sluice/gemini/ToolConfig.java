package dev.sluice.gemini;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the model uses the request's functions: the request's
 * {@code "toolConfig": {"functionCallingConfig": {"mode": M, "allowedFunctionNames": [...]}}}.
 *
 * @param mode {@code AUTO} (the model decides; Gemini's default), {@code ANY} (it calls a
 *     function), {@code NONE} (it calls none) or {@code VALIDATED} (it decides, and its calls follow
 *     the schemas)
 * @param allowedFunctionNames the functions it may call, for {@code ANY} and {@code VALIDATED};
 *     empty for all of them
 * @param streamFunctionCallArguments whether the arguments of a call stream in pieces
 *     ({@code "streamFunctionCallArguments": true}, Vertex AI; Gemini's own API does not take it):
 *     the response's calls then arrive as {@link PartialFunctionCallPart}s
 */
public record ToolConfig(String mode, List<String> allowedFunctionNames, boolean streamFunctionCallArguments) {
    private static final Set<String> MODES = Set.of("AUTO", "ANY", "NONE", "VALIDATED");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument or a name is null
     * @throws IllegalArgumentException if the mode is unknown, or names are given for {@code AUTO} or {@code NONE}
     */
    public ToolConfig {
        Objects.requireNonNull(mode, "mode");
        if (!MODES.contains(mode))
            throw new IllegalArgumentException("mode must be AUTO, ANY, NONE or VALIDATED: " + mode);
        allowedFunctionNames = List.copyOf(Objects.requireNonNull(allowedFunctionNames, "allowedFunctionNames"));
        if (!allowedFunctionNames.isEmpty() && (mode.equals("AUTO") || mode.equals("NONE"))) {
            throw new IllegalArgumentException("allowedFunctionNames go only with mode ANY or VALIDATED, not " + mode);
        }
    }

    /**
     * A configuration without streamed arguments.
     *
     * @param mode the mode
     * @param allowedFunctionNames the functions it may call
     * @throws NullPointerException if an argument or a name is null
     * @throws IllegalArgumentException if the mode is unknown, or names are given for {@code AUTO} or {@code NONE}
     */
    public ToolConfig(String mode, List<String> allowedFunctionNames) {
        this(mode, allowedFunctionNames, false);
    }

    /** {@return this configuration with the arguments of calls streamed in pieces} */
    public ToolConfig withStreamedArguments() {
        return new ToolConfig(mode, allowedFunctionNames, true);
    }

    /** {@return the model decides whether to call a function} */
    public static ToolConfig auto() {
        return new ToolConfig("AUTO", List.of());
    }

    /** {@return the model calls no function} */
    public static ToolConfig none() {
        return new ToolConfig("NONE", List.of());
    }

    /** {@return the model calls a function, of its choosing} */
    public static ToolConfig any() {
        return new ToolConfig("ANY", List.of());
    }

    /**
     * {@return the model calls this function}
     *
     * @param name the function's name
     */
    public static ToolConfig function(String name) {
        return new ToolConfig("ANY", List.of(Objects.requireNonNull(name, "name")));
    }
}
