package dev.sluice.anthropic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A call of a server tool, such as {@code web_search} or {@code code_execution}; the API runs it and
 * answers with a result block ({@link ServerToolResultBlock}). Its input follows the same rules as {@link ToolUseBlock}'s.
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
public final class ServerToolUseBlock extends ToolUse implements ContentBlock {
    /**
     * A block with its input given.
     *
     * @param id the server-tool-use id, which the result block refers to
     * @param name the tool's name
     * @param input the input as a JSON object of the value model
     * @param inputJson the input's JSON text as it arrived (the {@code input_json_delta} pieces joined)
     * @param inputError why the complete input is not a valid JSON object; empty when it is, and
     *     while the block is still streaming
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code input} holds a value outside the value model
     */
    public ServerToolUseBlock(
            String id, String name, Map<String, Object> input, String inputJson, Optional<String> inputError) {
        this(
                Objects.requireNonNull(id, "id"),
                Objects.requireNonNull(name, "name"),
                ToolInput.of(input, inputJson, inputError));
    }

    /** A block whose input is kept as given (a streamed one's, parsed when first read). */
    ServerToolUseBlock(String id, String name, ToolInput input) {
        super(id, name, input);
    }

    @Override
    public String type() {
        return "server_tool_use";
    }
}
