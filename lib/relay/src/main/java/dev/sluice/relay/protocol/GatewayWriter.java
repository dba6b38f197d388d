package dev.sluice.relay.protocol;

import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.relay.RelayEvent;
import dev.sluice.relay.RelayWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI-compatible gateway's one mapping of relay events, as a {@link RelayWriter}: a
 * relayed stream written as the OpenAI Chat Completions API answers. Streaming
 * ({@link #streaming}), each event becomes {@code data: {"object":"chat.completion.chunk",...}}
 * as OpenAI sends it — the first with {@code delta.role}, then {@code delta.content} pieces and
 * {@code delta.tool_calls} pieces (a call's first piece with its {@code index}, {@code id},
 * {@code type} and {@code function.name}, then its {@code function.arguments} as they stream), a
 * last chunk with {@code finish_reason}, a usage chunk ({@code "choices":[]}) when asked, then
 * {@code data: [DONE]}. Collecting ({@link #collecting}), the events are gathered into one
 * {@code chat.completion} object with its usage, for the server to write once the stream is done
 * ({@link #writeCompletion}); it holds the answer meanwhile as the JSON it becomes, up to a bound,
 * past which it gives up ({@value #ANSWER_TOO_LARGE}). {@code thinking} goes where the
 * OpenAI-compatible servers put reasoning and their clients read it (DeepSeek's field, which the AI
 * SDK's OpenAI-compatible provider, Open WebUI and LibreChat show): {@code delta.reasoning_content}
 * pieces, a completion's {@code message.reasoning_content}; OpenAI's own clients skip it. The tool
 * runner's events have no place in Chat Completions and are left out; so is a response's provider
 * state, which never reaches a relay event.
 *
 * <p>Structured output: when the request asked for a response format, the calls of the tool named
 * as the format (a client sends the format as a forced call of that tool where the model has no
 * native structured output) are the answer's JSON, written as {@code content} like text, never as
 * {@code tool_calls}; the caller asked for JSON content. A refusal ({@code done} with the finish
 * reason {@code refusal}) is written as OpenAI writes one: its words (the {@code done}'s
 * {@code finishMessage}) as a {@code delta.refusal} piece, or a completion's {@code message.refusal},
 * and the finish reason {@code stop}; a truncated answer finishes with {@code length}.
 *
 * <p>Failures are in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}
 * ({@link #errorJson}): a stream's {@code error} or {@code cancelled} before anything was written
 * is kept for the server to answer with a status ({@link #failure()}); after, it is written as
 * the stream's last {@code data:} line, which OpenAI's clients throw as an API error. A fallback
 * chain's restart after text was streamed cannot be expressed in chunks (a client cannot be told
 * to discard what it has): it ends the stream with such an error (code {@code failover_restart});
 * a continue goes on seamlessly; collecting, a restart discards what came before.
 *
 * <p>A fallback chain's hedge has no place in Chat Completions either: streaming, it is written as
 * an SSE comment line, {@code : hedge {"from","to","winner",...}}, which OpenAI's clients skip and
 * a person or proxy can read; collecting, it is left out.
 *
 * <p>Threading: used by one thread at a time (the subscription's). Does not close the stream.
 */
public final class GatewayWriter extends FirstByteWriter {
    /** The {@code error} type of a collected answer that outgrew its bound. */
    public static final String ANSWER_TOO_LARGE = "answer_too_large";

    private final String id;
    private final String model;
    private final long created;
    private final boolean includeUsage;
    private final @Nullable String
            answerTool; // the response format's name, whose tool calls are the answer's content; null for none
    private final long maxAnswerBytes; // collecting: the most bytes it holds of the answer
    private final Map<String, Integer> callIndexes = new LinkedHashMap<>();
    // collecting: the answer so far, as the JSON it becomes (its strings escaped, in UTF-8), and the bytes that takes
    private final ByteBlocks text = new ByteBlocks();
    private final ByteBlocks reasoning = new ByteBlocks();
    private final List<Call> calls = new ArrayList<>();
    private long held;
    private @Nullable List<Object>
            completion; // collecting, once done: the object's pieces in order, byte[] and ByteBlocks
    private boolean roleSent;

    /** A collected tool call: its arguments escaped as {@link #text} is. */
    private record Call(String id, String name, ByteBlocks arguments) {}

    private GatewayWriter(
            @Nullable OutputStream out,
            String id,
            String model,
            long created,
            boolean includeUsage,
            long maxAnswerBytes,
            @Nullable String answerTool) {
        super(out);
        this.id = Objects.requireNonNull(id, "id");
        this.model = Objects.requireNonNull(model, "model");
        this.created = created;
        this.includeUsage = includeUsage;
        this.maxAnswerBytes = maxAnswerBytes;
        this.answerTool = answerTool;
    }

    /**
     * A client streaming {@code chat.completion.chunk}s to a response body as Server-Sent Events.
     * The server sets the status and {@code Content-Type: text/event-stream} once the first byte is
     * due: nothing is written (nor flushed) before the first content, so a failure before it can
     * still be answered with a status ({@link #failure()}).
     *
     * @param out the response body
     * @param id the completion's id, {@code chatcmpl-...}
     * @param model the model as the caller named it
     * @param created the epoch second the request came in
     * @param includeUsage whether to end with a usage chunk ({@code stream_options.include_usage})
     * @param answerTool the name of the request's response format, whose tool calls are written as
     *     content; null when it asked for none
     * @return the client
     */
    public static GatewayWriter streaming(
            OutputStream out,
            String id,
            String model,
            long created,
            boolean includeUsage,
            @Nullable String answerTool) {
        return new GatewayWriter(Objects.requireNonNull(out, "out"), id, model, created, includeUsage, 0, answerTool);
    }

    /**
     * A client gathering the answer into one {@code chat.completion} object, for the server to write
     * once the stream is done ({@link #writeCompletion}). It holds the answer meanwhile as the JSON it
     * becomes, in UTF-8; an answer that would take more than {@code maxAnswerBytes} is given up: the
     * {@code send} that finds it throws an {@link IOException}, which ends the delivery as a gone
     * client's failure would, and {@link #failure()} says {@value #ANSWER_TOO_LARGE}.
     *
     * @param id the completion's id, {@code chatcmpl-...}
     * @param model the model as the caller named it
     * @param created the epoch second the request came in
     * @param maxAnswerBytes the most bytes of the answer (its text and tool calls, as JSON) it holds; positive
     * @param answerTool the name of the request's response format, whose tool calls are collected as
     *     content; null when it asked for none
     * @return the client
     * @throws IllegalArgumentException if maxAnswerBytes is not positive
     */
    public static GatewayWriter collecting(
            String id, String model, long created, long maxAnswerBytes, @Nullable String answerTool) {
        if (maxAnswerBytes <= 0)
            throw new IllegalArgumentException("maxAnswerBytes must be positive: " + maxAnswerBytes);
        return new GatewayWriter(null, id, model, created, false, maxAnswerBytes, answerTool);
    }

    /**
     * {@return the size in bytes of the whole {@code chat.completion} object, once a collecting
     * client got {@code done}; empty before} For the response's {@code Content-Length}.
     */
    @Override
    public OptionalLong completionLength() {
        if (completion == null) return OptionalLong.empty();
        long n = 0;
        for (Object part : completion) n += part instanceof byte[] b ? b.length : ((ByteBlocks) part).size();
        return OptionalLong.of(n);
    }

    /**
     * Writes the whole {@code chat.completion} object, in UTF-8, as it was gathered: once a collecting
     * client got {@code done}.
     *
     * @param body the response body; not closed
     * @throws IOException if the client is gone
     * @throws IllegalStateException before {@code done}
     */
    @Override
    public void writeCompletion(OutputStream body) throws IOException {
        if (completion == null)
            throw new IllegalStateException("the completion is not whole yet: it is written once the stream is done");
        for (Object part : completion) {
            if (part instanceof byte[] b) body.write(b);
            else ((ByteBlocks) part).writeTo(body);
        }
    }

    /** {@return the status OpenAI's API answers the failure with ({@link #status(String)})} */
    @Override
    public int status(RelayEvent.Error failure) {
        return status(failure.errorType());
    }

    /** {@return the failure in OpenAI's shape, its relay type as the {@code code}} */
    @Override
    public String errorJson(RelayEvent.Error failure) {
        return errorJson(failure.message(), openAiType(failure.errorType()), null, failure.errorType());
    }

    /**
     * {@return the failure of an answer that is not streamed and outgrew the most a server holds of
     * it: {@value #ANSWER_TOO_LARGE}, saying the bound and that a stream has none}
     *
     * @param maxAnswerBytes the bound, in bytes
     */
    public static RelayEvent.Error answerTooLarge(long maxAnswerBytes) {
        return new RelayEvent.Error(
                ANSWER_TOO_LARGE,
                "the answer is larger than " + maxAnswerBytes
                        + " bytes, the most this server holds of an answer that is not streamed: ask with \"stream\": true");
    }

    /**
     * {@return the status of a completion that failed before anything was written} 400 when the
     * provider refused the request, 429 when it was rate limited, 503 when it was overloaded or the
     * stream was cancelled, 504 on a timeout, 507 when an answer that is not streamed outgrew what
     * the server holds ({@value #ANSWER_TOO_LARGE}), 500 for the relay's own fault, 502 for every
     * other upstream failure
     *
     * @param errorType the stream's {@code error} type
     */
    public static int status(String errorType) {
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "rate_limit_error" -> 429;
            case "overloaded_error", "cancelled" -> 503;
            case "timeout" -> 504;
            case ANSWER_TOO_LARGE -> 507;
            case "internal_error" -> 500;
            default -> 502;
        };
    }

    @Override
    public void send(long eventId, RelayEvent event) throws IOException {
        if (ended) return;
        switch (event) {
            case RelayEvent.Delta d -> content(d.text());
            case RelayEvent.Thinking t -> reasoning(t.text());
            case RelayEvent.ToolCall c when c.name().equals(answerTool) -> content(c.arguments());
            case RelayEvent.ToolCall c -> toolCall(c);
            case RelayEvent.Switch s
            when s.reset() -> {
                if (collecting()) {
                    text.clear();
                    reasoning.clear();
                    calls.clear();
                    callIndexes.clear();
                    held = 0;
                } else if (written) {
                    fail(new RelayEvent.Error(
                            "failover_restart",
                            "the provider failed mid-answer and the answer restarted on " + s.to()
                                    + "; what was streamed is void: send the request again"));
                }
            }
            case RelayEvent.Hedge h
            when !collecting() -> { // Chat Completions has no field for it: a comment, which clients skip
                write(utf8(": hedge " + h.data() + "\n\n"));
            }
            case RelayEvent.Done d -> done(d);
            case RelayEvent.Error e -> fail(e);
            case RelayEvent.Cancelled c -> fail(new RelayEvent.Error("cancelled", c.reason()));
            default -> {} // start, tool runner events, a continuing switch: nothing in Chat Completions
        }
    }

    private void content(String piece) throws IOException {
        if (piece.isEmpty()) return;
        if (collecting()) collect(text, piece);
        else chunk("{\"content\":" + str(piece) + "}", null);
    }

    private void reasoning(String piece) throws IOException {
        if (piece.isEmpty()) return;
        if (collecting()) collect(reasoning, piece);
        else chunk("{\"reasoning_content\":" + str(piece) + "}", null);
    }

    private void toolCall(RelayEvent.ToolCall c) throws IOException {
        Integer known = callIndexes.get(c.id());
        boolean first = known == null;
        int index = known != null ? known : callIndexes.size();
        if (first) callIndexes.put(c.id(), index);
        if (collecting()) {
            if (first) {
                calls.add(new Call(c.id(), c.name(), new ByteBlocks()));
                held += 2L * (c.id().length() + c.name().length());
            }
            collect(calls.get(index).arguments(), c.arguments());
            return;
        }
        if (!first && c.arguments().isEmpty()) return;
        String call = first
                ? "{\"index\":" + index + ",\"id\":" + str(c.id()) + ",\"type\":\"function\",\"function\":{\"name\":"
                        + str(c.name()) + ",\"arguments\":" + str(c.arguments()) + "}}"
                : "{\"index\":" + index + ",\"function\":{\"arguments\":" + str(c.arguments()) + "}}";
        chunk("{\"tool_calls\":[" + call + "]}", null);
    }

    private void done(RelayEvent.Done d) throws IOException {
        String reason = finishReason(d.finishReason(), !callIndexes.isEmpty());
        String refusal = "refusal".equals(d.finishReason())
                ? d.finishMessage() == null || d.finishMessage().isBlank()
                        ? "The model declined to answer."
                        : d.finishMessage()
                : null;
        // OpenAI counts cached input in prompt_tokens, and says how much in prompt_tokens_details
        String usage = "{\"prompt_tokens\":" + d.totalInputTokens() + ",\"completion_tokens\":" + d.outputTokens()
                + ",\"total_tokens\":" + (d.totalInputTokens() + d.outputTokens())
                + (d.cacheReadTokens() > 0
                        ? ",\"prompt_tokens_details\":{\"cached_tokens\":" + d.cacheReadTokens() + "}"
                        : "")
                + "}";
        if (collecting()) { // the pieces as they are, no copy of the answer
            List<Object> parts = new ArrayList<>();
            parts.add(utf8(head("chat.completion")
                    + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"));
            if (text.size() == 0 && (!calls.isEmpty() || refusal != null)) parts.add(utf8("null"));
            else quoted(parts, text);
            parts.add(utf8(",\"refusal\":" + (refusal == null ? "null" : str(refusal))));
            if (reasoning.size() > 0) {
                parts.add(utf8(",\"reasoning_content\":"));
                quoted(parts, reasoning);
            }
            for (int i = 0; i < calls.size(); i++) {
                Call c = calls.get(i);
                parts.add(utf8((i == 0 ? ",\"tool_calls\":[" : ",") + "{\"id\":" + str(c.id())
                        + ",\"type\":\"function\",\"function\":{\"name\":" + str(c.name()) + ",\"arguments\":"));
                quoted(parts, c.arguments());
                parts.add(utf8("}}" + (i == calls.size() - 1 ? "]" : "")));
            }
            parts.add(utf8(",\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"" + reason + "\"}],\"usage\":"
                    + usage + "}"));
            completion = parts;
            return;
        }
        if (refusal != null) chunk("{\"refusal\":" + str(refusal) + "}", null);
        chunk("{}", reason);
        if (includeUsage) line(head("chat.completion.chunk") + ",\"choices\":[],\"usage\":" + usage + "}");
        line("[DONE]");
    }

    private void fail(RelayEvent.Error e) throws IOException {
        if (held(e)) return;
        line(errorJson(e.message(), openAiType(e.errorType()), null, e.errorType()));
        failure = null;
        ended = true;
    }

    /** Writes one chunk with this delta and finish reason; the first chunk also says the role. */
    private void chunk(String delta, @Nullable String finishReason) throws IOException {
        if (!roleSent) {
            roleSent = true;
            line(chunkJson("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
        }
        line(chunkJson(delta, finishReason));
    }

    private String chunkJson(String delta, @Nullable String finishReason) {
        return head("chat.completion.chunk") + ",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
                + "}]" + (includeUsage ? ",\"usage\":null}" : "}");
    }

    private String head(String object) {
        return "{\"id\":" + str(id) + ",\"object\":\"" + object + "\",\"created\":" + created + ",\"model\":"
                + str(model) + ",\"system_fingerprint\":null";
    }

    /** Collects a piece of the answer, escaped for a JSON string, and gives up once the answer holds more than its bound. */
    private void collect(ByteBlocks into, String piece) throws IOException {
        if (piece.isEmpty()) return;
        StringBuilder escaped = new StringBuilder(piece.length() + 16);
        JsonText.writeString(piece, escaped); // escaped one piece at a time: a pair split across two reads back whole
        long before = into.capacity();
        into.append(escaped.substring(1, escaped.length() - 1).getBytes(StandardCharsets.UTF_8));
        held += into.capacity() - before;
        if (held <= maxAnswerBytes) return;
        text.clear();
        reasoning.clear();
        calls.clear();
        RelayEvent.Error tooLarge = answerTooLarge(maxAnswerBytes);
        failure = tooLarge;
        throw new IOException(tooLarge.message());
    }

    private static void quoted(List<Object> parts, ByteBlocks escaped) {
        parts.add(utf8("\""));
        parts.add(escaped);
        parts.add(utf8("\""));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void line(String data) throws IOException {
        write(utf8("data: " + data + "\n\n"));
    }

    @Override
    public void heartbeat() throws IOException {
        if (collecting()) return;
        write(": ping\n\n"
                .getBytes(StandardCharsets.US_ASCII)); // commits the response: a later failure is written in it
    }

    /**
     * {@return a finish reason as Chat Completions names it} {@code length} and
     * {@code content_filter} as they are; {@code tool_calls} when the answer has tool calls (calls of
     * a response format's tool are its content, not calls), else {@code stop}, which a refusal is
     * too (its words go in {@code refusal}), as is anything else (or none)
     *
     * @param relayReason the {@code done} event's finish reason, or null
     * @param hasToolCalls whether the answer has tool calls
     */
    static String finishReason(@Nullable String relayReason, boolean hasToolCalls) {
        if (relayReason == null) return hasToolCalls ? "tool_calls" : "stop";
        return switch (relayReason) {
            case "length" -> "length";
            case "content_filter" -> "content_filter";
            case "refusal" -> "stop";
            default -> hasToolCalls ? "tool_calls" : "stop";
        };
    }

    /**
     * {@return the OpenAI error {@code type} of a relay {@code error} event's type}:
     * {@code invalid_request_error}, {@code rate_limit_error}, {@code authentication_error},
     * {@code permission_error}, {@code not_found_error}, or {@code server_error} for everything
     * that failed upstream or in the relay
     *
     * @param errorType the event's type (a provider's error type, or the relay's: {@code timeout},
     *     {@code transport_error}, ...)
     */
    public static String openAiType(String errorType) {
        return switch (errorType) {
            case "invalid_request_error",
                    "invalid_request",
                    "unknown_provider",
                    "model_not_allowed",
                    "max_tokens_too_large",
                    "prompt_too_long",
                    "request_too_large",
                    "unsupported_media_type",
                    "method_not_allowed",
                    "request_timeout" -> "invalid_request_error";
            case "rate_limit_error", "too_many_streams", "too_many_creations" -> "rate_limit_error";
            case "unauthorized" -> "authentication_error";
            case "origin_not_allowed", "host_not_allowed" -> "permission_error";
            case "not_found", "model_not_found" -> "not_found_error";
            default -> "server_error";
        };
    }

    /**
     * {@return an error body in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}}
     *
     * @param message what happened, for people
     * @param type OpenAI's kind ({@link #openAiType})
     * @param param the request member at fault, or null
     * @param code a finer kind, or null
     */
    public static String errorJson(String message, String type, @Nullable String param, @Nullable String code) {
        return "{\"error\":{\"message\":" + str(message) + ",\"type\":" + str(type) + ",\"param\":"
                + (param == null ? "null" : str(param)) + ",\"code\":" + (code == null ? "null" : str(code)) + "}}";
    }

    private static String str(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        JsonText.writeString(s, sb);
        return sb.toString();
    }
}
