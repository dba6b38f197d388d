/**
 * What every client shares: its configuration, its resilience policies, its reports and its
 * observers.
 *
 * <p>{@link dev.sluice.client.ClientOptions} is the one configuration value every provider
 * client's builder accepts (each builder extends {@link dev.sluice.client.ClientSettings},
 * which has each common setter once). The immutable policies: {@link dev.sluice.client.RetryPolicy}
 * (the one back-off vocabulary: retrying an opening, and the reconnections of
 * {@link dev.sluice.eventsource.EventSource}), {@link dev.sluice.client.ConcurrencyLimit} (open
 * streams at once), {@link dev.sluice.client.CircuitBreakerPolicy} (failing fast after repeated
 * failures), {@link dev.sluice.client.RequestRateLimit} (streams started per period) and
 * {@link dev.sluice.client.TokenBudget} (output tokens per stream). The reports:
 * {@link dev.sluice.client.RateLimits} (what a response said about rate limits) and
 * {@link dev.sluice.client.ResilienceMetrics}. They are thread-safe, and the policies and reports
 * are records, comparable by value; the Resilience4j objects behind the limits and the breaker
 * never appear in a signature.
 *
 * <p>Observing streams from outside, without a dependency: a {@link dev.sluice.client.StreamObserver}
 * registered on a client sees each stream's start ({@link dev.sluice.client.StreamStart}), first
 * chunk, later chunks and end ({@link dev.sluice.client.StreamEnd}). Adapters to metrics and
 * tracing libraries (OpenTelemetry's GenAI semantic conventions, in the examples) build on it.
 * Sluice also records every stream as a JDK Flight Recorder event ({@code dev.sluice.Stream}) by
 * itself, with no observer registered. An observation's calls never overlap but come from
 * different threads; they must not block.
 *
 * <p>Absent values follow the library's convention: empty text, and {@code Optional} from the
 * methods of options and reports. Arguments are non-null unless documented otherwise; builders are
 * not thread-safe.
 */
@NullMarked
package dev.sluice.client;

import org.jspecify.annotations.NullMarked;
