package dev.sluice.anthropic;

import java.util.List;
import java.util.Objects;

/**
 * One message of a request's conversation: a role and its content blocks.
 *
 * @param role who wrote it
 * @param content its blocks, at least one
 */
public record MessageParam(Role role, List<ContentBlockParam> content) {
    /** The author of a message. */
    public enum Role {
        /** The user (and tool results). */
        USER("user"),
        /** The model (earlier answers, tool calls, thinking, a prefill). */
        ASSISTANT("assistant");

        private final String wire;

        Role(String wire) {
            this.wire = wire;
        }

        /** {@return the API's name for the role: {@code user} or {@code assistant}} */
        public String wireName() {
            return wire;
        }
    }

    /**
     * @throws NullPointerException if an argument or a block is null
     * @throws IllegalArgumentException if {@code content} is empty
     */
    public MessageParam {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
        if (content.isEmpty()) throw new IllegalArgumentException("content must have at least one block");
    }

    /** {@return a user message of one text block} */
    public static MessageParam user(String text) {
        return new MessageParam(Role.USER, List.of(TextParam.of(text)));
    }

    /** {@return a user message of the given blocks} */
    public static MessageParam user(ContentBlockParam... content) {
        return new MessageParam(Role.USER, List.of(content));
    }

    /** {@return an assistant message of one text block} */
    public static MessageParam assistant(String text) {
        return new MessageParam(Role.ASSISTANT, List.of(TextParam.of(text)));
    }

    /** {@return an assistant message of the given blocks} */
    public static MessageParam assistant(ContentBlockParam... content) {
        return new MessageParam(Role.ASSISTANT, List.of(content));
    }
}
