package dev.sluice.openai;

import dev.sluice.SluiceException;
import dev.sluice.internal.stream.ListenerRun;
import dev.sluice.internal.value.StringParts;
import dev.sluice.internal.stream.SharedIterator;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.openai.ChatCompletionChunk.ChunkChoice;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A streamed Chat Completion: the {@link ChatCompletionEvent}s as they arrive, and the
 * {@link ChatCompletion} they build. Returned by {@link ChatCompletions#stream}; must be closed.
 *
 * <pre>{@code
 * try (ChatCompletionStream stream = client.chat().stream(request)) {
 *     stream.text().forEach(System.out::print);      // or: for (ChatCompletionEvent e : stream) ...
 *     ChatCompletion completion = stream.finalCompletion();
 * }
 * }</pre>
 *
 * <p>It is an {@link EventStream}, with its contract: one iterator ({@link #iterator()},
 * {@link #stream()}, {@link #text()} and {@link #listen} each take it), failures thrown from {@code hasNext()} as
 * {@link SluiceException}s carrying the partial {@link ChatCompletion} and the request id, every
 * event received before a failure delivered first. The stream ends with the {@link DoneEvent} of
 * {@code data: [DONE]}, and the connection is released then; an {@code {"error": ...}} object is
 * not delivered but thrown as an {@link dev.sluice.ApiException}, and a body that ends before
 * {@code [DONE]} as an {@link dev.sluice.IncompleteStreamException}.
 *
 * <p>Each event is added to a {@link ChatCompletionAccumulator} as it is handed to the consumer,
 * so {@link #snapshot()} reflects exactly the events the consumer has received, from any thread.
 *
 * <p>Thread-safety: iteration and {@link #finalCompletion()} belong to one consumer thread at a
 * time; the other methods may be called from any thread.
 */
public final class ChatCompletionStream extends ForwardingEventStream<ChatCompletionEvent> {
    // Threading: fields are final; the one engine iterator is shared (SharedIterator) by the user's
    // loop and finalCompletion(), on the consumer thread.
    private final StreamingCall<ChatCompletionEvent> call;
    private final ChatCompletionAccumulator accumulator;
    private final AtomicBoolean done;
    private final SharedIterator<ChatCompletionEvent> iterator;

    private ChatCompletionStream(StreamingCall<ChatCompletionEvent> call, ChatCompletionAccumulator accumulator,
                                 AtomicBoolean done) {
        super(call.events());
        this.call = call;
        this.accumulator = accumulator;
        this.done = done;
        this.iterator = new SharedIterator<>(delegate(), "ChatCompletionStream");
    }

    /** Opens the call, accumulating every event handed to the consumer. */
    static ChatCompletionStream open(StreamingCall.Builder<ChatCompletionEvent> builder) {
        ChatCompletionAccumulator accumulator = new ChatCompletionAccumulator();
        AtomicBoolean done = new AtomicBoolean();
        builder.onItem(event -> {
            if (event instanceof DoneEvent) done.set(true);
            accumulator.accept(event);
        });
        builder.partial(accumulator::snapshot);
        return new ChatCompletionStream(builder.open(), accumulator, done);
    }

    /**
     * {@return the one iterator over the events} It shares its position with {@link #finalCompletion()}.
     *
     * @throws IllegalStateException if called a second time (also after {@link #stream()} or {@link #text()})
     */
    @Override
    public Iterator<ChatCompletionEvent> iterator() {
        return iterator.forUser();
    }

    @Override
    public Stream<ChatCompletionEvent> stream() {
        return iterator.forUserAsStream(this::close);
    }

    /**
     * {@return the text pieces of choice 0, in order; its {@code close()} closes this stream}
     * Takes the stream's one iterator. Failures are thrown from the terminal operation.
     *
     * @throws IllegalStateException if the iterator was already taken
     */
    public Stream<String> text() {
        return stream().mapMulti((event, sink) -> {
            if (event instanceof ChatCompletionChunk chunk) {
                for (ChunkChoice c : chunk.choices()) {
                    if (c.index() == 0 && c.delta().content() != null && !c.delta().content().isEmpty()) {
                        sink.accept(c.delta().content());
                    }
                }
            }
        });
    }

    /** {@return the completion built from the events the consumer has received so far} Immutable; any thread. */
    public ChatCompletion snapshot() {
        return accumulator.snapshot();
    }

    /**
     * Reads the rest of the stream, if the consumer has not, through the same iterator, and
     * returns the complete completion: tool-call arguments parsed to the end, invalid ones
     * reported in {@link ChatCompletion.FunctionToolCall#argumentsError()}.
     *
     * @return the completion
     * @throws SluiceException the stream's failure, with the partial completion attached
     * @throws IllegalStateException if the stream was cancelled or closed, or reached its chunk
     *     limit, before {@code [DONE]}; {@link #snapshot()} has the partial completion
     */
    public ChatCompletion finalCompletion() {
        iterator.drain();
        Optional<SluiceException> failure = failure();
        if (failure.isPresent()) throw failure.get();
        if (done.get()) return accumulator.finish();
        throw notComplete();
    }

    /**
     * Runs {@code listener} over the rest of the stream on this thread, in event order (see
     * {@link ChatCompletionListener} for the order and the rules), and returns the final completion.
     * Takes the stream's one iterator.
     *
     * @param listener the callbacks
     * @return the final completion
     * @throws SluiceException the stream's failure, after {@code onError} and {@code onEnd}
     * @throws IllegalStateException if the iterator was already taken, or the stream was cancelled
     *     or reached its chunk limit before {@code [DONE]} (after {@code onEnd})
     * @throws RuntimeException what a callback threw, as it is (the stream is then closed)
     */
    public ChatCompletion listen(ChatCompletionListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onRefusal");
        return ListenerRun.run(iterator(), new Dispatch(listener, accumulator), this::completed, this::notComplete, this::close);
    }

    /**
     * As {@link #listen}, on a new virtual thread. The future completes with the final completion,
     * or exceptionally with what {@code listen} would throw; cancelling the future closes the stream.
     *
     * @param listener the callbacks
     * @return the final completion, to come
     * @throws IllegalStateException if the iterator was already taken
     */
    public CompletableFuture<ChatCompletion> listenAsync(ChatCompletionListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onRefusal");
        return ListenerRun.async("sluice-openai-listener", iterator(), new Dispatch(listener, accumulator),
                this::completed, this::notComplete, this::close);
    }

    private Optional<ChatCompletion> completed() {
        return done.get() ? Optional.of(accumulator.finish()) : Optional.empty();
    }

    private IllegalStateException notComplete() {
        EndReason reason = endReason().orElse(EndReason.CANCELLED);
        return new IllegalStateException("the stream ended (" + reason + ") before data: [DONE], so there is no final "
                + "completion; snapshot() has the partial completion");
    }

    /** A {@link ChatCompletionListener} as the callbacks of {@link ListenerRun}; the listening thread only. */
    private static final class Dispatch implements ListenerRun.Callbacks<ChatCompletionEvent, ChatCompletion> {
        private final ChatCompletionListener listener;
        private final ChatCompletionAccumulator accumulator;
        private final StringParts text = new StringParts();
        private final StringParts refusal = new StringParts();

        Dispatch(ChatCompletionListener listener, ChatCompletionAccumulator accumulator) {
            this.listener = listener;
            this.accumulator = accumulator;
        }

        @Override
        public void onItem(ChatCompletionEvent event) {
            listener.onEvent(event, accumulator.snapshot());
            if (!(event instanceof ChatCompletionChunk chunk)) return;
            for (ChunkChoice c : chunk.choices()) {
                if (c.index() != 0) continue;
                String t = c.delta().content();
                if (t != null && !t.isEmpty()) listener.onText(t, text.append(t).view());
                String r = c.delta().refusal();
                if (r != null && !r.isEmpty()) listener.onRefusal(r, refusal.append(r).view());
                for (ChatCompletionChunk.ToolCallChunk piece : c.delta().toolCalls()) listener.onToolCall(piece);
            }
        }

        @Override
        public void onResult(ChatCompletion result) { listener.onCompletion(result); }

        @Override
        public void onError(SluiceException error) { listener.onError(error); }

        @Override
        public void onEnd() { listener.onEnd(); }
    }

    /** {@return the provider's request id ({@code x-request-id}) of the response being read, once known} */
    public Optional<String> requestId() {
        return call.requestId();
    }

    /**
     * {@return the rate limits OpenAI reported with the response being read (the latest one after
     * a retry): its {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers, a reset
     * counted from the response's arrival} Any thread.
     */
    public Optional<dev.sluice.RateLimits> rateLimits() {
        return call.rateLimits();
    }

    /** {@return the request id for {@link #toString()}, once known} */
    @Override
    protected String details() {
        return requestId().map(id -> ", request id " + id).orElse("");
    }
}
