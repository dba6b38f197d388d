package dev.sluice.openai;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of a streamed OpenAI Responses API call ({@code POST /v1/responses} with
 * {@code "stream": true}, or a background response read again with
 * {@code GET /v1/responses/{id}?stream=true}). Every event carries the {@code sequence_number}
 * the server gave it ({@code -1} when a server sent none); a stream ends with a
 * {@linkplain Lifecycle#isTerminal() terminal} lifecycle event ({@code response.completed},
 * {@code response.incomplete} or {@code response.failed}), and there is no {@code [DONE]}.
 *
 * <p>The typed events are the ones a client needs to show and rebuild a response: the lifecycle,
 * output items, content parts, output text, refusals, function-call arguments, reasoning summaries,
 * custom tool input, shell commands, apply-patch diffs, remote MCP calls and listings, rate limits,
 * keep-alives and errors. Every other event ({@code response.output_text.annotation.added}, the built-in tools'
 * progress events, events added after this library was written) is an {@link Unknown}, kept with
 * its data, never fatal.
 *
 * <p>Records are immutable and thread-safe. Text that is absent is the empty string.
 *
 * <p>Why this file is long: half Javadoc; the Responses API's event family, one record per event type in
 * one sealed family, as every wire family here is.
 */
public sealed interface ResponseStreamEvent {

    /** {@return the event's type, as the {@code type} member (and the SSE event name) gives it} */
    String type();

    /** {@return the event's {@code sequence_number}, or -1 when the server sent none} */
    long sequenceNumber();

    /**
     * A lifecycle event, carrying the whole response object as it stands: {@code response.queued},
     * {@code response.created}, {@code response.in_progress} and the terminal
     * {@code response.completed}, {@code response.incomplete} and {@code response.failed}.
     *
     * @param type the event's type
     * @param sequenceNumber its sequence number
     * @param response the response object the event carries
     */
    record Lifecycle(String type, long sequenceNumber, Response response) implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public Lifecycle {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(response, "response");
        }

        /** {@return whether this event ends the stream: completed, incomplete or failed} */
        public boolean isTerminal() {
            return isTerminal(type);
        }

        static boolean isTerminal(String type) {
            return type.equals("response.completed")
                    || type.equals("response.incomplete")
                    || type.equals("response.failed");
        }
    }

    /**
     * {@code response.output_item.added}: an output item (a message, a function call, reasoning, a
     * built-in tool's call) begins; its content arrives in later events.
     *
     * @param sequenceNumber the sequence number
     * @param outputIndex the item's index in the response's output
     * @param item the item as it starts
     */
    record OutputItemAdded(long sequenceNumber, int outputIndex, ResponseOutputItem item)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if item is null
         */
        public OutputItemAdded {
            Objects.requireNonNull(item, "item");
        }

        @Override
        public String type() {
            return "response.output_item.added";
        }
    }

    /**
     * {@code response.output_item.done}: an output item is complete.
     *
     * @param sequenceNumber the sequence number
     * @param outputIndex the item's index in the response's output
     * @param item the whole item
     */
    record OutputItemDone(long sequenceNumber, int outputIndex, ResponseOutputItem item)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if item is null
         */
        public OutputItemDone {
            Objects.requireNonNull(item, "item");
        }

        @Override
        public String type() {
            return "response.output_item.done";
        }
    }

    /**
     * {@code response.content_part.added} or {@code response.content_part.done}: a part of a
     * message (output text or a refusal) begins or is complete.
     *
     * @param type the event's type
     * @param sequenceNumber the sequence number
     * @param itemId the message's id
     * @param outputIndex the message's index in the output
     * @param contentIndex the part's index in the message
     * @param part the part (empty text when it begins)
     */
    record ContentPart(
            String type,
            long sequenceNumber,
            String itemId,
            int outputIndex,
            int contentIndex,
            ResponseOutputItem.Content part)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ContentPart {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(part, "part");
        }
    }

    /**
     * {@code response.output_text.delta}: a piece of a message's text.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the message's id
     * @param outputIndex the message's index in the output
     * @param contentIndex the text part's index in the message
     * @param delta the piece
     */
    record OutputTextDelta(long sequenceNumber, String itemId, int outputIndex, int contentIndex, String delta)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public OutputTextDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(delta, "delta");
        }

        @Override
        public String type() {
            return "response.output_text.delta";
        }
    }

    /**
     * {@code response.output_text.done}: a text part is complete.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the message's id
     * @param outputIndex the message's index in the output
     * @param contentIndex the text part's index in the message
     * @param text the whole text
     */
    record OutputTextDone(long sequenceNumber, String itemId, int outputIndex, int contentIndex, String text)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public OutputTextDone {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "response.output_text.done";
        }
    }

    /**
     * {@code response.refusal.delta}: a piece of the model's refusal.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the message's id
     * @param outputIndex the message's index in the output
     * @param contentIndex the refusal part's index in the message
     * @param delta the piece
     */
    record RefusalDelta(long sequenceNumber, String itemId, int outputIndex, int contentIndex, String delta)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public RefusalDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(delta, "delta");
        }

        @Override
        public String type() {
            return "response.refusal.delta";
        }
    }

    /**
     * {@code response.refusal.done}: the refusal is complete.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the message's id
     * @param outputIndex the message's index in the output
     * @param contentIndex the refusal part's index in the message
     * @param refusal the whole refusal
     */
    record RefusalDone(long sequenceNumber, String itemId, int outputIndex, int contentIndex, String refusal)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public RefusalDone {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(refusal, "refusal");
        }

        @Override
        public String type() {
            return "response.refusal.done";
        }
    }

    /**
     * {@code response.function_call_arguments.delta}: a piece of a function call's arguments
     * (JSON text, cut anywhere).
     *
     * @param sequenceNumber the sequence number
     * @param itemId the function call item's id
     * @param outputIndex its index in the output
     * @param delta the piece
     */
    record FunctionCallArgumentsDelta(long sequenceNumber, String itemId, int outputIndex, String delta)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public FunctionCallArgumentsDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(delta, "delta");
        }

        @Override
        public String type() {
            return "response.function_call_arguments.delta";
        }
    }

    /**
     * {@code response.function_call_arguments.done}: a function call's arguments are complete.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the function call item's id
     * @param outputIndex its index in the output
     * @param arguments the whole arguments text
     */
    record FunctionCallArgumentsDone(long sequenceNumber, String itemId, int outputIndex, String arguments)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public FunctionCallArgumentsDone {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(arguments, "arguments");
        }

        @Override
        public String type() {
            return "response.function_call_arguments.done";
        }
    }

    /**
     * {@code response.reasoning_summary_text.delta}: a piece of a reasoning item's summary.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the reasoning item's id
     * @param outputIndex its index in the output
     * @param summaryIndex the summary part's index
     * @param delta the piece
     */
    record ReasoningSummaryTextDelta(
            long sequenceNumber, String itemId, int outputIndex, int summaryIndex, String delta)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ReasoningSummaryTextDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(delta, "delta");
        }

        @Override
        public String type() {
            return "response.reasoning_summary_text.delta";
        }
    }

    /**
     * {@code response.reasoning_summary_text.done}: a summary part is complete.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the reasoning item's id
     * @param outputIndex its index in the output
     * @param summaryIndex the summary part's index
     * @param text the whole summary part
     */
    record ReasoningSummaryTextDone(long sequenceNumber, String itemId, int outputIndex, int summaryIndex, String text)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ReasoningSummaryTextDone {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "response.reasoning_summary_text.done";
        }
    }

    /**
     * {@code response.custom_tool_call_input.delta}: a piece of a custom tool call's free-text input.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the custom tool call item's id
     * @param outputIndex its index in the output
     * @param delta the piece
     */
    record CustomToolCallInputDelta(long sequenceNumber, String itemId, int outputIndex, String delta)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public CustomToolCallInputDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(delta, "delta");
        }

        @Override
        public String type() {
            return "response.custom_tool_call_input.delta";
        }
    }

    /**
     * {@code response.custom_tool_call_input.done}: a custom tool call's input is complete.
     *
     * @param sequenceNumber the sequence number
     * @param itemId the custom tool call item's id
     * @param outputIndex its index in the output
     * @param input the whole input
     */
    record CustomToolCallInputDone(long sequenceNumber, String itemId, int outputIndex, String input)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public CustomToolCallInputDone {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(input, "input");
        }

        @Override
        public String type() {
            return "response.custom_tool_call_input.done";
        }
    }

    /**
     * {@code response.shell_call_command.added}, {@code .delta} or {@code .done}: one command of a
     * {@code shell_call} begins (its text so far), grows (a piece) or is complete (its whole text).
     * These events name the call by its output index only.
     *
     * @param type the event's type
     * @param sequenceNumber the sequence number
     * @param outputIndex the shell call's index in the output
     * @param commandIndex the command's index in the call's {@code action.commands}
     * @param text the command so far ({@code .added}), the piece ({@code .delta}) or the whole command ({@code .done})
     */
    record ShellCallCommand(String type, long sequenceNumber, int outputIndex, int commandIndex, String text)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ShellCallCommand {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(text, "text");
        }

        /** {@return whether this event carries a piece to append ({@code .delta})} */
        public boolean isDelta() {
            return type.endsWith(".delta");
        }
    }

    /**
     * {@code response.apply_patch_call_operation_diff.delta} or {@code .done}: a piece of an
     * {@code apply_patch_call}'s {@code operation.diff}, or the whole diff.
     *
     * @param type the event's type
     * @param sequenceNumber the sequence number
     * @param itemId the apply patch call's id
     * @param outputIndex its index in the output
     * @param text the piece ({@code .delta}: {@code delta}) or the whole diff ({@code .done}: {@code diff})
     */
    record ApplyPatchDiff(String type, long sequenceNumber, String itemId, int outputIndex, String text)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public ApplyPatchDiff {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(text, "text");
        }

        /** {@return whether this event carries a piece to append ({@code .delta})} */
        public boolean isDelta() {
            return type.endsWith(".delta");
        }
    }

    /**
     * {@code response.mcp_call_arguments.delta} or {@code .done}: a piece of a remote MCP call's
     * arguments (JSON text), or the whole arguments. The server calls the tool itself; the
     * {@code mcp_call} item's {@code output_item.done} carries its output.
     *
     * @param type the event's type
     * @param sequenceNumber the sequence number
     * @param itemId the MCP call item's id
     * @param outputIndex its index in the output
     * @param text the piece ({@code delta}) or the whole arguments ({@code arguments})
     */
    record McpCallArguments(String type, long sequenceNumber, String itemId, int outputIndex, String text)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public McpCallArguments {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The progress of a remote MCP server's work: {@code response.mcp_call.in_progress},
     * {@code .completed}, {@code .failed}, and {@code response.mcp_list_tools.in_progress},
     * {@code .completed}, {@code .failed}. The item itself (its output, error or tools) arrives in
     * {@code output_item.done}.
     *
     * @param type the event's type
     * @param sequenceNumber the sequence number
     * @param itemId the {@code mcp_call} or {@code mcp_list_tools} item's id
     * @param outputIndex its index in the output
     */
    record McpProgress(String type, long sequenceNumber, String itemId, int outputIndex)
            implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public McpProgress {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(itemId, "itemId");
        }

        /** {@return whether the server reports the call or the listing failed} */
        public boolean isFailed() {
            return type.endsWith(".failed");
        }
    }

    /**
     * {@code response.rate_limits.updated}: the account's rate limits as they stand. OpenAI sends it
     * after {@code response.completed}: a live {@link ResponseStream} has ended for its consumer by
     * then, and reads it while the body runs to its end (at most a second and 64 KiB after the
     * terminal event), reporting it in {@link ResponseStream#rateLimitsUpdated()} and
     * {@link ResponseStream#rateLimits()}; one that comes before the terminal event is also handed
     * to the consumer as an event. {@link ResponseStream#replay} reads a capture up to its terminal
     * event only. Never an error, never the end of the stream.
     *
     * @param sequenceNumber the sequence number
     * @param rateLimits the limits, in the order sent
     */
    record RateLimitsUpdated(long sequenceNumber, List<RateLimit> rateLimits) implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if rateLimits is null
         */
        public RateLimitsUpdated {
            rateLimits = List.copyOf(Objects.requireNonNull(rateLimits, "rateLimits"));
        }

        @Override
        public String type() {
            return "response.rate_limits.updated";
        }
    }

    /**
     * One limit of a {@link RateLimitsUpdated}.
     *
     * @param name what is limited ({@code requests}, {@code tokens}); empty when not sent
     * @param limit the limit, or -1 when not sent
     * @param remaining what is left, or -1 when not sent
     * @param resetSeconds seconds until it resets, or -1 when not sent
     */
    record RateLimit(String name, long limit, long remaining, double resetSeconds) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if name is null
         */
        public RateLimit {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code keepalive}: the server is still working on a long response and says so, between other
     * events. Carries nothing; never an error, never the end of the stream.
     *
     * @param sequenceNumber the sequence number
     */
    record Keepalive(long sequenceNumber) implements ResponseStreamEvent {
        @Override
        public String type() {
            return "keepalive";
        }
    }

    /**
     * {@code error}: the server reports an error inside the stream. A {@link ResponseStream} does
     * not deliver it but throws it as an {@link dev.sluice.ApiException} (type: the code).
     *
     * @param sequenceNumber the sequence number
     * @param code the error's code; {@code "error"} when the server gave none
     * @param message its message; may be empty
     * @param param the parameter it is about, or null
     */
    @SuppressWarnings("AvoidCommonTypeNames") // the Responses API's own event name; never imported alone
    record Error(
            long sequenceNumber,
            String code,
            String message,
            @Nullable String param) implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if code or message is null
         */
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /**
     * An event of another type, kept as it came.
     *
     * @param type the event's type (its {@code type} member, else the SSE event name)
     * @param sequenceNumber its sequence number, or -1
     * @param data the event's JSON data, as received
     */
    record Unknown(String type, long sequenceNumber, String data) implements ResponseStreamEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if one is null
         */
        public Unknown {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
        }
    }
}
