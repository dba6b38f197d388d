package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MIB = 1024 * 1024;

    /** serve's defaults: 32 streams, 256 KiB replay buffers of 2,048 events, 32,000-char prompts, 100 connections, 64 KiB bodies. */
    private static final MemoryBudget DEFAULTS =
            new MemoryBudget(32, 256 * 1024, 2048, 32_000, ServeCommand.DEFAULT_MAX_CONNECTIONS, 64 * 1024);

    @Test
    void answers_eachRunningStreamMayCollectAnAnswerOfTheReplayBound_countedInTheTotal() {
        assertEquals(32L * 3 * 256 * 1024, DEFAULTS.answers()); // read whole from the upstream: bytes, text, answer
        assertEquals(
                DEFAULTS.replayBuffers() + DEFAULTS.upstreams() + DEFAULTS.answers() + DEFAULTS.connections(),
                DEFAULTS.total());
        assertEquals(
                "worst-case memory of the limits 107 MiB (replay buffers 52, upstreams 8, answers 24, connections 23) of a 512 MiB heap",
                DEFAULTS.describe(512 * MIB));
    }

    @Test
    void toolResults_withMcpServers_theirCallsInFlightAndATurnOfResultsPerStreamCounted() throws UsageException {
        MemoryBudget oneServer = new MemoryBudget(
                32, 256 * 1024, 2048, 32_000, ServeCommand.DEFAULT_MAX_CONNECTIONS, 64 * 1024, 1, 100_000, false);
        long message = 4 * 100_000 + 64 * 1024;
        assertEquals(8 * (4 * message + 4 * 100_000) + 32L * 8 * 2 * 100_000, oneServer.toolResults());
        assertEquals(DEFAULTS.total() + oneServer.toolResults(), oneServer.total());
        assertEquals(
                "worst-case memory of the limits 173 MiB (replay buffers 52, upstreams 8, answers 24, connections 23, tool results 67)"
                        + " of a 512 MiB heap",
                oneServer.describe(512 * MIB));
        oneServer.check(
                512 * MIB); // the finding's -Xmx512m serve starts with one server, and now counts what it may hold
        UsageException e = assertThrows(UsageException.class, () -> oneServer.check(256 * MIB));
        assertTrue(
                e.getMessage().contains("tool results 67") && e.getMessage().contains("--max-tool-result"),
                e.getMessage());
        assertEquals(0, DEFAULTS.toolResults());
    }

    /**
     * A provider at Bedrock Runtime answers in AWS event-stream frames of up to 2 MiB, each decoded whole:
     * per running stream one frame, five times over (the frame and its text; BedrockFrameMemoryTest measures it).
     */
    @Test
    void awsFrames_withBedrockRuntime_aFramePerRunningStreamCounted() throws UsageException {
        MemoryBudget bedrock = new MemoryBudget(
                32, 256 * 1024, 2048, 32_000, ServeCommand.DEFAULT_MAX_CONNECTIONS, 64 * 1024, 0, 100_000, true);
        assertEquals(32L * 5 * 2 * MIB, bedrock.frames());
        assertEquals(DEFAULTS.total() + bedrock.frames(), bedrock.total());
        assertEquals(
                "worst-case memory of the limits 427 MiB (replay buffers 52, upstreams 8, AWS frames 320, answers 24,"
                        + " connections 23) of a 1024 MiB heap",
                bedrock.describe(1024 * MIB));
        bedrock.check(1024 * MIB);
        assertThrows(UsageException.class, () -> bedrock.check(512 * MIB));
        assertEquals(0, DEFAULTS.frames());
    }

    @Test
    void defaults_startOnA256MiBHeap() throws UsageException {
        DEFAULTS.check(256 * MIB);
    }

    /**
     * {@code -Xmx256m} under the serial collector leaves {@code Runtime.maxMemory()} a survivor space short of
     * 256 MiB (about 247.5 MiB): the defaults start there too, as every connection is counted with a body or a
     * WebSocket's frames, never both.
     */
    @Test
    void defaults_startOnTheSerialCollectors256MiBHeap() throws UsageException {
        DEFAULTS.check(247 * MIB);
        assertEquals(
                100 * (40 + 192) * 1024L, DEFAULTS.connections()); // the larger of a body's 3 × 64 KiB and a socket's
    }

    @Test
    void check_limitsPastHalfTheHeap_refusedWithTheAnswersInTheSum() throws UsageException {
        DEFAULTS.check(2 * DEFAULTS.total());
        UsageException e = assertThrows(UsageException.class, () -> DEFAULTS.check(2 * DEFAULTS.total() - 2));
        assertTrue(e.getMessage().contains("answers 24") && e.getMessage().contains("--replay-bytes"), e.getMessage());
    }
}
