/**
 * Observing streams from outside, without a dependency: a {@link dev.sluice.observe.StreamObserver}
 * registered on a client sees each stream's start ({@link dev.sluice.observe.StreamStart}), first
 * chunk, later chunks and end ({@link dev.sluice.observe.StreamEnd}). Adapters to metrics and
 * tracing libraries (OpenTelemetry's GenAI semantic conventions, in the examples) build on it.
 * Sluice also records every stream as a JDK Flight Recorder event ({@code dev.sluice.Stream}) by
 * itself, with no observer registered.
 *
 * <p>Threading: see {@link dev.sluice.observe.StreamObserver}: an observation's calls never
 * overlap but come from different threads; they must not block.
 *
 * <p>Absent values follow the library's convention: empty text, and {@code Optional} from
 * {@link dev.sluice.observe.StreamEnd}'s methods. Arguments are non-null unless documented
 * otherwise.
 */
package dev.sluice.observe;
