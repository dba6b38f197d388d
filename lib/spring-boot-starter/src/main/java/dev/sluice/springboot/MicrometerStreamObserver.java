package dev.sluice.springboot;

import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.providers.ProviderCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Records every stream of the clients it observes as Micrometer meters, named as the OpenTelemetry
 * GenAI semantic conventions name a client's metrics (as {@code sluice-otel} records them):
 *
 * <ul>
 * <li>{@code gen_ai.client.operation.duration} — a timer of each stream, from sending the request
 *     to its end; its {@code error.type} tag says how a stream failed: the provider's error type
 *     ({@code overloaded_error}, {@code rate_limit_error}, ...), {@code timeout}, or the failure's
 *     class name; {@code none} when it did not (a cancel, the chunk limit and the token budget are
 *     no errors). Its count by {@code error.type} is the error count.</li>
 * <li>{@code gen_ai.client.operation.time_to_first_chunk} — a timer of the time to the first token (chunk).</li>
 * <li>{@code gen_ai.client.operation.time_per_output_chunk} — a timer of the time between chunks.</li>
 * <li>{@code gen_ai.client.token.usage} — a distribution of the tokens the provider reported, by
 *     {@code gen_ai.token.type} ({@code input}, {@code output}).</li>
 * <li>{@code dev.sluice.client.output_tokens_per_second} — a distribution of each stream's output
 *     tokens per second, from its first chunk to its end (Sluice's own: the conventions have none).</li>
 * </ul>
 *
 * Every meter has the tags {@code gen_ai.operation.name} ({@code chat}, {@code generate_content}),
 * {@code gen_ai.provider.name} ({@code anthropic}, {@code openai}, {@code gcp.gemini}),
 * {@code gen_ai.request.model}, {@code server.address}, {@code server.port} and Sluice's
 * {@code dev.sluice.key.id}: the id of the minted key the stream was made for (the gateway's
 * requests; {@link dev.sluice.client.StreamCaller}), never the key, or {@code none}; unlike
 * OpenTelemetry's attributes, a tag is always present (Micrometer's registries want one set of tag
 * keys per name), so {@code error.type} and {@code dev.sluice.key.id} are {@code none} rather than absent.
 *
 * <p>A fallback chain's moves, when this observer is one of the chain's (the auto-configuration
 * makes it so), are Sluice's own meters, tagged with the chain's target names ({@code from},
 * {@code to}: {@code anthropic:claude-sonnet-5-5}):
 *
 * <ul>
 * <li>{@code dev.sluice.client.failovers} — a counter of the switches, also by {@code reason}
 *     ({@code timeout}, {@code overloaded}, ...) and {@code mode} ({@code continue}, {@code restart}).</li>
 * <li>{@code dev.sluice.client.hedges} — a counter of the hedges, also by {@code winner}.</li>
 * <li>{@code dev.sluice.client.hedge.loser_tokens} — a distribution of the tokens each hedge's
 *     cancelled attempt had reported (input and output), the cost of hedging.</li>
 * </ul>
 *
 * Prompts, answers and keys are never recorded.
 *
 * <p>Threading: thread-safe; it runs on the streaming path and only records.
 */
public final class MicrometerStreamObserver implements StreamObserver {
    private final Supplier<MeterRegistry> registry;

    /**
     * @param registry where the meters go
     * @throws NullPointerException if registry is null
     */
    public MicrometerStreamObserver(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        this.registry = () -> registry;
    }

    /** For the auto-configuration: the registry looked up at each stream's start; none, nothing recorded. */
    MicrometerStreamObserver(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public Observation onStart(StreamStart start) {
        MeterRegistry r = registry.get();
        if (r == null) return Observation.NONE;
        Tags tags = Tags.of(
                "gen_ai.operation.name",
                start.operation(),
                "gen_ai.provider.name",
                ProviderCatalog.genAiProviderName(start.provider()),
                "gen_ai.request.model",
                start.model().isEmpty() ? "unknown" : start.model(),
                "server.address",
                start.serverAddress(),
                "server.port",
                Integer.toString(start.serverPort()),
                "dev.sluice.key.id",
                start.caller().isEmpty() ? "none" : start.caller());
        return new Meters(
                r,
                tags,
                Timer.builder("gen_ai.client.operation.time_to_first_chunk")
                        .description("Time to receive the first chunk, from issuing the request.")
                        .tags(tags)
                        .register(r),
                Timer.builder("gen_ai.client.operation.time_per_output_chunk")
                        .description("Time per output chunk, for each chunk after the first, since the previous one.")
                        .tags(tags)
                        .register(r));
    }

    @Override
    public void onFailover(Failover failover) {
        MeterRegistry r = registry.get();
        if (r == null) return;
        Counter.builder("dev.sluice.client.failovers")
                .description("Streams a fallback chain moved to its next target.")
                .tags(
                        "from",
                        failover.from(),
                        "to",
                        failover.to(),
                        "reason",
                        failover.reasonName(),
                        "mode",
                        failover.mode().name().toLowerCase(Locale.ROOT))
                .register(r)
                .increment();
    }

    @Override
    public void onHedge(Hedge hedge) {
        MeterRegistry r = registry.get();
        if (r == null) return;
        Counter.builder("dev.sluice.client.hedges")
                .description("Streams a fallback chain hedged: the next target started beside a slow one.")
                .tags("from", hedge.from(), "to", hedge.to(), "winner", hedge.winner())
                .register(r)
                .increment();
        DistributionSummary.builder("dev.sluice.client.hedge.loser_tokens")
                .baseUnit("{token}")
                .description("Tokens the cancelled attempt of a hedge had reported, input and output.")
                .tags("from", hedge.from(), "to", hedge.to())
                .register(r)
                .record((double) hedge.loserTokens());
    }

    /** One stream's meters. Its calls never overlap (see {@link StreamObserver}); its fields are final. */
    private record Meters(MeterRegistry registry, Tags tags, Timer firstChunk, Timer perChunk) implements Observation {
        @Override
        public void onFirstChunk(Duration timeToFirstChunk) {
            firstChunk.record(timeToFirstChunk);
        }

        @Override
        public void onChunk(Duration sincePreviousChunk) {
            perChunk.record(sincePreviousChunk);
        }

        @Override
        public void onEnd(StreamEnd end) {
            Timer.builder("gen_ai.client.operation.duration")
                    .description("GenAI operation duration.")
                    .tags(tags)
                    .tag("error.type", end.errorType().orElse("none"))
                    .register(registry)
                    .record(end.duration());
            end.inputTokens().ifPresent(n -> tokens("input").record((double) n));
            end.outputTokens().ifPresent(n -> {
                tokens("output").record((double) n);
                Duration streaming =
                        end.timeToFirstChunk().map(end.duration()::minus).orElse(Duration.ZERO);
                if (n > 0 && streaming.toNanos() > 0) {
                    DistributionSummary.builder("dev.sluice.client.output_tokens_per_second")
                            .baseUnit("{token}/s")
                            .description("Output tokens per second of a stream, from its first chunk to its end.")
                            .tags(tags)
                            .register(registry)
                            .record(n / (streaming.toNanos() / 1e9));
                }
            });
        }

        private DistributionSummary tokens(String type) {
            return DistributionSummary.builder("gen_ai.client.token.usage")
                    .baseUnit("{token}")
                    .description("Number of input and output tokens used.")
                    .tags(tags)
                    .tag("gen_ai.token.type", type)
                    .register(registry);
        }
    }
}
