/**
 * Sluice's streams in OpenTelemetry: the GenAI semantic conventions' client metrics, recorded by a
 * {@link dev.sluice.client.StreamObserver} registered on any Sluice client. Needs OpenTelemetry's
 * API only; the application brings the SDK (or the Java agent) that exports what is recorded.
 */
module dev.sluice.otel {
    requires transitive dev.sluice;
    requires transitive io.opentelemetry.api;

    exports dev.sluice.otel;
}
