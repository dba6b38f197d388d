/**
 * The streaming engine: an {@link dev.sluice.stream.EventStream} is a generator whose
 * {@link dev.sluice.stream.Producer} runs on its own virtual thread and hands items over through
 * a bounded queue to a consumer's plain {@code for} loop or {@link java.util.stream.Stream};
 * a {@link dev.sluice.stream.StreamController} holds its timeouts, limits and cancel switch;
 * {@link dev.sluice.stream.StreamMetrics} measures it; {@link dev.sluice.stream.SseSource} and
 * {@link dev.sluice.stream.SseDecoder} put Server-Sent Events on top. Nothing here knows about
 * any provider or HTTP.
 *
 * <p>Nulls: arguments and return values are non-null unless documented otherwise; a null
 * argument throws {@link java.lang.NullPointerException}.
 *
 * <p>Threading: each stream has one producer virtual thread (named, started by the builder) and
 * one consumer thread at a time (whoever iterates). An {@link dev.sluice.stream.Emitter} is used
 * only on its producer thread. {@code EventStream.close()}, {@code StreamController.cancel(..)}
 * and the metrics are safe from any thread. Every exception thrown to the consumer is an
 * unchecked {@link dev.sluice.SluiceException}.
 */
package dev.sluice.stream;
