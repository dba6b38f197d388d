package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.testkit.FakeClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamOptionsTest {

    @Test
    void defaults_areDocumentedValues() {
        StreamOptions o = StreamOptions.defaults();
        assertEquals(
                Optional.of(Duration.ofSeconds(StreamOptions.DEFAULT_FIRST_EVENT_TIMEOUT_SECONDS)),
                o.firstEventTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(2)), o.firstEventTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(1)), o.idleTimeout());
        assertEquals(Optional.empty(), o.totalTimeout());
        assertTrue(o.maxChunks().isEmpty());
        assertTrue(o.maxBytes().isEmpty());
        assertSame(o, StreamOptions.defaults());
        assertEquals(o, StreamOptions.builder().build());
    }

    @Test
    void builder_nonPositiveValues_throwNamingTheArgument() {
        var b = StreamOptions.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.firstEventTimeout(Duration.ZERO))
                .getMessage()
                .contains("firstEventTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.idleTimeout(Duration.ofSeconds(-1)))
                .getMessage()
                .contains("idleTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.totalTimeout(Duration.ZERO))
                .getMessage()
                .contains("totalTimeout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxChunks(0))
                .getMessage()
                .contains("maxChunks"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxBytes(-5))
                .getMessage()
                .contains("maxBytes"));
        assertTrue(assertThrows(NullPointerException.class, () -> b.idleTimeout(null))
                .getMessage()
                .contains("idleTimeout"));
        assertTrue(assertThrows(NullPointerException.class, () -> b.nanoTime(null))
                .getMessage()
                .contains("nanoTime"));
    }

    @Test
    void noTimeout_disablesIt() {
        StreamOptions o = StreamOptions.builder()
                .noTimeout(Timeout.IDLE)
                .noTimeout(Timeout.FIRST_EVENT)
                .build();
        assertTrue(o.idleTimeout().isEmpty());
        assertTrue(o.firstEventTimeout().isEmpty());
        assertTrue(o.timeout(Timeout.TOTAL).isEmpty());
        assertTrue(StreamController.of(o).remaining().isEmpty());
    }

    @Test
    void toBuilder_changesOneSetting_leavesTheOriginalAlone() {
        StreamOptions base = StreamOptions.builder()
                .maxChunks(3)
                .idleTimeout(Duration.ofSeconds(5))
                .build();
        StreamOptions longer =
                base.toBuilder().totalTimeout(Duration.ofMinutes(1)).build();
        assertEquals(Optional.empty(), base.totalTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(1)), longer.totalTimeout());
        assertEquals(base.maxChunks(), longer.maxChunks());
        assertEquals(base.idleTimeout(), longer.idleTimeout());
        assertSame(base.nanoTime(), longer.nanoTime());
        assertNotEquals(base, longer);
        assertEquals(base, base.toBuilder().build());
        assertEquals(base.hashCode(), base.toBuilder().build().hashCode());
    }

    @Test
    void oneOptionsValue_servesManyStreamsAtOnce() {
        StreamOptions two = StreamOptions.builder().maxChunks(2).build();
        EventStream.Builder<Integer> b = EventStream.<Integer>builder().options(two);
        try (EventStream<Integer> s1 = b.generate(out -> {
                    for (int i = 0; out.emit(i); i++) {}
                });
                EventStream<Integer> s2 = b.generate(out -> {
                    for (int i = 10; out.emit(i); i++) {}
                })) {
            assertEquals(java.util.List.of(0, 1), s1.stream().toList());
            assertEquals(java.util.List.of(10, 11), s2.stream().toList());
            assertEquals(EndReason.CHUNK_LIMIT, s1.endReason().orElseThrow());
            assertEquals(EndReason.CHUNK_LIMIT, s2.endReason().orElseThrow());
            assertSame(two, s1.controller().options());
        }
    }

    @Test
    void toString_namesTheSettings() {
        String s = StreamOptions.builder()
                .maxChunks(7)
                .nanoTime(new FakeClock())
                .build()
                .toString();
        assertTrue(s.contains("maxChunks=7") && s.contains("clock=custom"), s);
    }
}
