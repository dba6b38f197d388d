/**
 * OpenTelemetry for Sluice: {@link dev.sluice.otel.GenAiMetrics} is a {@link
 * dev.sluice.client.StreamObserver} recording the GenAI semantic conventions' client metrics.
 *
 * <p>Nulls: none. Threading: see the class.
 */
package dev.sluice.otel;
