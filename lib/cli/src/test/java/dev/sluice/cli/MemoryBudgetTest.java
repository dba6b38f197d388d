package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MIB = 1024 * 1024;

    /** serve's defaults: 32 streams, 256 KiB replay buffers of 2,048 events, 32,000-char prompts, 100 connections, 64 KiB bodies. */
    private static final MemoryBudget DEFAULTS = new MemoryBudget(32, 256 * 1024, 2048, 32_000, ServeCommand.DEFAULT_MAX_CONNECTIONS, 64 * 1024);

    @Test
    void answers_eachRunningStreamMayCollectAnAnswerOfTheReplayBound_countedInTheTotal() {
        assertEquals(32L * 256 * 1024, DEFAULTS.answers());
        assertEquals(DEFAULTS.replayBuffers() + DEFAULTS.upstreams() + DEFAULTS.answers() + DEFAULTS.connections(), DEFAULTS.total());
        assertEquals("worst-case memory of the limits 124 MiB (replay buffers 52, upstreams 22, answers 8, connections 42) of a 512 MiB heap",
                DEFAULTS.describe(512 * MIB));
    }

    @Test
    void defaults_startOnA256MiBHeap() throws UsageException {
        DEFAULTS.check(256 * MIB);
    }

    @Test
    void check_limitsPastHalfTheHeap_refusedWithTheAnswersInTheSum() throws UsageException {
        DEFAULTS.check(2 * DEFAULTS.total());
        UsageException e = assertThrows(UsageException.class, () -> DEFAULTS.check(2 * DEFAULTS.total() - 2));
        assertTrue(e.getMessage().contains("answers 8") && e.getMessage().contains("--replay-bytes"), e.getMessage());
    }
}
