/**
 * Sluice in OpenTelemetry: {@link dev.sluice.otel.GenAiObserver}, a {@link
 * dev.sluice.client.StreamObserver} that records each stream as the GenAI semantic conventions'
 * client span and metrics. It needs OpenTelemetry's API only; the application brings the SDK (or
 * the Java agent) that exports what is recorded.
 *
 * <p>Nulls: no method accepts or returns null. Threading: thread-safe; see the class.
 */
@NullMarked
package dev.sluice.otel;

import org.jspecify.annotations.NullMarked;
