package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A {@link ForwardingEventStream} is its wrapped stream in everything it does not override. */
class ForwardingEventStreamTest {

    /** A subclass that adds nothing but a detail for toString. */
    static final class Wrapped extends ForwardingEventStream<String> {
        Wrapped(EventStream<String> events) {
            super(events);
        }

        @Override
        protected String details() {
            return ", three items";
        }
    }

    private static EventStream<String> threeItems(StreamController controller) {
        return EventStream.<String>builder().controller(controller).generate(out -> {
            for (String s : List.of("a", "b", "c")) {
                if (!out.emit(s)) return;
            }
        });
    }

    @Test
    void forwards_itemsStateAndClose_toTheWrappedStream() {
        StreamController controller = StreamController.create();
        EventStream<String> inner = threeItems(controller);
        Wrapped wrapped = new Wrapped(inner);
        assertSame(controller, wrapped.controller());
        assertSame(inner.metrics(), wrapped.metrics());
        List<String> items = new ArrayList<>();
        for (String s : wrapped) items.add(s);
        assertEquals(List.of("a", "b", "c"), items);
        assertEquals(inner.endReason(), wrapped.endReason());
        assertEquals(EndReason.COMPLETED, wrapped.endReason().orElseThrow());
        assertTrue(wrapped.failure().isEmpty());
        assertEquals("Wrapped[ended COMPLETED, three items]", wrapped.toString());
        wrapped.close();
        assertEquals(EndReason.COMPLETED, inner.endReason().orElseThrow(), "closing after the end changes nothing");
    }

    @Test
    void close_closesTheWrappedStream() {
        StreamController controller = StreamController.create();
        EventStream<String> inner = threeItems(controller);
        new Wrapped(inner).close();
        assertTrue(inner.endReason().isPresent(), "the wrapped stream is over once the wrapper is closed");
    }

    @Test
    void constructor_null_refused() {
        assertThrows(NullPointerException.class, () -> new Wrapped(null));
    }

    @Test
    void peeking_handsEachItemToThePeekBeforeTheReader_inOrder_andClosesTheWrappedStream() {
        StreamController controller = StreamController.create();
        List<String> peeked = new ArrayList<>();
        List<String> read = new ArrayList<>();
        try (EventStream<String> s =
                ForwardingEventStream.peeking(threeItems(controller), item -> peeked.add(item + peeked.size()))) {
            for (String item : s) read.add(item + "/" + peeked.size());
            assertSame(controller, s.controller());
        }
        assertEquals(List.of("a0", "b1", "c2"), peeked);
        assertEquals(List.of("a/1", "b/2", "c/3"), read); // the peek saw each item before the reader did
        assertEquals(
                List.of("a", "b"),
                ForwardingEventStream.peeking(threeItems(StreamController.create()), x -> {}).stream()
                        .limit(2)
                        .toList());
        assertThrows(
                NullPointerException.class,
                () -> ForwardingEventStream.peeking(threeItems(StreamController.create()), null));
    }
}
