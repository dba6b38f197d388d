/**
 * A general Server-Sent Events client held to the WHATWG {@code EventSource} rules: an
 * {@link dev.sluice.eventsource.EventSource} connects over {@code java.net.http}, delivers the
 * parser's events and the lifecycle of its connections as an
 * {@link dev.sluice.eventsource.EventSourceStream} of {@link dev.sluice.eventsource.SourceSignal}s,
 * and reconnects after drops, resuming with {@code Last-Event-ID}; a
 * {@link dev.sluice.client.RetryPolicy}, the back-off every Sluice client shares, sets the delays and
 * how many HTTP errors in a row are retried.
 * Nothing here knows about language models; it sits above {@code dev.sluice.sse} (the parser) and
 * {@code dev.sluice.stream} (the engine: timeouts, cancel, the Cleaner).
 *
 * <p>Nulls: arguments and return values are non-null unless documented otherwise; a null argument
 * throws {@link java.lang.NullPointerException}.
 *
 * <p>Threading: an {@code EventSource} and the values that configure it are immutable and
 * thread-safe. Each opened stream has one producer virtual thread, which connects, reads, sleeps
 * between attempts and reconnects; its consumer iterates on one thread at a time. {@code close()},
 * {@code restart()} and the controller's {@code cancel(..)} are safe from any thread.
 */
@NullMarked
package dev.sluice.eventsource;

import org.jspecify.annotations.NullMarked;
