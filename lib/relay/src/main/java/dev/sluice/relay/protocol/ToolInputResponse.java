package dev.sluice.relay.protocol;

import dev.sluice.RelayException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A person's answer to a running tool's question ({@code tool_input}: an MCP server's elicitation,
 * an MCP task's {@code input_required}), as a frontend protocol's next request brings it: the
 * Vercel AI SDK's {@code data-tool-input} part with its {@code answer} ({@link UiChatRequest}), an
 * AG-UI {@code resume} entry for the question's interrupt ({@link AgUiRunInput}). The relay answers
 * that one question with it ({@link dev.sluice.relay.Relay#answer(String, String, long, Map)}) and
 * the request's response continues the stream.
 *
 * <p>A question is named in both protocols by its {@linkplain #questionId id}: {@code input-N-CALL},
 * {@code N} the id of the {@code tool_input} event that asked it and {@code CALL} the tool call's
 * id, so that an answer reaches the question it was given for and no later one of the same call.
 *
 * @param callId the tool call's id
 * @param question the id of the {@code tool_input} event that asked the question
 * @param content the answer (an object of the question's fields, {@linkplain #content checked}),
 *     or null when the person declined the question
 */
public record ToolInputResponse(
        String callId, long question, @Nullable Map<String, Object> content) {
    /** The most fields an answer may carry. */
    public static final int MAX_FIELDS = 32;

    /** The longest text one field of an answer may carry, in characters. */
    public static final int MAX_CHARS = 4000;

    private static final Pattern ID = Pattern.compile("input-([1-9][0-9]{0,18})-(.+)", Pattern.DOTALL);

    /**
     * @throws NullPointerException if callId is null
     * @throws IllegalArgumentException if question is not positive
     */
    public ToolInputResponse {
        Objects.requireNonNull(callId, "callId");
        if (question <= 0) throw new IllegalArgumentException("question must be a tool_input event's id: " + question);
        if (content != null) content = Map.copyOf(content);
    }

    /**
     * {@return the id a protocol gives the question that a {@code tool_input} event asked}: {@code
     * input-N-CALL}
     *
     * @param callId the tool call's id
     * @param eventId the {@code tool_input} event's id
     */
    public static String questionId(String callId, long eventId) {
        return "input-" + eventId + "-" + Objects.requireNonNull(callId, "callId");
    }

    /** {@return whether an id a client sent back names a question ({@link #questionId}), not an approval's call} */
    static boolean isQuestionId(String id) {
        return ID.matcher(id).matches();
    }

    /**
     * {@return the answer to the question of that id ({@link #questionId}), or null for an id that
     * names no question (an approval's interrupt is its call's id)}
     *
     * @param questionId the id the client sent back
     * @param content the answer, or null for a declined question
     */
    static @Nullable ToolInputResponse of(String questionId, @Nullable Map<String, Object> content) {
        Matcher m = ID.matcher(questionId);
        return m.matches() ? new ToolInputResponse(m.group(2), Long.parseLong(m.group(1)), content) : null;
    }

    /**
     * {@return an answer's content, checked: an object of at most {@value #MAX_FIELDS} fields, each
     * named by at most 128 characters and a string of at most {@value #MAX_CHARS} characters, a
     * number, a boolean or a list of at most 64 such strings} What the relay's approval route and
     * the protocols' answers take, so that a question is answered with what its flat schema allows.
     *
     * @param content the JSON value the client sent
     * @param shown how the value is named in a refusal, such as {@code "content"}
     * @throws RelayException {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST} when it is
     *     not such an object
     */
    public static Map<String, Object> content(@Nullable Object content, String shown) {
        String shape = shown + " must be an object of at most " + MAX_FIELDS + " fields, each a string (at most "
                + MAX_CHARS + " characters), a number, a boolean or a list of strings";
        if (!(content instanceof Map<?, ?> fields) || fields.size() > MAX_FIELDS) throw Conversation.invalid(shape);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            Object v = e.getValue();
            boolean fits = v instanceof String t
                    ? t.length() <= MAX_CHARS
                    : v instanceof Number
                            || v instanceof Boolean
                            || (v instanceof List<?> list
                                    && list.size() <= 64
                                    && list.stream()
                                            .allMatch(i -> i instanceof String text && text.length() <= MAX_CHARS));
            if (!fits || !(e.getKey() instanceof String name) || name.length() > 128)
                throw Conversation.invalid(
                        shape + "; \"" + Conversation.shorten(String.valueOf(e.getKey())) + "\" is not");
            out.put(name, v instanceof List<?> list ? List.copyOf(list) : v);
        }
        return out;
    }
}
