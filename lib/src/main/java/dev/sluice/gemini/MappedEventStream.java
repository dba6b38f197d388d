package dev.sluice.gemini;

import dev.sluice.SluiceException;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamMetrics;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An {@link EventStream} that hands out another stream's items mapped one to one: the user-facing
 * view of the {@link GeminiEvent}s of a {@link dev.sluice.internal.stream.StreamingCall} (in-stream
 * errors never reach the iterator as items: the call throws them). Everything but the items is the
 * underlying stream's. The mapping runs on the consumer thread, as each item is handed out.
 */
final class MappedEventStream<A, B> implements EventStream<B> {
    private final EventStream<A> source;
    private final Function<? super A, ? extends B> mapping;

    MappedEventStream(EventStream<A> source, Function<? super A, ? extends B> mapping) {
        this.source = source;
        this.mapping = mapping;
    }

    @Override
    public Iterator<B> iterator() {
        Iterator<A> it = source.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public B next() {
                return mapping.apply(it.next());
            }
        };
    }

    @Override
    public Stream<B> stream() {
        return source.stream().map(mapping);
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
        return source.toString();
    }
}
