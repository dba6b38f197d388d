package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.aws.AwsAccess;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claude through Amazon Bedrock ({@link AnthropicClient.Builder#bedrock}) over real loopback sockets,
 * against the testkit's fake {@code invoke-with-response-stream}: its planned answers (the SigV4
 * signature or API key checked as AWS checks them) and scripted ones (thinking, tool use, faults).
 */
class AnthropicBedrockTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final RetryPolicy FAST =
            RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(5));

    private static AwsAccess signed() {
        return AwsAccess.builder()
                .region("us-west-2")
                .endpoint(FAKE.server().baseUrl())
                .credentials(FakeBedrock.ACCESS_KEY_ID, FakeBedrock.SECRET_ACCESS_KEY)
                .build();
    }

    private static AnthropicClient.Builder client() {
        return AnthropicClient.builder().bedrock(signed()).retryPolicy(FAST);
    }

    private static MessageRequest request(String model) {
        return MessageRequest.builder()
                .model(model)
                .maxTokens(256)
                .addUserMessage("Why is the sky blue?")
                .build();
    }

    private static List<StreamEvent> events(AnthropicClient client, MessageRequest request) {
        List<StreamEvent> seen = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(request)) {
            stream.forEach(seen::add);
        }
        return seen;
    }

    @Test
    void stream_signedPlannedAnswer_theBodyAsBedrockWantsItAndTheTextDecoded() {
        try (AnthropicClient client = client().build()) {
            ChatResponse r = client.chat(ChatRequest.builder()
                    .model(MODEL)
                    .addMessage(ChatMessage.user("Why is the sky blue?"))
                    .maxTokens(256)
                    .build());
            assertFalse(r.text().isEmpty());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream", q.path());
        assertTrue(q.body().startsWith("{\"anthropic_version\":\"bedrock-2023-05-31\","), q.body());
        assertEquals(null, q.json("/model"));
        assertEquals(null, q.json("/stream"));
        assertEquals(256L, ((Number) q.json("/max_tokens")).longValue());
        assertTrue(
                q.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY_ID + "/"));
        assertEquals(null, q.header("x-api-key"));
        assertEquals(null, q.header("anthropic-version"));
    }

    @Test
    void stream_bedrockApiKey_bearerAndAccepted() {
        try (AnthropicClient client = AnthropicClient.builder()
                .bedrock(AwsAccess.builder()
                        .endpoint(FAKE.server().baseUrl())
                        .apiKey(FakeBedrock.API_KEY)
                        .build())
                .build()) {
            assertFalse(client.messages().stream(request(MODEL)).result().text().isEmpty());
        }
        assertEquals(
                "Bearer " + FakeBedrock.API_KEY, FAKE.server().takeRequest().header("authorization"));
    }

    @Test
    void stream_wrongSecret_forbiddenInvalidSignatureException() {
        AwsAccess wrong = AwsAccess.builder()
                .region("us-east-1")
                .endpoint(FAKE.server().baseUrl())
                .credentials(FakeBedrock.ACCESS_KEY_ID, "wrong-secret")
                .build();
        try (AnthropicClient client = AnthropicClient.builder().bedrock(wrong).build()) {
            ApiException e = assertThrows(ApiException.class, () -> client.messages().stream(request(MODEL)));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.errorType());
            assertTrue(e.requestId().isPresent(), "x-amzn-RequestId"); // Bedrock's header, not Anthropic's request-id
        }
    }

    @Test
    void stream_thinkingWithSignature_decodedUnchanged() {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .thinking("Light ", "scatters.")
                        .text("Rayleigh ", "scattering.")
                        .usage(12, 9));
        try (AnthropicClient client = client().build()) {
            List<StreamEvent> seen = events(client, request(MODEL));
            assertTrue(
                    seen.stream()
                            .anyMatch(e -> e instanceof ContentBlockDelta d
                                    && d.delta() instanceof ThinkingDelta t
                                    && t.thinking().equals("Light ")),
                    seen.toString());
            assertTrue(
                    seen.stream()
                            .anyMatch(e -> e instanceof ContentBlockDelta d
                                    && d.delta() instanceof SignatureDelta s
                                    && !s.signature().isEmpty()),
                    seen.toString());
            assertInstanceOf(MessageStop.class, seen.getLast());
        }
        try (AnthropicClient client = client().build()) {
            FAKE.server()
                    .enqueue(FakeResponse.answer()
                            .thinking("Light ", "scatters.")
                            .text("Rayleigh ", "scattering."));
            Message m = client.messages().stream(request(MODEL)).result();
            ThinkingBlock thinking =
                    assertInstanceOf(ThinkingBlock.class, m.content().get(0));
            assertEquals("Light scatters.", thinking.thinking());
            assertFalse(thinking.signature().isEmpty());
            assertEquals("Rayleigh scattering.", m.text());
        }
    }

    @Test
    void stream_toolUse_inputAssembled() {
        FAKE.server()
                .enqueue(FakeResponse.answer().text("Looking.").toolCall("get_weather", "{\"city\":", "\"Paris\"}"));
        try (AnthropicClient client = client().build()) {
            Message m = client.messages().stream(request(MODEL)).result();
            ToolUseBlock tool = assertInstanceOf(ToolUseBlock.class, m.content().get(1));
            assertEquals("get_weather", tool.name());
            assertEquals(Map.of("city", "Paris"), tool.input());
            assertEquals("tool_use", m.stopReason());
        }
    }

    @Test
    void stream_exceptionFrameAfterContent_typedInStreamErrorAfterThePartial() {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .text("Hel", "lo", " there")
                        .errorAfter(1, "modelStreamErrorException", "the model failed"));
        List<StreamEvent> seen = new ArrayList<>();
        try (AnthropicClient client = client().build()) {
            ApiException e = assertThrows(ApiException.class, () -> {
                try (MessageStream stream = client.messages().stream(request(MODEL))) {
                    stream.forEach(seen::add);
                }
            });
            assertEquals("modelStreamErrorException", e.errorType());
            assertEquals("the model failed", e.errorMessage());
            assertTrue(e.inStream());
        }
        assertTrue(
                seen.stream()
                        .anyMatch(ev -> ev instanceof ContentBlockDelta d
                                && d.delta() instanceof TextDelta t
                                && t.text().equals("Hel")),
                seen.toString());
        assertEquals(1, FAKE.server().requestCount());
    }

    @Test
    void stream_throttlingFrameBeforeContent_reopenedAndAnswered() {
        FAKE.server()
                .enqueue(
                        FakeResponse.answer().text("never").errorAfter(0, "throttlingException", "Too many requests"),
                        FakeResponse.answer().text("Hello", ", world"));
        try (AnthropicClient client = client().build()) {
            assertEquals(
                    "Hello, world",
                    client.messages().stream(request(MODEL)).result().text());
        }
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void stream_cutAfterText_resumedWithThePrefillThroughBedrockToTheReferenceText() {
        FAKE.server()
                .enqueue(
                        FakeResponse.answer()
                                .text("The sky ", "is blue ", "because")
                                .cutAfter(2),
                        FakeResponse.answer().text(" because of Rayleigh", " scattering."));
        try (AnthropicClient client = client().resume(ResumePolicy.upTo(1)).build();
                MessageStream stream = client.messages().stream(request(MODEL))) {
            assertEquals(
                    "The sky is blue because of Rayleigh scattering.",
                    stream.result().text());
            assertEquals(1, stream.resumes().count());
        }
        FAKE.server().takeRequest();
        RecordedRequest continuation = FAKE.server().takeRequest();
        assertTrue(continuation.path().endsWith("/invoke-with-response-stream"), continuation.path());
        assertEquals("assistant", continuation.json("/messages/1/role"));
        assertEquals("The sky is blue", continuation.json("/messages/1/content")); // no trailing whitespace
        assertEquals("bedrock-2023-05-31", continuation.json("/anthropic_version"));
        assertTrue(
                continuation.header("authorization").startsWith("AWS4-HMAC-SHA256 "),
                continuation.header("authorization"));
    }

    @Test
    void stream_droppedPlannedAnswer_continuationSignedAndAcceptedByTheFake() {
        try (AnthropicClient client = client().resume(ResumePolicy.upTo(2)).build();
                MessageStream stream = client.messages().stream(request("fake-drop"))) {
            assertFalse(stream.result().text().isEmpty());
            assertEquals(1, stream.resumes().count());
        }
        assertEquals(2, FAKE.server().requestCount());
    }

    @Test
    void create_postsToInvokeAndReadsTheMessage() {
        FAKE.server()
                .enqueue(FakeResponse.status(200)
                        .body(
                                "application/json",
                                "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                                        + "\"model\":\"claude\",\"content\":[{\"type\":\"text\",\"text\":\"Blue.\"}],\"stop_reason\":\"end_turn\","
                                        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}"));
        try (AnthropicClient client = client().build()) {
            assertEquals("Blue.", client.messages().create(request(MODEL)).text());
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke", q.path());
        assertEquals(null, q.json("/stream"));
        assertEquals("bedrock-2023-05-31", q.json("/anthropic_version"));
        assertTrue(q.header("authorization").startsWith("AWS4-HMAC-SHA256 "));
    }

    @Test
    void create_plannedAnswerAtTheFakesInvoke_signatureCheckedAndTheMessageRead() {
        try (AnthropicClient client = client().build()) {
            Message m = client.messages().create(request(MODEL));
            assertFalse(m.text().isEmpty());
            assertEquals("assistant", m.role());
        }
        assertTrue(FAKE.server().takeRequest().path().endsWith("/invoke"));
    }

    @Test
    void countTokens_unsupportedThroughBedrock_sayingWhy() {
        try (AnthropicClient client = AnthropicClient.builder()
                .bedrock(AwsAccess.builder().region("eu-west-1").build())
                .build()) {
            UnsupportedOperationException e = assertThrows(
                    UnsupportedOperationException.class, () -> client.messages().countTokens(request(MODEL)));
            assertTrue(e.getMessage().contains("Bedrock"), e.getMessage());
            String s = client.toString();
            assertTrue(s.contains("bedrock-runtime.eu-west-1.amazonaws.com") && s.contains("region=eu-west-1"), s);
        }
    }

    @Test
    void stream_requestWithCompactionAndFallbacks_betasInTheBodyAsBedrockReadsThem() {
        MessageRequest request = MessageRequest.builder()
                .model(MODEL)
                .maxTokens(256)
                .addUserMessage("hi")
                .contextManagement(List.of(Map.of("type", "compact_20260112")))
                .fallbacks(List.of(Map.of("model", "us.anthropic.claude-haiku-4-5-20251001-v1:0")))
                .build();
        try (AnthropicClient client =
                client().beta("interleaved-thinking-2025-05-14").build()) {
            events(client, request);
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertTrue(q.body().startsWith("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":"), q.body());
        assertEquals(
                List.of("interleaved-thinking-2025-05-14", "compact-2026-01-12", "server-side-fallback-2026-07-01"),
                q.json("/anthropic_beta"));
        assertEquals("compact_20260112", q.json("/context_management/edits/0/type"));
    }

    @Test
    void chat_toolTurnWithThinking_providerStateNamedForBedrockAndAcceptedByTheStrictFake() {
        long before = FAKE.server().opaqueRejections();
        dev.sluice.chat.Tool weather = new dev.sluice.chat.Tool("get_weather", "Weather", Map.of("type", "object"));
        try (AnthropicClient client = client().build()) {
            ChatRequest.Builder first = ChatRequest.builder()
                    .model(MODEL)
                    .maxTokens(4096)
                    .thinkingBudget(1024)
                    .addTool(weather)
                    .addMessage(ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"));
            ChatResponse r = client.chat(first.build());
            assertEquals("bedrock-anthropic", r.providerState().provider());
            ChatResponse second = client.chat(first.addMessage(ChatMessage.assistant(r))
                    .addMessage(ChatMessage.toolResults(List.of(dev.sluice.chat.ToolResult.of(
                            r.toolCalls().getFirst().id(), "18C"))))
                    .build());
            assertFalse(second.text().isEmpty());
        }
        assertEquals(before, FAKE.server().opaqueRejections());
    }

    @Test
    void passthrough_bedrock_bodyInTheCloudsEnvelopeAndEachChunkUnwrappedToAnthropicsEvent() {
        String body = "{\"model\":\"anthropic/claude\",\"max_tokens\":256,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]}";
        List<dev.sluice.sse.SseEvent> events = new ArrayList<>();
        try (AnthropicClient client = client().build();
                var stream = client.passthrough().orElseThrow().stream(
                        body, MODEL, List.of("context-1m-2025-08-07"), dev.sluice.stream.StreamController.create())) {
            stream.forEach(events::add);
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream", q.path());
        assertTrue(
                q.body()
                        .startsWith(
                                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"context-1m-2025-08-07\"],"),
                q.body());
        assertEquals(null, q.json("/model"));
        assertEquals("message_start", events.getFirst().type());
        assertEquals("message_stop", events.getLast().type());
        for (dev.sluice.sse.SseEvent e : events) {
            assertEquals(
                    e.type(),
                    ((java.util.Map<?, ?>)
                                    dev.sluice.chat.PartialJson.parse(e.data()).value())
                            .get("type"),
                    e.toString());
        }
    }
}
