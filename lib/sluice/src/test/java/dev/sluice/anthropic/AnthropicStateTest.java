package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentEvent.RunFinished;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a 2026 Anthropic stream sends that the next turn needs back, and what it reports: compaction
 * ({@code encrypted_content} byte for byte), server-side fallback (the model relabelled), stop
 * details and usage; each captured stream at several chunkings, then over loopback on the test
 * kit's strict fake.
 */
class AnthropicStateTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    static final String SUMMARY =
            "Summary: the user is migrating a Maven build to Java 21; modules a, b done; c fails on"
                    + " \"--release\" \u2014 next: fix c.";
    static final String ENCRYPTED = "EqQECkYIBxgCKkB3+/zc0mPq/9xAbCdEf0123456789+/ZZ+q\\n==";

    private static AnthropicClient client() {
        return AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(fake.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    private static Message replay(String fixture, int chunkSize) {
        byte[] body = Fixtures.sse(fixture);
        return MessageStream.replay(new ByteArrayInputStream(body), Math.min(chunkSize, body.length));
    }

    private static ChatResponse chat(String fixture, ChatRequest request) {
        fake.server().enqueue(FakeResponse.sse(Fixtures.sse(fixture)));
        try (AnthropicClient c = client()) {
            return c.chat(request);
        }
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.builder()
                .model("claude-opus-4-6")
                .addMessage(ChatMessage.user(text))
                .build();
    }

    @ParameterizedTest(name = "in chunks of {0}")
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void compaction_anyChunking_blockWithEncryptedContentAsSentAndItsStopReason(int chunkSize) {
        Message m = replay("2026-compaction", chunkSize);
        assertEquals(
                List.of(new CompactionBlock(SUMMARY, ENCRYPTED)),
                m.content(),
                "each compaction_delta's fields replace the block's; the second carried only encrypted_content");
        assertEquals("compaction", m.stopReason());
        assertEquals(
                "clear_tool_uses_20250919",
                m.contextManagement().appliedEdits().getFirst().get("type"),
                "message_delta's context_management replaces message_start's");
        MessageUsage.Iteration it = m.usage().iterations().getFirst();
        assertEquals(new MessageUsage.Iteration("compaction", null, 161234, 1730, 0, 0), it);
        assertEquals("standard", m.usage().speed());
        assertEquals(0L, m.usage().thinkingTokens());
        Message back = Message.fromJson(m.toJson());
        assertEquals(m.content(), back.content(), "written and read back in the API's shape");
        assertTrue(m.toJson().contains("{\"type\":\"compaction\",\"content\":"), m.toJson());
    }

    @ParameterizedTest(name = "in chunks of {0}")
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void fallback_anyChunking_blockTypedModelRelabelledUsageIterations(int chunkSize) {
        Message m = replay("2026-fallback-thinking", chunkSize);
        assertEquals("claude-sonnet-4-6", m.model(), "the message's model becomes the fallback's target");
        FallbackBlock f = assertInstanceOf(FallbackBlock.class, m.content().get(1));
        assertEquals("claude-opus-4-7", f.fromModel());
        assertEquals("claude-sonnet-4-6", f.toModel());
        assertEquals("refusal", f.triggerType());
        assertEquals("cyber", f.triggerCategory());
        assertEquals(
                "ErUBCkYIBxgCIkDSonnet/Sig+2==", ((ThinkingBlock) m.content().get(2)).signature());
        assertEquals(
                List.of("message", "fallback_message"),
                m.usage().iterations().stream()
                        .map(MessageUsage.Iteration::type)
                        .toList());
        assertEquals("claude-sonnet-4-6", m.usage().iterations().get(1).model());
        assertEquals(57L, m.usage().thinkingTokens());
        assertEquals("fast", m.usage().speed());
        assertEquals(m.toJson(), Message.fromJson(m.toJson()).toJson(), "written and read back in the API's shape");
    }

    @Test
    void refusal_stopDetailsEveryFieldTheSdksType() {
        StopDetails d = replay("2026-refusal-fallback-credit", 7).stopDetails();
        assertEquals("bio", d.category());
        assertEquals("This request was declined.", d.explanation());
        assertEquals("fct_01AbC+/x9==", d.fallbackCreditToken());
        assertEquals(Boolean.TRUE, d.fallbackHasPrefillClaim());
        assertEquals("claude-sonnet-4-6", d.recommendedModel());
        ChatResponse r = chat("2026-refusal-fallback-credit", ask("x"));
        assertEquals(
                new FinishReason(FinishReason.Kind.REFUSAL, "refusal", "This request was declined."), r.finishReason());
    }

    @Test
    void pauseTurn_webFetchResultTypedAndNeutralPause() {
        Message m = replay("2026-pause-turn", 1);
        ServerToolResultBlock.WebFetch fetch = assertInstanceOf(
                ServerToolResultBlock.WebFetch.class, m.content().get(1));
        assertEquals("https://example.com/tides", fetch.url());
        assertEquals(
                new FinishReason(FinishReason.Kind.PAUSE_TURN, "pause_turn"),
                chat("2026-pause-turn", ask("x")).finishReason());
    }

    @Test
    void pauseTurn_continuation_serverToolCallAndResultGoBackAsTheyCame() {
        ChatResponse r = chat("2026-pause-turn", ask("Tides?"));
        assertEquals(FinishReason.Kind.PAUSE_TURN, r.finishReason().kind());
        MessageRequest next = AnthropicRequests.toMessageRequest(ChatRequest.builder()
                .model("claude-sonnet-4-6")
                .addMessage(ChatMessage.user("Tides?"))
                .addMessage(ChatMessage.assistant(r))
                .build());
        Message m = replay("2026-pause-turn", 1);
        assertEquals(
                List.of(
                        new VerbatimParam(Map.of(
                                "type",
                                "server_tool_use",
                                "id",
                                "srvtoolu_01F",
                                "name",
                                "web_fetch",
                                "input",
                                Map.of("url", "https://example.com/tides"))),
                        new VerbatimParam(((ServerToolResultBlock) m.content().get(1)).json())),
                next.messages().get(1).content(),
                "the API runs server tools itself: a continuation sends the call, its streamed input and the result back");
    }

    @Test
    void toolUseCaller_keptAndSentBackWithTheCall() {
        String sse =
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
                        + "\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"code_execution\",\"input\":{\"code\":\"f()\"}}}\n\n"
                        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":"
                        + "\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{},\"caller\":{\"type\":\"code_execution_20250825\","
                        + "\"tool_id\":\"srvtoolu_1\"}}}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
                        + "\"input_json_delta\",\"partial_json\":\"{\\\"n\\\": 1}\"}}\n\n"
                        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
                        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
                        + "\"usage\":{\"output_tokens\":5}}\n\n"
                        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        byte[] bytes = sse.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> caller = Map.of("type", "code_execution_20250825", "tool_id", "srvtoolu_1");
        Message m = MessageStream.replay(new ByteArrayInputStream(bytes), 3);
        assertEquals(caller, ((ToolUseBlock) m.content().get(1)).caller());
        assertTrue(
                m.toJson().contains("\"caller\":{\"type\":\"code_execution_20250825\",\"tool_id\":\"srvtoolu_1\"}"),
                m.toJson());
        assertEquals(
                caller, ((ToolUseBlock) Message.fromJson(m.toJson()).content().get(1)).caller());

        fake.server().enqueue(FakeResponse.sse(bytes));
        ChatResponse r;
        try (AnthropicClient c = client()) {
            r = c.chat(ask("run f"));
        }
        MessageRequest next = AnthropicRequests.toMessageRequest(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("run f"))
                .addMessage(ChatMessage.assistant(r))
                .build());
        assertEquals(
                new VerbatimParam(Map.of(
                        "type", "tool_use", "id", "toolu_1", "name", "f", "input", Map.of("n", 1L), "caller", caller)),
                next.messages().get(1).content().get(1),
                "the programmatic call goes back with its caller");
    }

    @Test
    void advisorResult_typedRedactedOutputKeptWhole() {
        String json =
                "{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-6\",\"content\":[{\"type\":\"advisor_tool_result\","
                        + "\"tool_use_id\":\"srvtoolu_1\",\"content\":{\"type\":\"advisor_redacted_result\",\"encrypted_content\":\"Zx+/9==\","
                        + "\"stop_reason\":\"end_turn\"}}],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
        Message m = Message.fromJson(json);
        ServerToolResultBlock.Advisor a = assertInstanceOf(
                ServerToolResultBlock.Advisor.class, m.content().getFirst());
        assertEquals("Zx+/9==", a.encryptedContent());
        assertEquals("end_turn", a.stopReason());
        assertEquals(null, a.text());
        assertEquals(m.content(), Message.fromJson(m.toJson()).content());
    }

    @Test
    void compaction_nextTurn_blockGoesBackVerbatimInItsPlace() {
        ChatResponse r = chat("2026-compaction", ask("Go on"));
        assertEquals(
                new FinishReason(FinishReason.Kind.PAUSE_TURN, "compaction"),
                r.finishReason(),
                "paused after compaction: send it back as it is to go on");
        assertEquals("anthropic", r.providerState().provider());
        long before = fake.server().opaqueRejections();
        fake.server().enqueue(FakeResponse.answer().text("Fixed c."));
        try (AnthropicClient c = client()) {
            c.chat(ChatRequest.builder()
                    .model("claude-opus-4-6")
                    .addMessage(ChatMessage.user("Go on"))
                    .addMessage(ChatMessage.assistant(r))
                    .addMessage(ChatMessage.user("Continue"))
                    .build());
        }
        RecordedRequest sent = fake.server().requests().getLast();
        assertEquals(
                Map.of("type", "compaction", "content", SUMMARY, "encrypted_content", ENCRYPTED),
                sent.json("/messages/1/content/0"));
        assertEquals(
                before + 1,
                fake.server().opaqueRejections(),
                "a compaction this fake did not issue is counted as foreign");
    }

    @Test
    void fallback_chunksAndNextTurn_modelSwitchesAndBlocksGoBackInOrder() {
        fake.server().enqueue(FakeResponse.sse(Fixtures.sse("2026-fallback-thinking")));
        List<MessageChunk> chunks = new ArrayList<>();
        try (AnthropicClient c = client();
                EventStream<MessageChunk> s = c.stream(ask("ports?"))) {
            for (MessageChunk chunk : s) chunks.add(chunk);
        }
        assertEquals("claude-opus-4-7", chunks.get(1).metadata().model(), "the declining model's thinking");
        assertEquals(
                "claude-sonnet-4-6", chunks.getLast().metadata().model(), "after the fallback block, the target's");

        ChatResponse r = chat("2026-fallback-thinking", ask("ports?"));
        MessageRequest next = AnthropicRequests.toMessageRequest(ChatRequest.builder()
                .model("claude-opus-4-7")
                .addMessage(ChatMessage.user("ports?"))
                .addMessage(ChatMessage.assistant(r))
                .build());
        assertEquals(
                List.of(
                        new ThinkingParam("The user asks about port scanning.", "ErUBCkYIBxgCIkD0p+Opus/Sig+1=="),
                        new VerbatimParam(Map.of(
                                "type",
                                "fallback",
                                "from",
                                Map.of("model", "claude-opus-4-7"),
                                "to",
                                Map.of("model", "claude-sonnet-4-6"),
                                "trigger",
                                Map.of("type", "refusal", "category", "cyber"))),
                        new ThinkingParam("I can explain nmap for their own network.", "ErUBCkYIBxgCIkDSonnet/Sig+2=="),
                        TextParam.of("Let me look up the docs."),
                        ToolUseParam.of("toolu_01Nmap", "search_docs", Map.of("q", "nmap -sT"))),
                next.messages().get(1).content());
        String json = RequestJson.write(next, true);
        assertTrue(
                json.contains(
                        "{\"type\":\"fallback\",\"from\":{\"model\":\"claude-opus-4-7\"},\"to\":{\"model\":\"claude-sonnet-4-6\"},"
                                + "\"trigger\":{\"type\":\"refusal\",\"category\":\"cyber\"}}"),
                json);
    }

    @Test
    void providerState_namedPerRoute_anotherRoutesStateIgnored() {
        AnthropicChunks mapper = new AnthropicChunks("vertex-anthropic", Clock.systemUTC(), System::nanoTime, 0);
        ProviderState state = null;
        for (StreamEvent e : events("2026-compaction")) {
            MessageChunk c = mapper.map(e).orElse(null);
            if (c != null && c.providerState() != null) state = c.providerState();
        }
        assertEquals("vertex-anthropic", state.provider());
        ChatRequest next = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("a"))
                .addMessage(new ChatMessage(ChatMessage.Role.ASSISTANT, "done", List.of(), List.of(), state))
                .addMessage(ChatMessage.user("b"))
                .build();
        assertEquals(
                List.of(new CompactionParam(SUMMARY, ENCRYPTED), TextParam.of("done")),
                AnthropicRequests.toMessageRequest(next, StructuredOutputMode.AUTO, "vertex-anthropic")
                        .messages()
                        .get(1)
                        .content());
        assertEquals(
                List.of(TextParam.of("done")),
                AnthropicRequests.toMessageRequest(next, StructuredOutputMode.AUTO, "anthropic")
                        .messages()
                        .get(1)
                        .content(),
                "Anthropic's own API does not get Vertex AI's state");
    }

    @Test
    void contextManagementAndFallbacks_sentWithTheBetasTheyNeed() {
        fake.server().enqueue(FakeResponse.answer().text("ok"));
        MessageRequest request = MessageRequest.builder()
                .model("claude-opus-4-7")
                .maxTokens(100)
                .addUserMessage("hi")
                .contextManagement(List.of(
                        Map.of("type", "compact_20260112", "pause_after_compaction", true),
                        Map.of("type", "clear_thinking_20251015")))
                .fallbacks(List.of(Map.of("model", "claude-sonnet-4-6", "max_tokens", 200)))
                .build();
        try (AnthropicClient c = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(fake.server().baseUrl().toString())
                        .beta("interleaved-thinking-2025-05-14")
                        .retryPolicy(RetryPolicy.none())
                        .build();
                MessageStream s = c.messages().stream(request)) {
            s.result();
        }
        RecordedRequest sent = fake.server().requests().getLast();
        assertEquals(
                "interleaved-thinking-2025-05-14,compact-2026-01-12,context-management-2025-06-27,server-side-fallback-2026-07-01",
                sent.header("anthropic-beta"));
        assertEquals(
                List.of(
                        Map.of("type", "compact_20260112", "pause_after_compaction", true),
                        Map.of("type", "clear_thinking_20251015")),
                sent.json("/context_management/edits"));
        assertEquals("claude-sonnet-4-6", sent.json("/fallbacks/0/model"));
        assertEquals(
                List.of(),
                MessageRequest.builder()
                        .model("m")
                        .maxTokens(1)
                        .addUserMessage("x")
                        .build()
                        .betas());
    }

    @Test
    void toolRunner_threeTurnsWithThinkingOnTheStrictFake_passAndNoForeignState() {
        long before = fake.server().opaqueRejections();
        RunFinished end = null;
        AgentTool weather = AgentTool.of(
                "get_weather",
                "Weather",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("city", Map.of("type", "string")),
                        "required",
                        List.of("city")),
                (arguments, context) -> "18C in " + arguments.get("city"));
        try (AnthropicClient c = client()) {
            ChatRequest first = ChatRequest.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(4096)
                    .thinkingBudget(1024)
                    .addMessage(ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"))
                    .build();
            try (EventStream<AgentEvent> events =
                    ToolRunner.builder(c).tool(weather).build().run(first)) {
                for (AgentEvent e : events) if (e instanceof RunFinished f) end = f;
            }
            assertEquals(2, end.turns());
            List<ChatMessage> conversation = new ArrayList<>(end.conversation());
            conversation.add(ChatMessage.user("call get_weather with {\"city\":\"Oslo\"}"));
            ChatRequest third = ChatRequest.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(4096)
                    .thinkingBudget(1024)
                    .messages(conversation)
                    .build();
            try (EventStream<AgentEvent> events =
                    ToolRunner.builder(c).tool(weather).build().run(third)) {
                for (AgentEvent e : events) if (e instanceof RunFinished f) end = f;
            }
        }
        assertEquals(RunFinished.StopReason.MODEL_DONE, end.reason());
        assertEquals(before, fake.server().opaqueRejections(), "every signature went back as the fake issued it");
        RecordedRequest last = fake.server().requests().getLast();
        assertEquals(
                "thinking", last.json("/messages/1/content/0/type"), "the first tool turn's thinking, still there");
    }

    @Test
    void toolRunner_signatureAltered_strictFakeAnswers400WithAnthropicsText() {
        ChatResponse r;
        try (AnthropicClient c = client()) {
            r = c.chat(ChatRequest.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(4096)
                    .thinkingBudget(1024)
                    .addTool(new dev.sluice.chat.Tool("get_weather", "Weather", Map.of("type", "object")))
                    .addMessage(ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"))
                    .build());
            String data = r.providerState().data();
            int at = data.indexOf("\"signature\":\"") + 13;
            ProviderState altered = new ProviderState(
                    "anthropic", data.substring(0, at) + (data.charAt(at) == 'A' ? 'B' : 'A') + data.substring(at + 1));
            ChatMessage assistant =
                    new ChatMessage(ChatMessage.Role.ASSISTANT, r.text(), r.toolCalls(), List.of(), altered);
            long before = fake.server().opaqueRejections();
            dev.sluice.ApiException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.sluice.ApiException.class,
                    () -> c.chat(ChatRequest.builder()
                            .model("claude-sonnet-4-5")
                            .maxTokens(4096)
                            .thinkingBudget(1024)
                            .addTool(new dev.sluice.chat.Tool("get_weather", "Weather", Map.of("type", "object")))
                            .addMessage(ChatMessage.user("call get_weather with {\"city\":\"Paris\"}"))
                            .addMessage(assistant)
                            .addMessage(ChatMessage.toolResults(List.of(dev.sluice.chat.ToolResult.of(
                                    r.toolCalls().getFirst().id(), "18C"))))
                            .build()));
            assertEquals(400, e.statusCode());
            assertEquals("messages.1.content.0: Invalid `signature` in `thinking` block", e.errorMessage());
            assertEquals(before + 1, fake.server().opaqueRejections());
        }
    }

    private static List<StreamEvent> events(String fixture) {
        List<StreamEvent> out = new ArrayList<>();
        byte[] body = Fixtures.sse(fixture);
        new dev.sluice.sse.SseParser(e -> out.add(MessageStream.decode(e))).feed(body, 0, body.length);
        return out;
    }
}
