package dev.sluice.otel;

import static dev.sluice.otel.InMemoryTelemetry.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The GenAI metrics of real streams from the fake server, read with the SDK's in-memory reader. */
class GenAiMetricsTest {
    private static final String DURATION = "gen_ai.client.operation.duration";

    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    @RegisterExtension
    final InMemoryTelemetry telemetry = new InMemoryTelemetry();

    private AnthropicClient client;

    @BeforeEach
    void setUp() {
        client = anthropic().build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private AnthropicClient.Builder anthropic() {
        return AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.server().baseUrl().toString())
                .observer(GenAiObserver.create(telemetry.openTelemetry()));
    }

    private static List<HistogramPointData> points(MetricData m) {
        return List.copyOf(m.getHistogramData().getPoints());
    }

    private HistogramPointData awaitDuration() {
        return points(telemetry.awaitMetric(DURATION)).get(0);
    }

    @Test
    void completedStream_recordsTheFourInstrumentsWithTheirAttributesUnitsAndBuckets() {
        long chunks;
        long in;
        long out;
        try (MessageStream s = client.messages().stream(MessageRequest.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(256)
                .addUserMessage("Tell me about rivers")
                .build())) {
            var message = s.result();
            chunks = s.metrics().items();
            in = message.usage().inputTokens();
            out = message.usage().outputTokens();
        }
        telemetry.awaitMetric(DURATION);
        Collection<MetricData> all = telemetry.metrics();
        Attributes base = Attributes.builder()
                .put(Conventions.OPERATION, "chat")
                .put(Conventions.PROVIDER, "anthropic")
                .put(Conventions.REQUEST_MODEL, "claude-sonnet-4-5")
                .put(Conventions.SERVER_ADDRESS, fake.server().baseUrl().getHost())
                .put(Conventions.SERVER_PORT, (long) fake.server().port())
                .build();

        MetricData duration = metric(all, DURATION);
        assertEquals("s", duration.getUnit());
        HistogramPointData d = points(duration).get(0);
        assertEquals(base, d.getAttributes());
        assertEquals(1, d.getCount());
        assertEquals(GenAiMetrics.SECONDS_BUCKETS, d.getBoundaries());

        MetricData ttfc = metric(all, "gen_ai.client.operation.time_to_first_chunk");
        assertEquals("s", ttfc.getUnit());
        assertEquals(1, points(ttfc).get(0).getCount());
        assertEquals(base, points(ttfc).get(0).getAttributes());
        assertTrue(points(ttfc).get(0).getSum() <= d.getSum());

        MetricData perChunk = metric(all, "gen_ai.client.operation.time_per_output_chunk");
        assertEquals(chunks - 1, points(perChunk).get(0).getCount());
        assertEquals(base, points(perChunk).get(0).getAttributes());

        MetricData tokens = metric(all, "gen_ai.client.token.usage");
        assertEquals("{token}", tokens.getUnit());
        List<HistogramPointData> byType = points(tokens);
        assertEquals(2, byType.size());
        for (HistogramPointData p : byType) {
            String type = p.getAttributes().get(Conventions.TOKEN_TYPE);
            assertEquals(type.equals("input") ? in : out, (long) p.getSum(), type);
            assertEquals(
                    base,
                    p.getAttributes().toBuilder().remove(Conventions.TOKEN_TYPE).build());
            assertEquals(
                    List.of(
                            1.0,
                            4.0,
                            16.0,
                            64.0,
                            256.0,
                            1024.0,
                            4096.0,
                            16384.0,
                            65536.0,
                            262144.0,
                            1048576.0,
                            4194304.0,
                            16777216.0,
                            67108864.0),
                    p.getBoundaries());
        }
        assertTrue(out > 0 && in > 0);
    }

    @Test
    void failedStream_recordsDurationWithTheProvidersErrorType() {
        ChatRequest request = ChatRequest.builder()
                .model("fake-error-mid-stream")
                .addMessage(ChatMessage.user("hi"))
                .build();
        try (EventStream<MessageChunk> s = client.stream(request)) {
            assertThrows(ApiException.class, () -> s.forEach(c -> {}));
        }
        HistogramPointData d = awaitDuration();
        assertEquals("overloaded_error", d.getAttributes().get(Conventions.ERROR_TYPE));
        assertEquals("fake-error-mid-stream", d.getAttributes().get(Conventions.REQUEST_MODEL));
    }

    @Test
    void openingRefused_recordsDurationWithErrorTypeAndNoChunkTimes() {
        MessageRequest request = MessageRequest.builder()
                .model("fake-no-such-model")
                .maxTokens(16)
                .addUserMessage("hi")
                .build();
        assertThrows(ApiException.class, () -> client.messages().stream(request));
        Collection<MetricData> all = telemetry.metrics();
        HistogramPointData d = points(metric(all, DURATION)).get(0);
        assertEquals("not_found_error", d.getAttributes().get(Conventions.ERROR_TYPE));
        assertTrue(all.stream().noneMatch(m -> m.getName().equals("gen_ai.client.operation.time_to_first_chunk")));
    }

    @Test
    void idleTimeout_recordsDurationWithErrorTypeTimeout() {
        fake.server()
                .enqueue(FakeResponse.answer().text("Half ", "an ", "answer").stallAfter(1));
        try (AnthropicClient impatient = anthropic()
                        .streamOptions(StreamOptions.builder()
                                .idleTimeout(Duration.ofMillis(200))
                                .build())
                        .build();
                EventStream<MessageChunk> s = impatient.stream(ChatRequest.builder()
                        .model("claude-sonnet-4-5")
                        .addMessage(ChatMessage.user("hi"))
                        .build())) {
            assertThrows(StreamTimeoutException.class, () -> s.forEach(c -> {}));
        }
        assertEquals("timeout", awaitDuration().getAttributes().get(Conventions.ERROR_TYPE));
    }

    @Test
    void cancelledStream_recordsDurationWithoutErrorType() {
        fake.server()
                .enqueue(FakeResponse.answer().text("Half ", "an ", "answer").stallAfter(1));
        try (EventStream<MessageChunk> s = client.stream(ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .addMessage(ChatMessage.user("hi"))
                .build())) {
            Iterator<MessageChunk> it = s.iterator();
            it.next();
        } // closing it cancels it
        HistogramPointData d = awaitDuration();
        assertEquals(1, d.getCount());
        assertNull(d.getAttributes().get(Conventions.ERROR_TYPE));
    }

    @Test
    void geminiStream_isGenerateContentOnGcpGemini() {
        try (GeminiClient gemini = GeminiClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.server().baseUrl().toString())
                        .observer(GenAiObserver.create(telemetry.openTelemetry()))
                        .build();
                EventStream<MessageChunk> s = gemini.stream(ChatRequest.builder()
                        .model("gemini-2.5-flash")
                        .addMessage(ChatMessage.user("Tell me about rivers"))
                        .build())) {
            s.forEach(c -> {});
        }
        HistogramPointData d = awaitDuration();
        assertEquals("generate_content", d.getAttributes().get(Conventions.OPERATION));
        assertEquals("gcp.gemini", d.getAttributes().get(Conventions.PROVIDER));
        assertNull(d.getAttributes().get(Conventions.ERROR_TYPE));
    }
}
