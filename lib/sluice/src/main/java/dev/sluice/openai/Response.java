package dev.sluice.openai;

import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.value.LazyList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Responses API response object ({@code "object": "response"}): as a lifecycle event carries it,
 * or as a {@link ResponseAccumulator} builds it from a stream.
 *
 * @param id the response's id ({@code resp_...}); empty until known
 * @param model the model; empty until known
 * @param status {@code queued}, {@code in_progress}, {@code completed}, {@code incomplete},
 *     {@code failed} or {@code cancelled}; empty until known
 * @param createdAt when it was created, in seconds since the epoch; 0 if not sent
 * @param background whether it runs in background mode (and can be read again by its id)
 * @param output the output items, in order
 * @param usage the token usage, or null until the response ends
 * @param incompleteReason why an {@code incomplete} response stopped ({@code max_output_tokens},
 *     {@code content_filter}), or null
 * @param error the error of a {@code failed} response, or null
 */
public record Response(
        String id,
        String model,
        String status,
        long createdAt,
        boolean background,
        List<ResponseOutputItem> output,
        @Nullable ResponseUsage usage,
        @Nullable String incompleteReason,
        @Nullable ResponseError error) {

    /**
     *
     * Checks the components.
     *
     *
     *
     * @throws NullPointerException if a required one is null
     *
     */
    public Response {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        output = LazyList.copyOf(Objects.requireNonNull(output, "output")); // a snapshot's, as it is
    }

    /** {@return the text of every message's {@code output_text} parts, joined (as the SDKs' {@code output_text})} */
    public String outputText() {
        StringBuilder b = new StringBuilder();
        for (ResponseOutputItem item : output) if (item instanceof ResponseOutputItem.Message m) b.append(m.text());
        return b.toString();
    }

    /** {@return the function calls of the output, in order} */
    public List<ResponseOutputItem.FunctionCall> functionCalls() {
        return output.stream()
                .filter(ResponseOutputItem.FunctionCall.class::isInstance)
                .map(ResponseOutputItem.FunctionCall.class::cast)
                .toList();
    }

    /**
     * {@return the response as the API writes it: {@code "object": "response"}, its output items in
     * their own shapes (a reasoning item's {@code encrypted_content}, a compaction's, a custom tool
     * call's input, a shell call's commands, an apply-patch call's operation, other items as they
     * came), usage, {@code incomplete_details} and {@code error}} Opaque strings are written
     * exactly as received. A function call's arguments that are not a JSON object say why in
     * {@code arguments_error}, beside them.
     */
    public String toJson() {
        return Json.write(ResponsesJson.responseJson(this));
    }

    /**
     * The error of a failed response.
     *
     * @param code its code, e.g. {@code server_error}; {@code "error"} when none was sent
     * @param message its message; may be empty
     */
    public record ResponseError(String code, String message) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ResponseError {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
