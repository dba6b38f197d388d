package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageRequestTest {

    private static MessageRequest.Builder minimal() {
        return MessageRequest.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(1024)
                .addUserMessage("Hello");
    }

    @Test
    void write_minimalStreaming_exactJson() {
        assertEquals(
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"Hello\"}]}],\"stream\":true}",
                RequestJson.write(minimal().build(), true));
        assertTrue(RequestJson.write(minimal().build(), false).endsWith("\"stream\":false}"));
    }

    @Test
    void write_everyScalarOption_exactJsonInOrder() {
        MessageRequest r = minimal()
                .system("Be terse.")
                .toolChoice(ToolChoice.tool("get_weather").withDisableParallelToolUse())
                .addTool(CustomTool.of("get_weather", "Weather for a city", Map.of("type", "object")))
                .thinking(ThinkingConfig.enabled(2048))
                .temperature(0.7)
                .topP(0.9)
                .topK(40)
                .stopSequences(List.of("END", "\n\nHuman:"))
                .userId("user-123")
                .extra("service_tier", "auto")
                .extra("container", Map.of("id", "c1"))
                .build();
        assertEquals(
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"text\",\"text\":\"Hello\"}]}],\"system\":\"Be terse.\","
                        + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather for a city\",\"input_schema\":{\"type\":\"object\"}}],"
                        + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\",\"disable_parallel_tool_use\":true},"
                        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},"
                        + "\"temperature\":0.7,\"top_p\":0.9,\"top_k\":40,\"stop_sequences\":[\"END\",\"\\n\\nHuman:\"],"
                        + "\"metadata\":{\"user_id\":\"user-123\"},\"stream\":true,\"service_tier\":\"auto\",\"container\":{\"id\":\"c1\"}}",
                RequestJson.write(r, true));
    }

    @Test
    void write_everyContentBlockKind_exactJson() {
        Map<String, Object> ephemeral = Map.of("type", "ephemeral");
        MessageRequest r = MessageRequest.builder()
                .model("m")
                .maxTokens(10)
                .system(List.of(TextParam.of("sys").withCacheControl(ephemeral)))
                .addMessage(MessageParam.user(
                        TextParam.of("look"),
                        ImageParam.base64("image/png", "iVBOR"),
                        ImageParam.url("https://e.x/cat.jpg"),
                        DocumentParam.pdfBase64("JVBER").withTitle("Report").withCitations(true),
                        DocumentParam.text("plain").withContext("ctx").withCacheControl(ephemeral),
                        DocumentParam.url("https://e.x/a.pdf")))
                .addMessage(MessageParam.assistant(
                        new ThinkingParam("hmm", "sig"),
                        new RedactedThinkingParam("enc"),
                        TextParam.of("calling").withCitations(List.of(Citation.of(Map.of("type", "char_location")))),
                        ToolUseParam.of("toolu_1", "f", Map.of("n", 1))))
                .addMessage(MessageParam.user(
                        ToolResultParam.of("toolu_1", "42"),
                        ToolResultParam.error("toolu_2", "boom"),
                        ToolResultParam.of("toolu_3", List.of(TextParam.of("a"), ImageParam.url("https://e.x/i.png")))))
                .addTool(ServerTool.of(Map.of("type", "web_search_20250305", "name", "web_search")))
                .toolChoice(ToolChoice.auto())
                .thinking(ThinkingConfig.disabled())
                .build();
        String json = RequestJson.write(r, false);
        assertEquals(
                "{\"model\":\"m\",\"max_tokens\":10,\"messages\":["
                        + "{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"text\",\"text\":\"look\"},"
                        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBOR\"}},"
                        + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://e.x/cat.jpg\"}},"
                        + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBER\"},\"title\":\"Report\",\"citations\":{\"enabled\":true}},"
                        + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"plain\"},\"context\":\"ctx\",\"cache_control\":{\"type\":\"ephemeral\"}},"
                        + "{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"https://e.x/a.pdf\"}}]},"
                        + "{\"role\":\"assistant\",\"content\":["
                        + "{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"sig\"},"
                        + "{\"type\":\"redacted_thinking\",\"data\":\"enc\"},"
                        + "{\"type\":\"text\",\"text\":\"calling\",\"citations\":[{\"type\":\"char_location\"}]},"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"n\":1}}]},"
                        + "{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"42\"},"
                        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"content\":\"boom\",\"is_error\":true},"
                        + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_3\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://e.x/i.png\"}}]}]}],"
                        + "\"system\":[{\"type\":\"text\",\"text\":\"sys\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                        + "\"tools\":[",
                json.substring(0, json.indexOf("\"tools\":[") + 9));
        // Map.of has no order: compare the server tool semantically
        assertEquals(
                Fixtures.tree("{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}"),
                Fixtures.tree(json).get("tools").get(0));
        assertTrue(
                json.endsWith(
                        "],\"tool_choice\":{\"type\":\"auto\"},\"thinking\":{\"type\":\"disabled\"},\"stream\":false}"),
                json);
    }

    @Test
    void extra_valuesOfTheValueModel_normalizedAndExact() {
        MessageRequest r = minimal()
                .extra("a", List.of(1, 2.5, new BigDecimal("1.10"), true))
                .extra("b", null)
                .build();
        assertTrue(RequestJson.write(r, true).endsWith("\"stream\":true,\"a\":[1,2.5,1.10,true],\"b\":null}"));
    }

    @Test
    void extra_knownOrBadField_rejectedNamingIt() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> minimal().extra("stream", true));
        assertTrue(e.getMessage().contains("stream"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> minimal().extra("model", "x"));
        assertTrue(e.getMessage().contains("model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> minimal().extra("x", new Object()));
        assertTrue(e.getMessage().contains("extra field x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> minimal().extra(" ", 1));
    }

    @Test
    void build_missingModelMaxTokensOrMessages_saysHowToSupplyIt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> MessageRequest.builder().maxTokens(1).addUserMessage("x").build());
        assertTrue(e.getMessage().startsWith("model is required: call model(..)"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> MessageRequest.builder().model("m").addUserMessage("x").build());
        assertTrue(e.getMessage().startsWith("maxTokens is required: call maxTokens(..)"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> MessageRequest.builder().model("m").maxTokens(1).build());
        assertTrue(e.getMessage().contains("addUserMessage(..)"), e.getMessage());
    }

    @Test
    void setters_badValues_rejectedNamingTheArgument() {
        MessageRequest.Builder b = MessageRequest.builder();
        assertMessageContains("model", () -> b.model(" "));
        assertMessageContains("maxTokens", () -> b.maxTokens(0));
        assertMessageContains("temperature", () -> b.temperature(1.5));
        assertMessageContains("temperature", () -> b.temperature(Double.NaN));
        assertMessageContains("topP", () -> b.topP(-0.1));
        assertMessageContains("topK", () -> b.topK(-1));
        assertMessageContains("stopSequences", () -> b.stopSequences(List.of("")));
        assertMessageContains("userId", () -> b.userId(""));
        assertMessageContains("budgetTokens", () -> ThinkingConfig.enabled(100));
        assertMessageContains("name", () -> CustomTool.of("bad name", null, Map.of("type", "object")));
        assertMessageContains("inputSchema", () -> CustomTool.of("ok", null, Map.of("type", "string")));
        assertMessageContains("mediaType", () -> ImageParam.base64("image/bmp", "x"));
        assertMessageContains(
                "exactly one", () -> new ToolResultParam("t", "a", List.of(TextParam.of("b")), false, null));
        assertMessageContains("none", () -> ToolChoice.none().withDisableParallelToolUse());
        assertMessageContains(
                "unique",
                () -> b.addTool(CustomTool.of("t", null, Map.of("type", "object")))
                        .addTool(CustomTool.of("t", null, Map.of("type", "object"))));
    }

    @Test
    void toString_neverShowsMessageText() {
        String s = MessageRequest.builder()
                .model("m")
                .maxTokens(5)
                .addUserMessage("secret prompt")
                .build()
                .toString();
        assertFalse(s.contains("secret"), s);
    }

    private static void assertMessageContains(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should name " + expected);
    }
}
