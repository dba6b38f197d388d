package dev.sluice.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.SseDecoder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fuzzes the SSE parser, the first reader of every byte a provider sends, and the stream engine's
 * SSE pump that feeds it. For any bytes, small limits and any chunking:
 * <ul>
 *   <li>the only exception is a {@link LimitExceededException} (no other runtime exception, no
 *       {@code Error});</li>
 *   <li>what the parser holds stays within its limits: the line buffer within
 *       {@code maxLineBytes}, the data buffer and each event's data within {@code maxEventBytes},
 *       after every feed;</li>
 *   <li>any chunking gives the same events, retries, comments and failure as one feed, and those
 *       are what a literal reading of the standard gives ({@link SseParserPropertyTest#reference}),
 *       up to the failure;</li>
 *   <li>through {@link EventStream.Builder#fromSse}, every event dispatched before a failure (a
 *       limit, or the decoder's own {@link ProtocolException}) is delivered, then the failure is
 *       thrown.</li>
 * </ul>
 * The committed inputs in {@code SseParserFuzzTestInputs/feed} replay in every build.
 */
class SseParserFuzzTest {

    @FuzzTest
    void feed(FuzzedDataProvider data) {
        SseLimits limits = new SseLimits(data.consumeInt(1, 300), data.consumeInt(1, 600));
        boolean viaStream = data.consumeBoolean();
        int failAt = data.consumeInt(0, 8); // the stream check's decoder fails at this event (8: never)
        long chunkSeed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();

        Outcome whole = parse(stream, limits, new int[] {stream.length});
        Outcome chunked = parse(stream, limits, chunks(new Random(chunkSeed), stream.length));
        assertEquals(
                whole, chunked, () -> "chunking changed the outcome of " + SseParserPropertyTest.printable(stream));

        List<String> standard = SseParserPropertyTest.reference(stream);
        if (whole.failure == null) {
            assertEquals(
                    standard,
                    whole.log,
                    () -> "not the standard's events for " + SseParserPropertyTest.printable(stream));
        } else {
            assertTrue(
                    whole.log.size() <= standard.size(),
                    () -> "more than the standard's events for " + SseParserPropertyTest.printable(stream));
            assertEquals(
                    standard.subList(0, whole.log.size()),
                    whole.log,
                    () -> "before the limit, not the standard's events for " + SseParserPropertyTest.printable(stream));
        }
        if (viaStream) checkStream(stream, limits, whole, failAt, chunkSeed);
    }

    /** What a parse gave: the listener's log, and the limit that ended it (null when none did). */
    record Outcome(List<String> log, String failure) {}

    private static Outcome parse(byte[] stream, SseLimits limits, int[] chunks) {
        List<String> log = new ArrayList<>();
        SseListener logger = SseParserPropertyTest.logTo(log);
        SseParser parser = new SseParser(
                limits,
                new SseListener() {
                    @Override
                    public void onEvent(SseEvent e) {
                        assertTrue(
                                e.data().length() <= limits.maxEventBytes(),
                                "an event's data longer than maxEventBytes");
                        logger.onEvent(e);
                    }

                    @Override
                    public void onRetry(long millis) {
                        logger.onRetry(millis);
                    }

                    @Override
                    public void onComment(String comment) {
                        logger.onComment(comment);
                    }
                },
                true);
        int at = 0;
        try {
            for (int c : chunks) {
                try {
                    parser.feed(stream, at, c);
                } finally {
                    checkBuffers(parser, limits);
                }
                at += c;
            }
            parser.finish();
            return new Outcome(log, null);
        } catch (LimitExceededException e) {
            return new Outcome(log, e.limit());
        }
    }

    private static void checkBuffers(SseParser parser, SseLimits limits) {
        assertTrue(
                parser.lineCapacity() <= limits.maxLineBytes(),
                () -> "line buffer of " + parser.lineCapacity() + " bytes, past maxLineBytes " + limits.maxLineBytes());
        assertTrue(
                parser.dataCapacity() <= limits.maxEventBytes(),
                () -> "data buffer of " + parser.dataCapacity() + " bytes, past maxEventBytes "
                        + limits.maxEventBytes());
    }

    /**
     * Runs the bytes through a stream ({@code fromSse}, reads of random sizes) whose decoder fails
     * at event {@code failAt}: the items delivered are the parser's events up to the first failure
     * (the decoder's or the limit's), and then that failure is thrown.
     */
    private static void checkStream(byte[] stream, SseLimits limits, Outcome whole, int failAt, long seed) {
        List<String> events =
                whole.log.stream().filter(s -> s.startsWith("event ")).toList();
        boolean decoderFails = failAt < events.size();
        List<String> expected = decoderFails ? events.subList(0, failAt) : events;
        SseDecoder<String> decoder = new SseDecoder<>() {
            private int n;

            @Override
            public boolean decode(SseEvent e, dev.sluice.stream.Emitter<String> out) {
                if (n++ == failAt) throw new ProtocolException("event " + failAt + " refused", null);
                out.emit("event " + e.type() + "|" + e.data() + "|" + e.lastEventId());
                return false;
            }
        };
        List<String> delivered = new ArrayList<>();
        SluiceException failure = read(
                EventStream.<String>builder().fromSse(new ChunkedBody(stream, new Random(seed)), limits, decoder),
                delivered);
        assertEquals(expected, delivered, "the stream did not deliver every event received before its end");
        if (decoderFails) {
            assertTrue(failure instanceof ProtocolException, () -> "expected the decoder's failure, got " + failure);
        } else if (whole.failure != null) {
            assertTrue(
                    failure instanceof LimitExceededException l && l.limit().equals(whole.failure),
                    () -> "expected the parser's " + whole.failure + " failure, got " + failure);
        } else {
            assertEquals(null, failure, "a stream of well-formed events failed");
        }
    }

    /** {@return the failure that ended the stream, or null} after adding its items to {@code delivered} */
    private static SluiceException read(EventStream<String> stream, List<String> delivered) {
        try (stream) {
            for (String item : stream) delivered.add(item);
            return null;
        } catch (SluiceException e) {
            return e;
        }
    }

    private static int[] chunks(Random random, int length) {
        List<Integer> sizes = new ArrayList<>();
        for (int left = length; left > 0; ) {
            int size = Math.min(left, random.nextInt(3) == 0 ? random.nextInt(4) : 1 + random.nextInt(80));
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A body whose reads return random small pieces, as a network does. */
    private static final class ChunkedBody extends InputStream {
        private final ByteArrayInputStream in;
        private final Random random;

        ChunkedBody(byte[] bytes, Random random) {
            this.in = new ByteArrayInputStream(bytes);
            this.random = random;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1 + random.nextInt(64)));
        }
    }
}
