/**
 * The streaming engine: an {@link dev.sluice.stream.EventStream} is a generator whose
 * {@link dev.sluice.stream.Producer} runs on its own virtual thread and hands items over through
 * a bounded queue to a consumer's plain {@code for} loop or {@link java.util.stream.Stream};
 * {@link dev.sluice.stream.StreamOptions} say how a stream runs (timeouts, limits, clock: immutable
 * and reusable, as a client's default or per call); a {@link dev.sluice.stream.StreamController}
 * is one running stream's cancel switch and end reason; {@link dev.sluice.stream.StreamMetrics}
 * measures it; {@link dev.sluice.stream.EventStream.Builder#fromSse} puts Server-Sent Events on
 * top. Nothing here knows about any provider or HTTP.
 *
 * <p>Service-provider interfaces, for those who write a producer or a provider of their own:
 * {@link dev.sluice.stream.Producer}, {@link dev.sluice.stream.Emitter} and
 * {@link dev.sluice.stream.SseDecoder}; each states its compatibility rule. The rest of the engine
 * (the queue, the SSE pump, starting a controller's clocks) is internal.
 *
 * <p>Threading: each stream has one producer virtual thread (named, started by the builder) and
 * one consumer thread at a time (whoever iterates), or none: a stream that
 * {@linkplain dev.sluice.stream.EventStream#pushTo pushes} hands its items to a sink on the
 * producer thread. An {@link dev.sluice.stream.Emitter} is used only on its producer thread. {@code EventStream.close()}, {@code StreamController.cancel(..)}
 * and the metrics are safe from any thread. Every exception thrown to the consumer is an
 * unchecked {@link dev.sluice.SluiceException}.
 *
 * <p>Absent values, one convention in every package of Sluice: text that may be absent is the
 * empty string and a collection that may be empty is empty, never null; a value absent as a whole
 * is {@code null} in a record that mirrors a wire format (the component's Javadoc says it may be
 * null), and an {@code Optional} (or {@code OptionalLong}) from the methods of clients, streams,
 * options and exceptions. Arguments are non-null unless documented otherwise; a null where none is
 * allowed throws {@code NullPointerException} naming it.
 */
@NullMarked
package dev.sluice.stream;

import org.jspecify.annotations.NullMarked;
