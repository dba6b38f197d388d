package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validation and conventions of the chat records and builders. */
class ChatValuesTest {

    private static final ChunkMetadata META = new ChunkMetadata("m", Instant.EPOCH, Duration.ZERO);

    @Test
    void usage_negativeCount_throwsNamingTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Usage(1, -2, 0, 0));
        assertTrue(e.getMessage().contains("output -2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Usage(0, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Usage(0, 0, 0, -1));
        assertEquals(new Usage(3, 4, 0, 0), Usage.of(3, 4));
        assertEquals(10, new Usage(3, 4, 5, 2).totalInputTokens());
    }

    @Test
    void chunkMetadata_negativeLatencyOrNulls_throw() {
        assertThrows(
                IllegalArgumentException.class, () -> new ChunkMetadata("m", Instant.EPOCH, Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> new ChunkMetadata(null, Instant.EPOCH, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new ChunkMetadata("m", null, Duration.ZERO));
    }

    @Test
    void toolCallDelta_invalidParts_throw() {
        assertThrows(IllegalArgumentException.class, () -> ToolCallDelta.arguments(-1, ""));
        assertThrows(IllegalArgumentException.class, () -> new ToolCallDelta(0, " ", null, ""));
        assertThrows(IllegalArgumentException.class, () -> new ToolCallDelta(0, null, "", ""));
        assertThrows(NullPointerException.class, () -> ToolCallDelta.arguments(0, null));
        assertThrows(NullPointerException.class, () -> ToolCallDelta.start(0, null, "n", ""));
        assertEquals(new ToolCallDelta(2, null, null, "{"), ToolCallDelta.arguments(2, "{"));
    }

    @Test
    void messageChunk_builderDefaults_areEmptyTextsEmptyListsAndNulls() {
        MessageChunk chunk = MessageChunk.builder(META).build();
        assertEquals("", chunk.id());
        assertEquals("", chunk.text());
        assertEquals("", chunk.thinking());
        assertEquals(List.of(), chunk.toolCalls());
        assertNull(chunk.finishReason());
        assertNull(chunk.usage());
        assertThrows(
                NullPointerException.class, () -> MessageChunk.builder(META).text(null));
        assertThrows(NullPointerException.class, () -> MessageChunk.builder(null));
    }

    @Test
    void messageChunk_toolCallList_isCopied() {
        List<ToolCallDelta> deltas = new ArrayList<>(List.of(ToolCallDelta.arguments(0, "{")));
        MessageChunk chunk = new MessageChunk("", "", deltas, "", null, null, META);
        deltas.clear();
        assertEquals(1, chunk.toolCalls().size());
        assertThrows(
                UnsupportedOperationException.class, () -> chunk.toolCalls().clear());
    }

    @Test
    void toolCall_of_parsesArgumentsAndReportsInvalidOnes() {
        assertEquals(Map.of("a", 1L), ToolCall.of(0, "id", "n", "{\"a\":1}").parsedArguments());
        assertEquals(Map.of(), ToolCall.of(0, "id", "n", "").parsedArguments());
        ToolCall bad = ToolCall.of(0, "id", "n", "{\"a\":");
        assertEquals(
                "unexpected end of input at offset 5: 1 container is still open, expected '}'", bad.argumentsError());
        assertThrows(IllegalArgumentException.class, () -> new ToolCall(0, "", "", "", null, ""));
    }

    @Test
    void responseMetadata_durationsWithoutChunks_throw() {
        assertThrows(IllegalArgumentException.class, () -> new ResponseMetadata("", 0, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ResponseMetadata("", 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> new ResponseMetadata("", -1, null, null));
    }

    @Test
    void tool_schema_isDeeplyCopiedAndChecked() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("city", Map.of("type", "string"));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        Tool tool = new Tool("weather", "Current weather", schema);
        properties.put("days", Map.of("type", "integer"));
        assertEquals(
                Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))), tool.inputSchema());
        assertThrows(
                UnsupportedOperationException.class, () -> tool.inputSchema().put("x", 1));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Tool("t", "", Map.of("x", new Object())));
        assertTrue(e.getMessage().startsWith("inputSchema of tool t is not a JSON value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tool(" ", "", Map.of()));
    }

    @Test
    void chatMessage_rolesAndParts_areChecked() {
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.user(""));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChatMessage(ChatMessage.Role.USER, "x", List.of(ToolCall.of(0, "c", "t", "{}")), List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChatMessage(ChatMessage.Role.ASSISTANT, "x", List.of(), List.of(ToolResult.of("c", "ok"))));
        assertThrows(IllegalArgumentException.class, () -> ToolResult.of(" ", "x"));
        ChatMessage results = ChatMessage.toolResults(List.of(ToolResult.of("c", "ok"), ToolResult.error("d", "boom")));
        assertEquals(ChatMessage.Role.USER, results.role());
        assertTrue(results.toolResults().get(1).isError());
    }

    @Test
    void chatMessage_assistantFromResponse_carriesTextAndToolCallsForAToolLoop() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(MessageChunk.builder(META)
                .text("Checking.")
                .toolCall(ToolCallDelta.start(0, "call_1", "weather", "{\"city\":\"Oslo\"}"))
                .finishReason(FinishReason.fromAnthropic("tool_use"))
                .build());
        ChatResponse response = aggregator.result();
        ChatMessage assistant = ChatMessage.assistant(response);
        assertEquals("Checking.", assistant.text());
        assertEquals(response.toolCalls(), assistant.toolCalls());
        ChatRequest next = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("Weather in Oslo?"))
                .addMessage(assistant)
                .addMessage(ChatMessage.toolResults(List.of(ToolResult.of("call_1", "{\"temp\":3}"))))
                .build();
        assertEquals(3, next.messages().size());
    }

    @Test
    void chatRequest_builder_checksEachArgumentAndWhatIsMissing() {
        ChatRequest.Builder b = ChatRequest.builder();
        assertThrows(IllegalArgumentException.class, () -> b.model(" "));
        assertThrows(IllegalArgumentException.class, () -> b.maxTokens(0));
        assertThrows(IllegalArgumentException.class, () -> b.temperature(-0.1));
        assertThrows(IllegalArgumentException.class, () -> b.temperature(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.addStopSequence(""));
        assertThrows(NullPointerException.class, () -> b.addMessage(null));
        assertEquals(
                "model is required: call model(..)",
                assertThrows(IllegalStateException.class, b::build).getMessage());
        b.model("claude");
        assertEquals(
                "at least one message is required: call addMessage(..)",
                assertThrows(IllegalStateException.class, b::build).getMessage());
        b.addTool(new Tool("t", "", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> b.addTool(new Tool("t", "other", Map.of())));

        ChatRequest request = b.addMessage(ChatMessage.user("hi"))
                .system("sys")
                .maxTokens(100)
                .temperature(0.5)
                .addStopSequence("END")
                .build();
        assertEquals(
                new ChatRequest(
                        "claude",
                        "sys",
                        List.of(ChatMessage.user("hi")),
                        List.of(new Tool("t", "", Map.of())),
                        100,
                        0.5,
                        List.of("END")),
                request);
        ChatRequest defaults = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("x"))
                .build();
        assertEquals("", defaults.system());
        assertNull(defaults.maxTokens());
        assertNull(defaults.temperature());
    }
}
