package dev.sluice.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * Facts about a whole response, as far as it has arrived.
 *
 * @param model the model, from the first chunk that named it; empty if none did
 * @param chunks how many chunks were aggregated
 * @param timeToFirstChunk how long after the request the first chunk arrived; null before it did
 * @param latency how long after the request the latest chunk arrived (at the end: the total); null before the first chunk
 */
public record ResponseMetadata(String model, long chunks, Duration timeToFirstChunk, Duration latency) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if model is null
     * @throws IllegalArgumentException if chunks or a duration is negative, or the durations are
     *     present without chunks or absent with them
     */
    public ResponseMetadata {
        Objects.requireNonNull(model, "model");
        if (chunks < 0) throw new IllegalArgumentException("chunks must not be negative: " + chunks);
        if ((chunks == 0) != (timeToFirstChunk == null) || (chunks == 0) != (latency == null)) {
            throw new IllegalArgumentException("timeToFirstChunk and latency are null exactly when there are no chunks: "
                    + chunks + " chunks, " + timeToFirstChunk + ", " + latency);
        }
        if (timeToFirstChunk != null && (timeToFirstChunk.isNegative() || latency.isNegative())) {
            throw new IllegalArgumentException("durations must not be negative: " + timeToFirstChunk + ", " + latency);
        }
    }
}
