package dev.sluice.langchain4j;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The streaming model's callbacks, cancel, failures and failover, against the fake server over real sockets. */
class SluiceStreamingChatModelTest {
    @RegisterExtension
    static final FakeLlmExtension fake = new FakeLlmExtension();

    @AutoClose
    private final FakeClients clients = FakeClients.of(fake.server());

    private final AnthropicClient anthropic = clients.anthropic();
    private final OpenAiClient openai = clients.openai();

    private SluiceStreamingChatModel model(String name) {
        return SluiceStreamingChatModel.builder()
                .provider(anthropic)
                .model(name)
                .build();
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).build();
    }

    @Test
    void cancel_beforeTheResponseHeaders_closesTheConnectionAndNeverCompletes() throws Exception {
        fake.server().enqueue(FakeResponse.noResponse());
        RecordingHandler handler = new RecordingHandler();
        StreamingHandle handle = model("claude-sonnet-4-5").stream(ask("Hello"), handler);
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.server().activeRequests() == 1);

        handle.cancel();

        // the response never comes: only the cancel can close it (no bound in ms, which a busy machine would break)
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> fake.server().activeRequests() == 0);
        assertTrue(handle.isCancelled());
        await().during(Duration.ofMillis(200)).until(() -> handler.events.isEmpty());
    }

    @Test
    void cancel_afterTheHeadersBeforeTheFirstEvent_closesTheConnectionAndNeverCompletes() throws Exception {
        fake.server().enqueue(FakeResponse.answer().text("Too", " late").paced(Duration.ofSeconds(30), Duration.ZERO));
        RecordingHandler handler = new RecordingHandler();
        StreamingHandle handle = model("claude-sonnet-4-5").stream(ask("Hello"), handler);
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.server().activeRequests() == 1);

        handle.cancel();

        // the first event would come after 30 s: closed well before, the cancel closed it
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(1))
                .until(() -> fake.server().activeRequests() == 0);
        await().during(Duration.ofMillis(200)).until(() -> handler.events.isEmpty());
        handle.cancel(); // idempotent
        assertTrue(handle.isCancelled());
    }

    @Test
    void chat_everyPart_reachesItsCallbackInOrderAndTheCompleteResponse() throws Exception {
        fake.server()
                .enqueue(FakeResponse.answer()
                        .thinking("Let me ", "think.")
                        .text("Checking", " the weather.")
                        .toolCall("getWeather", "{\"city\":", "\"Munich\"}")
                        .toolCall("getTime", "{}")
                        .usage(21, 9));
        RecordingHandler handler = new RecordingHandler();
        model("claude-sonnet-4-5").chat(ask("What is the weather?"), handler);

        var response = handler.awaitResponse();
        assertEquals(
                List.of(
                        "thinking: Let me ",
                        "thinking: think.",
                        "text: Checking",
                        "text:  the weather.",
                        "partial call: 0 getWeather {\"city\":",
                        "partial call: 0 getWeather \"Munich\"}",
                        "call: 0 getWeather {\"city\":\"Munich\"}",
                        "partial call: 1 getTime {}",
                        "call: 1 getTime {}",
                        "complete"),
                handler.events);
        AiMessage message = response.aiMessage();
        assertEquals("Checking the weather.", message.text());
        assertEquals("Let me think.", message.thinking());
        assertEquals(
                List.of("getWeather", "getTime"),
                message.toolExecutionRequests().stream().map(r -> r.name()).toList());
        assertEquals(FinishReason.TOOL_EXECUTION, response.finishReason());
        assertEquals(21, response.tokenUsage().inputTokenCount());
        assertEquals(9, response.tokenUsage().outputTokenCount());
        assertEquals(30, response.tokenUsage().totalTokenCount());
        assertEquals("claude-sonnet-4-5", response.metadata().modelName());
        assertTrue(
                response.metadata().id().startsWith("msg_"), response.metadata().id());
        assertEquals(
                "anthropic",
                message.attributes().get(Requests.STATE_PROVIDER)); // the signed thinking, for the next turn
    }

    @Test
    void chat_failureMidStream_reachesOnErrorAsTheSluiceExceptionWithThePartialAndRequestId() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        model("fake-error-mid-stream").chat(ask("Tell me about rivers"), handler);

        SluiceException e = assertInstanceOf(ApiException.class, handler.awaitError());
        assertTrue(
                e.requestId().orElseThrow().startsWith("req_fake_"),
                e.requestId().toString());
        String partial =
                e.partial(dev.sluice.chat.ChatResponse.class).orElseThrow().text();
        assertFalse(partial.isEmpty());
        String streamed = String.join(
                "",
                handler.events.stream()
                        .filter(s -> s.startsWith("text: "))
                        .map(s -> s.substring("text: ".length()))
                        .toList());
        assertEquals(partial, streamed);
        assertFalse(handler.events.contains("complete"));
    }

    @Test
    void chat_overAFallbackChain_failsOverToTheNextProviderAndNamesItsModel() throws Exception {
        FallbackChain chain = FallbackChain.builder()
                .target("anthropic", anthropic, "fake-overloaded")
                .target("openai", openai, "gpt-4o-mini")
                .build();
        SluiceStreamingChatModel model =
                SluiceStreamingChatModel.builder().provider(chain).build();
        RecordingHandler handler = new RecordingHandler();

        model.chat(ask("What is the capital of France?"), handler);

        var response = handler.awaitResponse();
        assertFalse(response.aiMessage().text().isEmpty());
        assertEquals("gpt-4o-mini", response.metadata().modelName());
        assertEquals(
                List.of("/v1/messages", "/v1/chat/completions"),
                fake.server().requests().stream().map(r -> r.path()).toList());
    }

    @Test
    void chat_formatSentAsForcedToolCall_comesBackAsTextNotAsAToolCall() throws Exception {
        // an older model without native structured output: the format goes as a forced tool call
        fake.server().enqueue(FakeResponse.object("{\"city\":", "\"Berlin\"}"));
        ResponseFormat format = ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder()
                        .name("Answer")
                        .rootElement(JsonObjectSchema.builder()
                                .addStringProperty("city")
                                .build())
                        .build())
                .build();
        RecordingHandler handler = new RecordingHandler();
        model("claude-3-5-haiku-latest")
                .chat(
                        ChatRequest.builder()
                                .messages(UserMessage.from("Capital of Germany?"))
                                .parameters(ChatRequestParameters.builder()
                                        .responseFormat(format)
                                        .build())
                                .build(),
                        handler);

        var response = handler.awaitResponse();
        assertEquals("Answer", fake.server().takeRequest().json("/tool_choice/name"));
        assertEquals("{\"city\":\"Berlin\"}", response.aiMessage().text());
        assertEquals(List.of(), response.aiMessage().toolExecutionRequests());
        assertEquals(FinishReason.STOP, response.finishReason());
        assertEquals(List.of("text: {\"city\":", "text: \"Berlin\"}", "complete"), handler.events);
    }

    @Test
    void chat_handlerThrowing_reachesOnErrorAndTheStreamGoesOn() throws Exception {
        fake.server().enqueue(FakeResponse.answer().text("a", "b"));
        RecordingHandler handler = new RecordingHandler() {
            @Override
            public void onPartialResponse(
                    dev.langchain4j.model.chat.response.PartialResponse p,
                    dev.langchain4j.model.chat.response.PartialResponseContext c) {
                super.onPartialResponse(p, c);
                throw new IllegalStateException("user code");
            }
        };
        model("claude-sonnet-4-5").chat(ask("Hi"), handler);

        assertEquals("ab", handler.awaitResponse().aiMessage().text());
        assertEquals(List.of("text: a", "error", "text: b", "error", "complete"), handler.events);
    }

    @Test
    void builder_withoutProviderOrModel_saysWhatIsMissing() {
        IllegalArgumentException noProvider = assertThrows(
                IllegalArgumentException.class,
                () -> SluiceStreamingChatModel.builder().model("m").build());
        assertTrue(noProvider.getMessage().contains("provider"), noProvider.getMessage());
        IllegalArgumentException noModel = assertThrows(
                IllegalArgumentException.class,
                () -> SluiceStreamingChatModel.builder().provider(anthropic).build());
        assertTrue(noModel.getMessage().contains("model"), noModel.getMessage());
        assertThrows(
                NullPointerException.class,
                () -> SluiceStreamingChatModel.builder().provider(null));
    }

    @Test
    void modelInfo_answeredTruthfully() {
        SluiceStreamingChatModel model = SluiceStreamingChatModel.builder()
                .provider(openai)
                .model("gpt-4o-mini")
                .defaultRequestParameters(
                        ChatRequestParameters.builder().temperature(0.2).build())
                .build();
        assertEquals(dev.langchain4j.model.ModelProvider.OPEN_AI, model.provider());
        assertEquals("gpt-4o-mini", model.defaultRequestParameters().modelName());
        assertEquals(0.2, model.defaultRequestParameters().temperature());
        assertEquals(
                java.util.Set.of(dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA),
                model.supportedCapabilities());
    }
}
