package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.internal.low.json.DatabindReference;
import dev.sluice.internal.low.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input nested far deeper than {@link PartialJson#MAX_DEPTH} (what a model may write into a tool
 * call): recorded as a problem, no value built, the text kept; nothing overflows the stack.
 */
class PartialJsonDepthTest {
    /** Deep enough to overflow any recursive walk on a default thread stack. */
    static final int DEEP = 100_000;

    static String brackets(int n) {
        return "[".repeat(n);
    }

    static String keys(int n) {
        return "{\"a\":".repeat(n);
    }

    @Test
    void append_bracketsFarPastTheDepthLimit_noValueTheProblemRecordedTheTextKept() {
        PartialJson json = new PartialJson();
        json.append(brackets(DEEP));
        assertNull(json.snapshot());
        PartialJson.Result result = json.finish();
        assertNull(result.value());
        assertTrue(result.error().startsWith("JSON nested deeper than 500 levels (at offset 500)"), result.error());
        assertEquals(DEEP, json.text().length());
    }

    @Test
    void append_objectsFarPastTheDepthLimitInOneCharFragments_snapshotsNeverOverflow() {
        String text = keys(DEEP) + "1" + "}".repeat(DEEP);
        PartialJson json = new PartialJson();
        for (int i = 0; i < text.length(); i++) {
            json.append(text.substring(i, i + 1));
            if (i % 97 == 0) assertDoesNotThrow(json::snapshot);
        }
        PartialJson.Result result = json.finish();
        assertNull(result.value());
        assertTrue(result.error().contains("nested deeper than 500 levels"), result.error());
        assertEquals(text, json.text());
    }

    @Test
    void parse_completeDocumentPastTheDepthLimit_refusedNotBuilt() {
        PartialJson.Result result = PartialJson.parse(brackets(DEEP) + "]".repeat(DEEP));
        assertNull(result.value());
        assertTrue(result.error().startsWith("JSON nested deeper than 500 levels"), result.error());
    }

    @Test
    void parse_atTheDepthLimit_acceptedAsTheLibrarysJacksonAcceptsIt_oneDeeperRefusedByBoth() throws Exception {
        assertEquals(PartialJson.MAX_DEPTH, Json.MAX_READ_DEPTH);
        ObjectMapper jackson = DatabindReference.MAPPER; // databind on Json.FACTORY's limits
        String atLimit = brackets(PartialJson.MAX_DEPTH) + "]".repeat(PartialJson.MAX_DEPTH);
        PartialJson.Result ok = PartialJson.parse(atLimit);
        assertTrue(ok.isValid(), ok::error);
        assertEquals(atLimit, PartialJson.toJson(ok.value()));
        jackson.readTree(atLimit);
        Json.readValue(atLimit);

        String past = "[" + atLimit + "]";
        assertTrue(PartialJson.parse(past).error().startsWith("JSON nested deeper than 500 levels (at offset 500)"));
        assertThrows(JsonProcessingException.class, () -> jackson.readTree(past));
        assertThrows(JsonProcessingException.class, () -> Json.readValue(past));
    }

    @Test
    void snapshot_beforeTheLimitIsReached_showsThePartialValue() {
        PartialJson json = new PartialJson();
        json.append("{\"q\":[[\"x");
        assertEquals(Map.of("q", List.of(List.of("x"))), json.snapshot());
    }

    @Test
    void toJson_valueNestedPastTheDepthLimit_illegalArgumentNamingThePath() {
        Object deep = "leaf";
        for (int i = 0; i < DEEP; i++) deep = List.of(deep);
        Object value = deep;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PartialJson.toJson(value));
        assertTrue(e.getMessage().startsWith("JSON nested deeper than 500 levels (at $[0][0]"), e.getMessage());
    }

    @Test
    void chunkAggregator_toolArgumentsPastTheDepthLimitInManyDeltas_resultReportsItWithNoValue() {
        ChunkAggregator aggregator = new ChunkAggregator();
        ChunkMetadata meta = new ChunkMetadata("m", Instant.EPOCH, Duration.ZERO);
        aggregator.accept(MessageChunk.builder(meta)
                .toolCall(ToolCallDelta.start(0, "call_1", "f", ""))
                .build());
        String piece = keys(100);
        for (int i = 0; i < DEEP / 100; i++) {
            aggregator.accept(MessageChunk.builder(meta)
                    .toolCall(ToolCallDelta.arguments(0, piece))
                    .build());
            if (i % 50 == 0) assertDoesNotThrow(aggregator::snapshot);
        }
        aggregator.accept(MessageChunk.builder(meta)
                .finishReason(new FinishReason(FinishReason.Kind.TOOL_CALLS, "tool_use"))
                .build());
        ToolCall call = aggregator.result().toolCalls().get(0);
        assertNull(call.parsedArguments());
        assertTrue(call.argumentsError().contains("nested deeper than 500 levels"), call.argumentsError());
        assertEquals(piece.length() * (DEEP / 100), call.arguments().length());
    }

    @Test
    void toolCallOf_argumentsPastTheDepthLimit_errorAndNoValue() {
        ToolCall call = ToolCall.of(0, "call_1", "f", brackets(DEEP));
        assertNull(call.parsedArguments());
        assertTrue(call.argumentsError().contains("nested deeper than 500 levels"), call.argumentsError());
    }

    @Test
    void toolCallOf_malformedArguments_errorAndNoGuessedValue() {
        ToolCall call = ToolCall.of(0, "call_1", "f", "{\"a\": 1, \"b\": 2 oops}");
        assertNull(call.parsedArguments(), "no value guessed from a broken text");
        assertTrue(call.argumentsError().startsWith("unexpected character 'o'"), call.argumentsError());
        assertEquals("{\"a\": 1, \"b\": 2 oops}", call.arguments());
    }

    @Test
    void isTruncated_cutOffInput_trueOnlyWhenTheEndOfInputIsTheOnlyProblem() {
        for (String cut : List.of("{\"a\": \"San Fr", "{\"a\": [1, 2", "{\"a\": tr", "{\"a\": 1.", "[", "{\"ke")) {
            PartialJson json = new PartialJson();
            json.append(cut);
            assertTrue(!json.isTruncated() && !json.finish().isValid() && json.isTruncated(), cut);
        }
        for (String bad : List.of(
                "{\"a\": 1 oops",
                "{\"a\": \"\\x\"}",
                "[1,]",
                brackets(PartialJson.MAX_DEPTH + 1),
                "{\"a\": 1}}",
                "",
                " ",
                "{\"a\": 1}")) {
            PartialJson json = new PartialJson();
            json.append(bad);
            json.finish();
            assertTrue(!json.isTruncated(), bad);
        }
    }

    /** A map nested like the keys() text, built without recursion. */
    static Map<String, Object> nestedMap(int depth) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("a", 1L);
        for (int i = 1; i < depth; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("a", inner);
            inner = outer;
        }
        return inner;
    }

    @Test
    void toJson_mapNestedPastTheDepthLimit_illegalArgument() {
        Map<String, Object> deep = nestedMap(DEEP);
        assertThrows(IllegalArgumentException.class, () -> PartialJson.toJson(deep));
        List<Object> fine = new ArrayList<>();
        fine.add(nestedMap(PartialJson.MAX_DEPTH));
        assertThrows(IllegalArgumentException.class, () -> PartialJson.toJson(fine), "501 levels");
        assertDoesNotThrow(() -> PartialJson.toJson(nestedMap(PartialJson.MAX_DEPTH)));
    }
}
