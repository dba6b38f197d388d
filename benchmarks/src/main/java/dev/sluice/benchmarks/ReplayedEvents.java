package dev.sluice.benchmarks;

import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.sse.SseParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link BenchStream} decoded once, in memory, into Anthropic {@link StreamEvent}s with the
 * library's own decoder, so that a benchmark can replay them without I/O or decoding and measure
 * only what it is about (accumulating, snapshots).
 */
final class ReplayedEvents {
    private ReplayedEvents() {}

    /**
     * {@return the stream's events, its deltas cut to the first {@code deltas}} The frame is kept:
     * the start events, the first {@code deltas} deltas, then the stream's last
     * {@value BenchStream#FRAME_EVENTS} - 2 events (block stop, message delta, message stop). A tool
     * input cut short is a truncated JSON text, which the accumulator reports as such at the stop,
     * the same for every variant that replays it.
     */
    static List<StreamEvent> decode(BenchStream stream, int deltas) {
        List<byte[]> all = stream.events();
        int starts = 2;
        int ends = BenchStream.FRAME_EVENTS - starts;
        if (deltas > all.size() - BenchStream.FRAME_EVENTS) {
            throw new IllegalArgumentException(
                    stream.name() + " has only " + (all.size() - BenchStream.FRAME_EVENTS) + " deltas, not " + deltas);
        }
        List<byte[]> kept = new ArrayList<>(all.subList(0, starts + deltas));
        kept.addAll(all.subList(all.size() - ends, all.size()));
        List<StreamEvent> events = new ArrayList<>(kept.size());
        SseParser parser = new SseParser(e -> events.add(MessageStream.decode(e)));
        for (byte[] bytes : kept) parser.feed(bytes, 0, bytes.length);
        parser.finish();
        return List.copyOf(events);
    }
}
