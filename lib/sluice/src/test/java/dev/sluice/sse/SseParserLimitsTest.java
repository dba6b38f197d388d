package dev.sluice.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.LimitExceededException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits end a hostile stream with a typed exception, and memory stays within them. */
class SseParserLimitsTest {
    private static final int MIB = 1024 * 1024;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void feed_hugeLineWithoutNewlineInPieces_throwsMaxLineBytesWithBoundedBuffer() {
        SseParser p = new SseParser(new SseLimits(4096, 8192), e -> {});
        byte[] piece = new byte[8192];
        Arrays.fill(piece, (byte) 'a');
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> {
            for (long fed = 0; fed < 20L * MIB; fed += 1000) {
                p.feed(piece, 0, 1000);
                assertTrue(p.lineCapacity() <= 4096, "line buffer grew past the limit: " + p.lineCapacity());
            }
        });
        assertEquals("maxLineBytes", e.limit());
        assertEquals(4096, e.configuredValue());
        assertTrue(e.getMessage().contains("an SSE line of more than 4096 bytes"), e.getMessage());
        assertTrue(p.lineCapacity() <= 4096);
    }

    @Test
    void feed_hugeLineInOneFeed_throwsMaxLineBytesWithoutCopying() {
        SseParser p = new SseParser(new SseLimits(1024, 8192), e -> {});
        byte[] line = new byte[20 * MIB + 2];
        Arrays.fill(line, (byte) 'x');
        line[line.length - 2] = '\n';
        line[line.length - 1] = '\n';
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> p.feed(line, 0, line.length));
        assertEquals("maxLineBytes", e.limit());
        assertTrue(p.lineCapacity() <= 1024);
    }

    @Test
    void feed_lineExactlyAtLimit_isAccepted() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(new SseLimits(10, 100), r);
        byte[] b = ascii("data: 1234\n\n"); // "data: 1234" is 10 bytes
        for (int i = 0; i < b.length; i++) p.feed(b, i, 1);
        assertEquals(List.of(SseEvent.of("1234")), r.events);
    }

    @Test
    void feed_lineOneOverLimitSplit_throwsMaxLineBytes() {
        SseParser p = new SseParser(new SseLimits(10, 100), e -> {});
        byte[] b = ascii("data: 12345\n\n");
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> {
            for (int i = 0; i < b.length; i++) p.feed(b, i, 1);
        });
        assertEquals("maxLineBytes", e.limit());
    }

    @Test
    void feed_manyDataLinesPastEventLimit_throwsMaxEventBytesWithBoundedBuffer() {
        SseParser p = new SseParser(new SseLimits(1024, 64 * 1024), e -> {});
        byte[] line = ascii("data: " + "y".repeat(1000) + "\n");
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> {
            for (long fed = 0; fed < 20L * MIB; fed += line.length) {
                p.feed(line, 0, line.length);
                assertTrue(p.dataCapacity() <= 64 * 1024, "data buffer grew past the limit: " + p.dataCapacity());
            }
        });
        assertEquals("maxEventBytes", e.limit());
        assertEquals(64 * 1024, e.configuredValue());
        assertTrue(e.getMessage().contains("an SSE event of more than 65536 bytes"), e.getMessage());
    }

    @Test
    void feed_emptyDataLinesForever_throwsMaxEventBytes() {
        // each empty data line still adds a LF to the data: counted, so it cannot grow unbounded
        SseParser p = new SseParser(new SseLimits(1024, 1000), e -> {});
        byte[] line = ascii("data\n");
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> {
            for (int i = 0; i < 2000; i++) p.feed(line, 0, line.length);
        });
        assertEquals("maxEventBytes", e.limit());
        assertTrue(p.dataCapacity() <= 1000);
    }

    @Test
    void feed_eventsEachUnderLimit_areAllDispatched() {
        Recorder r = new Recorder();
        SseParser p = new SseParser(new SseLimits(100, 21), r); // 10 + 1 + 9 + 1 bytes: exactly at the limit
        byte[] b = ascii("data: 0123456789\ndata: 012345678\n\n");
        for (int i = 0; i < 100; i++) p.feed(b, 0, b.length);
        assertEquals(100, r.events.size());
    }

    @Test
    void feed_commentsCountTowardsEvent_throwsMaxEventBytes() {
        SseParser p = new SseParser(new SseLimits(100, 50), e -> {});
        byte[] b = ascii(": 0123456789\n");
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> {
            for (int i = 0; i < 10; i++) p.feed(b, 0, b.length);
        });
        assertEquals("maxEventBytes", e.limit());
    }

    @Test
    void feed_afterLimitExceeded_throwsIllegalState() {
        SseParser p = new SseParser(new SseLimits(4, 100), e -> {});
        byte[] b = ascii("data: long\n");
        assertThrows(LimitExceededException.class, () -> p.feed(b, 0, b.length));
        assertThrows(IllegalStateException.class, () -> p.feed(b, 0, 1));
    }

    @Test
    void feed_eventsWholeInEachFeed_noBufferIsMade_aSplitLineOrSeveralDataLinesMakeTheirs() {
        List<SseEvent> got = new ArrayList<>();
        SseParser p = new SseParser(got::add);
        byte[] whole = ascii("event: delta\ndata: {\"a\":1}\n\n");
        for (int i = 0; i < 3; i++) p.feed(whole, 0, whole.length);
        assertEquals(3, got.size());
        assertEquals(0, p.lineCapacity(), "no line was split across feeds");
        assertEquals(0, p.dataCapacity(), "no event had more than its one data line");

        byte[] more = ascii("data: a\ndata: b\n\ndata: sp");
        p.feed(more, 0, more.length);
        assertTrue(p.dataCapacity() > 0, "two data lines are joined in the data buffer");
        assertTrue(p.lineCapacity() > 0, "the split line waits in the line buffer");
        byte[] rest = ascii("lit\n\n");
        p.feed(rest, 0, rest.length);
        assertEquals(
                List.of("a\nb", "split"),
                got.subList(3, 5).stream().map(SseEvent::data).toList());
    }
}
