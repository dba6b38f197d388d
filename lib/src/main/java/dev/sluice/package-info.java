/**
 * The root of Sluice: the {@link dev.sluice.SluiceException} family that every layer throws.
 *
 * <p>Every exception Sluice throws to a user is unchecked and a subtype of
 * {@code SluiceException}; {@code IOException}s and parser exceptions appear only as causes.
 *
 * <p>Beside it, the immutable values that configure and report a client's resilience, shared by
 * every provider: {@link dev.sluice.RetryPolicy} (retrying an opening),
 * {@link dev.sluice.ConcurrencyLimit} (open streams at once), {@link dev.sluice.CircuitBreakerPolicy}
 * (failing fast after repeated failures), {@link dev.sluice.RequestRateLimit} (streams started
 * per period), {@link dev.sluice.TokenBudget} (output tokens per stream),
 * {@link dev.sluice.RateLimits} (what a response said about rate limits) and
 * {@link dev.sluice.ResilienceMetrics}. They are records: thread-safe, comparable by value. The
 * Resilience4j objects behind the limits and the breaker never appear in a signature.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
package dev.sluice;
