package dev.sluice.otel;

import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Records every Sluice stream as OpenTelemetry's GenAI client metrics (semantic conventions,
 * development status): {@code gen_ai.client.operation.duration} (s),
 * {@code gen_ai.client.token.usage} ({token}, by {@code gen_ai.token.type} input/output),
 * {@code gen_ai.client.operation.time_to_first_chunk} (s) and
 * {@code gen_ai.client.operation.time_per_output_chunk} (s, one measurement per chunk after the
 * first), with the conventions' advised bucket boundaries, and the attributes
 * {@code gen_ai.operation.name}, {@code gen_ai.provider.name} ({@code anthropic}, {@code openai},
 * {@code gcp.gemini}), {@code gen_ai.request.model}, {@code server.address}, {@code server.port} and,
 * on a failed operation's duration, {@code error.type}.
 *
 * <pre>{@code
 * AnthropicClient client = AnthropicClient.builder().fromEnv()
 *         .observer(GenAiMetrics.create(openTelemetry))
 *         .build();
 * }</pre>
 *
 * <p>{@code error.type} is the provider's error type for an API error ({@code overloaded_error},
 * {@code rate_limit_error}, ...), {@code timeout} for a Sluice timeout, else the failure's class
 * name ({@code dev.sluice.TransportException}, ...), or {@code _OTHER} when the opening failed outside
 * Sluice's exceptions. A cancelled stream, or one ended by its chunk limit or token budget, is not an
 * error. Token usage is recorded only when the provider reported it.
 *
 * <p>Thread-safe: OpenTelemetry's instruments are; an observation's attributes are fixed at the start.
 */
public final class GenAiMetrics implements StreamObserver {
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

    /** The conventions' advice for the three durations: 0.01 s doubling to 81.92 s. */
    static final List<Double> SECONDS_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92);
    /** The conventions' advice for token counts: powers of 4 from 1 to 4^13. */
    static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
            1048576L, 4194304L, 16777216L, 67108864L);

    private final DoubleHistogram duration;
    private final LongHistogram tokens;
    private final DoubleHistogram timeToFirstChunk;
    private final DoubleHistogram timePerOutputChunk;

    private GenAiMetrics(Meter meter) {
        duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                .setDescription("GenAI operation duration.").setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS).build();
        tokens = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Number of input and output tokens used.").setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
                .build();
        timeToFirstChunk = meter.histogramBuilder("gen_ai.client.operation.time_to_first_chunk").setUnit("s")
                .setDescription("Time to receive the first chunk, from issuing the request.")
                .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS).build();
        timePerOutputChunk = meter.histogramBuilder("gen_ai.client.operation.time_per_output_chunk").setUnit("s")
                .setDescription("Time per output chunk, for each chunk after the first, since the previous one.")
                .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS).build();
    }

    /**
     * {@return an observer recording on {@code openTelemetry}'s meter {@code dev.sluice}}
     *
     * @param openTelemetry the OpenTelemetry instance (an SDK, or the global one)
     */
    public static GenAiMetrics create(OpenTelemetry openTelemetry) {
        return create(Objects.requireNonNull(openTelemetry, "openTelemetry").getMeter("dev.sluice"));
    }

    /**
     * {@return an observer recording on this meter}
     *
     * @param meter the meter
     */
    public static GenAiMetrics create(Meter meter) {
        return new GenAiMetrics(Objects.requireNonNull(meter, "meter"));
    }

    @Override
    public Observation onStart(StreamStart start) {
        return new Stream(Conventions.startAttributes(start));
    }

    /** One stream's measurements, under its attributes. */
    private final class Stream implements Observation {
        private final Attributes attributes;

        Stream(Attributes attributes) {
            this.attributes = attributes;
        }

        @Override
        public void onFirstChunk(Duration ttfc) {
            timeToFirstChunk.record(Conventions.seconds(ttfc), attributes);
        }

        @Override
        public void onChunk(Duration sincePrevious) {
            timePerOutputChunk.record(Conventions.seconds(sincePrevious), attributes);
        }

        @Override
        public void onEnd(StreamEnd end) {
            String error = Conventions.errorType(end);
            Attributes a = error == null ? attributes : attributes.toBuilder().put(Conventions.ERROR_TYPE, error).build();
            duration.record(Conventions.seconds(end.duration()), a);
            end.inputTokens().ifPresent(n -> tokens.record(n, attributes.toBuilder().put(TOKEN_TYPE, "input").build()));
            end.outputTokens().ifPresent(n -> tokens.record(n, attributes.toBuilder().put(TOKEN_TYPE, "output").build()));
        }
    }
}
