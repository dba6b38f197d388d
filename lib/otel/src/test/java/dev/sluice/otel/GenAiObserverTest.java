package dev.sluice.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.ApiException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The entry point: one observer, both signals, and nothing of a conversation or a key in either. */
class GenAiObserverTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    @RegisterExtension
    final InMemoryTelemetry telemetry = new InMemoryTelemetry();

    @Test
    void create_nullOpenTelemetry_throwsNamingIt() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> GenAiObserver.create(null));
        assertEquals("openTelemetry", e.getMessage());
    }

    @Test
    void create_theJavadocExample_recordsTheSpanAndTheMetricsUnderScopeDevSluiceOtel() {
        OpenTelemetry openTelemetry = telemetry.openTelemetry();
        String key = "test";
        String baseUrl = fake.server().baseUrl().toString();
        // the example of GenAiObserver's Javadoc and docs/integrations.md, on the fake server
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey(key)
                .baseUrl(baseUrl)
                .observer(GenAiObserver.create(openTelemetry)) // your SDK, or GlobalOpenTelemetry.get()
                .build()) {
            try (MessageStream s = client.messages().stream(MessageRequest.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(64)
                    .addUserMessage("Tell me about rivers")
                    .build())) {
                s.result();
            }
        }
        assertEquals(
                "dev.sluice.otel",
                telemetry.awaitSpan().getInstrumentationScopeInfo().getName());
        for (String name : List.of(
                "gen_ai.client.operation.duration",
                "gen_ai.client.token.usage",
                "gen_ai.client.operation.time_to_first_chunk",
                "gen_ai.client.operation.time_per_output_chunk")) {
            assertEquals(
                    "dev.sluice.otel",
                    telemetry.awaitMetric(name).getInstrumentationScopeInfo().getName(),
                    name);
        }
    }

    @Test
    void recordedTelemetry_promptAnswerKeyAndErrorMessagesInTheStreams_appearOnNoSpanOrMetric() {
        String prompt = "Tell me about the river Zanzibar-7731";
        String answer = "Answer-4410";
        String key = "sk-test-KEY-9876";
        fake.server()
                .enqueue(
                        FakeResponse.answer().text("The ", answer, " flows.").usage(10, 3), // completed
                        FakeResponse.overloaded(),
                        FakeResponse.answer().text(answer).usage(10, 1), // a retry, then completed
                        FakeResponse.apiError(
                                400, "invalid_request_error", "bad: " + prompt + " with " + key), // refused
                        FakeResponse.answer().text(answer, answer).errorAfter(1)); // failed after content
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey(key)
                .baseUrl(fake.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.defaults()
                        .withInitialBackoff(Duration.ofMillis(20))
                        .withMaxRetries(1))
                .observer(GenAiObserver.create(telemetry.openTelemetry()))
                .build()) {
            ChatRequest request = ChatRequest.builder()
                    .model("claude-sonnet-4-5")
                    .addMessage(ChatMessage.user(prompt))
                    .build();
            for (int i = 0; i < 2; i++) {
                try (EventStream<MessageChunk> s = client.stream(request)) {
                    s.forEach(c -> {});
                }
            }
            assertThrows(ApiException.class, () -> client.stream(request));
            try (EventStream<MessageChunk> s = client.stream(request)) {
                assertThrows(ApiException.class, () -> s.forEach(c -> {}));
            }
        }
        List<SpanData> spans = telemetry.awaitSpans(4);
        assertEquals(4, spans.size());
        List<String> recorded = new ArrayList<>();
        for (SpanData span : spans) {
            recorded.add(span.getName());
            recorded.add(span.getStatus().getDescription());
            span.getAttributes().forEach((k, v) -> recorded.add(k.getKey() + "=" + v));
            for (EventData event : span.getEvents()) {
                recorded.add(event.getName());
                event.getAttributes().forEach((k, v) -> recorded.add(k.getKey() + "=" + v));
            }
        }
        for (MetricData metric : telemetry.metrics()) {
            metric.getData()
                    .getPoints()
                    .forEach(p -> p.getAttributes().forEach((k, v) -> recorded.add(k.getKey() + "=" + v)));
        }
        assertEquals(1, spans.stream().mapToLong(s -> s.getEvents().size()).sum(), "the retry is recorded");
        for (String secret : List.of("Zanzibar", answer, key, "KEY-9876", "bad:")) {
            assertFalse(recorded.stream().anyMatch(r -> r.contains(secret)), secret + " in " + recorded);
        }
    }
}
