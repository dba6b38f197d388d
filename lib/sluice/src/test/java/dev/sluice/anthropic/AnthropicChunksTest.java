package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ProtocolException;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolCallDelta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicChunksTest {
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AnthropicChunks mapper =
            new AnthropicChunks(Clock.fixed(NOW, ZoneOffset.UTC), nanos::get, 1_000_000_000L);

    static Stream<String> fixtures() {
        return Fixtures.NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void map_everyFixture_aggregatesToTheFixturesMessage(String name) {
        ChunkAggregator aggregator = new ChunkAggregator();
        for (StreamEvent event : FixtureEvents.decode(name)) mapper.map(event).ifPresent(aggregator::accept);
        ChatResponse response = aggregator.isComplete() ? aggregator.result() : aggregator.snapshot();

        JsonNode expected = Fixtures.expected(name);
        JsonNode message = expected.get("outcome").asText().equals("complete")
                ? expected.get("final_message")
                : expected.get("partial_message");
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        List<String> calls = new ArrayList<>();
        for (JsonNode block : message.get("content")) {
            switch (block.get("type").asText()) {
                case "text" -> text.append(block.get("text").asText());
                case "thinking" -> thinking.append(block.get("thinking").asText());
                case "tool_use" ->
                    calls.add(block.get("id").asText() + " " + block.get("name").asText() + " " + block.get("input"));
                default -> {}
            }
        }
        assertEquals(message.get("id").asText(), response.id());
        assertEquals(message.get("model").asText(), response.metadata().model());
        assertEquals(text.toString(), response.text());
        assertEquals(thinking.toString(), response.thinking());
        List<String> actualCalls = new ArrayList<>();
        for (ToolCall call : response.toolCalls()) {
            assertNull(call.argumentsError(), call.arguments());
            actualCalls.add(call.id() + " " + call.name() + " " + Fixtures.tree(Fixtures.json(call.parsedArguments())));
        }
        assertEquals(calls, actualCalls);
        JsonNode stop = message.get("stop_reason");
        assertEquals(stop.isNull() ? null : FinishReason.fromAnthropic(stop.asText()), response.finishReason());
        JsonNode usage = message.get("usage");
        assertEquals(
                new dev.sluice.chat.Usage(
                        usage.path("input_tokens").asLong(),
                        usage.path("output_tokens").asLong(),
                        usage.path("cache_read_input_tokens").asLong(),
                        usage.path("cache_creation_input_tokens").asLong()),
                response.usage());
    }

    @Test
    void map_messageStart_chunkWithIdModelUsageAndTiming() {
        nanos.addAndGet(250_000_000L);
        MessageChunk chunk = mapper.map(start(usage(
                        "input_tokens",
                        10L,
                        "output_tokens",
                        1L,
                        "cache_read_input_tokens",
                        5L,
                        "cache_creation_input_tokens",
                        7L)))
                .orElseThrow();
        assertEquals("msg_1", chunk.id());
        assertEquals(new ChunkMetadata("claude-x", NOW, Duration.ofMillis(250)), chunk.metadata());
        assertEquals(new dev.sluice.chat.Usage(10, 1, 5, 7), chunk.usage());
        assertNull(chunk.finishReason());
        assertEquals("", chunk.text());
    }

    @Test
    void map_laterChunks_carryIdModelAndTheirOwnLatency() {
        mapper.map(start(usage("input_tokens", 3L)));
        mapper.map(new ContentBlockStart(0, TextBlock.of("")));
        nanos.addAndGet(40_000_000L);
        MessageChunk chunk =
                mapper.map(new ContentBlockDelta(0, new TextDelta("Hi"))).orElseThrow();
        assertEquals("msg_1", chunk.id());
        assertEquals("Hi", chunk.text());
        assertEquals(new ChunkMetadata("claude-x", NOW, Duration.ofMillis(40)), chunk.metadata());
    }

    @Test
    void map_clockBeforeRequestStart_latencyIsZeroNotNegative() {
        nanos.set(0);
        assertEquals(
                Duration.ZERO,
                mapper.map(start(MessageUsage.empty())).orElseThrow().metadata().sinceRequest());
    }

    @Test
    void map_toolUseBlocksAmongOthers_callIndexIsOrdinalOfToolUseBlocks() {
        mapper.map(start(MessageUsage.empty()));
        mapper.map(new ContentBlockStart(0, TextBlock.of("")));
        MessageChunk first =
                mapper.map(new ContentBlockStart(1, toolUse("toolu_a", "f"))).orElseThrow();
        assertEquals(List.of(ToolCallDelta.start(0, "toolu_a", "f", "")), first.toolCalls());
        assertEquals(Optional.empty(), mapper.map(new ContentBlockStart(2, serverToolUse("srvtoolu_1", "web_search"))));
        assertEquals(Optional.empty(), mapper.map(new ContentBlockDelta(2, new InputJsonDelta("{\"query\":\"x\"}"))));
        assertEquals(
                Optional.empty(),
                mapper.map(new ContentBlockStart(
                        3, new OtherBlock("web_search_tool_result", Map.of("type", "web_search_tool_result")))));
        MessageChunk second =
                mapper.map(new ContentBlockStart(4, toolUse("toolu_b", "g"))).orElseThrow();
        assertEquals(List.of(ToolCallDelta.start(1, "toolu_b", "g", "")), second.toolCalls());
        assertEquals(
                List.of(ToolCallDelta.arguments(1, "{\"n\":")),
                mapper.map(new ContentBlockDelta(4, new InputJsonDelta("{\"n\":")))
                        .orElseThrow()
                        .toolCalls());
        assertEquals(
                List.of(ToolCallDelta.arguments(0, "{}")),
                mapper.map(new ContentBlockDelta(1, new InputJsonDelta("{}")))
                        .orElseThrow()
                        .toolCalls());
    }

    @Test
    void map_serverToolUse_neverBecomesAToolCall() {
        ChunkAggregator aggregator = new ChunkAggregator();
        for (StreamEvent e : List.of(
                start(MessageUsage.empty()),
                new ContentBlockStart(0, serverToolUse("srvtoolu_1", "web_search")),
                new ContentBlockDelta(0, new InputJsonDelta("{\"query\":\"weather\"}")),
                new ContentBlockStop(0),
                new MessageDelta("end_turn", null, MessageUsage.empty()),
                new MessageStop())) {
            mapper.map(e).ifPresent(aggregator::accept);
        }
        assertEquals(List.of(), aggregator.result().toolCalls());
    }

    @Test
    void map_toolUseStartedWithInputAndNoPieces_inputSentAsArgumentsAtStop() {
        mapper.map(start(MessageUsage.empty()));
        mapper.map(new ContentBlockStart(
                0, new ToolUseBlock("toolu_1", "f", Map.of("city", "Paris"), "", Optional.empty())));
        MessageChunk chunk = mapper.map(new ContentBlockStop(0)).orElseThrow();
        assertEquals(List.of(ToolCallDelta.arguments(0, "{\"city\":\"Paris\"}")), chunk.toolCalls());
    }

    @Test
    void map_toolUseWithPieces_nothingAtStop() {
        mapper.map(start(MessageUsage.empty()));
        mapper.map(new ContentBlockStart(0, toolUse("toolu_1", "f")));
        mapper.map(new ContentBlockDelta(0, new InputJsonDelta("{}")));
        assertEquals(Optional.empty(), mapper.map(new ContentBlockStop(0)));
    }

    @Test
    void map_thinkingDelta_thinkingChunk_signatureNone() {
        mapper.map(start(MessageUsage.empty()));
        assertEquals(Optional.empty(), mapper.map(new ContentBlockStart(0, new ThinkingBlock("", null))));
        assertEquals(
                "hmm",
                mapper.map(new ContentBlockDelta(0, new ThinkingDelta("hmm")))
                        .orElseThrow()
                        .thinking());
        assertEquals(Optional.empty(), mapper.map(new ContentBlockDelta(0, new SignatureDelta("sig"))));
    }

    @Test
    void map_blockStartingWithText_chunkCarriesIt() {
        mapper.map(start(MessageUsage.empty()));
        assertEquals(
                "pre",
                mapper.map(new ContentBlockStart(0, TextBlock.of("pre")))
                        .orElseThrow()
                        .text());
        assertEquals(
                "mm",
                mapper.map(new ContentBlockStart(1, new ThinkingBlock("mm", null)))
                        .orElseThrow()
                        .thinking());
    }

    @Test
    void map_eventsWithoutNeutralMeaning_noChunk() {
        assertEquals(Optional.empty(), mapper.map(new Ping()));
        mapper.map(start(MessageUsage.empty()));
        mapper.map(new ContentBlockStart(0, TextBlock.of("")));
        mapper.map(new ContentBlockStart(1, new RedactedThinkingBlock("enc")));
        for (StreamEvent e : List.of(
                new ContentBlockDelta(0, new TextDelta("")),
                new ContentBlockDelta(0, new CitationsDelta(Citation.of(Map.of("type", "char_location")))),
                new ContentBlockDelta(0, new UnknownDelta("future_delta", "{}")),
                new ContentBlockDelta(0, new ThinkingDelta("not a thinking block")),
                new ContentBlockDelta(0, new InputJsonDelta("{}")),
                new ContentBlockDelta(1, new TextDelta("not a text block")),
                new ContentBlockStop(0),
                new Ping(),
                new UnknownEvent("future_event", "{}"),
                new ErrorEvent("overloaded_error", "Overloaded"),
                new MessageDelta(null, null, MessageUsage.empty()),
                new MessageStop())) {
            assertEquals(Optional.empty(), mapper.map(e), e.toString());
        }
    }

    @Test
    void map_messageDeltas_usageIsRunningTotalsAndFinishReasonMapped() {
        mapper.map(start(usage("input_tokens", 10L, "output_tokens", 1L, "cache_read_input_tokens", 5L)));
        MessageChunk first = mapper.map(new MessageDelta(null, null, usage("output_tokens", 20L)))
                .orElseThrow();
        assertEquals(new dev.sluice.chat.Usage(10, 20, 5, 0), first.usage());
        assertNull(first.finishReason());
        MessageChunk second = mapper.map(
                        new MessageDelta("max_tokens", null, usage("input_tokens", 12L, "output_tokens", 30L)))
                .orElseThrow();
        assertEquals(new dev.sluice.chat.Usage(12, 30, 5, 0), second.usage());
        assertEquals(new FinishReason(FinishReason.Kind.LENGTH, "max_tokens"), second.finishReason());
    }

    @Test
    void map_unknownStopReason_otherWithRawKept() {
        mapper.map(start(MessageUsage.empty()));
        MessageChunk chunk = mapper.map(new MessageDelta("sparkle_stop", null, MessageUsage.empty()))
                .orElseThrow();
        assertEquals(new FinishReason(FinishReason.Kind.OTHER, "sparkle_stop"), chunk.finishReason());
    }

    @Test
    void map_contextWindowExceeded_lengthTruncation() {
        mapper.map(start(MessageUsage.empty()));
        MessageChunk chunk = mapper.map(new MessageDelta("model_context_window_exceeded", null, MessageUsage.empty()))
                .orElseThrow();
        assertEquals(new FinishReason(FinishReason.Kind.LENGTH, "model_context_window_exceeded"), chunk.finishReason());
    }

    @Test
    void map_eventsInImpossibleOrder_throwProtocolException() {
        assertThrows(ProtocolException.class, () -> mapper.map(new ContentBlockStart(0, TextBlock.of(""))));
        assertThrows(
                ProtocolException.class, () -> mapper.map(new MessageDelta("end_turn", null, MessageUsage.empty())));
        mapper.map(start(MessageUsage.empty()));
        ProtocolException e =
                assertThrows(ProtocolException.class, () -> mapper.map(new ContentBlockDelta(3, new TextDelta("x"))));
        assertTrue(e.getMessage().contains("index 3 before its content_block_start"), e.getMessage());
        assertThrows(ProtocolException.class, () -> mapper.map(new ContentBlockStop(3)));
        assertThrows(ProtocolException.class, () -> mapper.map(start(MessageUsage.empty())));
        mapper.map(new ContentBlockStart(0, TextBlock.of("")));
        assertThrows(ProtocolException.class, () -> mapper.map(new ContentBlockStart(0, TextBlock.of(""))));
    }

    @Test
    void map_negativeUsage_throwsProtocolExceptionNamingTheField() {
        ProtocolException e =
                assertThrows(ProtocolException.class, () -> mapper.map(start(usage("output_tokens", -1L))));
        assertTrue(e.getMessage().contains("output_tokens"), e.getMessage());
    }

    private static MessageStart start(MessageUsage usage) {
        return new MessageStart(new Message("msg_1", "message", "assistant", "claude-x", List.of(), null, null, usage));
    }

    private static MessageUsage usage(Object... namesAndCounts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndCounts.length; i += 2) m.put((String) namesAndCounts[i], namesAndCounts[i + 1]);
        return new MessageUsage(m);
    }

    private static ToolUseBlock toolUse(String id, String name) {
        return new ToolUseBlock(id, name, Map.of(), "", Optional.empty());
    }

    private static ServerToolUseBlock serverToolUse(String id, String name) {
        return new ServerToolUseBlock(id, name, Map.of(), "", Optional.empty());
    }
}
