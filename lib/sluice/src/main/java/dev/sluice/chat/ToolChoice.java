package dev.sluice.chat;

import java.util.Objects;

/**
 * Which tool the model must call, if any: {@link #auto()}, {@link #none()}, {@link #required()} or
 * {@link #named(String)}. A request without one leaves it to the provider's default (auto when
 * tools are offered).
 */
public sealed interface ToolChoice {

    /** The model decides whether to call a tool. */
    record Auto() implements ToolChoice {}

    /** The model calls no tool. */
    record None() implements ToolChoice {}

    /** The model calls at least one tool, of its choice. */
    record Required() implements ToolChoice {}

    /**
     * The model calls this tool.
     *
     * @param name the tool's name
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
            if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        }
    }

    /** {@return the model decides whether to call a tool} */
    static ToolChoice auto() {
        return new Auto();
    }

    /** {@return the model calls no tool} */
    static ToolChoice none() {
        return new None();
    }

    /** {@return the model calls at least one tool} */
    static ToolChoice required() {
        return new Required();
    }

    /**
     * {@return the model calls this tool}
     *
     * @param name the tool's name
     * @throws IllegalArgumentException if name is blank
     */
    static ToolChoice named(String name) {
        return new Named(name);
    }
}
