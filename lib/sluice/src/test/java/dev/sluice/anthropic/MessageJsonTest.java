package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageJsonTest {
    private static final String WEB_SEARCH =
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":["
                    + "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"weather\"}},"
                    + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[{\"type\":\"web_search_result\",\"title\":\"T\",\"url\":\"https://e.x\",\"encrypted_content\":\"abc\",\"page_age\":null}]},"
                    + "{\"type\":\"text\",\"text\":\"Sunny\",\"citations\":[{\"type\":\"web_search_result_location\",\"url\":\"https://e.x\",\"title\":\"T\",\"encrypted_index\":\"ei\",\"cited_text\":\"sunny\"}]},"
                    + "{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"sig\"},"
                    + "{\"type\":\"redacted_thinking\",\"data\":\"enc\"},"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"x\":1.50,\"big\":123456789012345678901234567890,\"n\":null}}],"
                    + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":3,\"output_tokens\":20,"
                    + "\"server_tool_use\":{\"web_search_requests\":1},\"service_tier\":\"standard\",\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0}}}";

    @Test
    void fromJsonToJson_everyBlockKindAndUsageField_roundTripsExactly() {
        Message m = Message.fromJson(WEB_SEARCH);
        assertEquals(WEB_SEARCH, m.toJson());
    }

    @Test
    void fromJson_blocksTypedAndUsageReadable() {
        Message m = Message.fromJson(WEB_SEARCH);
        assertInstanceOf(ServerToolUseBlock.class, m.content().get(0));
        ServerToolResultBlock.WebSearch result = assertInstanceOf(
                ServerToolResultBlock.WebSearch.class, m.content().get(1));
        assertEquals("web_search_tool_result", result.type());
        TextBlock text = assertInstanceOf(TextBlock.class, m.content().get(2));
        assertEquals("sunny", text.citations().get(0).citedText());
        ToolUseBlock tool = assertInstanceOf(ToolUseBlock.class, m.content().get(5));
        assertEquals(new BigDecimal("1.50"), tool.input().get("x"));
        assertEquals("{\"x\":1.50,\"big\":123456789012345678901234567890,\"n\":null}", tool.inputJson());
        assertEquals(3L, m.usage().cacheReadInputTokens());
        assertEquals(0L, m.usage().cacheCreationInputTokens());
        assertEquals(Map.of("web_search_requests", 1L), m.usage().fields().get("server_tool_use"));
        assertEquals("Sunny", m.text());
    }

    @Test
    void fromJson_absentUsageCountsAreNull() {
        Message m = Message.fromJson("{\"id\":\"m\",\"model\":\"x\",\"content\":[],\"usage\":{\"output_tokens\":2}}");
        assertEquals(null, m.usage().inputTokens());
        assertEquals(2L, m.usage().outputTokens());
        assertEquals("message", m.type());
        assertEquals("assistant", m.role());
        assertEquals(List.of(), m.content());
    }

    @Test
    void fromJson_notJsonOrNotAMessage_protocolException() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Message.fromJson("{\"id\":"));
        assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Message.fromJson("{\"id\":\"m\",\"content\":[]}"));
        assertTrue(e.getMessage().contains("message.model is missing"), e.getMessage());
    }
}
