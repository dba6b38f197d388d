package dev.sluice.chat;

import dev.sluice.internal.low.json.IncrementalJsonParser;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tool call the model made, in a {@link ChatResponse}, and in an assistant {@link ChatMessage}
 * sent back in a tool loop.
 *
 * <p>{@code arguments} is the JSON text exactly as the model wrote it; {@code parsedArguments} its
 * value in the JSON value model of {@link PartialJson}. In a partial response the parsed value is
 * the best effort of what has arrived (an empty object until something usable has; from then on
 * it grows, as {@link PartialJson} defines growing) and {@code argumentsError} is null; in a final
 * response, {@code argumentsError} says why the text is not valid JSON, and is null when it is. A text that is
 * only cut off ({@link PartialJson#isTruncated()}: a reply that hit its token limit) keeps the
 * best-effort value of what was written; a malformed one (or nested deeper than
 * {@link PartialJson#MAX_DEPTH}) has a null parsed value: no value is guessed from a broken text,
 * which {@code arguments} keeps. Empty (or blank) arguments text means no arguments: an empty object.
 *
 * <p>A tool whose input is free text rather than a JSON object (an OpenAI custom tool) has that
 * text as a JSON string: {@code arguments} is the string's JSON text and {@code parsedArguments}
 * the input text itself, a {@code String}.
 *
 * @param index the call's index in the response, from 0
 * @param id the call's id; empty if it has not arrived
 * @param name the tool's name; empty if it has not arrived
 * @param arguments the arguments' JSON text
 * @param parsedArguments the arguments' value, usually a {@code Map<String, Object>}; null if nothing
 *     usable, and in a final response when the text is malformed
 * @param argumentsError why arguments is not valid JSON, or null
 */
public record ToolCall(
        int index,
        String id,
        String name,
        String arguments,
        @Nullable Object parsedArguments,
        @Nullable String argumentsError) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if id, name or arguments is null
     * @throws IllegalArgumentException if index is negative or argumentsError is blank
     */
    public ToolCall {
        if (index < 0) throw new IllegalArgumentException("index must not be negative: " + index);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        if (argumentsError != null && argumentsError.isBlank()) {
            throw new IllegalArgumentException("argumentsError must not be blank (null when valid)");
        }
    }

    /**
     * A complete call, its arguments parsed strictly.
     *
     * @param index the call's index
     * @param id the call's id
     * @param name the tool's name
     * @param arguments the arguments JSON text; empty means an empty object
     * @return the call, with argumentsError set if arguments is not valid JSON (and the parsed value
     *     as the class description says)
     */
    public static ToolCall of(int index, String id, String name, String arguments) {
        Objects.requireNonNull(arguments, "arguments");
        if (arguments.isBlank()) return parsed(index, id, name, arguments, parseArguments(arguments), false);
        PartialJson json = new PartialJson();
        json.append(arguments);
        return parsed(index, id, name, arguments, json.finish(), json.isTruncated());
    }

    /**
     * {@return a final call from its parse result} The value when the text is valid; when it is
     * only cut off, the best-effort value of what was written; otherwise null: no guess.
     */
    static ToolCall parsed(
            int index, String id, String name, String arguments, PartialJson.Result result, boolean truncated) {
        Object value = result.isValid() || truncated ? result.value() : null;
        return new ToolCall(index, id, name, arguments, value, result.error());
    }

    static PartialJson.Result parseArguments(String arguments) {
        return arguments.isBlank()
                ? new PartialJson.Result(IncrementalJsonParser.emptyObject(), null)
                : PartialJson.parse(arguments);
    }

    /** {@return true when the arguments are valid JSON, as far as is known} */
    public boolean argumentsValid() {
        return argumentsError == null;
    }
}
