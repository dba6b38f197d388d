package dev.sluice.relay.protocol;

import dev.sluice.chat.PartialJson;
import dev.sluice.relay.RelayEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's OpenAI Responses front door ({@code POST /v1/responses}) for an answer translated
 * from relay events: written as OpenAI's Responses API streams one ({@link #streaming}), every
 * event with its {@code sequence_number} — {@code response.created} and
 * {@code response.in_progress}; per output item {@code response.output_item.added}, its content
 * ({@code response.content_part.added}, {@code response.output_text.delta} and {@code .done},
 * {@code response.content_part.done}; a function call's
 * {@code response.function_call_arguments.delta} and {@code .done}; thinking as a reasoning item's
 * summary, {@code response.reasoning_summary_part.added}, {@code response.reasoning_summary_text.delta}
 * and {@code .done}), and {@code response.output_item.done}; then {@code response.completed}, or
 * {@code response.incomplete} when the answer was cut ({@code max_output_tokens},
 * {@code content_filter}) — or as one {@code response} object ({@link #collecting}). Heartbeats are
 * SSE comments, which OpenAI's clients skip. A reasoning item from another provider has no
 * {@code encrypted_content}: it is for reading, and is not sent back to any target.
 *
 * <p>Failures before the first byte are OpenAI's error body and status ({@link GatewayWriter#errorJson},
 * {@link GatewayWriter#status(String)}); after it, the stream ends with {@code response.failed},
 * whose {@code error.code} is {@code server_is_overloaded}, {@code rate_limit_exceeded} or
 * {@code server_error}, which OpenAI's clients retry. A fallback chain's restart after text ends it
 * so, overloaded. A streamed answer is held as well (its end repeats it whole), up to the bound.
 *
 * <p>Threading: used by one thread at a time. Does not close the stream.
 */
public final class ResponsesWriter extends DialectWriter {
    private final String id;
    private final String model;
    private final long created;
    private long sequence;
    private boolean started;
    private Set<String> customTools = Set.of();
    private List<String> namespaces = List.of();

    private ResponsesWriter(
            @Nullable OutputStream out,
            String id,
            String model,
            long created,
            long maxAnswerBytes,
            @Nullable String answerTool) {
        super(out, maxAnswerBytes, answerTool, true);
        this.id = Objects.requireNonNull(id, "id");
        this.model = Objects.requireNonNull(model, "model");
        this.created = created;
    }

    /**
     * A writer streaming the Responses API's events to a response body. Nothing is written before
     * the first content (or the heartbeat after {@value DialectWriter#HEARTBEATS_HELD} silent intervals), so that a
     * failure before it can be answered with a status.
     *
     * @param out the response body
     * @param id the response's id, {@code resp_...}
     * @param model the model as the caller named it
     * @param created the epoch second the request came in
     * @param maxAnswerBytes the most bytes of the answer held for the events that repeat it whole; positive
     * @param answerTool the name of the request's text format's tool, whose calls are written as text; null for none
     * @return the writer
     * @throws IllegalArgumentException if maxAnswerBytes is not positive
     */
    public static ResponsesWriter streaming(
            OutputStream out, String id, String model, long created, long maxAnswerBytes, @Nullable String answerTool) {
        return new ResponsesWriter(Objects.requireNonNull(out, "out"), id, model, created, maxAnswerBytes, answerTool);
    }

    /**
     * A writer gathering the answer into one {@code response} object, at most {@code maxAnswerBytes}
     * of it ({@link GatewayWriter#ANSWER_TOO_LARGE} past that).
     *
     * @param id the response's id, {@code resp_...}
     * @param model the model as the caller named it
     * @param created the epoch second the request came in
     * @param maxAnswerBytes the most bytes of the answer it holds; positive
     * @param answerTool the name of the request's text format's tool; null for none
     * @return the writer
     * @throws IllegalArgumentException if maxAnswerBytes is not positive
     */
    public static ResponsesWriter collecting(
            String id, String model, long created, long maxAnswerBytes, @Nullable String answerTool) {
        return new ResponsesWriter(null, id, model, created, maxAnswerBytes, answerTool);
    }

    private void emit(String type, String members) throws IOException {
        event(
                type,
                "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence++ + (members.isEmpty() ? "" : ",")
                        + members + "}");
    }

    private void start() throws IOException {
        if (started) return;
        started = true;
        emit("response.created", "\"response\":" + response("in_progress", "[]", null, null));
        emit("response.in_progress", "\"response\":" + response("in_progress", "[]", null, null));
    }

    /**
     * {@return this writer, writing the calls of these tools as {@code custom_tool_call} items} A
     * Responses {@code custom} (freeform) tool goes to another dialect as a function of one string
     * {@code input}; its call comes back as the item its caller knows, {@code input} verbatim, its
     * input streamed as {@code response.custom_tool_call_input.delta} and {@code .done} when the
     * call is whole.
     *
     * @param names the names of the request's custom tools
     */
    public ResponsesWriter customTools(List<String> names) {
        this.customTools = Set.copyOf(Objects.requireNonNull(names, "names"));
        return this;
    }

    /**
     * {@return this writer, writing the calls of these namespaces' functions (which went up as
     * {@code NAMESPACE__NAME}) as {@code function_call} items under their own name, with their
     * "namespace" member}
     *
     * @param names the names of the request's namespace tools
     */
    public ResponsesWriter namespaces(List<String> names) {
        this.namespaces = List.copyOf(Objects.requireNonNull(names, "names"));
        return this;
    }

    /** {@return the namespace a function's name starts with ({@code NAMESPACE__}), or null} */
    private @Nullable String namespace(String name) {
        for (String ns : namespaces)
            if (name.startsWith(ns + ResponsesParsing.NAMESPACE_SEPARATOR)
                    && name.length() > ns.length() + ResponsesParsing.NAMESPACE_SEPARATOR.length()) return ns;
        return null;
    }

    /** {@return a function call's name and namespace members as the caller knows them} */
    private String nameMembers(Block b) {
        String ns = namespace(b.name);
        return ns == null
                ? "\"name\":" + str(b.name)
                : "\"name\":" + str(b.name.substring(ns.length() + ResponsesParsing.NAMESPACE_SEPARATOR.length()))
                        + ",\"namespace\":" + str(ns);
    }

    private boolean custom(Block b) {
        return b.kind == Kind.TOOL && customTools.contains(b.name);
    }

    /** {@return a custom tool's input: the {@code input} of the arguments the model wrote, else the arguments as they are} */
    private static String customInput(String arguments) {
        PartialJson.Result parsed = PartialJson.parse(arguments);
        if (parsed.isValid()
                && parsed.value() instanceof Map<?, ?> m
                && m.get(ResponsesParsing.CUSTOM_ARGUMENT) instanceof String input) return input;
        return arguments;
    }

    @Override
    void restarted() {
        sequence = 0;
        started = false;
    }

    @Override
    void opened(Block b) throws IOException {
        start();
        emit("response.output_item.added", "\"output_index\":" + b.index + ",\"item\":" + item(b, false));
        if (b.kind == Kind.TEXT) {
            emit(
                    "response.content_part.added",
                    place(b)
                            + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}");
        } else if (b.kind == Kind.THINKING) {
            emit(
                    "response.reasoning_summary_part.added",
                    place(b) + ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}");
        }
    }

    @Override
    void delta(Block b, String piece) throws IOException {
        switch (b.kind) {
            case TEXT ->
                emit(
                        "response.output_text.delta",
                        place(b) + ",\"content_index\":0,\"delta\":" + str(piece) + ",\"logprobs\":[]");
            case THINKING ->
                emit(
                        "response.reasoning_summary_text.delta",
                        place(b) + ",\"summary_index\":0,\"delta\":" + str(piece));
            case TOOL -> {
                // a custom tool's input is its arguments' one string: written when the call is whole
                if (!custom(b)) emit("response.function_call_arguments.delta", place(b) + ",\"delta\":" + str(piece));
            }
        }
    }

    @Override
    void closed(Block b) throws IOException {
        String content = b.content.toString();
        switch (b.kind) {
            case TEXT -> {
                emit(
                        "response.output_text.done",
                        place(b) + ",\"content_index\":0,\"text\":" + str(content) + ",\"logprobs\":[]");
                emit(
                        "response.content_part.done",
                        place(b) + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":" + str(content)
                                + ",\"annotations\":[]}");
            }
            case THINKING -> {
                emit(
                        "response.reasoning_summary_text.done",
                        place(b) + ",\"summary_index\":0,\"text\":" + str(content));
                emit(
                        "response.reasoning_summary_part.done",
                        place(b) + ",\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":" + str(content)
                                + "}");
            }
            case TOOL -> {
                if (custom(b)) {
                    String input = customInput(content);
                    emit("response.custom_tool_call_input.delta", place(b) + ",\"delta\":" + str(input));
                    emit("response.custom_tool_call_input.done", place(b) + ",\"input\":" + str(input));
                } else {
                    emit(
                            "response.function_call_arguments.done",
                            place(b) + "," + nameMembers(b) + ",\"arguments\":" + str(content));
                }
            }
        }
        emit("response.output_item.done", "\"output_index\":" + b.index + ",\"item\":" + item(b, true));
    }

    @Override
    void ended(RelayEvent.Done d) throws IOException {
        start();
        String incomplete = incompleteReason(d.finishReason());
        emit(incomplete == null ? "response.completed" : "response.incomplete", "\"response\":" + whole(d));
    }

    @Override
    void streamFailed(RelayEvent.Error e) throws IOException {
        start();
        String code = switch (MessagesWriter.anthropicType(e.errorType())) {
            case "overloaded_error" -> "server_is_overloaded";
            case "rate_limit_error" -> "rate_limit_exceeded";
            default -> "server_error";
        };
        emit(
                "response.failed",
                "\"response\":"
                        + response(
                                "failed",
                                output(),
                                "{\"code\":" + str(code) + ",\"message\":" + str(e.message()) + "}",
                                null));
    }

    @Override
    String whole(RelayEvent.Done d) {
        String incomplete = incompleteReason(d.finishReason());
        // the Responses API counts cached input in input_tokens, and says how much in input_tokens_details
        String usage = "{\"input_tokens\":" + d.totalInputTokens()
                + ",\"input_tokens_details\":{\"cached_tokens\":" + d.cacheReadTokens() + "},\"output_tokens\":"
                + d.outputTokens()
                + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":"
                + (d.totalInputTokens() + d.outputTokens()) + "}";
        return response(incomplete == null ? "completed" : "incomplete", output(), null, incomplete)
                .replace(",\"usage\":null", ",\"usage\":" + usage);
    }

    private String output() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < blocks.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(item(blocks.get(i), true));
        }
        return sb.append(']').toString();
    }

    private String response(String status, String output, @Nullable String error, @Nullable String incomplete) {
        return "{\"id\":" + str(id) + ",\"object\":\"response\",\"created_at\":" + created + ",\"status\":\"" + status
                + "\",\"error\":" + (error == null ? "null" : error) + ",\"incomplete_details\":"
                + (incomplete == null ? "null" : "{\"reason\":" + str(incomplete) + "}") + ",\"model\":" + str(model)
                + ",\"output\":" + output + ",\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"tools\":[]"
                + ",\"usage\":null}";
    }

    private String item(Block b, boolean done) {
        String status = done ? "completed" : "in_progress";
        String content = done ? b.content.toString() : "";
        return switch (b.kind) {
            case TEXT ->
                "{\"id\":" + str(itemId("msg", b)) + ",\"type\":\"message\",\"status\":\"" + status
                        + "\",\"role\":\"assistant\",\"content\":"
                        + (done
                                ? "[{\"type\":\"output_text\",\"text\":" + str(content) + ",\"annotations\":[]}]"
                                : "[]")
                        + "}";
            case THINKING ->
                "{\"id\":" + str(itemId("rs", b)) + ",\"type\":\"reasoning\",\"summary\":"
                        + (done ? "[{\"type\":\"summary_text\",\"text\":" + str(content) + "}]" : "[]") + "}";
            case TOOL ->
                custom(b)
                        ? "{\"id\":" + str(itemId("ctc", b)) + ",\"type\":\"custom_tool_call\",\"status\":\"" + status
                                + "\",\"call_id\":" + str(b.id) + "," + nameMembers(b) + ",\"input\":"
                                + str(done ? customInput(content) : "") + "}"
                        : "{\"id\":" + str(itemId("fc", b)) + ",\"type\":\"function_call\",\"status\":\"" + status
                                + "\",\"call_id\":" + str(b.id) + "," + nameMembers(b) + ",\"arguments\":"
                                + str(content) + "}";
        };
    }

    private String place(Block b) {
        String prefix = switch (b.kind) {
            case TEXT -> "msg";
            case THINKING -> "rs";
            case TOOL -> custom(b) ? "ctc" : "fc";
        };
        return "\"item_id\":" + str(itemId(prefix, b)) + ",\"output_index\":" + b.index;
    }

    private String itemId(String prefix, Block b) {
        return prefix + "_" + id.substring(id.indexOf('_') + 1) + "_" + b.index;
    }

    private static @Nullable String incompleteReason(@Nullable String relayReason) {
        if (relayReason == null) return null;
        return switch (relayReason) {
            case "length" -> "max_output_tokens";
            case "content_filter" -> "content_filter";
            default -> null;
        };
    }

    @Override
    void ping() throws IOException {
        comment("ping");
    }

    @Override
    public int status(RelayEvent.Error failure) {
        return GatewayWriter.status(failure.errorType());
    }

    @Override
    public String errorJson(RelayEvent.Error failure) {
        return GatewayWriter.errorJson(
                failure.message(), GatewayWriter.openAiType(failure.errorType()), null, failure.errorType());
    }
}
