package dev.sluice.chat;

import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.Objects;

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
 * {@link ChatResponse} as {@link dev.sluice.SluiceException#partial()}.
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
    EventStream<MessageChunk> stream(ChatRequest request);

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
     * Streams the answer to its end and returns it whole: a convenience over {@link #stream(ChatRequest)}
     * and a {@link ChunkAggregator}.
     *
     * @param request the request
     * @return the final response (also when the stream was cancelled or hit its chunk limit: then
     *     as far as it came)
     * @throws NullPointerException if request is null
     * @throws dev.sluice.SluiceException if the stream fails
     */
    default ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        ChunkAggregator aggregator = new ChunkAggregator();
        try (EventStream<MessageChunk> chunks = stream(request)) {
            for (MessageChunk chunk : chunks) aggregator.accept(chunk);
        }
        return aggregator.finish();
    }
}
