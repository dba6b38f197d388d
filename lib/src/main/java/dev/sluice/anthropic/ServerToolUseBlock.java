package dev.sluice.anthropic;

import dev.sluice.internal.low.json.JsonValues;
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
 * @param id the server-tool-use id, which the result block refers to
 * @param name the tool's name
 * @param input the input as a JSON object of the value model
 * @param inputJson the input's JSON text as it arrived (the {@code input_json_delta} pieces joined)
 * @param inputError why the complete input is not a valid JSON object; empty when it is, and
 *     while the block is still streaming
 */
public record ServerToolUseBlock(String id, String name, Map<String, Object> input, String inputJson,
                                 Optional<String> inputError) implements ContentBlock {
    /** @throws NullPointerException if an argument is null */
    public ServerToolUseBlock {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        input = JsonValues.copyObject(input, "input");
        Objects.requireNonNull(inputJson, "inputJson");
        Objects.requireNonNull(inputError, "inputError");
    }

    @Override
    public String type() { return "server_tool_use"; }
}
