package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.IncompleteStreamException;
import dev.sluice.testkit.FakeLlmExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a model writes into a tool's input can be nested absurdly deep or be broken JSON; a
 * {@code message_delta} usage field can be JSON null. Streams written here, inline.
 */
class ToolInputHardeningTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final int DEEP = 100_000;

    static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    static final String START = event(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_h\",\"type\":"
                    + "\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-h\",\"stop_reason\":null,"
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":42,\"cache_read_input_tokens\":7,\"output_tokens\":1}}}");
    static final String TOOL_START = event(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_h\",\"name\":\"lookup\",\"input\":{}}}");
    static final String STOP_BLOCK = event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    static final String DELTA = event(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}");
    static final String STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    /** An input_json_delta carrying {@code piece}, which must need no JSON escaping but quotes. */
    static String inputDelta(String piece) {
        return event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                        + "\"input_json_delta\",\"partial_json\":\"" + piece.replace("\"", "\\\"") + "\"}}");
    }

    static String toolStream(List<String> pieces, boolean complete) {
        StringBuilder sb = new StringBuilder(START).append(TOOL_START);
        for (String p : pieces) sb.append(inputDelta(p));
        if (complete) sb.append(STOP_BLOCK).append(DELTA).append(STOP);
        return sb.toString();
    }

    static List<String> pieces(String unit, int units, int perPiece) {
        String piece = unit.repeat(perPiece);
        return java.util.Collections.nCopies(units / perPiece, piece);
    }

    static Message replay(String body, int readSize) {
        return MessageStream.replay(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), readSize);
    }

    // ---------------------------------------------------------------- deep nesting

    @Test
    void accept_inputNestedFarPastTheDepthLimitInManyDeltas_snapshotsAndStopDoNotOverflow() {
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(new Message(
                "msg_h", "message", "assistant", "claude-h", List.of(), null, null, MessageUsage.of(1, 1))));
        acc.accept(new ContentBlockStart(0, new ToolUseBlock("toolu_h", "lookup", Map.of(), "{}", Optional.empty())));
        int i = 0;
        for (String piece : pieces("{\"a\":", DEEP, 100)) {
            acc.accept(new ContentBlockDelta(0, new InputJsonDelta(piece)));
            if (i++ % 50 == 0) assertDoesNotThrow(acc::snapshot);
        }
        acc.accept(new ContentBlockStop(0));
        ToolUseBlock block =
                assertInstanceOf(ToolUseBlock.class, acc.snapshot().content().get(0));
        assertEquals(Map.of(), block.input());
        assertTrue(
                block.inputError()
                        .orElseThrow()
                        .startsWith("tool input is not valid JSON: JSON nested deeper than 500 levels"),
                block.inputError().orElseThrow());
        assertEquals(DEEP * 5, block.inputJson().length());
        assertTrue(acc.snapshot().toJson().contains("\"input_error\":\"tool input is not valid JSON: JSON nested"));
    }

    @Test
    void replay_bracketsFarPastTheDepthLimitReadOneByteAtATime_completesWithTheErrorOnTheBlock() {
        Message m = replay(toolStream(pieces("[", DEEP, 1000), true), 1);
        ToolUseBlock block = assertInstanceOf(ToolUseBlock.class, m.content().get(0));
        assertEquals(Map.of(), block.input());
        assertTrue(block.inputError().orElseThrow().contains("nested deeper than 500 levels"));
        assertEquals("[".repeat(DEEP), block.inputJson());
    }

    @Test
    void stream_deepToolInputOverLoopback_resultCarriesTheError_cutStreamCarriesThePartial() {
        try (AnthropicClient client =
                ClientTestSupport.client(FAKE.server().baseUrl().toString()).build()) {
            ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(toolStream(pieces("[", DEEP, 500), true)));
            try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
                ToolUseBlock block = assertInstanceOf(
                        ToolUseBlock.class, stream.result().content().get(0));
                assertTrue(block.inputError().orElseThrow().contains("nested deeper than 500 levels"));
                assertEquals(DEEP, block.inputJson().length());
            }

            ClientTestSupport.always(
                    FAKE.server(), ClientTestSupport.replay(toolStream(pieces("{\"a\":", DEEP, 500), false)));
            try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
                IncompleteStreamException e = assertThrows(IncompleteStreamException.class, stream::result);
                Message partial = e.partial(Message.class).orElseThrow();
                ToolUseBlock block =
                        assertInstanceOf(ToolUseBlock.class, partial.content().get(0));
                assertEquals(Map.of(), block.input(), "past the limit no value is built, even a partial one");
                assertEquals(DEEP * 5, block.inputJson().length());
                assertEquals(0, e.getSuppressed().length);
            }
        }
        assertEquals(2, ClientTestSupport.requests(FAKE.server()));
    }

    // ---------------------------------------------------------------- invalid JSON

    @Test
    void replay_toolInputThatIsNotJson_inputEmptyErrorAndTextInTheJson() throws Exception {
        String text = "{\"city\": \"Paris\", \"days\": 3}} and then some prose";
        Message m = replay(
                toolStream(List.of("{\"city\": \"Paris\", ", "\"days\": 3}", "} and then some prose"), true), 8192);
        ToolUseBlock block = assertInstanceOf(ToolUseBlock.class, m.content().get(0));
        assertEquals(Map.of(), block.input(), "no value guessed");
        assertEquals(text, block.inputJson());
        assertTrue(
                block.inputError().orElseThrow().startsWith("tool input is not valid JSON: unexpected character '}'"),
                block.inputError().orElseThrow());

        JsonNode json = new ObjectMapper().readTree(m.toJson()).get("content").get(0);
        assertEquals("{}", json.get("input").toString());
        assertEquals(block.inputError().orElseThrow(), json.get("input_error").textValue());
        assertEquals(text, json.get("input_json").textValue());
        assertEquals(m, Message.fromJson(m.toJson()), "the error and the text read back");
    }

    @Test
    void replay_toolInputCutOffAtBlockStop_whatWasWrittenKeptWithTheError() {
        Message m = replay(toolStream(List.of("{\"city\": \"San Fr"), true), 8192);
        ToolUseBlock block = assertInstanceOf(ToolUseBlock.class, m.content().get(0));
        assertEquals(
                Map.of("city", "San Fr"), block.input(), "cut off, not malformed: what was written, as far as it came");
        assertTrue(
                block.inputError().orElseThrow().contains("unterminated string"),
                block.inputError().orElseThrow());
        assertEquals("{\"city\": \"San Fr", block.inputJson());
    }

    @Test
    void replay_validToolInput_noErrorFieldsInTheJson() {
        Message m = replay(toolStream(List.of("{\"city\": ", "\"Paris\"}"), true), 8192);
        assertEquals(Map.of("city", "Paris"), ((ToolUseBlock) m.content().get(0)).input());
        assertTrue(!m.toJson().contains("input_error") && !m.toJson().contains("input_json"), m.toJson());
    }

    // ---------------------------------------------------------------- usage

    @Test
    void replay_messageDeltaUsageFieldsNull_keepTheMessageStartValues() {
        String nullUsage = event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":5,\"input_tokens\":null,\"cache_read_input_tokens\":null,"
                        + "\"server_tool_use\":null}}");
        Message m = replay(START + nullUsage + STOP, 8192);
        assertEquals(42L, m.usage().inputTokens());
        assertEquals(7L, m.usage().cacheReadInputTokens());
        assertEquals(5L, m.usage().outputTokens());
        assertTrue(m.usage().fields().containsKey("server_tool_use"), "a field only the delta names is kept, as null");
        assertNull(m.usage().fields().get("server_tool_use"));
    }

    @Test
    void withUpdates_nullLaterValue_keepsEarlierNonNullReplacesOthers() {
        MessageUsage start = MessageUsage.of(10, 1);
        java.util.Map<String, Object> update = new java.util.LinkedHashMap<>();
        update.put("input_tokens", null);
        update.put("output_tokens", 4L);
        MessageUsage merged = start.withUpdates(new MessageUsage(update));
        assertEquals(10L, merged.inputTokens());
        assertEquals(4L, merged.outputTokens());
    }
}
