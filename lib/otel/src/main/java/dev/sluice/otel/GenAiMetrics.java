package dev.sluice.otel;

import dev.sluice.client.StreamEnd;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The GenAI semantic conventions' client metrics, with the conventions' advised bucket boundaries:
 * {@code gen_ai.client.operation.duration} (s), {@code gen_ai.client.token.usage} ({token}, by
 * {@code gen_ai.token.type}), {@code gen_ai.client.operation.time_to_first_chunk} (s) and
 * {@code gen_ai.client.operation.time_per_output_chunk} (s, one measurement per chunk after the
 * first). {@link GenAiObserver} describes them for users. Thread-safe: OpenTelemetry's instruments are.
 */
final class GenAiMetrics {
    /** The conventions' advice for the three durations: 0.01 s doubling to 81.92 s. */
    static final List<Double> SECONDS_BUCKETS =
            List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    /** The conventions' advice for token counts: powers of 4 from 1 to 4^13. */
    static final List<Long> TOKEN_BUCKETS = List.of(
            1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L, 67108864L);

    final DoubleHistogram timeToFirstChunk;
    final DoubleHistogram timePerOutputChunk;
    private final DoubleHistogram duration;
    private final LongHistogram tokens;

    GenAiMetrics(Meter meter) {
        duration = meter.histogramBuilder("gen_ai.client.operation.duration")
                .setUnit("s")
                .setDescription("GenAI operation duration.")
                .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS)
                .build();
        tokens = meter.histogramBuilder("gen_ai.client.token.usage")
                .ofLongs()
                .setUnit("{token}")
                .setDescription("Number of input and output tokens used.")
                .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
                .build();
        timeToFirstChunk = meter.histogramBuilder("gen_ai.client.operation.time_to_first_chunk")
                .setUnit("s")
                .setDescription("Time to receive the first chunk, from issuing the request.")
                .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS)
                .build();
        timePerOutputChunk = meter.histogramBuilder("gen_ai.client.operation.time_per_output_chunk")
                .setUnit("s")
                .setDescription("Time per output chunk, for each chunk after the first, since the previous one.")
                .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS)
                .build();
    }

    /**
     * Records a stream's duration and token usage (when reported).
     *
     * @param attributes the stream's attributes from its start
     * @param errorType its {@code error.type}, or null when it did not fail
     */
    void recordEnd(StreamEnd end, Attributes attributes, @Nullable String errorType) {
        duration.record(
                Conventions.seconds(end.duration()),
                errorType == null
                        ? attributes
                        : attributes.toBuilder()
                                .put(Conventions.ERROR_TYPE, errorType)
                                .build());
        end.inputTokens()
                .ifPresent(n -> tokens.record(
                        n + end.cacheReadTokens() + end.cacheWriteTokens(), // the conventions count the cache in
                        attributes.toBuilder()
                                .put(Conventions.TOKEN_TYPE, "input")
                                .build()));
        end.outputTokens()
                .ifPresent(n -> tokens.record(
                        n,
                        attributes.toBuilder()
                                .put(Conventions.TOKEN_TYPE, "output")
                                .build()));
    }
}
