package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Tool;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.relay.protocol.AgUiWriter;
import dev.sluice.relay.protocol.GatewayWriter;
import dev.sluice.relay.protocol.UiMessageStreamWriter;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.clouds.FakeVertex;
import dev.sluice.vertex.VertexAccess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What 2026's streams added reaches the browser protocols where they have a place for it, end to
 * end (a client on the test kit's fake server, the relay's mapping, each writer): an
 * OpenAI-compatible server's reasoning ({@code reasoning} and DeepSeek's {@code reasoning_content}),
 * a Responses custom tool call (its free-form input, from a captured stream) and Gemini's streamed
 * function-call arguments on Vertex AI become reasoning and tool-call parts of the AI SDK's UI
 * message stream, AG-UI's events and the OpenAI-compatible route's chunks; the provider state they
 * carry (encrypted reasoning, thought signatures, {@code reasoning_content} as state) reaches none.
 */
class RelayNewContentTest {
    private static final Path CUSTOM_TOOL_CALL =
            Path.of("../sluice/src/test/resources/openai-responses/custom-tool-call.sse");
    private static final Tool WEATHER = new Tool(
            "get_weather",
            "The weather in a city",
            Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("city", Map.of("type", "string")),
                    "required",
                    List.of("city")));
    private static FakeLlmServer server;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.builder().tokensPerSecond(0).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The source's chunks, its provider name, and the model streamed. */
    private static List<RelayEvent> events(String source) throws Exception {
        String base = server.baseUrl().toString();
        ChatProvider client;
        String provider;
        ChatRequest.Builder request = ChatRequest.builder()
                .maxTokens(2048)
                .addTool(WEATHER)
                .addMessage(ChatMessage.user("What is the weather in Paris? Use the get_weather tool."));
        server.setDispatcher(r -> FakeResponse.answerPrompt());
        switch (source) {
            case "deepseek", "vllm" -> {
                client = OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build();
                provider = "openai";
                request.model(source.equals("deepseek") ? "deepseek-v4-flash" : "fake-reasoning");
            }
            case "responses-custom-tool" -> {
                server.setDispatcher(r -> FakeResponse.sse(CUSTOM_TOOL_CALL));
                client = OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build()
                        .responses();
                provider = "openai-responses";
                request.model("gpt-5.2");
            }
            case "vertex-streamed-args" -> {
                VertexAccess vertex = VertexAccess.builder()
                        .project(FakeVertex.PROJECT)
                        .location("global")
                        .endpoint(base)
                        .tokenProvider(() -> new AccessTokenProvider.Token(
                                FakeVertex.ACCESS_TOKEN, Instant.now().plusSeconds(3600)))
                        .build();
                client = GeminiClient.builder()
                        .vertex(vertex)
                        .streamFunctionCallArguments(true)
                        .retryPolicy(RetryPolicy.none())
                        .build();
                provider = "vertex";
                request.model("gemini-3-pro-preview").thinkingBudget(1024);
            }
            default -> throw new IllegalArgumentException(source);
        }
        List<RelayEvent> events = new ArrayList<>();
        try (EventStream<MessageChunk> chunks = client.stream(request.build());
                MappedRelaySource<MessageChunk> relayed = MappedRelaySource.chat(provider, "m", chunks)) {
            for (Optional<RelayEvent> e; (e = relayed.next()).isPresent(); ) events.add(e.get());
        } finally {
            server.setDispatcher(r -> FakeResponse.answerPrompt());
            if (client instanceof AutoCloseable c) c.close();
        }
        return events;
    }

    private static String write(
            List<RelayEvent> events, java.util.function.Function<ByteArrayOutputStream, RelayWriter> writer)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RelayWriter w = writer.apply(out);
        long id = 0;
        for (RelayEvent e : events) w.send(++id, e);
        w.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@return the values of a string field in the data lines of a stream that hold {@code marker}, joined} */
    private static String joined(String stream, String marker, String field) {
        StringBuilder all = new StringBuilder();
        Pattern value = Pattern.compile("\"" + Pattern.quote(field) + "\":(\"(?:[^\"\\\\]|\\\\.)*\")");
        for (String line : stream.lines().filter(l -> l.contains(marker)).toList()) {
            Matcher m = value.matcher(line);
            while (m.find())
                all.append(
                        (String) dev.sluice.chat.PartialJson.parse(m.group(1)).value());
        }
        return all.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek", "vllm", "responses-custom-tool", "vertex-streamed-args"})
    void stream_2026Content_reasoningAndToolCallPartsInEveryProtocol_noStateInAny(String source) throws Exception {
        List<RelayEvent> events = events(source);
        String thinking = events.stream()
                .filter(e -> e instanceof RelayEvent.Thinking)
                .map(e -> ((RelayEvent.Thinking) e).text())
                .reduce("", String::concat);
        String arguments = events.stream()
                .filter(e -> e instanceof RelayEvent.ToolCall)
                .map(e -> ((RelayEvent.ToolCall) e).arguments())
                .reduce("", String::concat);
        String name = events.stream()
                .filter(e -> e instanceof RelayEvent.ToolCall)
                .map(e -> ((RelayEvent.ToolCall) e).name())
                .findFirst()
                .orElseThrow(() -> new AssertionError(source + ": no tool call in " + events));
        assertFalse(thinking.isEmpty(), source + ": thinking relayed: " + events);
        assertFalse(arguments.isEmpty(), source);
        if (source.equals("responses-custom-tool")) { // the free-form input as it came, as a JSON string
            assertEquals(
                    "grep -rn \"TODO\" src/\n",
                    dev.sluice.chat.PartialJson.parse(arguments).value());
        } else
            assertEquals(
                    "Paris",
                    dev.sluice.chat.PartialJson.parse(arguments).value() instanceof Map<?, ?> m ? m.get("city") : null);

        String ui = write(events, out -> new UiMessageStreamWriter(out, "msg-1"));
        assertEquals(thinking, joined(ui, "\"reasoning-delta\"", "delta"), ui);
        assertEquals(arguments, joined(ui, "\"tool-input-delta\"", "inputTextDelta"), ui);
        assertTrue(
                ui.contains("\"type\":\"tool-input-start\",\"toolCallId\":")
                        && ui.contains("\"toolName\":\"" + name + "\""),
                ui);

        String agUi = write(events, out -> new AgUiWriter(out, "thread-1", "r1"));
        assertEquals(thinking, joined(agUi, "\"REASONING_MESSAGE_CONTENT\"", "delta"), agUi);
        assertEquals(arguments, joined(agUi, "\"TOOL_CALL_ARGS\"", "delta"), agUi);
        assertTrue(agUi.contains("\"toolCallName\":\"" + name + "\""), agUi);

        String gateway = write(events, out -> GatewayWriter.streaming(out, "chatcmpl-1", "m", 7, false, null));
        assertEquals(
                thinking,
                joined(gateway, "reasoning_content", "reasoning_content"),
                "the compatible servers' field: " + gateway);
        assertEquals(arguments, joined(gateway, "tool_calls", "arguments"), gateway);
        assertTrue(gateway.contains("\"name\":\"" + name + "\""), gateway);

        for (String page : List.of(ui, agUi, gateway)) {
            assertFalse(page.contains("gAAAAB") || page.contains("signature") || page.contains("encrypted"), page);
        }
    }
}
