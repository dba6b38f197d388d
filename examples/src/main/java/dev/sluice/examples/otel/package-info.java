/**
 * OpenTelemetry for Sluice, as an example module would ship it: {@link
 * dev.sluice.examples.otel.GenAiMetrics} is a {@link dev.sluice.client.StreamObserver} recording
 * the GenAI semantic conventions' client metrics. Needs {@code io.opentelemetry:opentelemetry-api}
 * on the class path (a provided dependency here: the command-line jar does not carry it).
 *
 * <p>Nulls: none. Threading: see the class.
 */
package dev.sluice.examples.otel;
