package dev.sluice.openai;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the model chooses tools: {@link #auto()}, {@link #none()}, {@link #required()} or one named
 * {@link #function(String)}.
 *
 * @param mode {@code auto}, {@code none}, {@code required} or {@code function}
 * @param functionName the function to call when mode is {@code function}, otherwise null
 */
public record ChatCompletionToolChoice(
        String mode, @Nullable String functionName) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if mode is null, or functionName is null for {@code function}
     * @throws IllegalArgumentException if mode is unknown, or functionName is given for another mode or blank
     */
    public ChatCompletionToolChoice {
        Objects.requireNonNull(mode, "mode");
        switch (mode) {
            case "auto", "none", "required" -> {
                if (functionName != null) throw new IllegalArgumentException("functionName is only for mode function");
            }
            case "function" -> {
                Objects.requireNonNull(functionName, "functionName");
                if (functionName.isBlank()) throw new IllegalArgumentException("functionName must not be blank");
            }
            default -> throw new IllegalArgumentException("mode must be auto, none, required or function: " + mode);
        }
    }

    /** {@return the model decides whether to call tools} */
    public static ChatCompletionToolChoice auto() {
        return new ChatCompletionToolChoice("auto", null);
    }

    /** {@return the model calls no tool} */
    public static ChatCompletionToolChoice none() {
        return new ChatCompletionToolChoice("none", null);
    }

    /** {@return the model calls at least one tool} */
    public static ChatCompletionToolChoice required() {
        return new ChatCompletionToolChoice("required", null);
    }

    /**
     * {@return the model calls this function}
     *
     * @param name the function's name
     */
    public static ChatCompletionToolChoice function(String name) {
        return new ChatCompletionToolChoice("function", name);
    }
}
