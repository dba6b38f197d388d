package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.client.RateLimits;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamMetrics;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A provider's event stream seen as another item type — how a provider's
 * {@link dev.sluice.chat.ChatProvider} turns its {@link StreamingCall}'s events into
 * {@code MessageChunk}s — with no second thread or queue: the mapping runs on the consumer thread,
 * as each event is taken. Everything else (controller, timeouts, metrics, end reason, failures,
 * close) is the source stream's, so retries, timeouts, cancellation and limits behave exactly as
 * for the provider's own stream.
 *
 * <p>The mapping runs as the source's item hook ({@link StreamingCall.Builder#onItem}), inside the
 * engine's {@code next()}: so a mapping that fails (a {@link SluiceException}, such as a
 * {@link dev.sluice.ProtocolException} for events in an impossible order) ends the stream as the
 * engine ends a failed stream — the body closed, the producer ended, {@link #endReason()}
 * {@link EndReason#FAILED}, {@link #failure()} that exception, carrying the request id and the
 * partial result, and {@code hasNext()} false after it — rather than leaving it running behind
 * an exception.
 *
 * <p>Threading: the iterator, and so {@code map} and {@code onItem}, belong to one consumer thread
 * at a time (to the producer's, once {@linkplain #pushTo pushing}); the other methods may be called
 * from any thread.
 *
 * @param <T> the source's event type
 * @param <R> the item type
 */
public final class MappedEventStream<T, R> implements EventStream<R> {
    private final EventStream<T> source;
    private final StreamingCall<T> call;
    private final Mapping<T, R> mapping;
    private final AtomicBoolean taken = new AtomicBoolean();

    private MappedEventStream(StreamingCall<T> call, Mapping<T, R> mapping) {
        this.call = call;
        this.source = call.events();
        this.mapping = mapping;
    }

    /** {@return the request id of the response being read, once known} */
    @Override
    public Optional<String> requestId() {
        return call.requestId();
    }

    /** {@return the rate limits reported by the response being read, once it arrived} */
    public Optional<RateLimits> rateLimits() {
        return call.rateLimits();
    }

    /**
     * Opens {@code call} with the mapping as its item hook and returns its stream, mapped. The
     * caller sets the call's {@code partial} (the aggregate {@code onItem} builds) beforehand, not
     * its {@code onItem}, which this replaces.
     *
     * @param call the call, ready to open
     * @param map turns an event into zero or one item; stateful mappers are fine (one consumer thread)
     * @param onItem runs on each item as it is handed out (an aggregator), before {@code next()} returns it
     * @return the mapped stream of the opened call
     * @throws SluiceException as {@link StreamingCall.Builder#open()}
     */
    public static <T, R> MappedEventStream<T, R> open(
            StreamingCall.Builder<T> call, Function<? super T, Optional<R>> map, Consumer<? super R> onItem) {
        Mapping<T, R> mapping = new Mapping<>(map, onItem);
        return new MappedEventStream<>(call.onItem(mapping).open(), mapping);
    }

    /**
     * The source's item hook: maps each event as the engine hands it out, runs {@code onItem} on
     * the item and keeps it for the iterator. Consumer thread only.
     */
    private static final class Mapping<T, R> implements Consumer<T> {
        private final Function<? super T, Optional<R>> map;
        private final Consumer<? super R> onItem;
        private @Nullable R mapped;

        Mapping(Function<? super T, Optional<R>> map, Consumer<? super R> onItem) {
            this.map = Objects.requireNonNull(map, "map");
            this.onItem = Objects.requireNonNull(onItem, "onItem");
        }

        @Override
        public void accept(T event) {
            Optional<R> item = map.apply(event);
            if (item.isPresent()) {
                R r = item.get();
                onItem.accept(r);
                mapped = r;
            }
        }

        /** {@return the item the last event mapped to, or null; once} */
        @Nullable
        R take() {
            R r = mapped;
            mapped = null;
            return r;
        }
    }

    @Override
    public Iterator<R> iterator() {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("an EventStream has one iterator, and it was already taken");
        }
        return new Items(source.iterator());
    }

    /** The one iterator; its field belongs to the consumer thread. */
    private final class Items implements Iterator<R> {
        private final Iterator<T> events;
        private @Nullable R next;

        Items(Iterator<T> events) {
            this.events = events;
        }

        @Override
        public boolean hasNext() {
            // Closed since the item was read ahead: dropped, as the source drops its queue.
            if (next != null && source.controller().isCancelled()) next = null;
            while (next == null) {
                if (!events.hasNext()) return false;
                events.next(); // runs the mapping: the source's item hook
                next = mapping.take();
            }
            return true;
        }

        /** The item {@code hasNext()} announced, also if the stream was closed since (see {@link EventStream}). */
        @Override
        public R next() {
            if (next == null && !hasNext()) throw new NoSuchElementException("the stream has ended");
            R item = Objects.requireNonNull(next, "hasNext() announced it");
            next = null;
            return item;
        }
    }

    /**
     * Pushes the mapped items: the mapping runs as the source's item hook on the producer's thread,
     * and each event that maps to an item passes it on to {@code sink}.
     */
    @Override
    public boolean pushTo(Sink<? super R> sink) {
        Objects.requireNonNull(sink, "sink");
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("an EventStream has one iterator, and it was already taken");
        }
        boolean pushing = source.pushTo(new Sink<T>() {
            @Override
            public void accept(T event) {
                R item = mapping.take(); // the source's item hook has just mapped it
                if (item != null) sink.accept(item);
            }

            @Override
            public void flush() {
                sink.flush();
            }

            @Override
            public void end(EndReason reason, @Nullable SluiceException failure) {
                sink.end(reason, failure);
            }
        });
        if (!pushing) taken.set(false);
        return pushing;
    }

    @Override
    public Stream<R> stream() {
        Spliterator<R> items =
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(items, false).onClose(this::close);
    }

    @Override
    public StreamController controller() {
        return source.controller();
    }

    @Override
    public StreamMetrics metrics() {
        return source.metrics();
    }

    @Override
    public Optional<EndReason> endReason() {
        return source.endReason();
    }

    @Override
    public Optional<SluiceException> failure() {
        return source.failure();
    }

    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return "MappedEventStream[" + source + "]";
    }
}
