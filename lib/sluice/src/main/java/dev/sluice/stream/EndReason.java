package dev.sluice.stream;

/** Why an {@link EventStream} ended; see {@link EventStream#endReason()}. */
public enum EndReason {
    /** The producer finished: the source ended normally (for SSE, a terminal event or end of input). */
    COMPLETED,
    /** {@link StreamController#cancel(String)} or {@link EventStream#close()} ended it; see {@link StreamController#cancelReason()}. */
    CANCELLED,
    /** {@link StreamOptions#maxChunks()} items were delivered; iteration ended normally. */
    CHUNK_LIMIT,
    /**
     * The stream's output-token budget was reached ({@link dev.sluice.client.TokenBudget}); iteration
     * ended normally after the event that reached it.
     */
    TOKEN_BUDGET,
    /** A timeout expired; {@link EventStream#failure()} is the {@link dev.sluice.StreamTimeoutException}. */
    TIMED_OUT,
    /** The source failed (transport, protocol, a limit, an API error); {@link EventStream#failure()} says how. */
    FAILED
}
