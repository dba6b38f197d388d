package dev.sluice.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import org.junit.jupiter.api.Test;

/** The active mode's pairs: one schedule for a pair's two streams, and the added latency taken twin by twin. */
class RelayRunTest {
    private static final long INTERVAL = 20_000_000L;
    private static final long LEAD = 2_000_000_000L;

    private static ChatRequest prompt(String text) {
        return ChatRequest.builder()
                .model("stamp")
                .addMessage(ChatMessage.user(text))
                .build();
    }

    @Test
    void firstDelta_isOneForBothStreamsOfAPair_andDueAfterTheLead() {
        RelayRun.StampingModel model = new RelayRun.StampingModel(3, INTERVAL, false, true, LEAD);
        long before = System.nanoTime();

        long first = model.firstDelta(prompt(RelayRun.pairKey(1, 7)));
        long twin = model.firstDelta(prompt(RelayRun.pairKey(1, 7)));
        long other = model.firstDelta(prompt(RelayRun.pairKey(2, 7)));

        assertEquals(first, twin);
        assertNotEquals(first, other); // a new key, a new schedule (the clock has moved on)
        assertTrue(
                first - before >= LEAD && first - before < LEAD + INTERVAL + 1_000_000_000L,
                "lead and phase: " + (first - before));
    }

    @Test
    void firstDelta_ofAnUnpairedStream_isOneIntervalAndItsPhaseAway() {
        RelayRun.StampingModel model = new RelayRun.StampingModel(3, INTERVAL, false, true, LEAD);
        long before = System.nanoTime();

        long first = model.firstDelta(prompt("go"));

        assertTrue(
                first - before >= INTERVAL && first - before < 2 * INTERVAL + 1_000_000_000L,
                "interval and phase: " + (first - before));
    }

    @Test
    void paired_takesRelayedMinusPlain_forTwinsBothReadAfterTheirReaderAttached() {
        long[][] plain = {{100, 200, 300}, {400, 500, 600}};
        long[][] relayed = {{150, -900, 250}, {400, 800, 0}};
        long[][] plainStamps = {{1_000, 2_000, 3_000}, {1_000, 2_000, 3_000}};
        // stream 0: delta 1 waited for its reader (negated); stream 1: delta 2 never read (no stamp)
        long[][] relayedStamps = {{1_000, 2_000, 3_000}, {1_000, 2_000_000, 0}};

        assertArrayEquals(
                new long[] {-50, 0, 50, 300},
                RelayRun.paired(plain, relayed, plainStamps, relayedStamps, Long.MAX_VALUE));
        // stream 1's delta 1 was emitted 1,998,000 ns after its twin: left out when twins must be within 1 ms
        assertArrayEquals(
                new long[] {-50, 0, 50}, RelayRun.paired(plain, relayed, plainStamps, relayedStamps, 1_000_000));
    }

    @Test
    void mix_isReadFromTheFlags() {
        assertEquals(RelayRun.Mix.APART, RelayRun.Mix.of(new String[] {"active"}));
        assertEquals(RelayRun.Mix.TOGETHER, RelayRun.Mix.of(new String[] {"active", "--together"}));
        assertEquals(RelayRun.Mix.PAIRED, RelayRun.Mix.of(new String[] {"active", "--paired"}));
        assertEquals(RelayRun.Mix.PAIRED_PLAIN, RelayRun.Mix.of(new String[] {"active", "--paired-plain"}));
    }
}
