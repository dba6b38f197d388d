package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.vertex.VertexTesting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gemini 3 with thinking against the test kit's strict fake, on Gemini's own API and on Vertex AI:
 * thought signatures go back in place through the tool runner (three turns, none refused), a
 * missing one is Google's 400, an altered or foreign one {@code Corrupted thought signature.},
 * counted; streamed function-call arguments join to the call the fake would have sent whole.
 */
class GeminiStrictFakeTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    @TempDir
    Path dir;

    private static final String MODEL = "gemini-3-pro-preview";
    private static final Map<String, Object> WEATHER_SCHEMA = Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                    "location",
                    Map.of("type", "string"),
                    "days",
                    Map.of("type", "integer"),
                    "detail",
                    Map.of(
                            "type",
                            "object",
                            "properties",
                            Map.of(
                                    "hourly",
                                    Map.of("type", "boolean"),
                                    "fields",
                                    Map.of("type", "array", "items", Map.of("type", "string"))))),
            "required",
            List.of("location", "days", "detail"));

    private GeminiClient client(boolean vertex, boolean streamArguments) {
        GeminiClient.Builder b =
                GeminiClient.builder().retryPolicy(RetryPolicy.none()).streamFunctionCallArguments(streamArguments);
        if (vertex)
            return b.vertex(VertexTesting.serviceAccount(server, dir, "us-central1"))
                    .build();
        return b.apiKey("k").baseUrl(server.baseUrl().toString()).build();
    }

    private static ChatRequest.Builder ask(List<ChatMessage> messages) {
        return asked(messages).addTool(new Tool("get_weather", "The weather of a place", WEATHER_SCHEMA));
    }

    /** Without the tool: the tool runner declares it. */
    private static ChatRequest.Builder asked(List<ChatMessage> messages) {
        return ChatRequest.builder().model(MODEL).messages(messages).thinkingBudget(1024);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void toolRunner_gemini3WithThinking_threeTurnsPassWithSignaturesInPlace(boolean vertex) {
        long rejected = server.opaqueRejections();
        List<ChatMessage> conversation = new ArrayList<>();
        try (GeminiClient gemini = client(vertex, false)) {
            ToolRunner runner = ToolRunner.builder(gemini)
                    .tool(AgentTool.of(
                            "get_weather",
                            "The weather of a place",
                            WEATHER_SCHEMA,
                            (args, ctx) -> "{\"sky\":\"clear\"}"))
                    .build();
            for (String question :
                    List.of("Weather in Oslo?", "And the weather in Rome?", "And the weather in Lima and Quito?")) {
                conversation.add(ChatMessage.user(question));
                AgentEvent.RunFinished finished = null;
                try (EventStream<AgentEvent> run =
                        runner.run(asked(conversation).build())) {
                    for (AgentEvent e : run) if (e instanceof AgentEvent.RunFinished f) finished = f;
                }
                assertNotNull(finished);
                assertEquals(AgentEvent.RunFinished.StopReason.MODEL_DONE, finished.reason());
                assertEquals(
                        2, finished.turns(), "a call, then the answer: " + question + " " + finished.conversation());
                conversation = new ArrayList<>(finished.conversation());
            }
        }
        assertEquals(rejected, server.opaqueRejections());
        String provider = vertex ? "vertex" : "gemini";
        long signed = conversation.stream()
                .filter(m -> m.providerState() != null)
                .peek(m -> assertEquals(provider, m.providerState().provider()))
                .count();
        assertEquals(6, signed, "each assistant message (a call, an answer) of three turns carries its signatures");
        RecordedRequest last = server.requests().getLast();
        for (int turn = 0; turn < 3; turn++) {
            int model = 1 + turn * 4; // user, model (call), user (result), model (answer)
            int call = ((String) last.json("/contents/" + model + "/parts/0/text")) != null
                    ? 1
                    : 0; // after the text, if any
            assertNotNull(
                    last.json("/contents/" + model + "/parts/" + call + "/thoughtSignature"),
                    "the call's signature, on the first call: " + last.body());
            assertEquals("get_weather", last.json("/contents/" + model + "/parts/" + call + "/functionCall/name"));
        }
        assertEquals(
                "Quito",
                last.json("/contents/9/parts/2/functionCall/args/location"),
                "the parallel call, unsigned: " + last.body());
        assertEquals(null, last.json("/contents/9/parts/2/thoughtSignature"));
    }

    /** The first turn's assistant message and the request that repeats it with the tool's result. */
    private ChatRequest.Builder repeated(GeminiClient gemini, java.util.function.UnaryOperator<ChatMessage> change) {
        List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user("Weather in Oslo?")));
        ChatResponse first = gemini.chat(ask(messages).build());
        assertFalse(first.toolCalls().isEmpty());
        messages.add(change.apply(ChatMessage.assistant(first)));
        messages.add(ChatMessage.toolResults(
                List.of(ToolResult.of(first.toolCalls().get(0).id(), "{\"sky\":\"clear\"}"))));
        return ask(messages);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void strictFake_callWithoutItsSignature_isGooglesRealError(boolean vertex) {
        long rejected = server.opaqueRejections();
        try (GeminiClient gemini = client(vertex, false)) {
            // the client's own state, its call's signature lost: nothing for the mapper to give back
            ChatRequest request = repeated(
                            gemini,
                            m -> new ChatMessage(
                                    m.role(),
                                    m.text(),
                                    m.toolCalls(),
                                    m.toolResults(),
                                    new ProviderState(vertex ? "vertex" : "gemini", "{\"calls\":{}}")))
                    .build();
            ApiException e = assertThrows(ApiException.class, () -> gemini.chat(request));
            assertEquals(400, e.statusCode());
            assertEquals("INVALID_ARGUMENT", e.errorType());
            assertTrue(
                    e.getMessage()
                            .contains(
                                    vertex
                                            ? "Unable to submit request because function call `get_weather` in the 2. content block is missing a"
                                                    + " `thought_signature`."
                                            : "Function call is missing a thought_signature in functionCall parts. This is required for tools to work"
                                                    + " correctly, and missing thought_signature may lead to degraded model performance. Additional"
                                                    + " data, function call `default_api:get_weather` , position 2."),
                    e.getMessage());
        }
        assertEquals(rejected, server.opaqueRejections(), "a missing signature is not a foreign one");
    }

    @Test
    void strictFake_alteredSignature_corruptedAndCounted() {
        long rejected = server.opaqueRejections();
        try (GeminiClient gemini = client(false, false)) {
            ChatRequest request = repeated(gemini, m -> {
                        String data = m.providerState().data();
                        int at = data.indexOf("\"0\":\"") + 5;
                        String altered =
                                data.substring(0, at) + (data.charAt(at) == 'A' ? 'B' : 'A') + data.substring(at + 1);
                        return new ChatMessage(
                                m.role(),
                                m.text(),
                                m.toolCalls(),
                                m.toolResults(),
                                new ProviderState("gemini", altered));
                    })
                    .build();
            ApiException e = assertThrows(ApiException.class, () -> gemini.chat(request));
            assertEquals(400, e.statusCode());
            assertTrue(e.getMessage().contains("Corrupted thought signature."), e.getMessage());
        }
        assertEquals(rejected + 1, server.opaqueRejections());
    }

    @Test
    void strictFake_aiStudioSignatureSentToVertex_isForeign() {
        long rejected = server.opaqueRejections();
        ProviderState aiStudio;
        List<ToolCall> calls;
        try (GeminiClient gemini = client(false, false)) {
            ChatResponse first = gemini.chat(
                    ask(List.of(ChatMessage.user("Weather in Oslo?"))).build());
            aiStudio = first.providerState();
            calls = first.toolCalls();
        }
        ChatMessage relabelled = new ChatMessage(
                ChatMessage.Role.ASSISTANT,
                "",
                calls,
                List.of(),
                new ProviderState("vertex", aiStudio.data())); // what no client may do: another target's state
        try (GeminiClient vertex = client(true, false)) {
            ApiException e = assertThrows(
                    ApiException.class,
                    () -> vertex.chat(ask(List.of(
                                    ChatMessage.user("Weather in Oslo?"),
                                    relabelled,
                                    ChatMessage.toolResults(
                                            List.of(ToolResult.of(calls.get(0).id(), "{}")))))
                            .build()));
            assertTrue(e.getMessage().contains("Corrupted thought signature."), e.getMessage());
        }
        assertEquals(rejected + 1, server.opaqueRejections());
    }

    @Test
    void failover_aiStudioHistoryOnVertex_foreignStateLeftOut_stepMarkedUnsigned_accepted() {
        long rejected = server.opaqueRejections();
        ChatResponse first;
        try (GeminiClient gemini = client(false, false)) {
            first = gemini.chat(
                    ask(List.of(ChatMessage.user("Weather in Oslo?"))).build());
        }
        assertEquals("gemini", first.providerState().provider());
        ChatRequest next = ask(List.of(
                        ChatMessage.user("Weather in Oslo?"),
                        ChatMessage.assistant(first),
                        ChatMessage.toolResults(
                                List.of(ToolResult.of(first.toolCalls().get(0).id(), "{\"sky\":\"clear\"}")))))
                .build();
        try (GeminiClient vertex = client(true, false)) {
            assertFalse(vertex.chat(next).text().isEmpty());
        }
        RecordedRequest sent = server.requests().getLast();
        assertFalse(
                sent.body()
                        .contains(
                                first.toolCalls().isEmpty()
                                        ? ""
                                        : String.valueOf(GeminiFixtures.tree(
                                                        first.providerState().data())
                                                .get("calls")
                                                .get("0")
                                                .asText())),
                "no AI Studio signature on Vertex");
        int call = sent.json("/contents/1/parts/0/text") != null ? 1 : 0;
        assertEquals(GeminiRequests.UNSIGNED_STEP, sent.json("/contents/1/parts/" + call + "/thoughtSignature"));
        assertEquals(rejected, server.opaqueRejections());
    }

    @Test
    void vertex_streamedFunctionCallArguments_arriveInPiecesAndJoinToTheWholeCall() {
        ChatRequest request = ask(List.of(ChatMessage.user("Weather in Oslo?"))).build();
        List<ToolCallDelta> deltas = new ArrayList<>();
        ChatResponse streamed;
        try (GeminiClient gemini = client(true, true);
                EventStream<MessageChunk> chunks = gemini.stream(request)) {
            dev.sluice.chat.ChunkAggregator aggregator = new dev.sluice.chat.ChunkAggregator();
            for (MessageChunk c : chunks) {
                deltas.addAll(c.toolCalls());
                aggregator.accept(c);
            }
            streamed = aggregator.result();
        }
        assertEquals(
                Boolean.TRUE,
                server.requests().getLast().json("/toolConfig/functionCallingConfig/streamFunctionCallArguments"));
        ChatResponse whole;
        try (GeminiClient gemini = client(true, false)) {
            whole = gemini.chat(request);
        }
        assertTrue(deltas.size() >= 3, "the name, pieces, the end: " + deltas);
        assertEquals(
                whole.toolCalls().get(0).arguments(),
                streamed.toolCalls().get(0).arguments());
        assertEquals(
                whole.toolCalls().get(0).name(), streamed.toolCalls().get(0).name());
        assertTrue(streamed.toolCalls().get(0).argumentsValid());
        assertEquals("vertex", streamed.providerState().provider());
    }

    @Test
    void aiStudio_streamFunctionCallArguments_refusedAsAnUnknownField() {
        try (GeminiClient gemini = client(false, true)) {
            ApiException e = assertThrows(
                    ApiException.class,
                    () -> gemini.chat(ask(List.of(ChatMessage.user("Weather?"))).build()));
            assertEquals(400, e.statusCode());
            assertTrue(e.getMessage().contains("Unknown name \"streamFunctionCallArguments\""), e.getMessage());
        }
    }
}
