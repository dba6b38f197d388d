package dev.sluice.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.ResumePolicy;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The GenAI client span of real streams from the fake server, read with the SDK's in-memory exporter. */
class GenAiSpansTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    @RegisterExtension
    final InMemoryTelemetry telemetry = new InMemoryTelemetry();

    private AnthropicClient.Builder anthropic() {
        return AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.server().baseUrl().toString())
                .observer(GenAiObserver.create(telemetry.openTelemetry()));
    }

    private static ChatRequest ask(String model) {
        return ChatRequest.builder()
                .model(model)
                .addMessage(ChatMessage.user("hi"))
                .build();
    }

    /** Streams a request to the end, expecting it to fail with {@code failure}. */
    private static void streamFailing(AnthropicClient client, ChatRequest request, Class<? extends Exception> failure) {
        try (EventStream<MessageChunk> s = client.stream(request)) {
            assertThrows(failure, () -> s.forEach(c -> {}));
        }
    }

    private static void assertFailed(SpanData span, String errorType, String endReason) {
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals("", span.getStatus().getDescription());
        assertEquals(errorType, span.getAttributes().get(Conventions.ERROR_TYPE));
        assertEquals(endReason, span.getAttributes().get(Conventions.END_REASON));
    }

    @Test
    void completedStream_endsOneClientSpanNamedForOperationAndModelWithTheConventionsAttributes() {
        fake.server()
                .enqueue(FakeResponse.answer()
                        .text("Rivers ", "run ", "downhill.")
                        .usage(12, 3));
        String requestId;
        long before = System.nanoTime();
        long took;
        try (AnthropicClient client = anthropic().build();
                MessageStream s = client.messages().stream(MessageRequest.builder()
                        .model("claude-sonnet-4-5")
                        .maxTokens(256)
                        .addUserMessage("Tell me about rivers")
                        .build())) {
            s.result();
            took = System.nanoTime() - before;
            requestId = s.requestId().orElseThrow();
        }
        SpanData span = telemetry.awaitSpan();

        assertEquals("chat claude-sonnet-4-5", span.getName());
        assertEquals(SpanKind.CLIENT, span.getKind());
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        assertTrue(span.getEvents().isEmpty(), span.getEvents().toString());
        double ttfc = span.getAttributes().get(Conventions.TIME_TO_FIRST_CHUNK);
        // in seconds, within the call (not within the span: the span starts in onStart, after the
        // stream's clock did, and on a busy machine that gap can outlast the rest of the stream)
        assertTrue(ttfc > 0 && ttfc * 1e9 <= took, ttfc + " s; the call took " + took + " ns");
        assertEquals(
                Attributes.builder()
                        .put(Conventions.OPERATION, "chat")
                        .put(Conventions.PROVIDER, "anthropic")
                        .put(Conventions.REQUEST_MODEL, "claude-sonnet-4-5")
                        .put(Conventions.SERVER_ADDRESS, "127.0.0.1")
                        .put(Conventions.SERVER_PORT, (long) fake.server().port())
                        .put(Conventions.REQUEST_STREAM, true)
                        .put(Conventions.INPUT_TOKENS, 12L)
                        .put(Conventions.OUTPUT_TOKENS, 3L)
                        .put(Conventions.TIME_TO_FIRST_CHUNK, ttfc)
                        .put(Conventions.REQUEST_ID, requestId)
                        .put(Conventions.END_REASON, "completed")
                        .build()
                        .asMap(),
                span.getAttributes().asMap());
    }

    @Test
    void streamOpenedInsideASpan_isThatSpansChildInItsTrace() {
        Span parent = telemetry
                .openTelemetry()
                .getTracer("test")
                .spanBuilder("handle request")
                .startSpan();
        Scope scope = parent.makeCurrent();
        try (AnthropicClient client = anthropic().build();
                EventStream<MessageChunk> s = client.stream(ask("claude-sonnet-4-5"))) {
            s.forEach(c -> {});
        } finally {
            scope.close();
            parent.end();
        }
        List<SpanData> spans = telemetry.awaitSpans(2);
        SpanData stream = spans.stream()
                .filter(d -> d.getKind() == SpanKind.CLIENT)
                .findFirst()
                .orElseThrow();
        assertEquals(parent.getSpanContext().getTraceId(), stream.getTraceId());
        assertEquals(parent.getSpanContext().getSpanId(), stream.getParentSpanId());
    }

    @Test
    void apiErrorMidStream_spanHasStatusErrorAndTheProvidersErrorType() {
        try (AnthropicClient client = anthropic().build()) {
            streamFailing(client, ask("fake-error-mid-stream"), ApiException.class);
        }
        SpanData span = telemetry.awaitSpan();
        assertFailed(span, "overloaded_error", "failed");
        assertTrue(span.getAttributes().get(Conventions.TIME_TO_FIRST_CHUNK) > 0, "content came before the error");
    }

    @Test
    void openingRefused_spanHasStatusErrorAndNoTimeToFirstChunk() {
        try (AnthropicClient client =
                anthropic().retryPolicy(RetryPolicy.none()).build()) {
            assertThrows(ApiException.class, () -> client.stream(ask("fake-no-such-model")));
        }
        SpanData span = telemetry.awaitSpan();
        assertFailed(span, "not_found_error", "failed");
        assertNull(span.getAttributes().get(Conventions.TIME_TO_FIRST_CHUNK));
        assertNull(span.getAttributes().get(Conventions.OUTPUT_TOKENS));
    }

    @Test
    void idleTimeout_spanHasStatusErrorAndErrorTypeTimeout() {
        fake.server()
                .enqueue(FakeResponse.answer().text("Half ", "an ", "answer").stallAfter(1));
        try (AnthropicClient client = anthropic()
                .streamOptions(StreamOptions.builder()
                        .idleTimeout(Duration.ofMillis(200))
                        .build())
                .build()) {
            streamFailing(client, ask("claude-sonnet-4-5"), StreamTimeoutException.class);
        }
        assertFailed(telemetry.awaitSpan(), "timeout", "timed_out");
    }

    @Test
    void cancelledStream_spanEndsWithoutErrorAndSaysCancelled() {
        fake.server()
                .enqueue(FakeResponse.answer().text("Half ", "an ", "answer").stallAfter(1));
        try (AnthropicClient client = anthropic().build();
                EventStream<MessageChunk> s = client.stream(ask("claude-sonnet-4-5"))) {
            Iterator<MessageChunk> it = s.iterator();
            it.next();
        } // closing it cancels it
        SpanData span = telemetry.awaitSpan();
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        assertNull(span.getAttributes().get(Conventions.ERROR_TYPE));
        assertEquals("cancelled", span.getAttributes().get(Conventions.END_REASON));
    }

    @Test
    void openingRetried_oneSpanWithAnEventPerRetryAndNoError() {
        RetryPolicy quick = RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(20));
        try (OpenAiClient client = OpenAiClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.server().baseUrl().toString())
                        .retryPolicy(quick)
                        .observer(GenAiObserver.create(telemetry.openTelemetry()))
                        .build();
                EventStream<MessageChunk> s = client.stream(ChatRequest.builder()
                        .model("fake-flaky-2")
                        .maxTokens(64)
                        .addMessage(ChatMessage.user("hi"))
                        .build())) {
            s.forEach(c -> {});
        }
        SpanData span = telemetry.awaitSpan();
        assertEquals("openai", span.getAttributes().get(Conventions.PROVIDER));
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        List<EventData> events = span.getEvents();
        assertEquals(
                List.of(Conventions.RETRY, Conventions.RETRY),
                events.stream().map(EventData::getName).toList());
        for (int i = 0; i < 2; i++) {
            Attributes a = events.get(i).getAttributes();
            assertEquals(i + 1L, a.get(Conventions.RETRY_NUMBER));
            assertEquals("server_error", a.get(Conventions.ERROR_TYPE)); // OpenAI's overload
            assertTrue(a.get(Conventions.RETRY_DELAY) > 0 && a.get(Conventions.RETRY_DELAY) < 1, a.toString());
        }
    }

    @Test
    void connectionLostAndResumed_spanHasAResumeEventAndNoError() {
        try (AnthropicClient client = anthropic().resume(ResumePolicy.upTo(2)).build();
                MessageStream s = client.messages().stream(MessageRequest.builder()
                        .model("fake-drop")
                        .maxTokens(256)
                        .addUserMessage("hi")
                        .build())) {
            s.forEach(e -> {});
            assertEquals(1, s.resumes().count());
        }
        SpanData span = telemetry.awaitSpan();
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        assertEquals("completed", span.getAttributes().get(Conventions.END_REASON));
        EventData resume = span.getEvents().get(0);
        assertEquals(Conventions.RESUME, resume.getName());
        assertEquals(
                Attributes.of(Conventions.RESUME_NUMBER, 1L, Conventions.ERROR_TYPE, TransportException.class.getName())
                        .asMap(),
                resume.getAttributes().asMap());
    }

    @Test
    void geminiStream_spanIsGenerateContentOnGcpGemini() {
        try (GeminiClient gemini = GeminiClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.server().baseUrl().toString())
                        .observer(GenAiObserver.create(telemetry.openTelemetry()))
                        .build();
                EventStream<MessageChunk> s = gemini.stream(ask("gemini-2.5-flash"))) {
            s.forEach(c -> {});
        }
        SpanData span = telemetry.awaitSpan();
        assertEquals("generate_content gemini-2.5-flash", span.getName());
        assertEquals("generate_content", span.getAttributes().get(Conventions.OPERATION));
        assertEquals("gcp.gemini", span.getAttributes().get(Conventions.PROVIDER));
    }

    @Test
    void promptCacheReadAndWritten_spanHasTheConventionsCacheAttributesCountedInTheInput() {
        fake.server().enqueue(FakeResponse.sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-5-5","content":[],"stop_reason":null,"usage":{"input_tokens":12,"cache_read_input_tokens":1800,"cache_creation_input_tokens":300,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}

                event: message_stop
                data: {"type":"message_stop"}

                """));
        try (AnthropicClient client = anthropic().build();
                EventStream<MessageChunk> s = client.stream(ask("claude-sonnet-5-5"))) {
            s.forEach(c -> {});
        }
        SpanData span = telemetry.awaitSpan();

        assertEquals(1800L, span.getAttributes().get(Conventions.CACHE_READ_TOKENS));
        assertEquals(300L, span.getAttributes().get(Conventions.CACHE_CREATION_TOKENS));
        assertEquals(2112L, span.getAttributes().get(Conventions.INPUT_TOKENS));
        assertEquals("gen_ai.usage.cache_read.input_tokens", Conventions.CACHE_READ_TOKENS.getKey());
        assertEquals("gen_ai.usage.cache_creation.input_tokens", Conventions.CACHE_CREATION_TOKENS.getKey());
    }

    @Test
    void openAiCachedPromptTokens_spanHasTheCacheReadCountedInTheInput() {
        fake.server().enqueue(FakeResponse.sse("""
                data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-6.1-sol","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-6.1-sol","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

                data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-6.1-sol","choices":[],"usage":{"prompt_tokens":2000,"completion_tokens":2,"total_tokens":2002,"prompt_tokens_details":{"cached_tokens":1536}}}

                data: [DONE]

                """));
        try (OpenAiClient client = OpenAiClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.server().baseUrl().toString())
                        .observer(GenAiObserver.create(telemetry.openTelemetry()))
                        .build();
                EventStream<MessageChunk> s = client.stream(ask("gpt-6.1-sol"))) {
            s.forEach(c -> {});
        }
        SpanData span = telemetry.awaitSpan();

        assertEquals(1536L, span.getAttributes().get(Conventions.CACHE_READ_TOKENS));
        assertEquals(null, span.getAttributes().get(Conventions.CACHE_CREATION_TOKENS));
        assertEquals(2000L, span.getAttributes().get(Conventions.INPUT_TOKENS));
    }

    @Test
    void geminiCachedContentTokens_spanHasTheCacheReadCountedInTheInput() {
        fake.server().enqueue(FakeResponse.sse("""
                data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3000,"candidatesTokenCount":2,"cachedContentTokenCount":2048,"totalTokenCount":3002},"modelVersion":"gemini-3.8-flash","responseId":"r1"}

                """));
        try (GeminiClient gemini = GeminiClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.server().baseUrl().toString())
                        .observer(GenAiObserver.create(telemetry.openTelemetry()))
                        .build();
                EventStream<MessageChunk> s = gemini.stream(ask("gemini-3.8-flash"))) {
            s.forEach(c -> {});
        }
        SpanData span = telemetry.awaitSpan();

        assertEquals(2048L, span.getAttributes().get(Conventions.CACHE_READ_TOKENS));
        assertEquals(3000L, span.getAttributes().get(Conventions.INPUT_TOKENS));
    }

    @Test
    void responsesCachedInputTokens_spanHasTheCacheReadCountedInTheInput() {
        String response = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"%s\",\"model\":\"gpt-6.1-sol\","
                + "\"output\":[]%s}";
        fake.server()
                .enqueue(FakeResponse.sse("event: response.created\ndata: {\"type\":\"response.created\","
                        + "\"sequence_number\":0,\"response\":" + response.formatted("in_progress", "") + "}\n\n"
                        + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1,"
                        + "\"response\":"
                        + response.formatted(
                                "completed",
                                ",\"usage\":{\"input_tokens\":2000,\"input_tokens_details\":{\"cached_tokens\":1536},"
                                        + "\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":0},"
                                        + "\"total_tokens\":2002}")
                        + "}\n\n"));
        try (OpenAiClient client = OpenAiClient.builder()
                        .apiKey("test")
                        .baseUrl(fake.server().baseUrl().toString())
                        .observer(GenAiObserver.create(telemetry.openTelemetry()))
                        .build();
                EventStream<MessageChunk> s =
                        client.responses().stream(ask("gpt-6.1-sol"), dev.sluice.stream.StreamController.create())) {
            s.forEach(c -> {});
        }
        SpanData span = telemetry.awaitSpan();

        assertEquals(1536L, span.getAttributes().get(Conventions.CACHE_READ_TOKENS));
        assertEquals(2000L, span.getAttributes().get(Conventions.INPUT_TOKENS));
    }
}
