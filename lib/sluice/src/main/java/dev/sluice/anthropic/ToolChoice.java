package dev.sluice.anthropic;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the model should use the request's tools: {@link #auto()}, {@link #any()},
 * {@link #tool(String)} or {@link #none()}; optionally with parallel tool use disabled.
 *
 * @param type {@code auto}, {@code any}, {@code tool} or {@code none}
 * @param name the tool to use, for type {@code tool}; otherwise null
 * @param disableParallelToolUse whether the model must use at most one tool (not for {@code none})
 */
public record ToolChoice(String type, @Nullable String name, boolean disableParallelToolUse) {
    /**
     * @throws NullPointerException if {@code type} is null
     * @throws IllegalArgumentException if the type is unknown, a name is given for any type but
     *     {@code tool} or missing for {@code tool}, or {@code none} disables parallel tool use
     */
    public ToolChoice {
        Objects.requireNonNull(type, "type");
        switch (type) {
            case "auto", "any", "none" -> {
                if (name != null) throw new IllegalArgumentException("tool choice '" + type + "' takes no name");
            }
            case "tool" -> {
                if (name == null || name.isBlank())
                    throw new IllegalArgumentException("tool choice 'tool' needs the tool's name");
            }
            default -> throw new IllegalArgumentException("type must be auto, any, tool or none, not '" + type + "'");
        }
        if (type.equals("none") && disableParallelToolUse) {
            throw new IllegalArgumentException("tool choice 'none' cannot disable parallel tool use");
        }
    }

    /** {@return the model decides whether to use a tool (the API's default)} */
    public static ToolChoice auto() {
        return new ToolChoice("auto", null, false);
    }

    /** {@return the model must use one of the tools} */
    public static ToolChoice any() {
        return new ToolChoice("any", null, false);
    }

    /** {@return the model must use the named tool} */
    public static ToolChoice tool(String name) {
        return new ToolChoice("tool", name, false);
    }

    /** {@return the model must not use a tool} */
    public static ToolChoice none() {
        return new ToolChoice("none", null, false);
    }

    /** {@return this choice with parallel tool use disabled: at most one tool call} */
    public ToolChoice withDisableParallelToolUse() {
        return new ToolChoice(type, name, true);
    }
}
