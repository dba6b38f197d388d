/**
 * JDK Flight Recorder events: {@link dev.sluice.internal.call.jfr.StreamEvent} ({@code dev.sluice.Stream},
 * one per stream, recorded by {@link dev.sluice.internal.call.jfr.JfrStreamObserver}, which every
 * client has) and {@link dev.sluice.internal.call.jfr.RelayConnectionEvent}
 * ({@code dev.sluice.RelayConnection}, one per relay connection, emitted by the relay). The retry
 * event ({@code dev.sluice.Retry}) lives beside the retrier in {@code internal.http}, below this
 * layer. The event names and fields are the contract users see ({@code jfr print --events
 * dev.sluice.Stream}); the classes are internal.
 *
 * <p>Layer: above {@code chat} and {@code observe} (it implements the observer); used by
 * {@code internal.client} and the relay. Not exported: JFR reads the events through the module
 * system by itself. Threading: an event is begun on one thread and committed on another, each
 * exactly once. Nulls: text fields are empty, never null, when committed.
 */
package dev.sluice.internal.call.jfr;
