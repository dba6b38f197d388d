package dev.sluice.internal.stream;

/**
 * What a {@link StreamingCall} tells about its opening, for the clients' stream observers (metrics,
 * JDK Flight Recorder) and their rate-limit guard: each response's request id and headers as it
 * opens, and a failed opening.
 */
public interface CallObserver {
    /**
     * A response opened: the opening, then each reopening before content. On the thread that
     * opened it (the caller's, then the stream's producer thread).
     *
     * @param requestId the response's request id, or null when it had none
     */
    void opened(String requestId);

    /**
     * The opening failed for good: {@link StreamingCall.Builder#open()} is about to throw this; its
     * {@code onEnd} hook runs after. On the caller's thread.
     *
     * @param failure what open() throws
     */
    void openFailed(RuntimeException failure);

    /**
     * A response arrived: the opening, each reopening before content, and each resume's
     * continuation; its headers (the rate-limit headers among them). On the thread that opened it.
     * Default: nothing.
     *
     * @param headers the response's headers
     * @param arrivedAt when they arrived, on the system clock
     */
    default void responded(java.net.http.HttpHeaders headers, java.time.Instant arrivedAt) {}
}
