package dev.sluice.otel;

import dev.sluice.SluiceException;
import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamObserver;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import java.util.Locale;

/**
 * One stream's span and measurements: chunk times on the metrics, retries and resumes as span
 * events, the end on both.
 *
 * <p>Threading: an observation's calls never overlap but may come from different threads (see
 * {@link StreamObserver}); its components are final, and OpenTelemetry's spans and instruments are
 * thread-safe.
 *
 * @param span the stream's span, started
 * @param attributes the stream's attributes from its start, every measurement's
 * @param metrics the instruments
 */
record StreamTelemetry(Span span, Attributes attributes, GenAiMetrics metrics) implements StreamObserver.Observation {

    @Override
    public void onFirstChunk(Duration timeToFirstChunk) {
        metrics.timeToFirstChunk.record(Conventions.seconds(timeToFirstChunk), attributes);
    }

    @Override
    public void onChunk(Duration sincePreviousChunk) {
        metrics.timePerOutputChunk.record(Conventions.seconds(sincePreviousChunk), attributes);
    }

    @Override
    public void onRetry(int retry, Duration delay, SluiceException cause) {
        span.addEvent(
                Conventions.RETRY,
                Attributes.of(
                        Conventions.RETRY_NUMBER,
                        (long) retry,
                        Conventions.RETRY_DELAY,
                        Conventions.seconds(delay),
                        Conventions.ERROR_TYPE,
                        Conventions.errorType(cause)));
    }

    @Override
    public void onResume(int resume, SluiceException cause) {
        span.addEvent(
                Conventions.RESUME,
                Attributes.of(
                        Conventions.RESUME_NUMBER,
                        (long) resume,
                        Conventions.ERROR_TYPE,
                        Conventions.errorType(cause)));
    }

    @Override
    public void onEnd(StreamEnd end) {
        String error = Conventions.errorType(end);
        metrics.recordEnd(end, attributes, error);
        // the conventions count the cache's tokens in gen_ai.usage.input_tokens; the neutral usage does not
        end.inputTokens()
                .ifPresent(n -> span.setAttribute(
                        Conventions.INPUT_TOKENS, n + end.cacheReadTokens() + end.cacheWriteTokens()));
        if (end.cacheReadTokens() > 0) span.setAttribute(Conventions.CACHE_READ_TOKENS, end.cacheReadTokens());
        if (end.cacheWriteTokens() > 0) span.setAttribute(Conventions.CACHE_CREATION_TOKENS, end.cacheWriteTokens());
        end.outputTokens().ifPresent(n -> span.setAttribute(Conventions.OUTPUT_TOKENS, n));
        end.timeToFirstChunk()
                .ifPresent(t -> span.setAttribute(Conventions.TIME_TO_FIRST_CHUNK, Conventions.seconds(t)));
        end.requestId().ifPresent(id -> span.setAttribute(Conventions.REQUEST_ID, id));
        span.setAttribute(Conventions.END_REASON, end.endReason().name().toLowerCase(Locale.ROOT));
        if (error != null) {
            span.setAttribute(Conventions.ERROR_TYPE, error);
            span.setStatus(StatusCode.ERROR); // no description: a failure's message may quote the server
        }
        span.end();
    }
}
