package dev.sluice.otel;

import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.Objects;

/**
 * Records every stream of a Sluice client in OpenTelemetry as the GenAI semantic conventions
 * (development status) describe a client's inference: a span and the client metrics. Register it
 * on any client's builder (Anthropic, OpenAI, Gemini):
 *
 * <pre>{@code
 * OpenTelemetry openTelemetry = ...; // the application's SDK, or GlobalOpenTelemetry.get()
 * try (AnthropicClient client = AnthropicClient.builder().fromEnv()
 *         .observer(GenAiObserver.create(openTelemetry))
 *         .build()) {
 *     ...
 * }
 * }</pre>
 *
 * <h2>The span</h2>
 * One {@code CLIENT} span per stream, named {@code {gen_ai.operation.name} {gen_ai.request.model}}
 * ({@code chat claude-sonnet-5-5}; {@code generate_content gemini-3.8-flash} for Gemini), a child
 * of the span current on the thread that opens the stream. It starts before the request is sent,
 * covers the retries, and ends with the stream. Attributes: {@code gen_ai.operation.name},
 * {@code gen_ai.provider.name} ({@link dev.sluice.providers.ProviderCatalog#genAiProviderName(String)}:
 * {@code anthropic}, {@code openai}, {@code gcp.gemini}, {@code gcp.vertex_ai}, {@code aws.bedrock}, ...),
 * {@code gen_ai.request.model}, {@code server.address}, {@code server.port},
 * {@code gen_ai.request.stream} and, for a stream made for a caller ({@link
 * dev.sluice.client.StreamCaller}: {@code sluice serve} names the minted key a request came
 * with), Sluice's {@code dev.sluice.key.id} (the key's id, never the key) from the start; at the end {@code gen_ai.usage.input_tokens} and
 * {@code gen_ai.usage.output_tokens} (when the provider reported them),
 * {@code gen_ai.response.time_to_first_chunk} (s, when a chunk arrived), and Sluice's own
 * {@code dev.sluice.request_id} (the provider's request id, when known) and
 * {@code dev.sluice.end_reason} ({@code completed}, {@code cancelled}, {@code chunk_limit},
 * {@code token_budget}, {@code timed_out}, {@code failed}). A failed or timed-out stream has
 * status {@code ERROR} and {@code error.type}. Each retry before content is an event
 * {@code dev.sluice.retry} ({@code dev.sluice.retry.number} from 1, {@code dev.sluice.retry.delay}
 * in s, and the failed attempt's {@code error.type}); each resume after a lost connection an event
 * {@code dev.sluice.resume} ({@code dev.sluice.resume.number}, {@code error.type}). The response's
 * model, id and finish reasons are not recorded: a stream observer is not told them.
 *
 * <h2>The metrics</h2>
 * {@code gen_ai.client.operation.duration} (s), {@code gen_ai.client.token.usage} ({token}, by
 * {@code gen_ai.token.type} {@code input} or {@code output}, when reported),
 * {@code gen_ai.client.operation.time_to_first_chunk} (s) and
 * {@code gen_ai.client.operation.time_per_output_chunk} (s, one measurement per chunk after the
 * first), with the conventions' advised bucket boundaries and the span's start attributes except
 * {@code gen_ai.request.stream} ({@code dev.sluice.key.id} included: one series per key); a failed
 * operation's duration also has {@code error.type}.
 *
 * <h2>{@code error.type}</h2>
 * The provider's error type for an API error ({@code overloaded_error}, {@code rate_limit_error},
 * {@code not_found_error}, ...), {@code timeout} for a Sluice timeout, else the failure's class
 * name ({@code dev.sluice.TransportException}, ...), or {@code _OTHER} when the opening failed
 * outside Sluice's exceptions. A cancelled stream, or one ended by its chunk limit or token
 * budget, is not an error.
 *
 * <h2>What is never recorded</h2>
 * Prompts, answers, tool arguments and results, error messages (a server's may quote the request)
 * and API keys: only the names, numbers and types above.
 *
 * <p>Both signals use the instrumentation scope {@code dev.sluice.otel}. Thread-safe; one instance
 * may serve many clients. It runs on the streaming path and only records: exporting is the SDK's
 * (with a batch span processor, as in production, no stream's thread waits for an export).
 */
public final class GenAiObserver implements StreamObserver {
    /** The instrumentation scope of the tracer and the meter. */
    static final String SCOPE = "dev.sluice.otel";

    private final Tracer tracer;
    private final GenAiMetrics metrics;

    private GenAiObserver(Tracer tracer, GenAiMetrics metrics) {
        this.tracer = tracer;
        this.metrics = metrics;
    }

    /**
     * {@return an observer recording spans on {@code openTelemetry}'s tracer and metrics on its
     * meter, both {@code dev.sluice.otel}}
     *
     * @param openTelemetry the OpenTelemetry the application configured (an SDK, or the global one)
     * @throws NullPointerException if openTelemetry is null
     */
    public static GenAiObserver create(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new GenAiObserver(openTelemetry.getTracer(SCOPE), new GenAiMetrics(openTelemetry.getMeter(SCOPE)));
    }

    /** {@inheritDoc} Starts the stream's span, a child of the span current on this thread. */
    @Override
    public Observation onStart(StreamStart start) {
        Attributes attributes = Conventions.startAttributes(start);
        String name = start.model().isEmpty() ? start.operation() : start.operation() + " " + start.model();
        Span span = tracer.spanBuilder(name)
                .setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(attributes)
                .setAttribute(Conventions.REQUEST_STREAM, true)
                .startSpan();
        return new StreamTelemetry(span, attributes, metrics);
    }
}
