/**
 * Provider-neutral HTTP plumbing shared by every provider client: {@link dev.sluice.internal.low.http.HttpTransport}
 * (one POST over {@code java.net.http}, its failures mapped onto the {@link dev.sluice.SluiceException}
 * family) and {@link dev.sluice.internal.call.stream.Retrier} (retries with backoff, on Resilience4j, that a
 * cancel cuts short). Not exported: nothing here appears in a public signature.
 *
 * <p>How the pieces fit: an <em>attempt</em> is one try, such as
 * {@code transport.openStream(post)}; it throws a {@link dev.sluice.internal.low.http.RetryableFailure}
 * (checked) when trying again may help, and a {@code SluiceException} when it may not.
 * {@code retrier.call(attempt, cancellation)} repeats the attempt per the
 * {@link dev.sluice.client.RetryPolicy} and, when it gives up, throws the failure's
 * {@code SluiceException}; {@code retrier.budget()} shares one request's attempts between several
 * calls (a stream's opening and its reopenings before content). Response bodies are read through
 * {@code LosslessBodyStream}, which delivers every byte received before a connection failure. {@link dev.sluice.internal.low.http.RetryRules} holds the shared decisions
 * (which statuses, which headers, which delays).
 *
 * <p>Secrets: request header values (API keys) never appear in a message, a {@code toString()} or
 * a log line written here. Nulls: arguments are non-null unless documented otherwise. Threading:
 * {@code HttpTransport} and {@code Retrier} are immutable and safe for concurrent use; a call runs
 * entirely on the calling thread (a virtual thread, typically), blocking it while it waits.
 *
 * <p>Layer: <b>below {@code dev.sluice.stream}</b>, beside {@code dev.sluice.sse}. It may use the JDK,
 * Jackson, Resilience4j, {@code dev.sluice} (the exceptions) and {@code dev.sluice.internal.low.json},
 * nothing else of Sluice; {@code LayeringTest} checks it.
 */
@NullMarked
package dev.sluice.internal.low.http;

import org.jspecify.annotations.NullMarked;
