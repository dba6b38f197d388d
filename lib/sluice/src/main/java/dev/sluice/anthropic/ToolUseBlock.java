package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A call of one of the request's tools.
 *
 * <p>While the block streams, {@link #input()} is the best-effort value of the JSON received so
 * far (open objects closed, a string shown as far as it arrived). Once the block has stopped it is
 * the parsed input; if the joined JSON is not a valid JSON object, {@link #inputError()} says why
 * and {@link #inputJson()} keeps the text exactly as it arrived, while {@link #input()} is, for a
 * text only cut off ({@link dev.sluice.chat.PartialJson#isTruncated()}: a reply that hit
 * {@code max_tokens}), the best-effort value of what was written, and for a malformed text (or one
 * nested deeper than {@link dev.sluice.chat.PartialJson#MAX_DEPTH}) empty: no value is guessed
 * from a broken text. {@link Message#toJson()} then writes the error and the text beside the
 * input, as {@code input_error} and {@code input_json}.
 *
 * <p>Equality compares the id, the name, the input, its text and its error.
 */
public final class ToolUseBlock extends ToolUse implements ContentBlock {
    private final @Nullable Map<String, Object> caller; // null: none sent
    /**
     * A block with its input given.
     *
     * @param id the tool-use id, to answer with a {@link ToolResultParam}
     * @param name the tool's name
     * @param input the input as a JSON object of the value model
     * @param inputJson the input's JSON text as it arrived (the {@code input_json_delta} pieces joined)
     * @param inputError why the complete input is not a valid JSON object; empty when it is, and
     *     while the block is still streaming
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code input} holds a value outside the value model
     */
    public ToolUseBlock(
            String id, String name, Map<String, Object> input, String inputJson, Optional<String> inputError) {
        this(
                Objects.requireNonNull(id, "id"),
                Objects.requireNonNull(name, "name"),
                ToolInput.of(input, inputJson, inputError));
    }

    /** A block whose input is kept as given (a streamed one's, parsed when first read). */
    ToolUseBlock(String id, String name, ToolInput input) {
        this(id, name, input, null);
    }

    /** A block with the {@code caller} the API sent (a JSON object), or null. */
    ToolUseBlock(String id, String name, ToolInput input, @Nullable Map<String, Object> caller) {
        super(id, name, input);
        this.caller = caller == null ? null : JsonValues.copyObject(caller, "caller");
    }

    /**
     * {@return {@code caller}: who made the call, as the API sent it ({@code {"type":"direct"}}, or a
     * server tool such as code execution calling the tool programmatically), or null when absent}
     * It goes back with the call on the next turn; equality does not compare it.
     */
    public @Nullable Map<String, Object> caller() {
        return caller;
    }

    @Override
    public String type() {
        return "tool_use";
    }
}
