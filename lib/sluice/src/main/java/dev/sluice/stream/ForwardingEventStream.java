package dev.sluice.stream;

import dev.sluice.SluiceException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An {@link EventStream} that forwards every method to another one, for stream types that add to
 * an engine stream (a provider's typed stream with its accumulated message, a reconnecting source
 * with its restart), as {@link java.io.FilterInputStream} does for input streams. A subclass
 * overrides what it changes; the rest — the controller, the metrics, why the stream ended, its
 * failure, closing — is the wrapped stream's.
 *
 * <p>Thread-safety: as the wrapped stream's.
 *
 * @param <T> the item type
 */
public abstract class ForwardingEventStream<T> implements EventStream<T> {
    private final EventStream<T> events;

    /**
     * @param events the stream to forward to
     * @throws NullPointerException if {@code events} is null
     */
    protected ForwardingEventStream(EventStream<T> events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * {@return a stream of the same items that hands each one to {@code peek} as it is read, before
     * the reader gets it} Everything else (the controller, the metrics, closing) is the wrapped
     * stream's. For counting or tapping what another reader consumes, such as the chunks under a
     * typed object stream.
     *
     * @param events the stream to read
     * @param peek called with each item on the reading thread; what it throws reaches the reader
     * @param <T> the item type
     * @throws NullPointerException if an argument is null
     */
    public static <T> EventStream<T> peeking(EventStream<T> events, Consumer<? super T> peek) {
        Objects.requireNonNull(peek, "peek");
        return new ForwardingEventStream<>(events) {
            @Override
            public Iterator<T> iterator() {
                Iterator<T> it = delegate().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public T next() {
                        T item = it.next();
                        peek.accept(item);
                        return item;
                    }
                };
            }

            @Override
            public Stream<T> stream() {
                return StreamSupport.stream(
                                Spliterators.spliteratorUnknownSize(
                                        iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
                                false)
                        .onClose(this::close);
            }
        };
    }

    /** {@return the stream this one forwards to} */
    protected final EventStream<T> delegate() {
        return events;
    }

    @Override
    public Iterator<T> iterator() {
        return events.iterator();
    }

    @Override
    public Stream<T> stream() {
        return events.stream();
    }

    @Override
    public StreamController controller() {
        return events.controller();
    }

    @Override
    public StreamMetrics metrics() {
        return events.metrics();
    }

    @Override
    public Optional<EndReason> endReason() {
        return events.endReason();
    }

    @Override
    public Optional<SluiceException> failure() {
        return events.failure();
    }

    @Override
    public Optional<String> requestId() {
        return events.requestId();
    }

    @Override
    public void close() {
        events.close();
    }

    /**
     * {@return the class's simple name, then whether the stream is running or how it ended, then
     * {@link #details()}, in brackets} For example {@code MessageStream[ended COMPLETED, request id req_1]}.
     */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "["
                + endReason().map(r -> "ended " + r).orElse("running") + details() + "]";
    }

    /** {@return what {@link #toString()} adds after the state, starting with {@code ", "}; empty by default} */
    protected String details() {
        return "";
    }
}
