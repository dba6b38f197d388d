package dev.sluice.anthropic;

import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.internal.stream.ListenerRun;
import dev.sluice.internal.stream.SharedIterator;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A streaming response of the Messages API: the {@link StreamEvent}s as they arrive, and the
 * {@link Message} they build. Returned by {@link Messages#stream}; must be closed.
 *
 * <pre>{@code
 * try (MessageStream stream = client.messages().stream(request)) {
 *     stream.text().forEach(System.out::print);        // or: for (StreamEvent e : stream) ...
 *     Message message = stream.finalMessage();
 * }
 * }</pre>
 *
 * <p>It is an {@link EventStream}, with its contract: one iterator ({@link #iterator()},
 * {@link #stream()} and {@link #text()} each take it), failures thrown from {@code hasNext()} as
 * {@link SluiceException}s carrying the partial {@link Message} and the request id, every event
 * received before a failure delivered first. The stream ends at {@code message_stop}; an
 * {@code error} event is not delivered but thrown as an {@link dev.sluice.ApiException} (after the
 * events before it), and a body that ends before {@code message_stop} as an
 * {@link dev.sluice.IncompleteStreamException}.
 *
 * <p>Each event is added to a {@link MessageAccumulator} as it is handed to the consumer, so
 * {@link #snapshot()} reflects exactly the events the consumer has received, and may be called
 * from any thread. {@link #finalMessage()} reads the rest of the stream, through the same
 * iterator, if the consumer has not. For callbacks instead of a loop, {@link #listen} runs a
 * {@link MessageStreamListener} on this thread and {@link #listenAsync} on a virtual thread.
 *
 * <p>Thread-safety: iteration and {@link #finalMessage()} belong to one consumer thread at a time;
 * {@link #snapshot()}, {@link #close()}, {@link #controller()}, {@link #metrics()},
 * {@link #requestId()}, {@link #endReason()} and {@link #failure()} may be called from any thread.
 */
public final class MessageStream extends ForwardingEventStream<StreamEvent> {
    // Threading: every field is final. The one engine iterator is shared (SharedIterator) by the
    // user's loop and finalMessage(), on the consumer thread.

    private final StreamingCall<StreamEvent> call;
    private final MessageAccumulator accumulator;
    private final SharedIterator<StreamEvent> iterator;
    private final AnthropicResume resumer; // null when resuming is off

    private MessageStream(StreamingCall<StreamEvent> call, MessageAccumulator accumulator, AnthropicResume resumer) {
        super(call.events());
        this.resumer = resumer;
        this.call = call;
        this.accumulator = accumulator;
        this.iterator = new SharedIterator<>(delegate(), "MessageStream");
    }

    /** Opens the call, accumulating every event handed to the consumer. */
    static MessageStream open(StreamingCall.Builder<StreamEvent> builder, AnthropicResume resumer) {
        Accumulation accumulation = new Accumulation();
        builder.onItem(accumulation).partial(accumulation);
        return new MessageStream(builder.open(), accumulation.accumulator, resumer);
    }

    /**
     * The stream's {@code onItem} (adds each event handed to the consumer to the accumulator) and
     * its {@code partial} (the accumulator's snapshot). A class rather than two lambdas: a fresh
     * JVM links each lambda the first time it runs, before the first event. Runs on the consumer
     * thread. Events in an impossible order make the accumulator throw a
     * {@link ProtocolException}, which, thrown from the item hook, ends the stream as failed
     * (see {@link EventStream.Builder#onItem}).
     */
    private static final class Accumulation implements Consumer<StreamEvent>, Supplier<Message> {
        final MessageAccumulator accumulator = new MessageAccumulator();

        @Override
        public void accept(StreamEvent event) {
            accumulator.accept(event);
        }

        @Override
        public Message get() {
            return accumulator.snapshot().orElse(null);
        }
    }

    /**
     * {@return the one iterator over the events} See {@link EventStream#iterator()}. It shares its
     * position with {@link #finalMessage()}.
     *
     * @throws IllegalStateException if called a second time (also after {@link #stream()} or
     *     {@link #text()})
     */
    @Override
    public Iterator<StreamEvent> iterator() {
        return iterator.forUser();
    }

    @Override
    public Stream<StreamEvent> stream() {
        return iterator.forUserAsStream(this::close);
    }

    /**
     * {@return the text deltas of the stream, in order; its {@code close()} closes this stream}
     * Takes the stream's one iterator. Failures are thrown from the terminal operation.
     *
     * @throws IllegalStateException if the iterator was already taken
     */
    public Stream<String> text() {
        return stream().mapMulti((event, sink) -> {
            if (event instanceof ContentBlockDelta(int index, TextDelta(String text))) sink.accept(text);
        });
    }

    /**
     * {@return the message built from the events the consumer has received so far; empty before
     * {@code message_start}} Immutable; callable from any thread while the stream runs.
     */
    public Optional<Message> snapshot() {
        return accumulator.snapshot();
    }

    /**
     * Reads the rest of the stream, if the consumer has not, through the same iterator, and
     * returns the complete message. Call it on the consuming thread (or after iteration).
     *
     * @return the message, complete with its stop reason and usage
     * @throws SluiceException the stream's failure, with the partial message attached (thrown again
     *     on a later call)
     * @throws IllegalStateException if the stream was cancelled or closed, or reached its chunk
     *     limit, before {@code message_stop}; {@link #snapshot()} has the partial message
     */
    public Message finalMessage() {
        iterator.drain();
        Optional<SluiceException> failure = failure();
        if (failure.isPresent()) throw failure.get();
        if (accumulator.isComplete()) return accumulator.finish();
        throw notComplete();
    }

    private IllegalStateException notComplete() {
        EndReason reason = endReason().orElse(EndReason.CANCELLED);
        String why = switch (reason) {
            case CHUNK_LIMIT -> "reached its chunk limit of " + controller().options().maxChunks().orElse(0);
            case TOKEN_BUDGET -> "reached its output-token budget";
            case CANCELLED -> "was cancelled (" + controller().cancelReason().orElse("closed") + ")";
            default -> "ended (" + reason + ")";
        };
        return new IllegalStateException("the stream " + why + " before message_stop, so there is no final message; "
                + "snapshot() has the partial message");
    }

    /**
     * Runs {@code listener} over the rest of the stream on this thread, in event order (see
     * {@link MessageStreamListener} for the order and the rules), and returns the final message.
     * Takes the stream's one iterator.
     *
     * @param listener the callbacks
     * @return the final message
     * @throws SluiceException the stream's failure, with the partial message attached, after
     *     {@link MessageStreamListener#onError} and {@link MessageStreamListener#onEnd}
     * @throws IllegalStateException if the iterator was already taken, or the stream was cancelled
     *     or reached its chunk limit before {@code message_stop} (after {@code onEnd})
     * @throws RuntimeException what a callback threw, as it is (the stream is then closed)
     */
    public Message listen(MessageStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onThinking");
        Iterator<StreamEvent> it = iterator();
        return ListenerDispatch.run(it, accumulator, listener, this::close).orElseThrow(this::notComplete);
    }

    /**
     * As {@link #listen}, on a new virtual thread: the callbacks run there, one at a time. The
     * future completes with the final message, or exceptionally with what {@code listen} would
     * throw; cancelling the future closes the stream.
     *
     * @param listener the callbacks
     * @return the final message, to come
     * @throws IllegalStateException if the iterator was already taken
     */
    public CompletableFuture<Message> listenAsync(MessageStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerRun.refuseStringSoFar(listener, "onText", "onThinking");
        Iterator<StreamEvent> it = iterator();
        CompletableFuture<Message> result = new CompletableFuture<>();
        result.whenComplete((message, failure) -> {
            if (failure instanceof CancellationException) close();
        });
        Thread.ofVirtual().name("sluice-anthropic-listener").start(() -> {
            try {
                result.complete(ListenerDispatch.run(it, accumulator, listener, this::close).orElseThrow(this::notComplete));
            } catch (Throwable t) {
                result.completeExceptionally(t);
                if (t instanceof VirtualMachineError e) throw e;
            }
        });
        return result;
    }

    /** {@return the provider's request id of the response being read, once it is known} */
    public Optional<String> requestId() {
        return call.requestId();
    }

    /**
     * {@return how often this stream was continued after losing its connection, and the time the
     * gaps took} Always none unless the client {@linkplain AnthropicClient.Builder#resume resumes}
     * streams. The gaps also show in {@link #metrics()} (its longest gap between events). Any thread.
     */
    public Resumes resumes() {
        return resumer == null ? Resumes.none() : resumer.stats();
    }

    /**
     * {@return the rate limits the API reported with the response being read (the latest one after
     * a retry or a resume): limits, what remains, when they reset} Any thread.
     */
    public Optional<dev.sluice.RateLimits> rateLimits() {
        return call.rateLimits();
    }

    /** {@return the producer thread, once started; for tests} */
    Optional<Thread> producerThread() {
        return call.producerThread();
    }

    /**
     * {@return the failure thrown, or to be thrown once queued events are delivered} Besides the
     * engine's failures, a {@link ProtocolException} when the events came in an impossible order
     * (the stream then ends {@link EndReason#FAILED}).
     */
    /** {@return the request id for {@link #toString()}, once known} */
    @Override
    protected String details() {
        return requestId().map(id -> ", request id " + id).orElse("");
    }
}
