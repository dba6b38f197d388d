package dev.sluice.client;

import dev.sluice.SluiceException;
import java.time.Duration;

/**
 * Sees every stream a client opens: its start, its first chunk, each later chunk and its end. For
 * metrics and tracing without a dependency in the library: an adapter turns these calls into
 * OpenTelemetry instruments, Micrometer meters or log lines. Registered on a client's builder
 * ({@code AnthropicClient.builder().observer(o)}, likewise for OpenAI and Gemini); a client calls
 * its observers in the order they were added.
 *
 * <pre>{@code
 * StreamObserver printDurations = start -> new StreamObserver.Observation() {
 *     public void onEnd(StreamEnd end) {
 *         System.err.println(start.model() + " " + end.endReason() + " in " + end.duration());
 *     }
 * };
 * AnthropicClient client = AnthropicClient.builder().observer(printDurations).fromEnv().build();
 * }</pre>
 *
 * <p>A chunk is a content event as the provider's stream counts it ({@link
 * dev.sluice.stream.StreamMetrics#items()}): a text, thinking or tool-call delta, a finish reason,
 * usage; not keep-alives or bookkeeping events. Chunks are seen as they arrive from the server,
 * before the consumer takes them.
 *
 * <p>Threading: {@link #onStart} runs on the thread that opens the stream, before the request is
 * sent; the chunk calls and {@link Observation#onResume} on the stream's producer thread;
 * {@link Observation#onRetry} on the thread that retries (the opening thread, or the producer
 * thread for a reopening after an error that came before any content); {@link Observation#onEnd} once, on the
 * thread that ends the stream (the producer, a canceller, a consumer seeing a timeout), or on the
 * opening thread when the opening fails. So an observation's calls never overlap, but may come from
 * different threads: keep its state in final or volatile fields. Calls are on the streaming path:
 * they must be quick and must not block. An exception thrown by an observer is logged and ignored;
 * it never affects the stream.
 */
@FunctionalInterface
public interface StreamObserver {

    /**
     * A stream is about to send its request.
     *
     * @param start what the stream is: provider, model, server
     * @return the observation of this one stream; {@link Observation#NONE} to ignore it; not null
     */
    Observation onStart(StreamStart start);

    /**
     * A fallback chain that has this observer ({@code FallbackChain.builder().observer(o)}) moved
     * a stream to its next target. Runs on the thread that makes the switch (the chain's stream's
     * producer, or the thread opening the stream); quick and non-blocking, like every call here.
     * Does nothing by default.
     *
     * @param failover from which target to which, why, and what happened to the answer so far
     */
    default void onFailover(Failover failover) {}

    /**
     * A fallback chain that has this observer hedged a stream: it started the next target beside
     * a slow one, and has just committed to the one that produced content first (the other has
     * been cancelled, its connection closed, just before). Runs on the chain's stream's producer
     * thread, before the winner's first chunk is handed on; quick and non-blocking. Does nothing by
     * default.
     *
     * @param hedge which targets raced, which answered, after how long, and the loser's tokens
     */
    default void onHedge(Hedge hedge) {}

    /**
     * The observation of one stream: it receives that stream's chunks and end. Every method does
     * nothing by default.
     */
    interface Observation {
        /** Ignores the stream. */
        Observation NONE = new Observation() {};

        /**
         * The first chunk arrived.
         *
         * @param timeToFirstChunk from sending the request (the first attempt) to the first chunk
         */
        default void onFirstChunk(Duration timeToFirstChunk) {}

        /**
         * A chunk after the first arrived.
         *
         * @param sincePreviousChunk the time since the chunk before it arrived
         */
        default void onChunk(Duration sincePreviousChunk) {}

        /**
         * An attempt failed before any content reached the user, and the request is about to be
         * sent again, after {@code delay} (the {@link RetryPolicy}'s back-off, or the server's
         * {@code retry-after}): called before the wait, so that a tool can say so while it waits
         * ({@code retrying after overloaded_error (1 of 2) in 0.5 s}).
         *
         * @param retry which retry this is, from 1
         * @param delay the wait before it
         * @param cause why the attempt before failed: an {@link dev.sluice.ApiException} (its
         *     {@code errorType()}, such as {@code overloaded_error}), a {@link dev.sluice.TransportException} ...
         */
        default void onRetry(int retry, Duration delay, SluiceException cause) {}

        /**
         * The connection was lost after content, and the stream continues with a new request (a
         * provider's resume policy, such as {@code ResumePolicy.upTo(n)} for Anthropic); called
         * before the continuation is sent.
         *
         * @param resume which continuation this is, from 1
         * @param cause the loss the stream would otherwise have failed with
         */
        default void onResume(int resume, SluiceException cause) {}

        /**
         * The stream carried something its items have no place for, and left it out: a
         * provider-neutral stream ({@code ChatProvider.stream}, what the tool runner, the relay and
         * the framework adapters read) keeps text, thinking, tool calls, opaque state, the finish
         * reason and usage, and names here what else came, by its type: the Responses API's
         * {@code shell_call}, {@code apply_patch_call}, {@code mcp_call}, {@code mcp_list_tools},
         * {@code mcp_approval_request} and built-in tools' items; Anthropic's, Gemini's and
         * Bedrock's events, blocks, deltas and parts of types this client does not know (a Gemini
         * part by its member, {@code executableCode}); and event types Sluice does not know on any
         * provider. Called on the producer thread once per type and stream (at most 32 types), when it
         * first arrives; the provider's typed stream has every such item and event. The type is
         * the server's text, cut to 100 characters.
         *
         * @param type the item's or event's type, as the provider names it
         */
        default void onUnmapped(String type) {}

        /**
         * The stream ended, for whatever reason; also when its opening failed (then no chunk was
         * seen). Called once.
         *
         * @param end how it ended and what it measured
         */
        default void onEnd(StreamEnd end) {}
    }
}
