package dev.sluice.internal.stream;

import dev.sluice.SluiceException;
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

/**
 * A provider's event stream seen as another item type — how a provider's
 * {@link dev.sluice.chat.ChatProvider} turns its {@link StreamingCall}'s events into
 * {@code MessageChunk}s — with no second thread or queue: the mapping runs on the consumer thread,
 * as each event is taken. Everything else (controller, timeouts, metrics, end reason, failures,
 * close) is the source stream's, so retries, timeouts, cancellation and limits behave exactly as
 * for the provider's own stream.
 *
 * <p>Threading: the iterator, and so {@code map} and {@code onItem}, belong to one consumer thread
 * at a time; the other methods may be called from any thread.
 *
 * @param <T> the source's event type
 * @param <R> the item type
 */
public final class MappedEventStream<T, R> implements EventStream<R> {
    private final EventStream<T> source;
    private final Function<? super T, Optional<R>> map;
    private final Consumer<? super R> onItem;
    private final AtomicBoolean taken = new AtomicBoolean();

    /**
     * @param source the provider's stream; closed by this stream's {@link #close()}
     * @param map turns an event into zero or one item; stateful mappers are fine (one consumer thread)
     * @param onItem runs on each item as it is handed out (an aggregator), before {@code next()} returns it
     */
    public MappedEventStream(EventStream<T> source, Function<? super T, Optional<R>> map, Consumer<? super R> onItem) {
        this.source = Objects.requireNonNull(source, "source");
        this.map = Objects.requireNonNull(map, "map");
        this.onItem = Objects.requireNonNull(onItem, "onItem");
    }

    @Override
    public Iterator<R> iterator() {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("an EventStream has one iterator, and it was already taken");
        }
        Iterator<T> events = source.iterator();
        return new Iterator<>() {
            private R next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (!events.hasNext()) return false;
                    Optional<R> item = map.apply(events.next());
                    if (item.isPresent()) {
                        next = item.get();
                        onItem.accept(next);
                    }
                }
                return true;
            }

            @Override
            public R next() {
                if (!hasNext()) throw new NoSuchElementException("the stream has ended");
                R item = next;
                next = null;
                return item;
            }
        };
    }

    @Override
    public Stream<R> stream() {
        Spliterator<R> items = Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
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
