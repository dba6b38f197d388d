package dev.sluice.chat;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.SluiceException;
import dev.sluice.client.RateLimits;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one interface every provider implements: send a {@link ChatRequest} and stream the answer
 * as provider-neutral {@link MessageChunk}s.
 *
 * <pre>{@code
 * try (EventStream<MessageChunk> chunks = provider.stream(request)) {
 *     for (MessageChunk chunk : chunks) System.out.print(chunk.text());
 * }
 * }</pre>
 *
 * <p>Failures are unchecked {@link dev.sluice.SluiceException}s: thrown by {@code stream} when the
 * request cannot be sent or is refused before streaming starts (after the provider's retries), and
 * from the stream's {@code hasNext()}/{@code next()} once it has started, carrying the partial
 * {@link ChatResponse} as {@link dev.sluice.SluiceException#partial()} (Sluice's clients: its text,
 * thinking and tool calls' arguments the first 32,768 characters of them, so that a stream holds no
 * more than that of a long answer; the chunks carry it all).
 *
 * <p>Threading: implementations are safe to share between threads; each call starts its own stream.
 */
public interface ChatProvider {

    /**
     * Streams the answer with the provider's default timeouts and limits.
     *
     * @param request the request
     * @return the stream of chunks; must be closed
     * @throws NullPointerException if request is null
     * @throws dev.sluice.SluiceException if the request fails before streaming starts
     */
    default EventStream<MessageChunk> stream(ChatRequest request) {
        return stream(Objects.requireNonNull(request, "request"), StreamController.create());
    }

    /**
     * Streams the answer with a controller made beforehand: its cancel switch works while the
     * request is still connecting. A controller from {@link StreamController#create()} runs under the
     * provider's default options, one from {@link StreamController#of} under its own.
     *
     * @param request the request
     * @param controller a new controller, not claimed by another stream
     * @return the stream of chunks; must be closed
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the controller already belongs to a stream (nothing is sent)
     * @throws dev.sluice.SluiceException if the request fails before streaming starts
     */
    EventStream<MessageChunk> stream(ChatRequest request, StreamController controller);

    /**
     * Streams the answer under the given options instead of the provider's defaults.
     *
     * @param request the request
     * @param options the stream's timeouts and limits; reusable
     * @return the stream of chunks; must be closed
     * @throws NullPointerException if an argument is null
     * @throws dev.sluice.SluiceException if the request fails before streaming starts
     */
    default EventStream<MessageChunk> stream(ChatRequest request, StreamOptions options) {
        return stream(request, StreamController.of(options));
    }

    /**
     * The Anthropic Messages API, as {@link Passthrough#api()} names it.
     *
     * @deprecated the wire APIs are one enum now: use {@link WireApi#MESSAGES}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    WireApi ANTHROPIC_MESSAGES = WireApi.MESSAGES;

    /**
     * The OpenAI Responses API, as {@link Passthrough#api()} names it.
     *
     * @deprecated the wire APIs are one enum now: use {@link WireApi#RESPONSES}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    WireApi OPENAI_RESPONSES = WireApi.RESPONSES;

    /**
     * OpenAI's Chat Completions API, as {@link Passthrough#api()} names it.
     *
     * @deprecated the wire APIs are one enum now: use {@link WireApi#CHAT_COMPLETIONS}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    WireApi OPENAI_CHAT_COMPLETIONS = WireApi.CHAT_COMPLETIONS;

    /**
     * {@return this client's passthrough, when it can carry request bodies of its own wire API as
     * they came (streamed and answered whole, see {@link Passthrough}); empty by default} Sluice's
     * Anthropic client has one for Anthropic Messages, its OpenAI client for Chat Completions and its
     * Responses API for Responses; a provider that wraps one of them and changes nothing of a request
     * forwards its value, one that changes requests has none (a body passed as it came would skip it).
     */
    default Optional<Passthrough> passthrough() {
        return Optional.empty();
    }

    /**
     * {@return the rate limits the provider reported with the latest response of any stream it
     * opened (limits, what remains, when they reset; or the delay a refused request named), when it
     * reported any} A chunk stream has no room for what a response's headers say, so the
     * provider keeps the latest report: read it after a stream has opened to pace the next ones.
     * With streams running concurrently, it is the report of whichever response arrived last.
     * Any thread.
     *
     * <p>Empty by default, for a provider that reads no rate-limit headers. Sluice's clients read
     * Anthropic's {@code anthropic-ratelimit-*}, OpenAI's {@code x-ratelimit-*} and
     * {@code retry-after}; Gemini reports no limits in its headers, so only a refusal's delay shows.
     */
    default Optional<RateLimits> rateLimits() {
        return Optional.empty();
    }

    /**
     * {@return whether a stream opened now would be refused without a request: the provider's
     * circuit breaker is open, or every place under its own concurrency limit is taken} A
     * {@link FallbackChain} starts no hedge on such a target. Any thread. False by default;
     * Sluice's clients say what their guards say.
     */
    default boolean refusesNewStreams() {
        return false;
    }

    /**
     * {@return whether a request whose last message is the assistant's makes the model continue that
     * message where it stops, rather than answer anew or refuse} A {@link FallbackChain} in
     * {@link dev.sluice.client.Failover.Mode#CONTINUE continue} mode continues a cut answer only on
     * a target that can. False by default; Sluice's Anthropic client says true (an assistant
     * prefill). OpenAI's Chat Completions and Responses APIs document no continuation, and Gemini
     * refuses a conversation that ends with a model turn.
     */
    default boolean continuesAssistantTurn() {
        return false;
    }

    /**
     * {@return whether {@code model} continues a request's last assistant message (see
     * {@link #continuesAssistantTurn()})} A provider whose models differ says so per model (Sluice's
     * Anthropic client: false for Claude 4.6 and later, which refuse an assistant prefill); by
     * default, {@link #continuesAssistantTurn()}. A {@link FallbackChain} asks this of the target's
     * model before it continues a cut answer there, and restarts it otherwise.
     *
     * @param model the model the request names
     */
    default boolean continuesAssistantTurn(String model) {
        return continuesAssistantTurn();
    }

    /**
     * {@return a provider whose streams hand each chunk to {@code peek} as the consumer reads it,
     * before the consumer gets it; otherwise {@code provider} itself (its rate limits, whether it
     * continues an assistant turn)} For counting what a layer above the chunks reads, such as the
     * usage and stop reason under a typed object stream. {@code peek} runs on the reading thread;
     * what it throws reaches the reader.
     *
     * @param provider the provider to wrap
     * @param peek called with each chunk read
     * @throws NullPointerException if an argument is null
     */
    static ChatProvider peeking(ChatProvider provider, Consumer<? super MessageChunk> peek) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(peek, "peek");
        return new ForwardingChatProvider(
                provider,
                (p, request, controller) -> ForwardingEventStream.peeking(p.stream(request, controller), peek));
    }

    /**
     * {@return a provider that sends each request at {@code effort} when the request names no effort
     * of its own; otherwise {@code provider} itself (its rate limits, whether it continues an
     * assistant turn, its {@link #answer} in one call where it has one)} For a server that asks every model at one effort
     * ({@code sluice serve --effort}, the Boot starter's {@code sluice.effort}) while a caller that names
     * one keeps it. The effort is mapped per model as {@link ChatRequest#effort()} says; a model
     * that cannot take it fails that request with an {@link IllegalArgumentException} before anything is sent.
     *
     * @param provider the provider to wrap
     * @param effort the effort of requests that name none
     * @throws NullPointerException if an argument is null
     */
    static ChatProvider withEffort(ChatProvider provider, Effort effort) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(effort, "effort");
        return ForwardingChatProvider.mapping(
                provider, request -> request.effort() == null ? request.withEffort(effort) : request);
    }

    /**
     * Streams the answer to its end and returns it whole: a convenience over {@link #stream(ChatRequest)}
     * and a {@link ChunkAggregator}.
     *
     * <p>It returns only a response whose stream reached its normal end ({@link EndReason#COMPLETED})
     * with a finish reason, so a truncated answer can never pass for a whole one: when the stream
     * ends early without failing — the provider's chunk limit ({@link dev.sluice.stream.StreamOptions#maxChunks()} of its stream
     * defaults) was reached, or the stream was cancelled (the client was closed) — it throws, and
     * the exception's {@link dev.sluice.SluiceException#partial() partial()} is the response as far
     * as it came ({@link ChatResponse#complete()} false). A caller who wants such a response
     * anyway takes it from there ({@code e.partial(ChatResponse.class)}), or streams with
     * {@link #stream(ChatRequest)} and aggregates itself.
     *
     * @param request the request
     * @return the final response, {@link ChatResponse#complete() complete}
     * @throws NullPointerException if request is null
     * @throws LimitExceededException naming {@code maxChunks}, if the stream reached its chunk
     *     limit before its end
     * @throws IncompleteStreamException if the stream was cancelled before its end, or ended
     *     without a finish reason
     * @throws dev.sluice.SluiceException if the stream fails (carrying the partial response)
     */
    default ChatResponse chat(ChatRequest request) {
        return whole(stream(Objects.requireNonNull(request, "request")), Long.MAX_VALUE);
    }

    /**
     * Asks for the whole answer in one piece, for a caller that wants no stream (a gateway's
     * completion asked for without {@code "stream": true}): where the provider's API answers such
     * a request with one JSON body, the client sends it so, with the retries, credentials and
     * error mapping of its streams, and reads at most {@code maxBytes} of that body; the answer
     * is then the one the API gave, nothing decoded event by event. By default (and for a
     * request the client can only stream) it streams the answer and returns it whole, as
     * {@link #chat(ChatRequest)} does, cancelling it once its text, thinking and tool calls'
     * arguments pass {@code maxBytes} characters. Sluice's OpenAI client answers a Chat Completions request
     * this way; its other clients stream. The controller's cancel switch stops the call; its
     * {@link StreamOptions#totalTimeout() total timeout} bounds it, and its
     * {@link StreamOptions#idleTimeout() idle timeout} each wait for the body's next bytes once the
     * answer's head has come (a {@link dev.sluice.StreamTimeoutException} of kind {@code IDLE}, with
     * the request id, as a stream's); a first-event timeout does not bound the wait for the head:
     * the answer's first byte comes when it is whole.
     *
     * @param request the request
     * @param controller a new controller, not claimed by another stream
     * @param maxBytes the most bytes of a non-streamed answer's body to read; positive
     * @return the final response, {@link ChatResponse#complete() complete}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if maxBytes is not positive
     * @throws IllegalStateException if the controller already belongs to a stream (nothing is sent)
     * @throws LimitExceededException naming {@code maxResponseBytes}, if the body (streamed: the
     *     answer's characters) is longer than {@code maxBytes}; naming {@code maxChunks}, as
     *     {@link #chat(ChatRequest)}, when it streams
     * @throws IncompleteStreamException as {@link #chat(ChatRequest)}
     * @throws dev.sluice.SluiceException subtypes as {@link #stream(ChatRequest, StreamController)}
     */
    default ChatResponse answer(ChatRequest request, StreamController controller, long maxBytes) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        return whole(stream(request, controller), maxBytes);
    }

    /**
     * {@return the answer of a running stream, read to its end, when it reached it with a finish
     * reason} As {@link #chat(ChatRequest)} says; closes the stream (cancelling it) when its text,
     * thinking and tool calls' arguments pass {@code maxChars} characters, and throws a
     * {@link LimitExceededException} naming {@code maxResponseBytes}.
     */
    private static ChatResponse whole(EventStream<MessageChunk> stream, long maxChars) {
        ChunkAggregator aggregator = new ChunkAggregator();
        try (EventStream<MessageChunk> chunks = stream) {
            long held = 0;
            for (MessageChunk chunk : chunks) {
                aggregator.accept(chunk);
                held += chunk.text().length() + chunk.thinking().length();
                for (ToolCallDelta d : chunk.toolCalls()) held += d.arguments().length();
                if (held > maxChars) {
                    throw new LimitExceededException(
                                    "maxResponseBytes",
                                    maxChars,
                                    "the answer's text, thinking and tool calls (the exception's partial() has the"
                                            + " answer so far)")
                            .initContext(null, aggregator.snapshot());
                }
            }
            EndReason end = chunks.endReason().orElse(EndReason.CANCELLED);
            if (end == EndReason.COMPLETED && aggregator.isComplete()) return aggregator.result();
            ChatResponse partial = aggregator.snapshot();
            StreamController c = chunks.controller();
            // the stream ended (its finish reason queued) before a cancel dropped what was not taken: a cancel
            if (end == EndReason.COMPLETED && c.isCancelled()) end = EndReason.CANCELLED;
            SluiceException truncated = end == EndReason.CHUNK_LIMIT
                    ? new LimitExceededException(
                            "maxChunks",
                            c.options().maxChunks().orElse(0),
                            "the answer to chat() reached its stream's chunk limit before its end (the"
                                    + " exception's partial() has the answer so far)")
                    : new IncompleteStreamException("the answer to chat() was cut short: its stream "
                            + switch (end) {
                                case CANCELLED ->
                                    "was cancelled (" + c.cancelReason().orElse("closed") + ")";
                                case COMPLETED -> "ended without saying why the model stopped (no finish reason)";
                                default -> "ended (" + end + ")";
                            }
                            + " before its end; the exception's partial() has what arrived");
            throw truncated.initContext(null, partial);
        }
    }
}
