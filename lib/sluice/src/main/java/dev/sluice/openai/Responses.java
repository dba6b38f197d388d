package dev.sluice.openai;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Passthrough;
import dev.sluice.chat.WireApi;
import dev.sluice.client.RateLimits;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Responses API of one {@link OpenAiClient}: {@code client.responses()}. Streams
 * {@code POST /v1/responses} ({@link #stream(ResponseRequest)}), continues a cut-off background
 * response from its last sequence number ({@link #resume(ResponseStream)}), and is a
 * provider-neutral {@link ChatProvider} over the Responses API, so the tool runner
 * ({@link dev.sluice.agent.ToolRunner}) and the relay work on it as on any provider.
 *
 * <pre>{@code
 * ResponseRequest request = ResponseRequest.builder().model("gpt-6.1-terra")
 *         .addUserMessage("Write a haiku").background(true).store(true).build();
 * ResponseStream stream = client.responses().stream(request);
 * try {
 *     stream.text().forEach(System.out::print);
 * } catch (IncompleteStreamException | TransportException cut) {
 *     try (ResponseStream rest = client.responses().resume(stream)) {   // no gap, no repeat
 *         rest.text().forEach(System.out::print);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Responses implements ChatProvider {
    private final OpenAiClient client;

    Responses(OpenAiClient client) {
        this.client = client;
    }

    /**
     * {@return the provider this view reaches, by the name {@code --provider}, {@code --fallback}
     * and {@link dev.sluice.providers.ProviderCatalog} give it: {@code openai-responses}, or
     * {@code azure-openai-responses} on Azure OpenAI}
     */
    public String providerName() {
        return client.providerName() + "-responses";
    }

    /**
     * Streams the response under the client's stream options; see
     * {@link #stream(ResponseRequest, StreamController)}.
     *
     * @param request the request
     * @return the running stream, to be closed
     */
    public ResponseStream stream(ResponseRequest request) {
        return client.streamResponse(Objects.requireNonNull(request, "request"), StreamController.create());
    }

    /**
     * Streams the response under these options; see {@link #stream(ResponseRequest, StreamController)}.
     *
     * @param request the request
     * @param options this stream's timeouts and limits
     * @return the running stream, to be closed
     */
    public ResponseStream stream(ResponseRequest request, StreamOptions options) {
        return client.streamResponse(Objects.requireNonNull(request, "request"), StreamController.of(options));
    }

    /**
     * Sends the request to {@code <base>/v1/responses} with {@code "stream": true} and returns as
     * soon as the response headers have arrived. Connection failures and retryable statuses are
     * retried per the client's {@link dev.sluice.client.RetryPolicy}, as is an {@code error} event whose
     * code names a server error or a rate limit, before anything of substance was delivered.
     *
     * @param request the request
     * @param controller this stream's controller, not used by another stream
     * @return the running stream, to be closed
     * @throws dev.sluice.ApiException when the API answers with an HTTP error (after the retries)
     * @throws dev.sluice.TransportException when the connection fails (after the retries)
     * @throws dev.sluice.ProtocolException when the response is not an event stream
     * @throws dev.sluice.StreamTimeoutException when the first-event or total timeout passes first
     * @throws IllegalStateException if the client is closed, or the controller belongs to another stream
     */
    public ResponseStream stream(ResponseRequest request, StreamController controller) {
        return client.streamResponse(
                Objects.requireNonNull(request, "request"), Objects.requireNonNull(controller, "controller"));
    }

    /**
     * Reads a background response's stream again, after the event numbered {@code startingAfter}:
     * {@code GET <base>/v1/responses/{id}?stream=true&starting_after=N}. The new stream starts with
     * an empty accumulator; to continue a stream you hold, use {@link #resume(ResponseStream)}.
     *
     * @param responseId the response's id
     * @param startingAfter the last sequence number already received; -1 for the whole stream
     * @return the running stream, to be closed
     * @throws IllegalArgumentException if responseId is blank or not a plain id, or startingAfter is below -1
     * @throws dev.sluice.ApiException and the others of {@link #stream(ResponseRequest, StreamController)}
     */
    public ResponseStream resume(String responseId, long startingAfter) {
        return client.resumeResponse(
                null, responseId, startingAfter, new ResponseAccumulator(), true, StreamController.create());
    }

    /**
     * Continues a cut-off background stream from its last sequence number, without a gap: the new
     * stream asks for the events after {@link ResponseStream#lastSequenceNumber()}, drops any the
     * server repeats, and adds the rest to the same accumulator, so its {@link ResponseStream#snapshot()}
     * and {@link ResponseStream#result()} are the whole response.
     *
     * @param cutOff the stream that ended early (failed or closed before its terminal event); its
     *     consumer must be done with it
     * @return the running continuation, to be closed
     * @throws IllegalArgumentException if the stream was not started in background mode, or no
     *     {@code response.created} arrived on it (so its id is unknown)
     * @throws IllegalStateException if the stream reached its terminal event (there is nothing to resume)
     */
    public ResponseStream resume(ResponseStream cutOff) {
        return resume(cutOff, StreamController.create());
    }

    /**
     * As {@link #resume(ResponseStream)}, under this controller.
     *
     * @param cutOff the stream that ended early
     * @param controller the continuation's controller, not used by another stream
     * @return the running continuation, to be closed
     * @throws IllegalArgumentException if the stream was not started in background mode, or its id is unknown
     * @throws IllegalStateException if the stream reached its terminal event
     */
    public ResponseStream resume(ResponseStream cutOff, StreamController controller) {
        Objects.requireNonNull(cutOff, "cutOff");
        Objects.requireNonNull(controller, "controller");
        if (!cutOff.isBackground()) {
            throw new IllegalArgumentException("only a background response (background(true)) can be resumed: "
                    + "a foreground response stops when its connection is lost");
        }
        if (cutOff.accumulator().isComplete()) {
            throw new IllegalStateException("the stream reached its terminal event: there is nothing to resume");
        }
        String id = cutOff.responseId()
                .orElseThrow(
                        () -> new IllegalArgumentException(
                                "the stream was cut off before response.created: its response id is unknown, so it cannot be resumed"));
        cutOff.close();
        String model = cutOff.accumulator().snapshot().model();
        return client.resumeResponse(
                model.isBlank() ? null : model,
                id,
                cutOff.lastSequenceNumber(),
                cutOff.accumulator(),
                true,
                controller);
    }

    /**
     * Streams a provider-neutral request over the Responses API: the system prompt as
     * {@code instructions}, messages as input items (tool calls as {@code function_call}, tool
     * results as {@code function_call_output}), tools as function tools, the tool choice as
     * {@code tool_choice}, {@code maxTokens} as {@code max_output_tokens}, {@code store: false}, a
     * response format as {@code "text":{"format":{"type":"json_schema","name":N,"schema":S,
     * "strict":true}}} for every model (as a forced function call,
     * {@code "tool_choice":{"type":"function","name":N}}, only when the client's
     * {@link dev.sluice.client.ClientSettings#structuredOutput} or the request's tool choice asks
     * for it). The events map to {@link MessageChunk}s: output text, refusals (finishing with
     * REFUSAL, the refusal's text as the finish reason's
     * {@linkplain dev.sluice.chat.FinishReason#message() message}, not as text), function calls as tool calls, reasoning
     * summaries as thinking, custom tool calls as tool calls (their free-text input as a JSON
     * string), the finish reason and usage from the terminal event. A thinking budget asks for
     * reasoning with its encrypted content; the terminal chunk then carries a
     * {@link dev.sluice.chat.ProviderState} ({@code openai-responses}, or {@code azure-openai} on
     * Azure) with the encrypted reasoning and compaction items, which the next request of this
     * provider sends back verbatim (another provider's state is never sent). A
     * {@code response.failed} is thrown as an {@link dev.sluice.ApiException} carrying the partial
     * {@link dev.sluice.chat.ChatResponse}.
     *
     * @throws IllegalArgumentException if the request has stop sequences (the Responses API has none)
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return client.chatResponses(
                Objects.requireNonNull(request, "request"), Objects.requireNonNull(controller, "controller"));
    }

    /**
     * {@return the passthrough of {@link WireApi#RESPONSES} bodies: the body's
     * {@code model} is replaced in its text, nothing else of it is written again}
     */
    @Override
    public Optional<Passthrough> passthrough() {
        return Optional.of(passthrough);
    }

    /** A Responses body as it came, streamed or answered whole. */
    private final Passthrough passthrough = new Passthrough() {
        @Override
        public WireApi api() {
            return WireApi.RESPONSES;
        }

        @Override
        public EventStream<SseEvent> stream(
                String body, String model, List<String> betas, StreamController controller) {
            Objects.requireNonNull(betas, "betas");
            return client.passthroughResponses(
                    Objects.requireNonNull(body, "body"),
                    Objects.requireNonNull(model, "model"),
                    Objects.requireNonNull(controller, "controller"));
        }

        @Override
        public String answer(
                String body, String model, List<String> betas, StreamController controller, long maxBytes) {
            Objects.requireNonNull(betas, "betas");
            return client.passthroughResponseAnswer(
                    Objects.requireNonNull(body, "body"),
                    Objects.requireNonNull(model, "model"),
                    Objects.requireNonNull(controller, "controller"),
                    maxBytes);
        }

        @Override
        public String toString() {
            return "Passthrough[" + WireApi.RESPONSES + ", " + Responses.this + "]";
        }
    };

    /**
     * {@return the client's latest rate-limit report, the same as {@link OpenAiClient#rateLimits()}:
     * this API shares the client's limits} Any thread.
     */
    @Override
    public Optional<RateLimits> rateLimits() {
        return client.rateLimits();
    }

    /** {@return whether a stream opened now would be refused without a request: the breaker is open or the concurrency limit full} Any thread. */
    @Override
    public boolean refusesNewStreams() {
        return client.refusesNewStreams();
    }

    @Override
    public String toString() {
        return "Responses[" + client + "]";
    }
}
