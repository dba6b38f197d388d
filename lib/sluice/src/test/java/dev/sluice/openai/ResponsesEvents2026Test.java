package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EndReason;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Responses API's 2026 events and items, and its opaque state, over loopback with captured streams. */
class ResponsesEvents2026Test {
    /** The capture's encrypted reasoning, as a JSON string value (a line separator and quotes in it). */
    static final String ENCRYPTED = "gAAAAABpJx7Q3mKp0v9T_reasoning+/=blob-Zx81\u2028kept\"q\"";

    static final String COMPACTED = "gAAAAABpJx8Acompaction~opaque/+=\u00e9\u2603-end";
    static final String GREP = "grep -rn \"TODO\" src/\n";

    private ResponsesReplay server;
    private OpenAiClient client;

    @BeforeEach
    void start() {
        server = new ResponsesReplay();
        client = OpenAiClient.builder()
                .apiKey("sk-test-2026")
                .baseUrl(server.baseUrl())
                .retryPolicy(RetryPolicy.defaults()
                        .withInitialBackoff(Duration.ofMillis(1))
                        .withMaxBackoff(Duration.ofMillis(5)))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ResponseRequest request() {
        return ResponseRequest.builder()
                .model("gpt-5.2")
                .addUserMessage("Find the TODOs")
                .store(false)
                .build();
    }

    private List<ResponseStreamEvent> streamAll(String fixture, List<Response> result) {
        server.serve(fixture);
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (ResponseStream stream = client.responses().stream(request())) {
            for (ResponseStreamEvent e : stream) events.add(e);
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            result.add(stream.result());
        }
        return events;
    }

    @Test
    void stream_customToolCallCapture_inputTypedKeepaliveReportedEncryptedReasoningVerbatim() {
        List<Response> result = new ArrayList<>();
        List<ResponseStreamEvent> events = streamAll("custom-tool-call", result);
        assertEquals(
                15, events.size(), "up to response.completed; the rate limits after it are no event of the iteration");
        assertInstanceOf(ResponseStreamEvent.Lifecycle.class, events.getLast());
        assertEquals(
                1,
                events.stream()
                        .filter(ResponseStreamEvent.Keepalive.class::isInstance)
                        .count());
        assertEquals(
                10,
                events.stream()
                        .filter(ResponseStreamEvent.Keepalive.class::isInstance)
                        .findFirst()
                        .orElseThrow()
                        .sequenceNumber());
        List<String> pieces = events.stream()
                .filter(ResponseStreamEvent.CustomToolCallInputDelta.class::isInstance)
                .map(e -> ((ResponseStreamEvent.CustomToolCallInputDelta) e).delta())
                .toList();
        assertEquals(List.of("grep -rn \"TO", "DO\" src/\n"), pieces);
        Response r = result.getFirst();
        ResponseOutputItem.Reasoning reasoning =
                assertInstanceOf(ResponseOutputItem.Reasoning.class, r.output().get(0));
        assertEquals(ENCRYPTED, reasoning.encryptedContent());
        ResponseOutputItem.CustomToolCall call = assertInstanceOf(
                ResponseOutputItem.CustomToolCall.class, r.output().get(1));
        assertEquals(new ResponseOutputItem.CustomToolCall("ctc_0c71b_1", "call_c71", "run_grep", GREP, null), call);
    }

    private static final List<ResponseStreamEvent.RateLimit> LIMITS = List.of(
            new ResponseStreamEvent.RateLimit("requests", 10000, 9999, 0.006),
            new ResponseStreamEvent.RateLimit("tokens", 4000000, 3999816, 0.002));

    @Test
    void stream_rateLimitsInTheTerminalEventsRead_reportedAfterTheStreamEnded() {
        server.serve("custom-tool-call");
        try (ResponseStream stream = client.responses().stream(request())) {
            stream.forEach(e -> {});
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            org.awaitility.Awaitility.await()
                    .until(() -> stream.rateLimitsUpdated().isPresent());
            assertEquals(LIMITS, stream.rateLimitsUpdated().orElseThrow().rateLimits());
            assertEquals(15, stream.rateLimitsUpdated().orElseThrow().sequenceNumber());
            assertEquals(14, stream.lastSequenceNumber(), "not an event the consumer received");
        }
    }

    @Test
    void stream_rateLimitsSentAfterCompletedWasRead_reportedInRateLimitsWithoutDelayingTheEnd() throws Exception {
        server.serve("custom-tool-call");
        java.util.concurrent.CountDownLatch last = new java.util.concurrent.CountDownLatch(1);
        server.holdLast = last;
        try (ResponseStream stream = client.responses().stream(request())) {
            List<ResponseStreamEvent> events = new ArrayList<>();
            stream.forEach(events::add); // ends at response.completed: the rate limits are held back
            assertEquals(15, events.size());
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            assertTrue(stream.rateLimitsUpdated().isEmpty(), "not sent yet");
            last.countDown();
            org.awaitility.Awaitility.await()
                    .until(() -> stream.rateLimitsUpdated().isPresent());
            assertEquals(LIMITS, stream.rateLimitsUpdated().orElseThrow().rateLimits());
            dev.sluice.client.RateLimits limits = stream.rateLimits().orElseThrow();
            assertEquals(
                    9999,
                    limits.get(dev.sluice.client.RateLimits.Kind.REQUESTS)
                            .orElseThrow()
                            .remaining()
                            .getAsLong());
            assertEquals(
                    4000000,
                    limits.get(dev.sluice.client.RateLimits.Kind.TOKENS)
                            .orElseThrow()
                            .limit()
                            .getAsLong());
            assertTrue(limits.get(dev.sluice.client.RateLimits.Kind.TOKENS)
                    .orElseThrow()
                    .resetAt()
                    .isPresent());
        }
    }

    @Test
    void clientRateLimits_afterCompletedOnTheTypedAndTheNeutralStream_theClientsLatestReport() {
        for (int i = 0; i < 2; i++) {
            try (OpenAiClient fresh = OpenAiClient.builder()
                    .apiKey("sk-test-2026")
                    .baseUrl(server.baseUrl())
                    .build()) {
                server.serve("custom-tool-call");
                if (i == 0) {
                    try (ResponseStream stream = fresh.responses().stream(request())) {
                        stream.forEach(e -> {});
                    }
                } else {
                    fresh.responses().chat(chatRequest(List.of(ChatMessage.user("Find the TODOs"))));
                }
                org.awaitility.Awaitility.await()
                        .until(() -> fresh.rateLimits()
                                .flatMap(l -> l.get(dev.sluice.client.RateLimits.Kind.TOKENS))
                                .isPresent());
                dev.sluice.client.RateLimits limits = fresh.rateLimits().orElseThrow();
                assertEquals(
                        3999816,
                        limits.get(dev.sluice.client.RateLimits.Kind.TOKENS)
                                .orElseThrow()
                                .remaining()
                                .getAsLong(),
                        i == 0 ? "typed" : "neutral");
                assertEquals(
                        10000,
                        limits.get(dev.sluice.client.RateLimits.Kind.REQUESTS)
                                .orElseThrow()
                                .limit()
                                .getAsLong());
            }
        }
    }

    @Test
    void stream_malformedBytesAfterTheRateLimits_reportedStreamCompletedNothingThrown() {
        List<String> blocks = new ArrayList<>(ResponsesReplay.blocks("custom-tool-call"));
        blocks.add("event: response.rate_limits.updated\ndata: {\"type\": \"response.rate_limits.updated\", [oops\n\n");
        blocks.add("data: \u0000\ufffd not json at all\n\n");
        server.events = List.copyOf(blocks);
        try (ResponseStream stream = client.responses().stream(request())) {
            stream.forEach(e -> {});
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            org.awaitility.Awaitility.await()
                    .until(() -> stream.rateLimitsUpdated().isPresent());
            assertEquals(LIMITS, stream.rateLimitsUpdated().orElseThrow().rateLimits());
            assertTrue(stream.failure().isEmpty());
        }
    }

    @Test
    void accumulator_customInputDeltas_snapshotGrowsBeforeDone() {
        ResponseAccumulator acc = new ResponseAccumulator();
        List<ResponseStreamEvent> events = ResponsesTest.decodeAll("custom-tool-call");
        for (int i = 0; i < 10; i++) acc.accept(events.get(i)); // up to the first input delta
        ResponseOutputItem.CustomToolCall call = assertInstanceOf(
                ResponseOutputItem.CustomToolCall.class, acc.snapshot().output().get(1));
        assertEquals("grep -rn \"TO", call.input());
    }

    @Test
    void accumulator_rateLimitsAfterCompleted_ignoredNotFatal() {
        ResponseAccumulator acc = new ResponseAccumulator();
        List<ResponseStreamEvent> events = ResponsesTest.decodeAll("custom-tool-call");
        ResponseStreamEvent.RateLimitsUpdated limits =
                assertInstanceOf(ResponseStreamEvent.RateLimitsUpdated.class, events.getLast());
        assertEquals(
                List.of(
                        new ResponseStreamEvent.RateLimit("requests", 10000, 9999, 0.006),
                        new ResponseStreamEvent.RateLimit("tokens", 4000000, 3999816, 0.002)),
                limits.rateLimits());
        for (ResponseStreamEvent e : events) acc.accept(e);
        assertTrue(acc.isComplete());
        assertEquals(14, acc.lastSequenceNumber(), "the event after the terminal one changes nothing");
        assertEquals(limits, acc.rateLimitsUpdated().orElseThrow(), "but its limits are kept apart");
    }

    @Test
    void stream_shellAndApplyPatchCapture_commandsAndDiffTypedAndBuiltFromDeltas() {
        List<Response> result = new ArrayList<>();
        List<ResponseStreamEvent> events = streamAll("shell-apply-patch", result);
        ResponseStreamEvent.ShellCallCommand added =
                assertInstanceOf(ResponseStreamEvent.ShellCallCommand.class, events.get(2));
        assertEquals("response.shell_call_command.added", added.type());
        ResponseStreamEvent.ApplyPatchDiff diff =
                assertInstanceOf(ResponseStreamEvent.ApplyPatchDiff.class, events.get(12));
        assertTrue(diff.isDelta());
        assertEquals("apc_0c71b_1", diff.itemId());
        Response r = result.getFirst();
        ResponseOutputItem.ShellCall shell =
                assertInstanceOf(ResponseOutputItem.ShellCall.class, r.output().get(0));
        assertEquals(List.of("ls -la", "git status --short"), shell.commands());
        assertEquals("call_sh1", shell.callId());
        assertEquals(120000L, ((Map<?, ?>) shell.json().get("action")).get("timeout_ms"));
        assertEquals(
                new ResponseOutputItem.ApplyPatchCall(
                        "apc_0c71b_1",
                        "call_ap1",
                        "completed",
                        "update_file",
                        "src/app.py",
                        "@@\n-print(\"hi\")\n+print(\"hello\")\n"),
                r.output().get(1));

        ResponseAccumulator acc = new ResponseAccumulator(); // the items as the deltas build them
        List<ResponseStreamEvent> all = ResponsesTest.decodeAll("shell-apply-patch");
        for (int i = 0; i < 8; i++) acc.accept(all.get(i));
        assertEquals(
                List.of("ls -la", "git status --short"),
                assertInstanceOf(
                                ResponseOutputItem.ShellCall.class,
                                acc.snapshot().output().get(0))
                        .commands());
        for (int i = 8; i < 14; i++) acc.accept(all.get(i));
        assertEquals(
                "@@\n-print(\"hi\")\n+print(\"hello\")\n",
                assertInstanceOf(
                                ResponseOutputItem.ApplyPatchCall.class,
                                acc.snapshot().output().get(1))
                        .diff());
    }

    @Test
    void stream_mcpAndCompactionCapture_progressArgumentsRateLimitsAndItemsTyped() {
        List<Response> result = new ArrayList<>();
        List<ResponseStreamEvent> events = streamAll("mcp-compaction", result);
        assertEquals(
                List.of(
                        "response.mcp_list_tools.in_progress",
                        "response.mcp_list_tools.completed",
                        "response.mcp_call.in_progress",
                        "response.mcp_call.completed"),
                events.stream()
                        .filter(ResponseStreamEvent.McpProgress.class::isInstance)
                        .map(ResponseStreamEvent::type)
                        .toList());
        assertEquals(
                "{\"q\":\"What is Sluice?\"}",
                events.stream()
                        .filter(ResponseStreamEvent.McpCallArguments.class::isInstance)
                        .map(e -> (ResponseStreamEvent.McpCallArguments) e)
                        .filter(a -> a.type().endsWith(".done"))
                        .findFirst()
                        .orElseThrow()
                        .text());
        ResponseStreamEvent.RateLimitsUpdated limits =
                assertInstanceOf(ResponseStreamEvent.RateLimitsUpdated.class, events.get(16));
        assertEquals(
                new ResponseStreamEvent.RateLimit("requests", 500, 499, 0.12),
                limits.rateLimits().getFirst());
        assertInstanceOf(ResponseStreamEvent.Lifecycle.class, events.getLast());
        Response r = result.getFirst();
        assertEquals(
                "mcp_list_tools",
                assertInstanceOf(ResponseOutputItem.Other.class, r.output().get(0))
                        .type());
        assertEquals(
                "A streaming library.",
                assertInstanceOf(ResponseOutputItem.Other.class, r.output().get(1))
                        .json()
                        .get("output"));
        assertEquals(
                new ResponseOutputItem.McpApprovalRequest(
                        "mcpr_0c71b_2", "deepwiki", "ask_question", "{\"q\":\"delete?\"}"),
                r.output().get(2));
        assertEquals(
                new ResponseOutputItem.Compaction("cmp_0c71b_3", COMPACTED),
                r.output().get(3));
    }

    private static ChatRequest chatRequest(List<ChatMessage> messages) {
        return ChatRequest.builder().model("gpt-5.2").messages(messages).build();
    }

    /** The types the neutral view of each stream left out, as a client's stream observer is told them. */
    private List<List<String>> unmappedPerStream(String... fixtures) {
        List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.sluice.client.StreamObserver observer = start -> {
            List<String> types = new java.util.concurrent.CopyOnWriteArrayList<>();
            seen.add(types);
            return new dev.sluice.client.StreamObserver.Observation() {
                @Override
                public void onUnmapped(String type) {
                    types.add(type);
                }
            };
        };
        try (OpenAiClient observed = OpenAiClient.builder()
                .apiKey("sk-test-2026")
                .baseUrl(server.baseUrl())
                .observer(observer)
                .build()) {
            for (String fixture : fixtures) {
                server.serve(fixture);
                observed.responses().chat(chatRequest(List.of(ChatMessage.user("Go"))));
            }
            server.serve(fixtures[0]);
            try (ResponseStream typed = observed.responses().stream(request())) {
                typed.forEach(e -> {});
            }
        }
        return seen;
    }

    @Test
    void chat_itemsAndEventsTheNeutralViewHasNoPlaceFor_namedToTheObserverOncePerStream_typedStreamNone() {
        List<List<String>> seen = unmappedPerStream("shell-apply-patch", "mcp-compaction", "unknown-events");
        assertEquals(4, seen.size());
        assertEquals(List.of("shell_call", "apply_patch_call"), seen.get(0));
        assertEquals(List.of("mcp_list_tools", "mcp_call", "mcp_approval_request"), seen.get(1));
        assertTrue(
                seen.get(2).contains("response.future_feature.delta"),
                seen.get(2).toString());
        assertTrue(
                seen.get(2).contains("response.web_search_call.in_progress"),
                seen.get(2).toString());
        assertEquals(List.of(), seen.get(3), "the typed stream delivers every item and event");
    }

    @Test
    void chat_customToolCall_toolCallWithInputAsJsonStringAndEncryptedStateOfThisProvider() {
        server.serve("custom-tool-call");
        ChatResponse r = client.responses().chat(chatRequest(List.of(ChatMessage.user("Find the TODOs"))));
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        ToolCall call = r.toolCalls().getFirst();
        assertEquals("call_c71", call.id());
        assertEquals("run_grep", call.name());
        assertEquals(GREP, call.parsedArguments(), "the input text itself, through the tool-input path");
        assertNull(call.argumentsError());
        assertEquals("The user wants a grep.", r.thinking());
        ProviderState state = r.providerState();
        assertNotNull(state);
        assertEquals("openai-responses", state.provider());
        Map<?, ?> data = (Map<?, ?>) PartialJson.parse(state.data()).value();
        Map<?, ?> item = (Map<?, ?>) ((List<?>) data.get("items")).getFirst();
        assertEquals(ENCRYPTED, item.get("encrypted_content"));
        assertEquals("rs_0c71b_0", item.get("id"));
        assertEquals(List.of("call_c71"), data.get("custom"));
        assertFalse(state.toString().contains("gAAAA"), "never the state itself in toString");
    }

    @Test
    void chat_nextTurn_stateSentBackVerbatimBeforeTheCallAndCustomOutput() {
        server.serveInTurn("custom-tool-call", "text");
        ChatResponse first = client.responses().chat(chatRequest(List.of(ChatMessage.user("Find the TODOs"))));
        client.responses()
                .chat(chatRequest(List.of(
                        ChatMessage.user("Find the TODOs"),
                        ChatMessage.assistant(first),
                        ChatMessage.toolResults(List.of(ToolResult.of("call_c71", "src/a.py:3: # TODO"))))));
        String sent = server.requests().get(1).body();
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(sent).value();
        List<?> input = (List<?>) body.get("input");
        assertEquals(4, input.size());
        Map<?, ?> reasoning = (Map<?, ?>) input.get(1);
        assertEquals("reasoning", reasoning.get("type"));
        assertEquals(ENCRYPTED, reasoning.get("encrypted_content"));
        assertEquals(
                Map.of("type", "custom_tool_call", "call_id", "call_c71", "name", "run_grep", "input", GREP),
                input.get(2));
        assertEquals(
                Map.of("type", "custom_tool_call_output", "call_id", "call_c71", "output", "src/a.py:3: # TODO"),
                input.get(3));
    }

    @Test
    void chat_anotherProvidersState_leftOut() {
        server.serve("text");
        ChatMessage assistant = new ChatMessage(
                ChatMessage.Role.ASSISTANT,
                "Hello",
                List.of(),
                List.of(),
                new ProviderState("anthropic", "{\"items\":[{\"type\":\"reasoning\",\"encrypted_content\":\"x\"}]}"));
        client.responses().chat(chatRequest(List.of(ChatMessage.user("Hi"), assistant, ChatMessage.user("Again"))));
        String sent = server.requests().getFirst().body();
        assertFalse(sent.contains("reasoning"), sent);
        assertFalse(sent.contains("encrypted_content"), sent);
    }

    @Test
    void chat_thinkingBudget_asksForReasoningWithEncryptedContent() {
        server.serve("text");
        client.responses()
                .chat(ChatRequest.builder()
                        .model("gpt-5.2")
                        .addMessage(ChatMessage.user("Hi"))
                        .thinkingBudget(4096)
                        .build());
        Map<?, ?> body = (Map<?, ?>)
                PartialJson.parse(server.requests().getFirst().body()).value();
        assertEquals(Map.of("effort", "medium", "summary", "auto"), body.get("reasoning"));
        assertEquals(List.of("reasoning.encrypted_content"), body.get("include"));
    }

    @Test
    void responsesProvider_openAiOrAzure_theNameTheStateCarries() {
        assertEquals("openai-responses", client.responsesProvider());
        try (OpenAiClient azure = OpenAiClient.builder()
                .azure(dev.sluice.azure.AzureAccess.builder()
                        .endpoint(server.baseUrl())
                        .apiKey("azure-key")
                        .build())
                .build()) {
            assertEquals("azure-openai", azure.responsesProvider());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64, 8192})
    void replay_anyChunkSize_sameJsonOpaqueStringsIdentical(int chunkSize) {
        for (String fixture : List.of("custom-tool-call", "shell-apply-patch", "mcp-compaction")) {
            byte[] body = OpenAiFixtures.resource("openai-responses/" + fixture + ".sse");
            String whole = ResponseStream.replay(new ByteArrayInputStream(body), 1 << 20)
                    .toJson();
            String json = ResponseStream.replay(new ByteArrayInputStream(body), chunkSize)
                    .toJson();
            assertEquals(whole, json, fixture);
            Map<?, ?> parsed = (Map<?, ?>) PartialJson.parse(json).value();
            List<?> output = (List<?>) parsed.get("output");
            switch (fixture) {
                case "custom-tool-call" -> {
                    assertEquals(ENCRYPTED, ((Map<?, ?>) output.get(0)).get("encrypted_content"));
                    assertEquals(GREP, ((Map<?, ?>) output.get(1)).get("input"));
                }
                case "mcp-compaction" -> assertEquals(COMPACTED, ((Map<?, ?>) output.get(3)).get("encrypted_content"));
                default ->
                    assertEquals(
                            List.of("ls -la", "git status --short"),
                            ((Map<?, ?>) ((Map<?, ?>) output.get(0)).get("action")).get("commands"));
            }
        }
    }
}
