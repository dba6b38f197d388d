package dev.sluice.relay.protocol;

import dev.sluice.chat.PartialJson;
import dev.sluice.relay.RelayEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's Anthropic Messages front door ({@code POST /v1/messages}) for an answer translated
 * from relay events: written as Anthropic's API streams one ({@link #streaming}) —
 * {@code message_start}, then per block {@code content_block_start}, its deltas
 * ({@code text_delta}, {@code thinking_delta}, a tool call's {@code input_json_delta}) and
 * {@code content_block_stop}, then {@code message_delta} with the stop reason and usage, and
 * {@code message_stop}; heartbeats are {@code ping} events, which Anthropic's clients skip — or as
 * one {@code message} object ({@link #collecting}). A thinking block from another provider carries
 * no signature: it is for reading, and is not sent back to any target. Stop reasons: {@code stop} →
 * {@code end_turn} ({@code tool_use} when the answer has a tool call), {@code length} →
 * {@code max_tokens}, {@code tool_calls} → {@code tool_use}, {@code pause_turn},
 * {@code refusal} and a content filter → {@code refusal}.
 *
 * <p>Failures are in Anthropic's shape, {@code {"type":"error","error":{"type","message"}}}
 * ({@link #errorJson(String, String)}) with Anthropic's statuses ({@link #status(String)}:
 * {@code overloaded_error} is 529, as Anthropic answers it, so a client's own retry takes over);
 * after the first byte, as an {@code error} event, which Anthropic's clients throw. A fallback
 * chain's restart after text ends the stream so, with {@code overloaded_error}.
 *
 * <p>Threading: used by one thread at a time. Does not close the stream.
 */
public final class MessagesWriter extends DialectWriter {
    private final String id;
    private final String model;
    private boolean started;

    private MessagesWriter(
            @Nullable OutputStream out, String id, String model, long maxAnswerBytes, @Nullable String answerTool) {
        super(out, maxAnswerBytes, answerTool, false);
        this.id = Objects.requireNonNull(id, "id");
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * A writer streaming Anthropic's events to a response body. Nothing is written before the first
     * content (or the heartbeat after {@value DialectWriter#HEARTBEATS_HELD} silent intervals), so that a failure
     * before it can be answered with a status.
     *
     * @param out the response body
     * @param id the message's id, {@code msg_...}
     * @param model the model as the caller named it
     * @param answerTool the name of the request's output format's tool, whose calls are written as
     *     text; null for none
     * @return the writer
     */
    public static MessagesWriter streaming(OutputStream out, String id, String model, @Nullable String answerTool) {
        return new MessagesWriter(Objects.requireNonNull(out, "out"), id, model, Long.MAX_VALUE, answerTool);
    }

    /**
     * A writer gathering the answer into one {@code message} object, at most {@code maxAnswerBytes}
     * of it ({@link GatewayWriter#ANSWER_TOO_LARGE} past that).
     *
     * @param id the message's id, {@code msg_...}
     * @param model the model as the caller named it
     * @param maxAnswerBytes the most bytes of the answer it holds; positive
     * @param answerTool the name of the request's output format's tool; null for none
     * @return the writer
     * @throws IllegalArgumentException if maxAnswerBytes is not positive
     */
    public static MessagesWriter collecting(String id, String model, long maxAnswerBytes, @Nullable String answerTool) {
        return new MessagesWriter(null, id, model, maxAnswerBytes, answerTool);
    }

    private void start() throws IOException {
        if (started) return;
        started = true;
        event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":" + str(id)
                        + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + str(model)
                        + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}");
    }

    @Override
    void opened(Block b) throws IOException {
        start();
        String block = switch (b.kind) {
            case TEXT -> "{\"type\":\"text\",\"text\":\"\"}";
            case THINKING -> "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}";
            case TOOL -> "{\"type\":\"tool_use\",\"id\":" + str(b.id) + ",\"name\":" + str(b.name) + ",\"input\":{}}";
        };
        event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":" + b.index + ",\"content_block\":" + block + "}");
    }

    @Override
    void delta(Block b, String piece) throws IOException {
        String delta = switch (b.kind) {
            case TEXT -> "{\"type\":\"text_delta\",\"text\":" + str(piece) + "}";
            case THINKING -> "{\"type\":\"thinking_delta\",\"thinking\":" + str(piece) + "}";
            case TOOL -> "{\"type\":\"input_json_delta\",\"partial_json\":" + str(piece) + "}";
        };
        event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":" + b.index + ",\"delta\":" + delta + "}");
    }

    @Override
    void closed(Block b) throws IOException {
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + b.index + "}");
    }

    @Override
    void ended(RelayEvent.Done d) throws IOException {
        start();
        event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + str(stopReason(d.finishReason()))
                        + ",\"stop_sequence\":null},\"usage\":" + usage(d) + "}");
        event("message_stop", "{\"type\":\"message_stop\"}");
    }

    @Override
    void streamFailed(RelayEvent.Error e) throws IOException {
        event("error", errorJson(e));
    }

    @Override
    String whole(RelayEvent.Done d) {
        StringBuilder sb = new StringBuilder("{\"id\":")
                .append(str(id))
                .append(",\"type\":\"message\",\"role\":\"assistant\",\"model\":")
                .append(str(model))
                .append(",\"content\":[");
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (i > 0) sb.append(',');
            String content = b.content.toString();
            switch (b.kind) {
                case TEXT ->
                    sb.append("{\"type\":\"text\",\"text\":")
                            .append(str(content))
                            .append('}');
                case THINKING ->
                    sb.append("{\"type\":\"thinking\",\"thinking\":")
                            .append(str(content))
                            .append(",\"signature\":\"\"}");
                case TOOL ->
                    sb.append("{\"type\":\"tool_use\",\"id\":")
                            .append(str(b.id))
                            .append(",\"name\":")
                            .append(str(b.name))
                            .append(",\"input\":")
                            .append(object(content))
                            .append('}');
            }
        }
        return sb.append("],\"stop_reason\":")
                .append(str(stopReason(d.finishReason())))
                .append(",\"stop_sequence\":null,\"usage\":")
                .append(usage(d))
                .append('}')
                .toString();
    }

    @Override
    void ping() throws IOException {
        start(); // Anthropic sends its pings after message_start
        event("ping", "{\"type\":\"ping\"}");
    }

    @Override
    public int status(RelayEvent.Error failure) {
        return status(failure.errorType());
    }

    @Override
    public String errorJson(RelayEvent.Error failure) {
        return errorJson(anthropicType(failure.errorType()), failure.message());
    }

    private String stopReason(@Nullable String relayReason) {
        if (relayReason == null) return hasToolCalls() ? "tool_use" : "end_turn";
        return switch (relayReason) {
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            case "pause_turn" -> "pause_turn";
            case "refusal", "content_filter" -> "refusal";
            default -> hasToolCalls() ? "tool_use" : "end_turn";
        };
    }

    private static String usage(RelayEvent.Done d) {
        // Anthropic's input_tokens leave the cache's reads and writes out, counted beside them
        return "{\"input_tokens\":" + d.inputTokens()
                + (d.cacheReadTokens() > 0 ? ",\"cache_read_input_tokens\":" + d.cacheReadTokens() : "")
                + (d.cacheWriteTokens() > 0 ? ",\"cache_creation_input_tokens\":" + d.cacheWriteTokens() : "")
                + ",\"output_tokens\":" + d.outputTokens() + "}";
    }

    /** {@return a tool call's arguments as its {@code input}: the JSON object they are, or {@code {}} for none} */
    private static String object(String arguments) {
        if (arguments.isBlank()) return "{}";
        PartialJson.Result parsed = PartialJson.parse(arguments);
        return parsed.isValid() && parsed.value() instanceof Map<?, ?> ? arguments.strip() : "{}";
    }

    /**
     * {@return the Anthropic error {@code type} of a relay {@code error} event's type or a refusal's}:
     * {@code invalid_request_error}, {@code authentication_error}, {@code permission_error},
     * {@code not_found_error}, {@code request_too_large}, {@code rate_limit_error},
     * {@code timeout_error}, {@code overloaded_error}, or {@code api_error} for every other failure
     *
     * @param errorType the relay's type, or a provider's
     */
    public static String anthropicType(String errorType) {
        return switch (errorType) {
            case "request_too_large", "prompt_too_long" -> "request_too_large";
            case "unauthorized" -> "authentication_error"; // the gateway's token; an upstream's key is the server's
            case "origin_not_allowed", "host_not_allowed" -> "permission_error";
            case "not_found", "model_not_found", "not_found_error" -> "not_found_error";
            case "rate_limit_error", "too_many_streams", "too_many_creations" -> "rate_limit_error";
            case "overloaded_error", "cancelled" -> "overloaded_error";
            case "timeout" -> "timeout_error";
            case GatewayWriter.ANSWER_TOO_LARGE, "internal_error", "api_error" -> "api_error";
            default ->
                GatewayWriter.openAiType(errorType).equals("invalid_request_error")
                        ? "invalid_request_error"
                        : "api_error";
        };
    }

    /**
     * {@return the status Anthropic's API answers a failure of this kind with}: 400, 401, 403, 404,
     * 413, 429, 504 for a timeout, 529 when overloaded (a fallback chain that ran out of targets, a
     * cancelled stream), 500 for the server's own fault, 502 for another upstream failure
     *
     * @param errorType the relay's type, or a provider's
     */
    public static int status(String errorType) {
        return switch (anthropicType(errorType)) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default ->
                errorType.equals("internal_error") || errorType.equals(GatewayWriter.ANSWER_TOO_LARGE) ? 500 : 502;
        };
    }

    /**
     * {@return an error body in Anthropic's shape: {@code {"type":"error","error":{"type","message"}}}}
     *
     * @param type Anthropic's kind ({@link #anthropicType})
     * @param message what happened, for people
     */
    public static String errorJson(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":" + str(type) + ",\"message\":" + str(message) + "}}";
    }
}
