package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

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
    void opened(@Nullable String requestId);

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
    default void responded(HttpHeaders headers, Instant arrivedAt) {}

    /**
     * An attempt failed before content and another follows after {@code delay}; told before the
     * wait, on the thread that waits. Default: nothing.
     *
     * @param retry the attempt about to be made, counted from 1 for the first retry
     * @param delay the wait before it
     * @param cause the failure of the attempt before
     */
    default void retrying(int retry, Duration delay, SluiceException cause) {}

    /**
     * The connection was lost after content and the stream is about to be continued by its
     * {@link Resumer}; on the producer thread. Default: nothing.
     *
     * @param lost the failure the stream would otherwise have ended with
     */
    default void resuming(SluiceException lost) {}
}
