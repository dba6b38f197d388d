package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.internal.answer.PlainVoice;
import dev.sluice.testkit.internal.answer.PlannedTexts;
import dev.sluice.testkit.internal.wire.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event streams of {@code POST /v1/messages} with {@code "stream": true}, over loopback, unpaced. */
class FakeLlmServerStreamTest {
    static final String WEATHER_TOOL = """
            [{"name":"get_weather","description":"Current weather","input_schema":{"type":"object",
              "properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},
                "days":{"type":"integer"},"verbose":{"type":"boolean"},"note":{"type":"string"}},
              "required":["location","unit","days","verbose"]}},
             {"name":"second_tool","input_schema":{"type":"object"}}]""";

    private FakeLlmServer server;
    private TestClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder().tokensPerSecond(0).start();
        client = new TestClient(server);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void stream_plainPrompt_sendsTheApiEventSequence() {
        TestClient.Streamed s = client.stream(TestClient.body("Tell me about the ocean 🌊"));

        assertEquals(200, s.statusCode());
        assertEquals("text/event-stream; charset=utf-8", s.header("content-type"));
        assertTrue(s.header("request-id").startsWith("req_fake_"), s.header("request-id"));
        assertNull(s.failure());
        List<String> types = s.types();
        int deltas = s.deltas("text_delta").size();
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
        for (int i = 0; i < deltas; i++) expected.add("content_block_delta");
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertEquals(expected, types);
        s.events().forEach(e -> assertEquals(e.type(), e.json().path("type").asText(), "data type matches event type"));

        JsonNode message = s.events().getFirst().json().path("message");
        assertTrue(message.path("id").asText().startsWith("msg_fake_"));
        assertEquals("message", message.path("type").asText());
        assertEquals("assistant", message.path("role").asText());
        assertEquals("claude-sonnet-4-5", message.path("model").asText());
        assertTrue(message.path("content").isArray() && message.path("content").isEmpty());
        assertTrue(message.path("stop_reason").isNull());
        assertTrue(message.path("usage").path("input_tokens").asInt() > 0);
        assertEquals(1, message.path("usage").path("output_tokens").asInt());
        assertEquals(
                "{\"type\":\"text\",\"text\":\"\"}",
                s.events().get(1).json().path("content_block").toString());

        String text = s.joined("text_delta", "text");
        assertEquals(PlainVoice.answer("Tell me about the ocean 🌊"), text);
        assertTrue(text.contains("🌊"), "the emoji arrives intact: " + text);
        for (TestClient.Received d : s.deltas("text_delta")) {
            int words = d.json().path("delta").path("text").asText().trim().split("\\s+").length;
            assertTrue(
                    words >= 1 && words <= 3,
                    "1-3 words per delta: " + d.event().data());
        }
        JsonNode messageDelta = s.ofType("message_delta").getFirst().json();
        assertEquals("end_turn", messageDelta.path("delta").path("stop_reason").asText());
        assertTrue(messageDelta.path("delta").path("stop_sequence").isNull());
        int tokens = s.deltas("text_delta").stream()
                .mapToInt(d -> Tokens.of(d.json().path("delta").path("text").asText()))
                .sum();
        assertEquals(tokens, messageDelta.path("usage").path("output_tokens").asInt(), "the tokens of the deltas");
        double charsPerToken = (double) text.length() / tokens;
        assertTrue(
                tokens > deltas && charsPerToken > 3.5 && charsPerToken < 6,
                "English runs at about 4 to 5 characters a token, " + "not one token a delta: " + tokens + " tokens, "
                        + deltas + " deltas, " + text.length() + " characters");
    }

    @Test
    void stream_samePromptTwice_sameDeltas() {
        List<String> first = s("What is the tallest mountain?").deltas("text_delta").stream()
                .map(r -> r.event().data())
                .toList();
        List<String> second = s("What is the tallest mountain?").deltas("text_delta").stream()
                .map(r -> r.event().data())
                .toList();
        assertEquals(first, second);
    }

    @Test
    void stream_accentedAnswer_arrivesAsUtf8() {
        String text = s("Where can I get a good coffee? Café in São Paulo").joined("text_delta", "text");
        assertTrue(text.contains("Café") && text.contains("São Paulo"), text);
    }

    @Test
    void stream_withTools_streamsTextThenToolUseInputAsJsonFragments() {
        TestClient.Streamed s = client.stream(TestClient.body(
                "claude-sonnet-4-5", 1024, true, "What's the weather in Paris?", Map.of("tools", WEATHER_TOOL)));

        assertEquals(PlannedTexts.TOOL_PREAMBLE, s.joined("text_delta", "text"));
        JsonNode toolStart = s.ofType("content_block_start").get(1).json();
        assertEquals(1, toolStart.path("index").asInt());
        JsonNode block = toolStart.path("content_block");
        assertEquals("tool_use", block.path("type").asText());
        assertTrue(block.path("id").asText().startsWith("toolu_fake_"));
        assertEquals("get_weather", block.path("name").asText());
        assertEquals("{}", block.path("input").toString());

        List<TestClient.Received> fragments = s.deltas("input_json_delta");
        assertEquals(
                "",
                fragments.getFirst().json().path("delta").path("partial_json").asText(),
                "first fragment is empty");
        assertTrue(fragments.size() > 3);
        JsonNode input = TestClient.parse(s.joined("input_json_delta", "partial_json"));
        assertEquals("Paris", input.path("location").asText());
        assertEquals("celsius", input.path("unit").asText());
        assertEquals(42, input.path("days").asInt());
        assertTrue(input.path("verbose").asBoolean());
        assertFalse(input.has("note"), "only required properties");
        JsonNode messageDelta = s.ofType("message_delta").getFirst().json();
        assertEquals("tool_use", messageDelta.path("delta").path("stop_reason").asText());
        int tokens = s.deltas("text_delta").stream()
                        .mapToInt(d ->
                                Tokens.of(d.json().path("delta").path("text").asText()))
                        .sum()
                + fragments.stream()
                        .skip(1)
                        .mapToInt(f -> Tokens.of(
                                f.json().path("delta").path("partial_json").asText()))
                        .sum();
        assertEquals(
                tokens,
                messageDelta.path("usage").path("output_tokens").asInt(),
                "the text's and the arguments' tokens");
    }

    @Test
    void stream_lastTurnIsToolResult_answersWithTextOnly() {
        String body = """
                {"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"tools":%s,"messages":[
                 {"role":"user","content":"What's the weather in Paris?"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18 degrees, sunny"}]}]}
                """.formatted(WEATHER_TOOL);
        TestClient.Streamed s = client.stream(body);

        assertTrue(s.deltas("input_json_delta").isEmpty());
        assertEquals(
                "end_turn",
                s.ofType("message_delta")
                        .getFirst()
                        .json()
                        .path("delta")
                        .path("stop_reason")
                        .asText());
    }

    @Test
    void stream_thinkingEnabled_sendsThinkingWithSignatureBeforeText() {
        TestClient.Streamed s = client.stream(TestClient.body(
                "claude-sonnet-4-5",
                4096,
                true,
                "Why is the sky blue?",
                Map.of("thinking", "{\"type\":\"enabled\",\"budget_tokens\":1024}")));

        List<TestClient.Received> starts = s.ofType("content_block_start");
        assertEquals(
                "{\"type\":\"thinking\",\"thinking\":\"\"}",
                starts.get(0).json().path("content_block").toString());
        assertEquals(
                "text", starts.get(1).json().path("content_block").path("type").asText());
        assertFalse(s.joined("thinking_delta", "thinking").isBlank());
        List<TestClient.Received> signatures = s.deltas("signature_delta");
        assertEquals(1, signatures.size());
        assertTrue(signatures
                .getFirst()
                .json()
                .path("delta")
                .path("signature")
                .asText()
                .matches("[A-Za-z0-9+/]{40,}={0,2}"));
        int signatureAt = s.events().indexOf(signatures.getFirst());
        assertEquals(
                "content_block_stop", s.events().get(signatureAt + 1).type(), "the signature ends the thinking block");
        assertTrue(s.deltas("thinking_delta").stream()
                .allMatch(d -> d.json().path("index").asInt() == 0));
        assertTrue(s.deltas("text_delta").stream()
                .allMatch(d -> d.json().path("index").asInt() == 1));
        assertEquals(
                "end_turn",
                s.ofType("message_delta")
                        .getFirst()
                        .json()
                        .path("delta")
                        .path("stop_reason")
                        .asText());
    }

    @Test
    void stream_maxTokensBelowTheAnswer_truncatesAndSaysMaxTokens() {
        TestClient.Streamed s =
                client.stream(TestClient.body("claude-sonnet-4-5", 5, true, "Tell me about the ocean", Map.of()));

        String text = s.joined("text_delta", "text");
        assertTrue(PlainVoice.answer("Tell me about the ocean").startsWith(text));
        assertEquals("This is the fake model", text, "five tokens' worth of text, the last delta cut to fit");
        JsonNode messageDelta = s.ofType("message_delta").getFirst().json();
        assertEquals(
                "max_tokens", messageDelta.path("delta").path("stop_reason").asText());
        assertEquals(5, messageDelta.path("usage").path("output_tokens").asInt());
        assertEquals("message_stop", s.types().getLast());
    }

    @Test
    void stream_maxTokensTooSmallForTheToolCall_leavesTheToolCallOut() {
        TestClient.Streamed s = client.stream(TestClient.body(
                "claude-sonnet-4-5", 8, true, "What's the weather in Paris?", Map.of("tools", WEATHER_TOOL)));

        assertEquals(1, s.ofType("content_block_start").size());
        assertEquals(
                "max_tokens",
                s.ofType("message_delta")
                        .getFirst()
                        .json()
                        .path("delta")
                        .path("stop_reason")
                        .asText());
    }

    @Test
    void stream_stopSequenceInTheAnswer_endsBeforeItWithStopSequence() {
        String answer = PlainVoice.answer("Tell me about the ocean");
        TestClient.Streamed s = client.stream(TestClient.body(
                "claude-sonnet-4-5",
                1024,
                true,
                "Tell me about the ocean",
                Map.of("stop_sequences", "[\"not in the text\",\"streamed\"]")));

        assertEquals(answer.substring(0, answer.indexOf("streamed")), s.joined("text_delta", "text"));
        JsonNode delta = s.ofType("message_delta").getFirst().json().path("delta");
        assertEquals("stop_sequence", delta.path("stop_reason").asText());
        assertEquals("streamed", delta.path("stop_sequence").asText());
    }

    private TestClient.Streamed s(String prompt) {
        TestClient.Streamed s = client.stream(TestClient.body(prompt));
        assertNotNull(s.ofType("message_stop").getFirst());
        return s;
    }
}
