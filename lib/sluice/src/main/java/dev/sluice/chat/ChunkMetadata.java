package dev.sluice.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where and when a {@link MessageChunk} came from.
 *
 * @param model the model that produced the chunk, as the provider names it; empty if not known
 * @param timestamp when the chunk was received
 * @param sinceRequest how long after the request was sent the chunk was received
 */
public record ChunkMetadata(String model, Instant timestamp, Duration sinceRequest) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if sinceRequest is negative
     */
    public ChunkMetadata {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(sinceRequest, "sinceRequest");
        if (sinceRequest.isNegative())
            throw new IllegalArgumentException("sinceRequest must not be negative: " + sinceRequest);
    }
}
