/**
 * JDK Flight Recorder events: {@link dev.sluice.internal.call.jfr.StreamEvent} ({@code dev.sluice.Stream},
 * one per stream, recorded by {@link dev.sluice.internal.call.jfr.JfrStreamObserver}, which every
 * client has). The retry event ({@code dev.sluice.Retry}) lives beside the retrier in
 * {@code internal.call.stream}, the failover and hedge events ({@code dev.sluice.Failover},
 * {@code dev.sluice.Hedge}) beside the fallback chain in {@code chat}, and the relay's ({@code dev.sluice.RelayConnection}, one per relay
 * connection) in {@code sluice-relay}. The event names and fields are the contract users see
 * ({@code jfr print --events dev.sluice.Stream}); the classes are internal.
 *
 * <p>Layer: above {@code chat} and {@code client} (it implements the observer); used by
 * {@code internal.call.client}. Not exported: JFR reads the events through the module
 * system by itself. Threading: an event is begun on one thread and committed on another, each
 * exactly once. Nulls: text fields are empty, never null, when committed.
 */
@NullMarked
package dev.sluice.internal.call.jfr;

import org.jspecify.annotations.NullMarked;
