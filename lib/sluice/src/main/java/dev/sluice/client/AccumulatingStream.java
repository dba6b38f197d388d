package dev.sluice.client;

import dev.sluice.SluiceException;
import dev.sluice.internal.low.value.StringParts;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The shape of every provider's stream: the provider's wire events as they arrive, and the result
 * they build. {@code MessageStream} (Anthropic), {@code ChatCompletionStream} and
 * {@code ResponseStream} (OpenAI) and {@code GenerateContentStream} (Gemini) are this class with
 * their own event and result types, and what is truly theirs.
 *
 * <pre>{@code
 * try (MessageStream stream = client.messages().stream(request)) {
 *     stream.text().forEach(System.out::print);   // or: for (StreamEvent e : stream) ...
 *     Message message = stream.result();
 * }
 * }</pre>
 *
 * <p>It is an {@link EventStream}, with its contract: one iterator ({@link #iterator()},
 * {@link #stream()}, {@link #text()} and {@link #listen} each take it), failures thrown from
 * {@code hasNext()} as {@link SluiceException}s carrying the partial result and the request id,
 * every event received before a failure delivered first. Each event is added to the stream's
 * {@link Accumulator} as it is handed to the consumer, so {@link #snapshot()} reflects exactly the
 * events the consumer has received. {@link #result()} reads the rest of the stream through the same
 * iterator, if the consumer has not.
 *
 * <p>Threading: iteration, {@link #result()} and {@link #listen} belong to one consumer thread at a
 * time; {@link #snapshot()}, {@link #requestId()}, {@link #rateLimits()}, {@link #close()},
 * {@link #controller()}, {@link #metrics()}, {@link #endReason()} and {@link #failure()} may be
 * called from any thread.
 *
 * <p>Subclassing: each provider's stream type extends it (Sluice's four are {@code final}), and so
 * may the stream of a provider Sluice does not ship, from public types alone: it passes to the
 * constructor an {@link EventStream} built with {@link EventStream#builder()} whose
 * {@link EventStream.Builder#onItem onItem} hook feeds the accumulator and whose
 * {@link EventStream.Builder#failureContext failure context} supplies the request id and the
 * accumulator's snapshot, and says in {@link #textOf} (and {@link #thinkingOf}) which text an
 * event carries. The public methods this class declares are
 * {@code final}, so that no subclass changes the contract above. The class is not sealed because
 * it sits below the provider packages, which extend it, and names none of them.
 *
 * @param <E> the provider's event type
 * @param <R> the result type
 */
public abstract class AccumulatingStream<E, R> extends ForwardingEventStream<E> {
    // Threading: fields are final. The one engine iterator is created once under lock and then
    // belongs to the consuming thread; userTaken hands it to the user once.

    private final Accumulator<E, R> accumulator;
    private final Supplier<Optional<String>> requestId;
    private final Supplier<Optional<RateLimits>> rateLimits;
    private final AtomicBoolean userTaken = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Iterator<E> shared;

    /**
     * For a provider's stream type: wraps a running stream whose item hook feeds
     * {@code accumulator} with each event as it is handed out.
     *
     * @param events the running stream
     * @param accumulator the accumulator the stream feeds
     * @param requestId the request id of the response being read, once known
     * @param rateLimits the rate limits its headers reported, once they arrived
     * @throws NullPointerException if an argument is null
     */
    protected AccumulatingStream(
            EventStream<E> events,
            Accumulator<E, R> accumulator,
            Supplier<Optional<String>> requestId,
            Supplier<Optional<RateLimits>> rateLimits) {
        super(events);
        this.accumulator = Objects.requireNonNull(accumulator, "accumulator");
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
    }

    /**
     * {@return the answer text an event carries, or the empty string} For {@link #text()} and
     * {@link StreamListener#onText}.
     *
     * @param event an event of this stream
     */
    protected abstract String textOf(E event);

    /**
     * {@return the visible reasoning an event carries, or the empty string (the default)} For
     * {@link StreamListener#onThinking}.
     *
     * @param event an event of this stream
     */
    protected String thinkingOf(E event) {
        return "";
    }

    /**
     * {@return the one iterator over the events} It shares its position with {@link #result()}.
     *
     * @throws IllegalStateException if called a second time (also after {@link #stream()},
     *     {@link #text()} or {@link #listen})
     */
    @Override
    public final Iterator<E> iterator() {
        if (!userTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("a " + getClass().getSimpleName() + " has one iterator, and it was already "
                    + "taken (by iterator(), stream(), text(), listen() or a for loop)");
        }
        return shared();
    }

    private Iterator<E> shared() {
        lock.lock();
        try {
            if (shared == null) shared = delegate().iterator();
            return shared;
        } finally {
            lock.unlock();
        }
    }

    /** {@return a sequential stream over the events; its {@code close()} closes this stream} Takes the one iterator. */
    @Override
    public final Stream<E> stream() {
        Spliterator<E> items =
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(items, false).onClose(this::close);
    }

    /**
     * {@return the answer text, piece by piece, in order; its {@code close()} closes this stream}
     * Takes the one iterator. Failures are thrown from the terminal operation.
     *
     * @throws IllegalStateException if the iterator was already taken
     */
    public final Stream<String> text() {
        return stream().map(this::textOf).filter(t -> !t.isEmpty());
    }

    /** {@return the result built from the events the consumer has received so far} Immutable; any thread. */
    public final R snapshot() {
        return accumulator.snapshot();
    }

    /**
     * Reads the rest of the stream, if the consumer has not, through the same iterator, and returns
     * the complete result. Call it on the consuming thread (or after iteration).
     *
     * @return the result
     * @throws SluiceException the stream's failure, with the partial result attached (thrown again
     *     on a later call)
     * @throws IllegalStateException if the stream was cancelled or closed, or reached a limit,
     *     before its final event; {@link #snapshot()} has the partial result
     */
    public final R result() {
        Iterator<E> it = shared();
        while (it.hasNext()) it.next();
        return completed().orElseThrow(this::notComplete);
    }

    private Optional<R> completed() {
        Optional<SluiceException> failure = failure();
        if (failure.isPresent()) throw failure.get();
        return accumulator.isComplete() ? Optional.of(accumulator.result()) : Optional.empty();
    }

    private IllegalStateException notComplete() {
        EndReason reason = endReason().orElse(EndReason.CANCELLED);
        String why = switch (reason) {
            case CHUNK_LIMIT ->
                "reached its chunk limit of "
                        + controller().options().maxChunks().orElse(0);
            case TOKEN_BUDGET -> "reached its output-token budget";
            case CANCELLED -> "was cancelled (" + controller().cancelReason().orElse("closed") + ")";
            default -> "ended (" + reason + ")";
        };
        return new IllegalStateException("the stream " + why + " before its final event, so there is no result; "
                + "snapshot() has the partial result");
    }

    /**
     * Runs {@code listener} over the rest of the stream on this thread, in event order (see
     * {@link StreamListener} for the order and the rules), and returns the result. Takes the one
     * iterator.
     *
     * @param listener the callbacks
     * @return the result
     * @throws SluiceException the stream's failure, after {@code onError} and {@code onEnd}
     * @throws IllegalStateException if the iterator was already taken, or the stream was cancelled
     *     or reached a limit before its final event (after {@code onEnd})
     * @throws RuntimeException what a callback threw, as it is (the stream is then closed)
     */
    public final R listen(StreamListener<? super E, ? super R> listener) {
        Objects.requireNonNull(listener, "listener");
        return dispatch(iterator(), listener);
    }

    /**
     * As {@link #listen}, on a new virtual thread: the callbacks run there, one at a time. The
     * future completes with the result, or exceptionally with what {@code listen} would throw;
     * cancelling the future closes the stream.
     *
     * @param listener the callbacks
     * @return the result, to come
     * @throws IllegalStateException if the iterator was already taken
     */
    public final CompletableFuture<R> listenAsync(StreamListener<? super E, ? super R> listener) {
        Objects.requireNonNull(listener, "listener");
        Iterator<E> events = iterator();
        CompletableFuture<R> future = new CompletableFuture<>();
        // the dependent future is not needed: the hook only closes the stream when the caller cancels
        var unused = future.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) close();
        });
        Thread.ofVirtual().name("sluice-listener").start(() -> {
            try {
                future.complete(dispatch(events, listener));
            } catch (Throwable t) {
                future.completeExceptionally(t); // an Error too: the caller gets it, the thread never throws it
            }
        });
        return future;
    }

    private R dispatch(Iterator<E> events, StreamListener<? super E, ? super R> listener) {
        return new Dispatch(listener).run(events);
    }

    /**
     * One run of a listener, with the rules {@link StreamListener} states: onEnd exactly once; a
     * callback's exception closes the stream and is rethrown with what else failed suppressed in it.
     * The listening thread only.
     */
    private final class Dispatch {
        private final StreamListener<? super E, ? super R> listener;
        private final StringParts text = new StringParts();
        private final StringParts thinking = new StringParts();
        private boolean ended;

        Dispatch(StreamListener<? super E, ? super R> listener) {
            this.listener = listener;
        }

        R run(Iterator<E> events) {
            try {
                while (true) {
                    E event;
                    try {
                        if (!events.hasNext()) break;
                        event = events.next();
                    } catch (SluiceException e) {
                        throw failed(e);
                    }
                    listener.onEvent(event, accumulator.snapshot());
                    String t = textOf(event);
                    if (!t.isEmpty()) listener.onText(t, text.append(t).view());
                    String r = thinkingOf(event);
                    if (!r.isEmpty()) listener.onThinking(r, thinking.append(r).view());
                }
                Optional<R> done = completed();
                if (done.isPresent()) listener.onResult(done.get());
                endNormally();
                return done.orElseThrow(AccumulatingStream.this::notComplete);
            } catch (RuntimeException | Error e) {
                if (!ended) {
                    closeAfter(e);
                    endAfter(e);
                }
                throw e;
            }
        }

        /** The stream failed: onError, then onEnd. {@return the failure to throw} */
        private RuntimeException failed(SluiceException e) {
            try {
                listener.onError(e);
            } catch (RuntimeException | Error x) {
                x.addSuppressed(e);
                throw x;
            }
            ended = true;
            try {
                listener.onEnd();
            } catch (RuntimeException | Error y) {
                y.addSuppressed(e);
                closeAfter(y);
                throw y;
            }
            return e;
        }

        /** The stream ended without failing: onEnd; what it throws closes the stream and is rethrown. */
        private void endNormally() {
            ended = true;
            try {
                listener.onEnd();
            } catch (RuntimeException | Error y) {
                closeAfter(y);
                throw y;
            }
        }

        /** A callback threw {@code t}: onEnd still runs; what it throws is added to {@code t}. */
        @SuppressWarnings("ReferenceEquality") // identity: a throwable cannot suppress itself
        private void endAfter(Throwable t) {
            ended = true;
            try {
                listener.onEnd();
            } catch (RuntimeException | Error y) {
                if (y != t) t.addSuppressed(y);
            }
        }

        @SuppressWarnings("ReferenceEquality") // identity: a throwable cannot suppress itself
        private void closeAfter(Throwable t) {
            try {
                close();
            } catch (RuntimeException | Error inClose) {
                if (inClose != t) t.addSuppressed(inClose);
            }
        }
    }

    /** {@return the provider's request id of the response being read (the latest one after a retry or a resume), once known} Any thread. */
    @Override
    public final Optional<String> requestId() {
        return requestId.get();
    }

    /**
     * {@return the rate limits the provider reported with the response being read (the latest one
     * after a retry or a resume): limits, what remains, when they reset} Empty before the response
     * arrived, and for a provider that reports none in its headers. Any thread.
     */
    public final Optional<RateLimits> rateLimits() {
        return rateLimits.get();
    }

    /** {@return the request id for {@link #toString()}, once known} */
    @Override
    protected String details() {
        return requestId().map(id -> ", request id " + id).orElse("");
    }
}
