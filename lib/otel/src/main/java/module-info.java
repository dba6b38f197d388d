/**
 * Sluice's streams in OpenTelemetry: {@link dev.sluice.otel.GenAiObserver}, registered on any Sluice
 * client's builder, records each stream as the GenAI semantic conventions' client span and
 * metrics. Requires OpenTelemetry's API only ({@code io.opentelemetry.api}); the application
 * brings the SDK, or the Java agent, that exports them. Exports {@code dev.sluice.otel} alone.
 */
module dev.sluice.otel {
    requires transitive dev.sluice;
    requires transitive io.opentelemetry.api;

    exports dev.sluice.otel;
}
