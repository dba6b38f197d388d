package dev.sluice.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BedrockChunksTest {
    private final BedrockDecoder decoder = new BedrockDecoder();

    private ChatResponse aggregate(ConverseFrames frames) {
        BedrockChunks chunks = new BedrockChunks("anthropic.claude-sonnet-4-5", () -> 0);
        ChunkAggregator agg = new ChunkAggregator();
        frames.messages()
                .forEach(m -> chunks.map(decoder.decode(m, Instant.EPOCH, 0)).ifPresent(agg::accept));
        return agg.snapshot();
    }

    @Test
    void map_textStream_textFinishAndUsage() {
        ChatResponse r = aggregate(ConverseFrames.text());
        assertEquals("Hello, world", r.text());
        assertEquals(FinishReason.Kind.STOP, r.finishReason().kind());
        assertEquals("end_turn", r.finishReason().raw());
        assertEquals(new Usage(12, 3, 0, 0), r.usage());
    }

    @Test
    void map_toolUse_incrementalArgumentsAssembled() {
        ChatResponse r = aggregate(ConverseFrames.toolCall());
        assertEquals("Looking.", r.text());
        assertEquals(1, r.toolCalls().size());
        assertEquals("tooluse_1", r.toolCalls().get(0).id());
        assertEquals("get_weather", r.toolCalls().get(0).name());
        assertEquals("{\"city\":\"Paris\"}", r.toolCalls().get(0).arguments());
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
    }

    @Test
    void map_toolUseDeltas_areArgumentDeltasOfOneCall() {
        BedrockChunks chunks = new BedrockChunks("m", () -> 0);
        List<MessageChunk> out = ConverseFrames.toolCall().messages().stream()
                .map(m -> chunks.map(decoder.decode(m, Instant.EPOCH, 0)))
                .flatMap(Optional::stream)
                .toList();
        List<String> args = out.stream()
                .flatMap(c -> c.toolCalls().stream())
                .map(d -> d.arguments())
                .toList();
        assertEquals(List.of("", "{\"city\":", "\"Paris\"}"), args);
        assertTrue(out.stream().flatMap(c -> c.toolCalls().stream()).allMatch(d -> d.index() == 0));
    }

    @Test
    void map_reasoning_thinkingAndSignatureKeptVerbatimAsProviderState() {
        ConverseFrames frames = new ConverseFrames()
                .event("messageStart", "{\"role\":\"assistant\"}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Let me \"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"think.\"}}}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"Sig+/==\\u00e9\"}}}")
                .event("contentBlockStop", "{\"contentBlockIndex\":0}")
                .event(
                        "contentBlockDelta",
                        "{\"contentBlockIndex\":1,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"AAEC/w==\"}}}")
                .event("contentBlockDelta", "{\"contentBlockIndex\":2,\"delta\":{\"text\":\"42\"}}")
                .event("messageStop", "{\"stopReason\":\"end_turn\"}");
        ChatResponse r = aggregate(frames);
        assertEquals("Let me think.", r.thinking());
        assertEquals("42", r.text());
        assertEquals(
                new ProviderState(
                        "bedrock",
                        "[{\"reasoningText\":{\"text\":\"Let me think.\",\"signature\":\"Sig+/==\u00e9\"}},"
                                + "{\"redactedContent\":\"AAEC/w==\"}]"),
                r.providerState());
    }

    @Test
    void map_stopReasons_neutralKinds() {
        BedrockChunks chunks = new BedrockChunks("m", () -> 0);
        for (var c : List.of(
                List.of("max_tokens", "LENGTH"),
                List.of("stop_sequence", "STOP"),
                List.of("guardrail_intervened", "CONTENT_FILTER"),
                List.of("content_filtered", "CONTENT_FILTER"),
                List.of("something_new", "OTHER"))) {
            MessageChunk m = chunks.map(new ConverseEvent.MessageStop(c.get(0), null), Instant.EPOCH, 0)
                    .orElseThrow();
            assertEquals(FinishReason.Kind.valueOf(c.get(1)), m.finishReason().kind(), c.get(0));
            assertEquals(c.get(0), m.finishReason().raw());
        }
    }

    @Test
    void map_metadataWithCache_usageCarriesCacheCounts() {
        MessageChunk m = new BedrockChunks("m", () -> 0)
                .map(
                        new ConverseEvent.Metadata(new ConverseEvent.ConverseUsage(5, 7, 112, 60, 40), 10, null),
                        Instant.EPOCH,
                        0)
                .orElseThrow();
        assertEquals(new Usage(5, 7, 60, 40), m.usage());
    }

    @Test
    void map_unknownEventAndDelta_noChunk() {
        BedrockChunks chunks = new BedrockChunks("m", () -> 0);
        assertTrue(chunks.map(new ConverseEvent.UnknownEvent("x", "{}"), Instant.EPOCH, 0)
                .isEmpty());
        assertTrue(chunks.map(
                        new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.UnknownDelta("x", "{}")),
                        Instant.EPOCH,
                        0)
                .isEmpty());
    }

    @Test
    void leftOut_eventsAndDeltasOfTypesThisClientDoesNotKnow_namedForTheObservers_othersNone() {
        assertEquals(
                "citationsContent",
                BedrockChunks.leftOut(event(new ConverseEvent.UnknownEvent("citationsContent", "{}"))));
        assertEquals(
                "imageDelta",
                BedrockChunks.leftOut(event(
                        new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.UnknownDelta("imageDelta", "{}")))));
        assertEquals(
                null,
                BedrockChunks.leftOut(
                        event(new ConverseEvent.ContentBlockDelta(0, new ConverseDelta.TextDelta("Hi")))));
    }

    private static BedrockEvent event(ConverseEvent e) {
        return new BedrockEvent(e, Instant.EPOCH, 0);
    }
}
