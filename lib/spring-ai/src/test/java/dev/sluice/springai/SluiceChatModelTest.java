package dev.sluice.springai;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.LimitExceededException;
import dev.sluice.SluiceException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.Failover;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeType;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

class SluiceChatModelTest {
    @RegisterExtension
    static final FakeLlmExtension fake = new FakeLlmExtension();

    private static FakeLlmServer server;
    private static AnthropicClient anthropic;
    private static OpenAiClient openai;

    @BeforeAll
    static void start() {
        server = fake.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build();
        openai = OpenAiClient.builder()
                .apiKey("test")
                .baseUrl(server.baseUrl().toString())
                .build();
    }

    @AfterAll
    static void stop() {
        anthropic.close();
        openai.close();
    }

    private static SluiceChatModel model() {
        return SluiceChatModel.builder()
                .provider(anthropic)
                .model("claude-sonnet-4-5")
                .build();
    }

    private static Prompt prompt(String text) {
        return new Prompt(new UserMessage(text));
    }

    // ------------------------------------------------------------------ the builder

    @Test
    void build_withoutProvider_throwsNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SluiceChatModel.builder().build());
        assertTrue(e.getMessage().startsWith("provider is required"), e.getMessage());
        assertEquals(
                "provider",
                assertThrows(
                                NullPointerException.class,
                                () -> SluiceChatModel.builder().provider(null))
                        .getMessage());
    }

    @Test
    void call_noModelAnywhere_throwsSayingWhereToSetOne() {
        SluiceChatModel model = SluiceChatModel.builder().provider(anthropic).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.call(prompt("Hi")));
        assertTrue(e.getMessage().contains("model(..)"), e.getMessage());
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void stream_disposedAfterTheHeadersBeforeTheFirstEvent_closesTheConnection() {
        server.enqueue(FakeResponse.answer().text("never", " sent").paced(Duration.ofSeconds(30), Duration.ZERO));
        Disposable subscription = model().stream(prompt("Hi")).subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 1);
        assertClosedByTheDispose(subscription);
    }

    @Test
    void stream_disposedWhileTheRequestIsStillConnecting_closesTheConnection() {
        server.enqueue(FakeResponse.noResponse());
        Disposable subscription = model().stream(prompt("Hi")).subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 1);
        assertClosedByTheDispose(subscription);
    }

    /**
     * The response never comes, or its first event would come after 30 s: only the dispose can
     * close the connection this early (no bound in milliseconds, which a busy machine breaks).
     */
    private static void assertClosedByTheDispose(Disposable subscription) {
        subscription.dispose();
        await().pollInterval(Duration.ofMillis(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.activeRequests() == 0);
    }

    @Test
    void stream_onlyOneResponseRequested_deliversOneOnAVirtualThreadAndHoldsTheRest() {
        server.enqueue(FakeResponse.answer().text("a", "b", "c", "d", "e"));
        List<String> threads = new CopyOnWriteArrayList<>();
        BaseSubscriber<ChatResponse> one = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(ChatResponse value) {
                threads.add(Thread.currentThread().isVirtual() + " "
                        + value.getResult().getOutput().getText());
            }
        };
        model().stream(prompt("Hi")).subscribe(one);
        await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> threads.size() == 1);
        assertEquals(List.of("true a"), threads);
        one.request(10);
        await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 6); // five texts, then the last response
        one.dispose();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void call_streamFailsAfterContent_throwsTheTypedExceptionWithThePartialAndTheRequestId() {
        server.enqueue(FakeResponse.answer().text("Hel", "lo ", "there").errorAfter(2));
        SluiceException e = assertThrows(SluiceException.class, () -> model().call(prompt("Hi")));
        assertInstanceOf(ApiException.class, e);
        assertEquals(
                "Hello ",
                e.partial(dev.sluice.chat.ChatResponse.class).orElseThrow().text());
        assertTrue(e.requestId().orElseThrow().startsWith("req_"), e.requestId().toString());
    }

    @Test
    void stream_failsAfterContent_deliversWhatCameThenSignalsTheTypedExceptionWithThePartialAndTheRequestId() {
        server.enqueue(FakeResponse.answer().text("Hel", "lo ", "there").errorAfter(2));
        List<String> texts = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        model().stream(prompt("Hi"))
                .subscribe(r -> texts.add(r.getResult().getOutput().getText()), failure::set);
        await().atMost(Duration.ofSeconds(5)).until(() -> failure.get() != null);
        assertEquals(List.of("Hel", "lo "), texts);
        SluiceException e = assertInstanceOf(ApiException.class, failure.get());
        assertEquals(
                "Hello ",
                e.partial(dev.sluice.chat.ChatResponse.class).orElseThrow().text());
        assertTrue(e.requestId().orElseThrow().startsWith("req_"), e.requestId().toString());
    }

    // ------------------------------------------------------------------ media

    @Test
    void call_userMediaImagePdfAndAudio_sentInEachProvidersOwnShape() {
        byte[] pdf = "%PDF-1.4".getBytes(StandardCharsets.US_ASCII);
        server.enqueue(FakeResponse.answer().text("ok"));
        model().call(new Prompt(UserMessage.builder()
                .text("What is in these?")
                .media(
                        Media.builder()
                                .mimeType(Media.Format.IMAGE_PNG)
                                .data(URI.create("https://example.com/cat.png"))
                                .build(),
                        Media.builder()
                                .mimeType(Media.Format.DOC_PDF)
                                .data(pdf)
                                .name("report.pdf")
                                .build())
                .build()));
        RecordedRequest claude = server.requests().getLast();
        assertEquals("document", claude.json("/messages/0/content/0/type"), claude.body());
        assertEquals(
                Base64.getEncoder().encodeToString(pdf),
                claude.json("/messages/0/content/0/source/data"),
                claude.body());
        assertEquals("url", claude.json("/messages/0/content/1/source/type"), claude.body());
        assertEquals("What is in these?", claude.json("/messages/0/content/2/text"), claude.body());

        server.enqueue(FakeResponse.answer().text("ok"));
        SluiceChatModel.builder()
                .provider(openai)
                .model("gpt-audio")
                .build()
                .call(new Prompt(UserMessage.builder()
                        .text("What is said?")
                        .media(Media.builder()
                                .mimeType(MimeType.valueOf("audio/wav"))
                                .data(new byte[] {'R', 'I', 'F', 'F'})
                                .build())
                        .build()));
        RecordedRequest gpt = server.requests().getLast();
        assertEquals("input_audio", gpt.json("/messages/0/content/0/type"), gpt.body());
        assertEquals("wav", gpt.json("/messages/0/content/0/input_audio/format"), gpt.body());
    }

    @Test
    void call_userVideoOrADocumentByUrl_refusedBeforeAnythingIsSent() {
        int before = server.requests().size();
        IllegalArgumentException video = assertThrows(
                IllegalArgumentException.class,
                () -> model().call(new Prompt(UserMessage.builder()
                        .text("What happens?")
                        .media(Media.builder()
                                .mimeType(Media.Format.VIDEO_MP4)
                                .data(URI.create("https://example.com/a.mp4"))
                                .build())
                        .build())));
        assertTrue(video.getMessage().contains("video"), video.getMessage());
        IllegalArgumentException pdfByUrl = assertThrows(
                IllegalArgumentException.class,
                () -> model().call(new Prompt(UserMessage.builder()
                        .text("Summarize")
                        .media(Media.builder()
                                .mimeType(Media.Format.DOC_PDF)
                                .data(URI.create("https://example.com/a.pdf"))
                                .build())
                        .build())));
        assertTrue(pdfByUrl.getMessage().contains("not by URL"), pdfByUrl.getMessage());
        assertEquals(before, server.requests().size());
    }

    @Test
    void call_refusedBeforeStreaming_throwsTheTypedException() {
        server.enqueue(FakeResponse.apiError(400, "invalid_request_error", "no such thing"));
        ApiException e = assertThrows(ApiException.class, () -> model().call(prompt("Hi")));
        assertEquals(400, e.statusCode());
    }

    @Test
    void call_streamReachesItsChunkLimit_throwsLimitExceededWithThePartialRatherThanATruncatedAnswer() {
        server.enqueue(FakeResponse.answer().text("a", "b", "c", "d", "e", "f"));
        SluiceChatModel model = SluiceChatModel.builder()
                .provider(anthropic)
                .model("claude-sonnet-4-5")
                .streamOptions(StreamOptions.builder().maxChunks(3).build())
                .build();
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> model.call(prompt("Hi")));
        assertEquals("maxChunks", e.limit());
        assertTrue(e.partial(dev.sluice.chat.ChatResponse.class).isPresent());
    }

    @Test
    void stream_endsWithoutAFinishReason_signalsIncompleteStream() {
        server.enqueue(FakeResponse.answer().text("a", "b", "c").endAfter(2));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        model().stream(prompt("Hi")).subscribe(r -> {}, failure::set);
        await().atMost(Duration.ofSeconds(5)).until(() -> failure.get() != null);
        assertInstanceOf(SluiceException.class, failure.get());
    }

    // ------------------------------------------------------------------ fallback chain

    @Test
    void callAndStream_overAFallbackChainWhoseFirstTargetIsOverloaded_answerFromTheNextAndNameTheSwitch() {
        FallbackChain chain = FallbackChain.builder()
                .target("anthropic", anthropic, "fake-overloaded")
                .target("openai", openai, "gpt-4o-mini")
                .build();
        SluiceChatModel model = SluiceChatModel.builder().provider(chain).build();
        server.setDispatcher(r -> r.path().equals("/v1/messages")
                ? FakeResponse.overloaded()
                : FakeResponse.answer().text("From ", "the next."));
        ChatResponse called = model.call(prompt("Hi"));
        assertEquals("From the next.", called.getResult().getOutput().getText());
        List<Failover> failovers = called.getMetadata().get("failovers");
        assertEquals("openai", failovers.getFirst().to());
        assertEquals("gpt-4o-mini", called.getMetadata().getModel());

        List<ChatResponse> streamed = model.stream(prompt("Hi")).collectList().block(Duration.ofSeconds(10));
        assertEquals(
                "From the next.",
                String.join(
                        "",
                        streamed.stream()
                                .map(r -> r.getResult().getOutput().getText())
                                .toList()));
        List<Failover> streamedFailovers = streamed.getLast().getMetadata().get("failovers");
        assertEquals("openai", streamedFailovers.getFirst().to());
    }

    // ------------------------------------------------------------------ metadata

    @Test
    void call_metadata_carriesTheRequestIdUsageAndFinishReason() {
        server.enqueue(FakeResponse.answer().text("Hi", " there").usage(12, 3));
        ChatResponse response = model().call(prompt("Hi"));
        String requestId = response.getMetadata().get("requestId");
        assertTrue(requestId.startsWith("req_"), requestId);
        assertEquals(requestId, response.getMetadata().getId());
        assertTrue(((String) response.getMetadata().get("responseId")).startsWith("msg_"));
        assertEquals("claude-sonnet-4-5", response.getMetadata().getModel());
        assertEquals(12, response.getMetadata().getUsage().getPromptTokens());
        assertEquals(3, response.getMetadata().getUsage().getCompletionTokens());
        assertEquals(15, response.getMetadata().getUsage().getTotalTokens());
        assertInstanceOf(
                dev.sluice.chat.Usage.class, response.getMetadata().getUsage().getNativeUsage());
        assertEquals("Hi there", response.getResult().getOutput().getText());
        assertEquals("STOP", response.getResult().getMetadata().getFinishReason());
        assertEquals("end_turn", response.getResult().getMetadata().get("providerFinishReason"));
    }

    @Test
    void stream_lastResponse_carriesTheToolCallsUsageFinishReasonAndRequestId() {
        server.enqueue(FakeResponse.answer()
                .text("Checking.")
                .toolCall("weather", "{\"city\":", "\"Paris\"}")
                .toolCall("weather", "{\"city\":\"Oslo\"}")
                .usage(20, 9));
        List<ChatResponse> responses =
                model().stream(prompt("Hi")).collectList().block(Duration.ofSeconds(10));
        assertEquals("Checking.", responses.getFirst().getResult().getOutput().getText());
        ChatResponse last = responses.getLast();
        AssistantMessage message = last.getResult().getOutput();
        assertEquals(2, message.getToolCalls().size());
        AssistantMessage.ToolCall paris = message.getToolCalls().getFirst();
        assertEquals("weather", paris.name());
        assertEquals("{\"city\":\"Paris\"}", paris.arguments());
        assertNotNull(paris.id());
        assertEquals("TOOL_CALLS", last.getResult().getMetadata().getFinishReason());
        assertEquals(20, last.getMetadata().getUsage().getPromptTokens());
        assertEquals(9, last.getMetadata().getUsage().getCompletionTokens());
        assertTrue(
                last.getMetadata().getId().startsWith("req_"),
                last.getMetadata().getId());
        assertTrue(last.hasToolCalls());
    }

    @Test
    void call_toolResponseMessage_goesBackAsTheProvidersToolResult() {
        server.enqueue(
                FakeResponse.answer().toolCall("weather", "{\"city\":\"Paris\"}"),
                FakeResponse.answer().text("Mild."));
        SluiceChatModel model = model();
        UserMessage question = new UserMessage("Weather in Paris?");
        ChatResponse first = model.call(new Prompt(question));
        AssistantMessage call = first.getResult().getOutput();
        String id = call.getToolCalls().getFirst().id();
        ToolResponseMessage result = ToolResponseMessage.builder()
                .responses(List.of(new ToolResponseMessage.ToolResponse(id, "weather", "{\"temp\":15}")))
                .build();
        assertEquals(
                "Mild.",
                model.call(new Prompt(List.of(question, call, result)))
                        .getResult()
                        .getOutput()
                        .getText());
        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertEquals("tool_use", second.json("/messages/1/content/0/type"));
        assertEquals(id, second.json("/messages/1/content/0/id"));
        assertEquals("Paris", second.json("/messages/1/content/0/input/city"));
        assertEquals("tool_result", second.json("/messages/2/content/0/type"));
        assertEquals(id, second.json("/messages/2/content/0/tool_use_id"));
    }

    @Test
    void call_thinkingAndItsSignature_comeBackInTheMessageAndGoBackWithIt() {
        server.enqueue(
                FakeResponse.answer().thinking("Let me ", "think.").toolCall("weather", "{}"),
                FakeResponse.answer().text("Done."));
        SluiceChatModel model = model();
        UserMessage question = new UserMessage("Weather?");
        AssistantMessage call = model.call(new Prompt(question)).getResult().getOutput();
        assertEquals("Let me think.", call.getMetadata().get("thinking"));
        ToolResponseMessage result = ToolResponseMessage.builder()
                .responses(List.of(new ToolResponseMessage.ToolResponse(
                        call.getToolCalls().getFirst().id(), "weather", "sunny")))
                .build();
        model.call(new Prompt(List.of(question, call, result)));
        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertEquals("thinking", second.json("/messages/1/content/0/type"));
        assertEquals("Let me think.", second.json("/messages/1/content/0/thinking"));
        assertNotNull(second.json("/messages/1/content/0/signature"));
    }

    @Test
    void stream_textConcatenated_equalsTheAnswerAndTheLastResponseAddsNoText() {
        server.enqueue(FakeResponse.answer().text("One ", "two ", "three."));
        List<String> texts = Flux.from(model().stream(prompt("Hi")))
                .map(r -> r.getResult().getOutput().getText())
                .collectList()
                .block(Duration.ofSeconds(10));
        assertEquals(List.of("One ", "two ", "three.", ""), texts);
    }
}
