package dev.sluice.relay;

import dev.sluice.stream.EventStream;
import java.util.Iterator;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@link RelaySource#of}: the events of an {@link EventStream}, up to the first terminal one. */
final class EventStreamRelaySource implements RelaySource {
    // Threading: the pump thread owns iterator and ended; events is safe from any thread.
    private final EventStream<RelayEvent> events;
    private @Nullable Iterator<RelayEvent> iterator;
    private boolean ended;

    EventStreamRelaySource(EventStream<RelayEvent> events) {
        this.events = events;
    }

    @Override
    public Optional<RelayEvent> next() {
        if (ended) return Optional.empty();
        if (iterator == null) iterator = events.iterator();
        if (!iterator.hasNext()) {
            ended = true;
            return Optional.empty();
        }
        RelayEvent e = iterator.next();
        if (e.terminal()) ended = true;
        return Optional.of(e);
    }

    @Override
    public void cancel(String reason) {
        events.controller().cancel(reason);
    }

    @Override
    public void close() {
        events.close();
    }
}
