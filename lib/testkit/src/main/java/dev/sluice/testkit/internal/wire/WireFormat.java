package dev.sluice.testkit.internal.wire;

import dev.sluice.testkit.internal.http.Headers;
import dev.sluice.testkit.internal.http.SseEvent;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.spi.Turn;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One provider API as the fake server speaks it: which path it serves, how a request is checked
 * and read into a neutral {@link FakeRequest}, and how a neutral {@link Reply} or {@link ApiError}
 * is written back. Everything else (routing, faults, pacing, the walk through the reply's blocks
 * and deltas) is {@code FakeHandler}'s, shared by every format, so the scenario cannot drift
 * between providers. The formats are registered in one place, {@link dev.sluice.testkit.FakeLlmServer}.
 *
 * <p>Implementations are stateless and thread-safe; a {@link StreamRenderer} belongs to one response.
 */
public interface WireFormat {

    /** {@return whether this format serves the request path} */
    boolean serves(String path);

    /**
     * {@return whether this format serves the request, by its path and, where two APIs share a path
     * (Azure's and Bedrock's {@code /openai/v1/...} on the one server), the credentials it carries}
     * By default {@link #serves(String)}.
     */
    default boolean serves(String path, Headers headers) {
        return serves(path);
    }

    /** {@return the response header carrying the request id, such as {@code request-id}} */
    String requestIdHeader();

    /**
     * {@return the rate-limit headers of a streamed response, as the API sends them: a generous
     * request limit, one request spent; none by default (Gemini sends none)}
     */
    default Map<String, String> rateLimitHeaders() {
        return Map.of();
    }

    /**
     * Checks the request headers: the API key, version headers, the content type.
     *
     * @throws ApiError AUTHENTICATION or INVALID_REQUEST naming what is wrong
     */
    void checkHeaders(Headers headers) throws ApiError;

    /**
     * Checks what authenticates the request, where that needs more than its headers (an AWS
     * signature covers the method, the target and the body); by default {@link #checkHeaders}.
     *
     * @param target the request target as sent: the raw path and query
     * @throws ApiError as {@link #checkHeaders} does
     */
    default void checkRequest(String method, String target, Headers headers, byte[] body) throws ApiError {
        checkHeaders(headers);
    }

    /** {@return the content type of a streamed response; Server-Sent Events by default} */
    default String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    /**
     * {@return one event as written on the wire: by default a Server-Sent Event; a format with another
     * framing (AWS's event stream) writes the event's type and data its own way}
     */
    default byte[] encode(SseEvent event) {
        return event.bytes();
    }

    /**
     * Validates the body (and, for an API that puts the model in the path, the path) as the API would.
     *
     * @throws ApiError INVALID_REQUEST naming the first bad field
     */
    FakeRequest parse(String path, JsonNode body) throws ApiError;

    /**
     * Reads what a scripted answer needs of a request, leniently, whatever its body: the model
     * ({@code fake-model} when it names none) and whether to stream. Never refuses.
     */
    default FakeRequest peek(String path, JsonNode body) {
        return FakeRequest.lenient(
                body.path("model").asText(""), body, body.path("stream").asBoolean(false), true);
    }

    /**
     * Reads what a scripted structured answer needs of a request, leniently, whatever its body: what
     * {@link #peek} reads, the conversation (its last user turn is the prompt), the tools, the tool
     * choice and the structured output asked for. Never refuses: a choice of a tool not offered is
     * read as the default.
     */
    default FakeRequest peekStructured(String path, JsonNode body) {
        return peek(path, body).withConversation(tools(body), turns(body)).withOutput(toolChoice(body), format(body));
    }

    /** {@return the tools a body offers, read leniently: those with a name, their input schema or {@code {}}} */
    List<FakeRequest.Tool> tools(JsonNode body);

    /** {@return the conversation's turns, read leniently} */
    List<Turn> turns(JsonNode body);

    /** {@return the body's tool choice, read leniently: the default when absent or not understood} */
    FakeRequest.ToolChoice toolChoice(JsonNode body);

    /** {@return the native structured-output format the body asks for, read leniently, or null} */
    FakeRequest.@Nullable Output format(JsonNode body);

    /** {@return whether the API streams thinking; where it does not, a scripted answer's thinking is left out} */
    default boolean thinks() {
        return true;
    }

    /** {@return the complete non-streaming response body, JSON} */
    String message(Reply reply);

    /** {@return the HTTP status and JSON body of an error} */
    Rendered error(ApiError error, String requestId);

    /** {@return a renderer for one streamed response} */
    StreamRenderer streamRenderer(FakeRequest request, Reply reply);

    /** An error as written on the wire, with the headers that go with it (AWS's error type). */
    public record Rendered(int status, String body, Map<String, String> headers) {
        public Rendered(int status, String body) {
            this(status, body, Map.of());
        }
    }

    /**
     * Renders one streamed {@link Reply} as events, step by step, as {@code FakeHandler} walks it
     * with pacing and faults. Each method returns the events to send now, possibly none.
     * Used by the one request thread.
     */
    interface StreamRenderer {
        /** {@return the events before the first block (Anthropic: {@code message_start})} */
        List<SseEvent> begin();

        /** {@return the events that open a block} */
        List<SseEvent> blockStart(int index, Reply.Block block);

        /**
         * {@return the event carrying one delta of a block, or null when the API sends nothing for it
         * (Anthropic's and Gemini's refusals, which carry their text at the end); it still counts as a
         * position for pacing and faults}
         */
        @Nullable
        SseEvent delta(int index, Reply.Block block, String piece);

        /** {@return the events that close a block} */
        List<SseEvent> blockEnd(int index, Reply.Block block);

        /** {@return the events after the last block: finish reason, usage, end marker} */
        List<SseEvent> end();

        /**
         * {@return the in-stream error event of {@code fake-error-mid-stream} (an overload), with
         * the API's own message, or with {@code message} when it is not null (the echoed request
         * headers of {@code fake-echo-headers-mid-stream}); of the API's error type {@code type} when
         * it is not null (a script's {@link dev.sluice.testkit.FakeResponse#errorAfter(int, String, String)})}
         */
        SseEvent midStreamError(@Nullable String type, @Nullable String message);
    }
}
