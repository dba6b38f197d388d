package dev.sluice.anthropic;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a request's conversation: a role and its content blocks, and for a
 * {@code "role": "system"} message an optional per-message effort.
 *
 * <p>A system message sits anywhere in {@code messages} after the first (which the API wants from the
 * user): mid-conversation instructions, as the official SDKs' {@code SystemMessageParam} (anthropic-java
 * 3.14, {@code MessageParam.ofSystem(..)}: text or text blocks). It may carry {@code "output_config":
 * {"effort": E}} to change the effort from the next turn on without touching the request's own
 * {@code output_config.effort}, so the cached prefix still matches (platform.claude.com,
 * build-with-claude/effort-per-message; the anthropic SDKs' {@code BetaSystemMessageOutputConfig}). Such a
 * message may have no content; the request then carries the {@code mid-conversation-output-config-2026-07-01}
 * beta ({@link MessageRequest#betas()}). With {@code thinking: {"type": "between_tools"}} the effort cannot
 * change mid-conversation: the client refuses that before any request.
 *
 * @param role who wrote it
 * @param content its blocks: at least one, text only on a system message, none allowed on a system
 *     message that carries an effort
 * @param effort the per-message {@code output_config.effort} ({@code low}, {@code medium}, {@code high},
 *     {@code xhigh} or {@code max}) of a system message, or null for none
 */
public record MessageParam(
        Role role,
        List<ContentBlockParam> content,
        @Nullable String effort) {
    /** The author of a message. */
    public enum Role {
        /** The user (and tool results). */
        USER("user"),
        /** The model (earlier answers, tool calls, thinking, a prefill). */
        ASSISTANT("assistant"),
        /** Instructions given mid-conversation, or a per-message effort change; never the first message. */
        SYSTEM("system");

        private final String wire;

        Role(String wire) {
            this.wire = wire;
        }

        /** {@return the API's name for the role: {@code user}, {@code assistant} or {@code system}} */
        public String wireName() {
            return wire;
        }
    }

    /**
     * @throws NullPointerException if the role, the list or a block is null
     * @throws IllegalArgumentException if {@code content} is empty (except on a system message with an
     *     effort), a system message has a block other than text, an effort is set on a user or assistant
     *     message, or the effort is none of the five levels
     */
    public MessageParam {
        Objects.requireNonNull(role, "role");
        content = List.copyOf(content);
        if (effort != null) {
            if (role != Role.SYSTEM)
                throw new IllegalArgumentException(
                        "effort (output_config.effort) is for a system message only, not " + role.wireName());
            MessageRequest.checkEffort(effort);
        }
        if (content.isEmpty() && effort == null)
            throw new IllegalArgumentException("content must have at least one block"
                    + (role == Role.SYSTEM ? " (or the message an effort)" : ""));
        if (role == Role.SYSTEM) {
            for (ContentBlockParam b : content) {
                if (!(b instanceof TextParam))
                    throw new IllegalArgumentException("a system message takes text blocks only, not " + b.type());
            }
        }
    }

    /**
     * A user or assistant message, or a system message without an effort.
     *
     * @param role who wrote it
     * @param content its blocks, at least one
     * @throws NullPointerException if the role, the list or a block is null
     * @throws IllegalArgumentException if {@code content} is empty, or a system message has a block other
     *     than text
     */
    public MessageParam(Role role, List<ContentBlockParam> content) {
        this(role, content, null);
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

    /**
     * {@return a mid-conversation system message of one text block ({@code {"role": "system", "content":
     * [{"type": "text", "text": …}]}})}
     *
     * @throws NullPointerException if {@code text} is null
     */
    public static MessageParam system(String text) {
        return new MessageParam(Role.SYSTEM, List.of(TextParam.of(text)));
    }

    /**
     * {@return a mid-conversation system message of the given text blocks}
     *
     * @throws IllegalArgumentException if there is none
     */
    public static MessageParam system(TextParam... content) {
        return new MessageParam(Role.SYSTEM, List.of(content));
    }

    /**
     * {@return an effort-only system message ({@code {"role": "system", "content": [], "output_config":
     * {"effort": E}}}): the effort from the next turn on, the request's own left as it is}
     *
     * @param effort {@code low}, {@code medium}, {@code high}, {@code xhigh} or {@code max}
     * @throws IllegalArgumentException if the level is none of the five
     */
    public static MessageParam systemEffort(String effort) {
        return new MessageParam(Role.SYSTEM, List.of(), Objects.requireNonNull(effort, "effort"));
    }
}
