package dev.sluice.chat;

import java.util.Objects;

/**
 * Whether and which tool the model must call: {@link #auto()}, {@link #none()},
 * {@link #required()} or {@link #named(String)}. Set it with
 * {@link ChatRequest.Builder#toolChoice(ToolChoice)}; a request without one leaves it to the
 * provider's default (the model decides). Each client maps it to its provider's own form:
 *
 * <table>
 * <caption>Tool choices on the wire</caption>
 * <tr><th>choice</th><th>Anthropic {@code tool_choice}</th><th>OpenAI Chat Completions
 *     {@code tool_choice}</th><th>OpenAI Responses {@code tool_choice}</th><th>Gemini
 *     {@code toolConfig.functionCallingConfig}</th></tr>
 * <tr><td>auto</td><td>{@code {"type":"auto"}}</td><td>{@code "auto"}</td><td>{@code "auto"}</td>
 *     <td>{@code {"mode":"AUTO"}}</td></tr>
 * <tr><td>none</td><td>{@code {"type":"none"}}</td><td>{@code "none"}</td><td>{@code "none"}</td>
 *     <td>{@code {"mode":"NONE"}}</td></tr>
 * <tr><td>required</td><td>{@code {"type":"any"}}</td><td>{@code "required"}</td>
 *     <td>{@code "required"}</td><td>{@code {"mode":"ANY"}}</td></tr>
 * <tr><td>named N</td><td>{@code {"type":"tool","name":N}}</td>
 *     <td>{@code {"type":"function","function":{"name":N}}}</td>
 *     <td>{@code {"type":"function","name":N}}</td>
 *     <td>{@code {"mode":"ANY","allowedFunctionNames":[N]}}</td></tr>
 * </table>
 *
 * <p>A request without tools sends no tool choice (the APIs refuse one without tools).
 */
public sealed interface ToolChoice permits ToolChoice.Auto, ToolChoice.None, ToolChoice.Required, ToolChoice.Named {

    /** {@return the model decides whether to call a tool} */
    static ToolChoice auto() {
        return Auto.INSTANCE;
    }

    /** {@return the model calls no tool} */
    static ToolChoice none() {
        return None.INSTANCE;
    }

    /**
     * {@return the model calls at least one tool, of its choosing} In a request without tools but
     * with a {@link ResponseFormat}, it asks for the format as a forced tool call.
     */
    static ToolChoice required() {
        return Required.INSTANCE;
    }

    /**
     * {@return the model calls this tool}
     *
     * @param name the tool's name: a tool of the request, or its response format's name
     * @throws IllegalArgumentException if the name is blank
     */
    static ToolChoice named(String name) {
        return new Named(name);
    }

    /** The model decides whether to call a tool. */
    record Auto() implements ToolChoice {
        private static final Auto INSTANCE = new Auto();
    }

    /** The model calls no tool. */
    record None() implements ToolChoice {
        private static final None INSTANCE = new None();
    }

    /** The model calls at least one tool, of its choosing. */
    record Required() implements ToolChoice {
        private static final Required INSTANCE = new Required();
    }

    /**
     * The model calls this tool.
     *
     * @param name the tool's name: a tool of the request, or its response format's name (which asks
     *     for the format as a forced tool call on any model)
     */
    record Named(String name) implements ToolChoice {
        /**
         * Checks the name.
         *
         * @throws NullPointerException if name is null
         * @throws IllegalArgumentException if name is blank
         */
        public Named {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) throw new IllegalArgumentException("the name of a named tool choice must not be blank");
        }
    }
}
