package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.sse.SseEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnthropicEventDecoderTest {
    private final AnthropicEventDecoder decoder = new AnthropicEventDecoder();

    private StreamEvent decode(String type, String data) {
        return decoder.decode(SseEvent.of(type, data));
    }

    @Test
    void decode_textDelta_hotPathGivesTextDelta() {
        StreamEvent e = decode(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"text_delta\",\"text\":\"caf\\u00e9 \\\"q\\\"\\n😀\"}}");
        assertEquals(new ContentBlockDelta(3, new TextDelta("café \"q\"\n😀")), e);
    }

    @Test
    void decode_textDeltaFieldsInAnyOrderWithExtras_sameEvent() {
        StreamEvent e = decode(
                "content_block_delta",
                "{\"delta\":{\"text\":\"hi\",\"type\":\"text_delta\"},\"extra\":{\"a\":[1,{\"b\":2}]},\"index\":0,\"type\":\"content_block_delta\"}");
        assertEquals(new ContentBlockDelta(0, new TextDelta("hi")), e);
    }

    @Test
    void decode_deltaWithUnknownStringField_fallsBackToTreeAndKeepsTheText() {
        StreamEvent e = decode(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\",\"note\":\"x\"}}");
        assertEquals(new ContentBlockDelta(0, new TextDelta("hi")), e);
    }

    @Test
    void decode_inputJsonThinkingSignatureDeltas_typed() {
        assertEquals(
                new ContentBlockDelta(1, new InputJsonDelta("{\"a\":")),
                decode(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}"));
        assertEquals(
                new ContentBlockDelta(0, new ThinkingDelta("hmm")),
                decode(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}"));
        assertEquals(
                new ContentBlockDelta(0, new SignatureDelta("sig")),
                decode(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}"));
    }

    @Test
    void decode_citationsDelta_keepsTheWholeCitation() {
        StreamEvent e = decode(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"citations_delta\","
                        + "\"citation\":{\"type\":\"char_location\",\"cited_text\":\"x\",\"document_index\":0,\"start_char_index\":0,\"end_char_index\":1}}}");
        CitationsDelta d = assertInstanceOf(
                CitationsDelta.class,
                assertInstanceOf(ContentBlockDelta.class, e).delta());
        assertEquals("char_location", d.citation().type());
        assertEquals("x", d.citation().citedText());
        assertEquals(
                List.of("type", "cited_text", "document_index", "start_char_index", "end_char_index"),
                List.copyOf(d.citation().json().keySet()));
        assertEquals(1L, d.citation().json().get("end_char_index"));
    }

    @Test
    void decode_unknownDeltaType_unknownDeltaWithRawJson() {
        StreamEvent e = decode(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"sparkle_delta\",\"sparkle\":{\"n\":1}}}");
        UnknownDelta d = assertInstanceOf(
                UnknownDelta.class, assertInstanceOf(ContentBlockDelta.class, e).delta());
        assertEquals("sparkle_delta", d.type());
        assertEquals("{\"type\":\"sparkle_delta\",\"sparkle\":{\"n\":1}}", d.json());
    }

    @Test
    void decode_unknownEventType_unknownEventWithRawData() {
        String data = "{\"type\":\"message_sparkle\",\"x\":[1,2]}";
        assertEquals(new UnknownEvent("message_sparkle", data), decode("message_sparkle", data));
    }

    @Test
    void decode_resultBlockType_typedAndKeptWhole() {
        StreamEvent e = decode(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
                        + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[{\"type\":\"web_search_result\",\"url\":\"https://x\",\"page_age\":null}]}}");
        ServerToolResultBlock.WebSearch b = assertInstanceOf(
                ServerToolResultBlock.WebSearch.class,
                assertInstanceOf(ContentBlockStart.class, e).contentBlock());
        assertEquals("web_search_tool_result", b.type());
        assertEquals("https://x", b.results().getFirst().url());
        assertEquals(
                "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[{\"type\":\"web_search_result\",\"url\":\"https://x\",\"page_age\":null}]}",
                dev.sluice.internal.low.json.Json.write(b.json()));
    }

    @Test
    void decode_unknownBlockType_otherBlockKeptWhole() {
        StreamEvent e = decode(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
                        + "{\"type\":\"hologram_result\",\"x\":{\"y\":[1]}}}");
        OtherBlock b = assertInstanceOf(
                OtherBlock.class, assertInstanceOf(ContentBlockStart.class, e).contentBlock());
        assertEquals("hologram_result", b.type());
        assertEquals(
                "{\"type\":\"hologram_result\",\"x\":{\"y\":[1]}}", dev.sluice.internal.low.json.Json.write(b.json()));
    }

    @Test
    void decode_blockStarts_typedBlocks() {
        assertEquals(
                new ContentBlockStart(0, TextBlock.of("")),
                decode(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        ToolUseBlock t = assertInstanceOf(
                ToolUseBlock.class,
                ((ContentBlockStart)
                                decode(
                                        "content_block_start",
                                        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}"))
                        .contentBlock());
        assertEquals(new ToolUseBlock("toolu_1", "f", Map.of(), "{}", Optional.empty()), t);
        assertInstanceOf(
                ServerToolUseBlock.class,
                ((ContentBlockStart)
                                decode(
                                        "content_block_start",
                                        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}"))
                        .contentBlock());
        assertEquals(
                new ContentBlockStart(0, new ThinkingBlock("", null)),
                decode(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"));
        assertEquals(
                new ContentBlockStart(0, new RedactedThinkingBlock("enc")),
                decode(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"enc\"}}"));
    }

    @Test
    void decode_messageDeltaStopPingError_typed() {
        MessageDelta md = assertInstanceOf(
                MessageDelta.class,
                decode(
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"},\"usage\":{\"output_tokens\":7,\"server_tool_use\":{\"web_search_requests\":1}}}"));
        assertEquals("stop_sequence", md.stopReason());
        assertEquals("END", md.stopSequence());
        assertEquals(7L, md.usage().outputTokens());
        assertEquals(Map.of("web_search_requests", 1L), md.usage().fields().get("server_tool_use"));
        assertEquals(
                new ContentBlockStop(4), decode("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":4}"));
        assertEquals(new MessageStop(), decode("message_stop", "{\"type\":\"message_stop\"}"));
        assertEquals(new Ping(), decode("ping", "{\"type\": \"ping\"}"));
        assertEquals(
                new ErrorEvent("overloaded_error", "Overloaded"),
                decode(
                        "error",
                        "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}"));
        assertEquals(new ErrorEvent("unknown", ""), decode("error", "{\"type\": \"error\"}"));
    }

    @Test
    void decode_jsonTypeDiffersFromEventName_jsonTypeWins() {
        assertEquals(new Ping(), decode("content_block_delta", "{\"type\":\"ping\"}"));
        assertEquals(new Ping(), decode("message", "{\"type\":\"ping\"}"));
    }

    @Test
    void decode_jsonWithoutType_eventNameUsed() {
        assertEquals(new ContentBlockStop(1), decode("content_block_stop", "{\"index\":1}"));
    }

    @Test
    void decode_malformedJson_protocolExceptionNamingTypeWithTruncatedData() {
        String data = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                + "x".repeat(500) + "\"";
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode("content_block_delta", data));
        assertTrue(e.getMessage().contains("malformed JSON in Anthropic 'content_block_delta' event"), e.getMessage());
        assertTrue(e.getMessage().endsWith("data: " + data.substring(0, 200) + "…"), e.getMessage());
        assertFalse(e.getMessage().contains("x".repeat(300)));
    }

    @Test
    void decode_malformedMessageStart_protocolExceptionNamingType() {
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> decode("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":"));
        assertTrue(e.getMessage().contains("'message_start'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("data: {\"type\":\"message_start\",\"message\":{\"id\":"), e.getMessage());
    }

    @Test
    void decode_emptyOrNonObjectData_protocolException() {
        assertThrows(ProtocolException.class, () -> decode("ping", ""));
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode("ping", "[1]"));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    }

    @Test
    void decode_wrongShapes_protocolExceptionNamingTheField() {
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> decode(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":\"0\",\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}"));
        assertTrue(e.getMessage().contains("content_block_delta.index"), e.getMessage());
        e = assertThrows(
                ProtocolException.class,
                () -> decode("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"m\"}}"));
        assertTrue(e.getMessage().contains("message.id is missing"), e.getMessage());
    }

    @Test
    void decode_trailingGarbageAfterDelta_protocolException() {
        assertThrows(
                ProtocolException.class,
                () -> decode(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}} x"));
    }
}
