package dev.sluice.bedrock;

import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.client.Accumulator;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Builds the response of a ConverseStream from its events: the neutral {@link ChatResponse} the
 * events map to (text, thinking, tool calls, stop reason, usage, the reasoning to send back), which
 * is what Converse's own response message holds. Complete once {@code messageStop} arrived.
 *
 * <p>Threading: one thread at a time calls {@link #accept}; the other methods may be called from
 * any thread (the aggregator locks).
 */
final class ConverseAccumulator implements Accumulator<ConverseEvent, ChatResponse> {
    private final BedrockChunks chunks; // accepting thread only
    private final ChunkAggregator aggregator = new ChunkAggregator();
    private final InstantSource clock;
    private final LongSupplier nanoTime;

    ConverseAccumulator(String model, InstantSource clock, LongSupplier nanoTime, LongSupplier requestSentNanos) {
        this.chunks = new BedrockChunks(model, requestSentNanos);
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    @Override
    public void accept(ConverseEvent event) {
        Objects.requireNonNull(event, "event");
        chunks.map(event, clock.instant(), nanoTime.getAsLong()).ifPresent(aggregator::accept);
    }

    @Override
    public ChatResponse snapshot() {
        return aggregator.snapshot();
    }

    @Override
    public boolean isComplete() {
        return aggregator.isComplete();
    }

    @Override
    public ChatResponse result() {
        return aggregator.result();
    }
}
