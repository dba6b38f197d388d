package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential: {@link RequestJson} (on {@code JsonOut}) must write exactly the body the previous,
 * Jackson-generator implementation ({@link JacksonRequestJsonOracle}) wrote.
 */
class RequestJsonTest {
    private static final String ODD = "q\"b\\s/ctl\u0000\u0001\b\t\n\f\r\u001f\u007f é 日本 😀 lone\ud83d \ude00 \u2028";

    private static void assertSameAsOracle(MessageRequest r) {
        for (boolean stream : new boolean[] {true, false}) {
            assertEquals(JacksonRequestJsonOracle.write(r, stream), RequestJson.write(r, stream));
        }
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void write_minimal_sameAsJacksonOracle() {
        assertSameAsOracle(MessageRequest.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(1024)
                .addUserMessage("Hello")
                .build());
    }

    @Test
    void write_everyParamTypeAndOption_sameAsJacksonOracle() {
        Map<String, Object> ephemeral = ordered("type", "ephemeral", "ttl", "5m");
        Map<String, Object> schema = ordered(
                "type",
                "object",
                "properties",
                ordered(
                        "city",
                        ordered("type", "string", "description", ODD),
                        "n",
                        ordered(
                                "type",
                                "integer",
                                "minimum",
                                0L,
                                "maximum",
                                new BigInteger("123456789012345678901234567890"),
                                "multipleOf",
                                new BigDecimal("0.50"))),
                "required",
                List.of("city"),
                "additionalProperties",
                false,
                "default",
                null);
        MessageRequest r = MessageRequest.builder()
                .model("m" + ODD)
                .maxTokens(Integer.MAX_VALUE)
                .system(List.of(TextParam.of("sys" + ODD).withCacheControl(ephemeral), TextParam.of("two")))
                .addMessage(MessageParam.user(
                        TextParam.of(ODD),
                        TextParam.of("cc").withCacheControl(ephemeral),
                        ImageParam.base64("image/png", "iVBOR+/="),
                        ImageParam.url("https://e.x/cat.jpg?a=1&b=\"2\"").withCacheControl(ephemeral),
                        DocumentParam.pdfBase64("JVBER")
                                .withTitle("Report" + ODD)
                                .withCitations(true),
                        DocumentParam.text("plain" + ODD)
                                .withContext("ctx")
                                .withCitations(false)
                                .withCacheControl(ephemeral),
                        DocumentParam.url("https://e.x/a.pdf")))
                .addMessage(MessageParam.assistant(
                        new ThinkingParam("hmm" + ODD, "sig/+="),
                        new RedactedThinkingParam("enc" + ODD),
                        new CompactionParam("summary" + ODD, "EqQE+/=" + ODD),
                        new CompactionParam(null, null),
                        new VerbatimParam(ordered(
                                "type",
                                "fallback",
                                "from",
                                Map.of("model", "a"),
                                "to",
                                Map.of("model", "b" + ODD),
                                "trigger",
                                ordered("type", "refusal", "category", null))),
                        TextParam.of("calling")
                                .withCitations(List.of(
                                        Citation.of(ordered(
                                                "type",
                                                "char_location",
                                                "cited_text",
                                                ODD,
                                                "start_char_index",
                                                0L,
                                                "end_char_index",
                                                12L,
                                                "document_index",
                                                1L)),
                                        Citation.of(ordered("type", "page_location", "start_page_number", 3L)))),
                        ToolUseParam.of(
                                "toolu_1",
                                "f",
                                ordered(
                                        "n",
                                        1L,
                                        "d",
                                        new BigDecimal("1E+3"),
                                        "s",
                                        ODD,
                                        "l",
                                        List.of(true, false, List.of(), ordered()),
                                        "x",
                                        new BigDecimal("-0.000001")))))
                .addMessage(MessageParam.user(
                        ToolResultParam.of("toolu_1", "42" + ODD),
                        ToolResultParam.error("toolu_2", "boom").withCacheControl(ephemeral),
                        ToolResultParam.of("toolu_3", List.of(TextParam.of("a"), ImageParam.url("https://e.x/i.png"))),
                        TextParam.of("after")))
                .addAssistantMessage("plain assistant")
                .addTool(CustomTool.of("get_weather", ODD, schema).withCacheControl(ephemeral))
                .addTool(CustomTool.of("no_description", null, ordered("type", "object")))
                .addTool(ServerTool.of(ordered(
                        "type",
                        "web_search_20250305",
                        "name",
                        "web_search",
                        "max_uses",
                        5L,
                        "allowed_domains",
                        List.of("a.example", "b.example"))))
                .toolChoice(ToolChoice.tool("get_weather").withDisableParallelToolUse())
                .thinking(ThinkingConfig.enabled(2048))
                .temperature(0.7)
                .topP(0.9)
                .topK(40)
                .stopSequences(List.of("END", "\n\nHuman:", ODD))
                .userId("user-123" + ODD)
                .extra("service_tier", "auto")
                .extra("container", ordered("id", "c1"))
                .extra(
                        "numbers",
                        List.of(
                                1,
                                2.5,
                                0.1,
                                1e-7,
                                new BigDecimal("1.10"),
                                Long.MIN_VALUE,
                                new BigInteger("-99999999999999999999")))
                .extra("nothing", null)
                .extra(ODD, ODD)
                .build();
        assertSameAsOracle(r);
    }

    @Test
    void write_systemStringToolChoicesThinkingDisabled_sameAsJacksonOracle() {
        for (ToolChoice tc : List.of(
                ToolChoice.auto(),
                ToolChoice.any(),
                ToolChoice.none(),
                ToolChoice.auto().withDisableParallelToolUse())) {
            assertSameAsOracle(MessageRequest.builder()
                    .model("m")
                    .maxTokens(1)
                    .system(ODD)
                    .addUserMessage("hi")
                    .addTool(CustomTool.of("t", "d", Map.of("type", "object")))
                    .toolChoice(tc)
                    .thinking(ThinkingConfig.disabled())
                    .temperature(0.0)
                    .topP(1.0)
                    .topK(0)
                    .build());
        }
    }

    @Test
    void write_randomTemperaturesAndTexts_sameAsJacksonOracle() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(20); j > 0; j--)
                text.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
            List<String> stops = new ArrayList<>();
            stops.add(text.toString().isBlank() ? "x" : text.toString());
            assertSameAsOracle(MessageRequest.builder()
                    .model("m")
                    .maxTokens(1 + random.nextInt(100_000))
                    .addUserMessage(text.toString())
                    .addAssistantMessage(text + "!")
                    .temperature(random.nextInt(1001) / 1000.0)
                    .topP(random.nextDouble())
                    .topK(random.nextInt(500))
                    .stopSequences(stops)
                    .build());
        }
    }
}
