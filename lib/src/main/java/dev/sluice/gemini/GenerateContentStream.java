package dev.sluice.gemini;

import dev.sluice.SluiceException;
import dev.sluice.internal.stream.ListenerRun;
import dev.sluice.internal.value.StringParts;
import dev.sluice.internal.stream.MappedEventStream;
import dev.sluice.internal.stream.SharedIterator;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A streamed Gemini response: the {@link GenerateContentResponse} chunks as they arrive, and the
 * whole response they build. Returned by {@link GeminiClient#streamGenerateContent}; must be closed.
 *
 * <pre>{@code
 * try (GenerateContentStream stream = client.streamGenerateContent("gemini-2.5-flash", request)) {
 *     stream.text().forEach(System.out::print);      // or: for (GenerateContentResponse chunk : stream) ...
 *     GenerateContentResponse response = stream.finalResponse();
 * }
 * }</pre>
 *
 * <p>It is an {@link EventStream}, with its contract: one iterator ({@link #iterator()},
 * {@link #stream()}, {@link #text()} and {@link #listen} each take it), failures thrown from
 * {@code hasNext()} as {@link SluiceException}s carrying the partial response and the request id,
 * every chunk received before a failure delivered first. Gemini's stream has no terminal event: it
 * completes when the body ends after every candidate has its finish reason; an error object is not
 * delivered but thrown as an {@link dev.sluice.ApiException}, a blocked prompt likewise (type
 * {@value GeminiClient#PROMPT_BLOCKED}), and a body that ends too early as an
 * {@link dev.sluice.IncompleteStreamException}.
 *
 * <p>Each chunk is added to a {@link GenerateContentAccumulator} as it is handed to the consumer,
 * so {@link #snapshot()} reflects exactly the chunks the consumer has received, from any thread.
 *
 * <p>Thread-safety: iteration, {@link #finalResponse()} and {@link #listen} belong to one consumer
 * thread at a time; the other methods may be called from any thread.
 */
public final class GenerateContentStream extends ForwardingEventStream<GenerateContentResponse> {
    // Threading: every field is final. The one iterator is shared (SharedIterator) by the user's loop
    // and finalResponse(), on the consumer thread.

    private final MappedEventStream<GeminiEvent, GenerateContentResponse> events;
    private final GenerateContentAccumulator accumulator;
    private final SharedIterator<GenerateContentResponse> iterator;

    private GenerateContentStream(MappedEventStream<GeminiEvent, GenerateContentResponse> events,
                                  GenerateContentAccumulator accumulator) {
        super(events);
        this.events = events;
        this.accumulator = accumulator;
        this.iterator = new SharedIterator<>(events, "GenerateContentStream");
    }

    /** Opens the call, accumulating every chunk handed to the consumer. */
    static GenerateContentStream open(StreamingCall.Builder<GeminiEvent> builder) {
        GenerateContentAccumulator accumulator = new GenerateContentAccumulator();
        builder.partial(accumulator::snapshot);
        return new GenerateContentStream(MappedEventStream.open(builder, new ResponseOf(), new Accumulate(accumulator)),
                accumulator);
    }

    /**
     * {@return the one iterator over the chunks} It shares its position with {@link #finalResponse()}.
     *
     * @throws IllegalStateException if called a second time (also after {@link #stream()},
     *     {@link #text()} or {@link #listen})
     */
    @Override
    public Iterator<GenerateContentResponse> iterator() {
        return iterator.forUser();
    }

    @Override
    public Stream<GenerateContentResponse> stream() {
        return iterator.forUserAsStream(this::close);
    }

    /**
     * {@return the text of candidate 0, chunk by chunk, in order; its {@code close()} closes this stream}
     * Thoughts are not included. Takes the stream's one iterator; failures are thrown from the
     * terminal operation.
     *
     * @throws IllegalStateException if the iterator was already taken
     */
    public Stream<String> text() {
        return stream().mapMulti((chunk, sink) -> {
            String t = chunk.text();
            if (!t.isEmpty()) sink.accept(t);
        });
    }

    /** {@return the response built from the chunks the consumer has received so far} Immutable; any thread. */
    public GenerateContentResponse snapshot() {
        return accumulator.snapshot();
    }

    /**
     * Reads the rest of the stream, if the consumer has not, through the same iterator, and
     * returns the whole response, every candidate with its finish reason.
     *
     * @return the response
     * @throws SluiceException the stream's failure, with the partial response attached
     * @throws IllegalStateException if the stream was cancelled or closed, or reached its chunk
     *     limit, before it completed; {@link #snapshot()} has the partial response
     */
    public GenerateContentResponse finalResponse() {
        iterator.drain();
        Optional<SluiceException> failure = failure();
        if (failure.isPresent()) throw failure.get();
        if (accumulator.isComplete()) return accumulator.finish();
        throw notComplete();
    }

    private IllegalStateException notComplete() {
        EndReason reason = endReason().orElse(EndReason.CANCELLED);
        return new IllegalStateException("the stream ended (" + reason + ") before every candidate had its finish "
                + "reason, so there is no final response; snapshot() has the partial response");
    }

    /**
     * Runs {@code listener} over the rest of the stream on this thread, in chunk order (see
     * {@link GenerateContentListener} for the order and the rules), and returns the whole response.
     * Takes the stream's one iterator.
     *
     * @param listener the callbacks
     * @return the whole response
     * @throws SluiceException the stream's failure, after {@code onError} and {@code onEnd}
     * @throws IllegalStateException if the iterator was already taken, or the stream was cancelled
     *     or reached its chunk limit before it completed (after {@code onEnd})
     * @throws RuntimeException what a callback threw, as it is (the stream is then closed)
     */
    public GenerateContentResponse listen(GenerateContentListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onThought");
        return ListenerRun.run(iterator(), new Dispatch(listener, accumulator), this::completed, this::notComplete, this::close);
    }

    /**
     * As {@link #listen}, on a new virtual thread. The future completes with the whole response, or
     * exceptionally with what {@code listen} would throw; cancelling the future closes the stream.
     *
     * @param listener the callbacks
     * @return the whole response, to come
     * @throws IllegalStateException if the iterator was already taken
     */
    public CompletableFuture<GenerateContentResponse> listenAsync(GenerateContentListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onThought");
        return ListenerRun.async("sluice-gemini-listener", iterator(), new Dispatch(listener, accumulator),
                this::completed, this::notComplete, this::close);
    }

    private Optional<GenerateContentResponse> completed() {
        return accumulator.isComplete() ? Optional.of(accumulator.finish()) : Optional.empty();
    }

    /** A {@link GenerateContentListener} as the callbacks of {@link ListenerRun}; the listening thread only. */
    private static final class Dispatch implements ListenerRun.Callbacks<GenerateContentResponse, GenerateContentResponse> {
        private final GenerateContentListener listener;
        private final GenerateContentAccumulator accumulator;
        private final StringParts text = new StringParts();
        private final StringParts thoughts = new StringParts();

        Dispatch(GenerateContentListener listener, GenerateContentAccumulator accumulator) {
            this.listener = listener;
            this.accumulator = accumulator;
        }

        @Override
        public void onItem(GenerateContentResponse chunk) {
            listener.onChunk(chunk, accumulator.snapshot());
            for (Candidate c : chunk.candidates()) {
                if (c.index() != 0) continue;
                for (Part p : c.content().parts()) {
                    if (p instanceof TextPart t) {
                        listener.onText(t.text(), text.append(t.text()).view());
                    } else if (p instanceof ThoughtPart t) {
                        listener.onThought(t.text(), thoughts.append(t.text()).view());
                    } else if (p instanceof FunctionCallPart f) {
                        listener.onFunctionCall(f);
                    }
                }
            }
        }

        @Override
        public void onResult(GenerateContentResponse result) { listener.onResponse(result); }

        @Override
        public void onError(SluiceException error) { listener.onError(error); }

        @Override
        public void onEnd() { listener.onEnd(); }
    }

    /** {@return the provider's request id ({@code x-request-id}) of the response being read, once known} */
    public Optional<String> requestId() {
        return events.requestId();
    }

    /** {@return the request id for {@link #toString()}} */
    @Override
    protected String details() {
        return requestId().map(id -> ", request id " + id).orElse("");
    }

    /** Feeds each chunk handed to the consumer to the accumulator. */
    private static final class Accumulate implements Consumer<GenerateContentResponse> {
        private final GenerateContentAccumulator accumulator;

        Accumulate(GenerateContentAccumulator accumulator) {
            this.accumulator = accumulator;
        }

        @Override
        public void accept(GenerateContentResponse r) {
            accumulator.accept(r);
        }
    }

    /** The chunk of an event; errors never reach the consumer (the call throws them). */
    private static final class ResponseOf implements Function<GeminiEvent, Optional<GenerateContentResponse>> {
        @Override
        public Optional<GenerateContentResponse> apply(GeminiEvent e) {
            return Optional.ofNullable(e.response());
        }
    }
}
