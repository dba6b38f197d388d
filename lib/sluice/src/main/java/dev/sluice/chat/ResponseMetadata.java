package dev.sluice.chat;

import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Facts about a whole response, as far as it has arrived.
 *
 * @param model the model, from the first chunk that named it (after a fallback chain's switch, the
 *     first that named it since: the model that finished the answer); empty if none did
 * @param chunks how many chunks were aggregated
 * @param timeToFirstChunk how long after the request the first chunk arrived; null before it did
 * @param latency how long after the request the latest chunk arrived (at the end: the total); null before the first chunk
 * @param failovers the switches of a fallback chain the answer went through, in order (the last
 *     one's {@link Failover#to()} finished it); empty for a stream without any
 * @param hedge the fallback chain's hedge of the stream, naming the target that answered and the
 *     loser's tokens; null when no hedge ran
 */
public record ResponseMetadata(
        String model,
        long chunks,
        @Nullable Duration timeToFirstChunk,
        @Nullable Duration latency,
        List<Failover> failovers,
        @Nullable Hedge hedge) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if model or failovers is null
     * @throws IllegalArgumentException if chunks or a duration is negative, or the durations are
     *     present without chunks or absent with them
     */
    public ResponseMetadata {
        Objects.requireNonNull(model, "model");
        failovers = List.copyOf(Objects.requireNonNull(failovers, "failovers"));
        if (chunks < 0) throw new IllegalArgumentException("chunks must not be negative: " + chunks);
        if ((chunks == 0) != (timeToFirstChunk == null) || (chunks == 0) != (latency == null)) {
            throw new IllegalArgumentException(
                    "timeToFirstChunk and latency are null exactly when there are no chunks: " + chunks + " chunks, "
                            + timeToFirstChunk + ", " + latency);
        }
        if (timeToFirstChunk != null && (timeToFirstChunk.isNegative() || latency.isNegative())) {
            throw new IllegalArgumentException("durations must not be negative: " + timeToFirstChunk + ", " + latency);
        }
    }

    /**
     * Facts about a response that was not hedged.
     *
     * @param model the model; empty if not known
     * @param chunks how many chunks were aggregated
     * @param timeToFirstChunk how long after the request the first chunk arrived; null before it did
     * @param latency how long after the request the latest chunk arrived; null before the first chunk
     * @param failovers the switches of a fallback chain, in order
     * @throws NullPointerException if model or failovers is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ResponseMetadata(
            String model,
            long chunks,
            @Nullable Duration timeToFirstChunk,
            @Nullable Duration latency,
            List<Failover> failovers) {
        this(model, chunks, timeToFirstChunk, latency, failovers, null);
    }

    /**
     * Facts about a response that went through no failover.
     *
     * @param model the model; empty if not known
     * @param chunks how many chunks were aggregated
     * @param timeToFirstChunk how long after the request the first chunk arrived; null before it did
     * @param latency how long after the request the latest chunk arrived; null before the first chunk
     * @throws NullPointerException if model is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ResponseMetadata(
            String model, long chunks, @Nullable Duration timeToFirstChunk, @Nullable Duration latency) {
        this(model, chunks, timeToFirstChunk, latency, List.of(), null);
    }
}
