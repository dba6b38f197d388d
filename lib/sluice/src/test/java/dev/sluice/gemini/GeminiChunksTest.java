package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GeminiChunksTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final GeminiChunks chunks = new GeminiChunks("asked-model", () -> 1_000L);

    private MessageChunk map(GenerateContentResponse response) {
        return chunks.map(response, Instant.EPOCH, nanos.get());
    }

    private static GenerateContentResponse response(String finish, String responseId, Part... parts) {
        return new GenerateContentResponse(
                List.of(new Candidate(0, Content.model(parts), finish, null, List.of(), List.of())),
                null,
                null,
                "",
                responseId);
    }

    @Test
    void finishReason_table_mapsEveryDocumentedReason() {
        Map<String, FinishReason.Kind> want = Map.of(
                "STOP",
                FinishReason.Kind.STOP,
                "MAX_TOKENS",
                FinishReason.Kind.LENGTH,
                "SAFETY",
                FinishReason.Kind.CONTENT_FILTER,
                "RECITATION",
                FinishReason.Kind.CONTENT_FILTER,
                "BLOCKLIST",
                FinishReason.Kind.CONTENT_FILTER,
                "PROHIBITED_CONTENT",
                FinishReason.Kind.CONTENT_FILTER,
                "SPII",
                FinishReason.Kind.CONTENT_FILTER,
                "IMAGE_SAFETY",
                FinishReason.Kind.CONTENT_FILTER,
                "MALFORMED_FUNCTION_CALL",
                FinishReason.Kind.OTHER,
                "LANGUAGE",
                FinishReason.Kind.OTHER);
        want.forEach((raw, kind) -> assertEquals(new FinishReason(kind, raw), GeminiChunks.finishReason(raw)));
    }

    @Test
    void map_stopAfterFunctionCall_isToolCallsKeepingRaw() {
        map(response(null, "r", new FunctionCallPart(null, "f", Map.of("a", 1L), null)));
        MessageChunk last = map(response("STOP", "r"));
        assertEquals(new FinishReason(FinishReason.Kind.TOOL_CALLS, "STOP"), last.finishReason());
    }

    @Test
    void map_functionCalls_numberedWithStableSyntheticOrRealIds() {
        MessageChunk c = map(response(
                null,
                "resp9",
                new FunctionCallPart(null, "f", Map.of("a", 1L), null),
                new FunctionCallPart("real", "g", Map.of(), null)));
        assertEquals("sluice-call-resp9-0", c.toolCalls().get(0).id());
        assertEquals("{\"a\":1}", c.toolCalls().get(0).arguments());
        assertEquals(1, c.toolCalls().get(1).index());
        assertEquals("real", c.toolCalls().get(1).id());
        MessageChunk later = map(response(null, "", new FunctionCallPart(null, "h", Map.of(), null)));
        assertEquals(2, later.toolCalls().get(0).index());
        assertEquals("sluice-call-2", later.toolCalls().get(0).id());
    }

    @Test
    void map_metadata_modelVersionElseAskedModelAndTimeSinceRequest() {
        nanos.set(5_000);
        MessageChunk c = map(response(null, "r", Part.text("x")));
        assertEquals("asked-model", c.metadata().model());
        assertEquals(Duration.ofNanos(4_000), c.metadata().sinceRequest());
        assertNull(c.finishReason());
        assertNull(c.usage());
        MessageChunk d = map(new GenerateContentResponse(List.of(), null, null, "gemini-v", ""));
        assertEquals("gemini-v", d.metadata().model());
        assertEquals("", d.text());
    }

    @Test
    void map_otherCandidates_ignored() {
        GenerateContentResponse r = new GenerateContentResponse(
                List.of(
                        new Candidate(1, Content.model(Part.text("second")), null, null, List.of(), List.of()),
                        new Candidate(0, Content.model(Part.text("first")), null, null, List.of(), List.of())),
                null,
                null,
                "",
                "");
        assertEquals("first", map(r).text());
    }
}
