package dev.sluice.otel;

import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An OpenTelemetry SDK that keeps what it records in memory: each span as it ends, the metrics
 * when read; on an instance field ({@code @RegisterExtension}), one per test, shut down after it.
 * A stream's observer ends its span on whichever thread ends the stream, possibly after the
 * consumer has seen the end, so spans are awaited.
 */
final class InMemoryTelemetry implements AfterEachCallback {
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setMeterProvider(
                    SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** {@return the spans ended so far, once there are {@code count}} */
    List<SpanData> awaitSpans(int count) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> spans.getFinishedSpanItems().size() >= count);
        return spans.getFinishedSpanItems();
    }

    /** {@return the one span a stream ended} */
    SpanData awaitSpan() {
        List<SpanData> ended = awaitSpans(1);
        if (ended.size() != 1) throw new AssertionError("one span expected, got " + ended);
        return ended.get(0);
    }

    /** {@return every metric recorded so far} */
    Collection<MetricData> metrics() {
        return metrics.collectAllMetrics();
    }

    /** {@return the metric of this name, once it has been recorded} */
    MetricData awaitMetric(String name) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> metrics().stream().anyMatch(m -> m.getName().equals(name)));
        return metric(metrics(), name);
    }

    /** {@return the metric of this name among these} */
    static MetricData metric(Collection<MetricData> all, String name) {
        return all.stream()
                .filter(m -> m.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not recorded; got "
                        + all.stream().map(MetricData::getName).toList()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        sdk.close();
    }
}
