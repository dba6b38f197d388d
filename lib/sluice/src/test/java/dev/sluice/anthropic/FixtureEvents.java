package dev.sluice.anthropic;

import dev.sluice.sse.SseParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The decoded events of a captured stream, and an iterator that feeds them to an accumulator as a live stream does. */
final class FixtureEvents {
    private FixtureEvents() {}

    /** {@return every event of the fixture, decoded with the public decoder, error events included} */
    static List<StreamEvent> decode(String name) {
        List<StreamEvent> events = new ArrayList<>();
        byte[] body = Fixtures.sse(name);
        SseParser parser = new SseParser(e -> events.add(MessageStream.decode(e)));
        parser.feed(body, 0, body.length);
        parser.finish();
        return events;
    }

    /**
     * {@return an iterator over the events that applies each to {@code accumulator} before handing it
     * out, like the stream's onItem hook, and fails like a live stream: an {@code error} event
     * throws the ApiException, the end without {@code message_stop} an IncompleteStreamException,
     * each carrying the partial message}
     */
    static Iterator<StreamEvent> accumulating(List<StreamEvent> events, MessageAccumulator accumulator) {
        return new Iterator<>() {
            private int next;
            private boolean stopped;

            @Override
            public boolean hasNext() {
                if (stopped) return false;
                if (next < events.size() && events.get(next) instanceof ErrorEvent error) {
                    next = events.size();
                    stopped = true;
                    throw AnthropicStreamDecoding.inBandError(error)
                            .exception(200, java.util.Map.of())
                            .initContext("req_test", accumulator.partial());
                }
                if (next == events.size()) {
                    stopped = true;
                    throw AnthropicStreamDecoding.incomplete().initContext("req_test", accumulator.partial());
                }
                return true;
            }

            @Override
            public StreamEvent next() {
                if (!hasNext()) throw new NoSuchElementException();
                StreamEvent event = events.get(next++);
                accumulator.accept(event);
                if (event instanceof MessageStop) stopped = true;
                return event;
            }
        };
    }
}
