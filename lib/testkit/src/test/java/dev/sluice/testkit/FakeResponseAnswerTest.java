package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scripted answers, one script in every API's wire format: blocks, deltas, usage and stop reasons. */
class FakeResponseAnswerTest {
    /** Thinking, text, then a tool call whose arguments come in two pieces. */
    private static final FakeResponse ANSWER = FakeResponse.answer()
            .thinking("Let me", " think")
            .text("Hel", "lo")
            .toolCall("get_weather", "{\"city\":", "\"Paris\"}")
            .usage(12, 34);

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    /** {@return the events of a streamed response, parsed by the tests' own parser} */
    static List<TestClient.SseEvent> events(RawHttp.Response r) {
        List<TestClient.SseEvent> events = new ArrayList<>();
        TestClient.SseParser parser = new TestClient.SseParser(events::add);
        byte[] body = r.body();
        parser.feed(body, 0, body.length);
        return events;
    }

    private RawHttp.Response post(String path, String body) {
        try (RawHttp http = new RawHttp(server)) {
            return http.post(path, body).response();
        }
    }

    private static String joined(List<TestClient.SseEvent> events, String pointer) {
        StringBuilder sb = new StringBuilder();
        for (TestClient.SseEvent e : events) {
            if (e.data().equals("[DONE]")) continue;
            JsonNode at = TestClient.parse(e.data()).at(pointer);
            if (at.isTextual()) sb.append(at.textValue());
        }
        return sb.toString();
    }

    @Test
    void answer_anthropicStream_blocksInOrderWithTheScriptedDeltasAndUsage() {
        server.enqueue(ANSWER);
        RawHttp.Response r = post("/v1/messages", "{\"model\":\"claude-test\",\"stream\":true}");

        assertEquals(200, r.status());
        assertTrue(r.complete());
        assertTrue(r.header("request-id").startsWith("req_fake_"));
        List<TestClient.SseEvent> events = events(r);
        assertEquals(
                List.of(
                        "message_start",
                        "content_block_start",
                        "ping",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop"),
                events.stream().map(TestClient.SseEvent::type).toList());
        JsonNode start = TestClient.parse(events.getFirst().data()).path("message");
        assertEquals("claude-test", start.path("model").asText(), "the request's model");
        assertEquals(12, start.path("usage").path("input_tokens").asInt());
        assertEquals("Let me think", joined(events, "/delta/thinking"));
        assertEquals("Hello", joined(events, "/delta/text"));
        assertEquals("{\"city\":\"Paris\"}", joined(events, "/delta/partial_json"));
        assertEquals(
                List.of("", "{\"city\":", "\"Paris\"}"),
                events.subList(12, 15).stream()
                        .map(e -> TestClient.parse(e.data())
                                .path("delta")
                                .path("partial_json")
                                .asText())
                        .toList());
        JsonNode end = TestClient.parse(events.get(16).data());
        assertEquals("tool_use", end.path("delta").path("stop_reason").asText());
        assertEquals(34, end.path("usage").path("output_tokens").asInt());
    }

    @Test
    void answer_chatCompletionsStream_textAndToolCallChunksWithoutThinking() {
        server.enqueue(ANSWER);
        List<TestClient.SseEvent> events = events(post(
                "/v1/chat/completions",
                "{\"model\":\"gpt-test\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));

        assertEquals("[DONE]", events.getLast().data());
        assertEquals("Hello", joined(events, "/choices/0/delta/content"));
        assertEquals("{\"city\":\"Paris\"}", joined(events, "/choices/0/delta/tool_calls/0/function/arguments"));
        assertEquals("get_weather", joined(events, "/choices/0/delta/tool_calls/0/function/name"));
        assertEquals("tool_calls", joined(events, "/choices/0/finish_reason"));
        assertEquals(
                46,
                TestClient.parse(events.get(events.size() - 2).data())
                        .path("usage")
                        .path("total_tokens")
                        .asInt());
        assertFalse(events.stream().anyMatch(e -> e.data().contains("think")), "Chat Completions has no thinking");
    }

    @Test
    void answer_responsesStream_reasoningTextAndFunctionCallItems() {
        server.enqueue(ANSWER);
        List<TestClient.SseEvent> events = events(post("/v1/responses", "{\"model\":\"gpt-test\",\"stream\":true}"));

        assertEquals("response.created", events.getFirst().type());
        assertEquals("response.completed", events.getLast().type());
        assertEquals(
                "Let me think",
                joined(
                        events.stream()
                                .filter(e -> e.type().equals("response.reasoning_summary_text.delta"))
                                .toList(),
                        "/delta"));
        assertEquals(
                "Hello",
                joined(
                        events.stream()
                                .filter(e -> e.type().equals("response.output_text.delta"))
                                .toList(),
                        "/delta"));
        assertEquals(
                "{\"city\":\"Paris\"}",
                joined(
                        events.stream()
                                .filter(e -> e.type().equals("response.function_call_arguments.delta"))
                                .toList(),
                        "/delta"));
        assertEquals(
                34,
                TestClient.parse(events.getLast().data())
                        .path("response")
                        .path("usage")
                        .path("output_tokens")
                        .asInt());
    }

    @Test
    void answer_geminiStream_thoughtAndTextPartsThenTheWholeCall() {
        server.enqueue(ANSWER);
        List<TestClient.SseEvent> events =
                events(post("/v1beta/models/gemini-test:streamGenerateContent?alt=sse", "{}"));

        assertEquals(
                "Let me think",
                events.stream()
                        .map(e -> TestClient.parse(e.data()).at("/candidates/0/content/parts/0"))
                        .filter(p -> p.path("thought").asBoolean())
                        .map(p -> p.path("text").asText())
                        .reduce("", String::concat));
        JsonNode call = events.stream()
                .map(e -> TestClient.parse(e.data()).at("/candidates/0/content/parts/0/functionCall"))
                .filter(JsonNode::isObject)
                .findFirst()
                .orElseThrow();
        assertEquals("get_weather", call.path("name").asText());
        assertEquals("Paris", call.path("args").path("city").asText());
        JsonNode last = TestClient.parse(events.getLast().data());
        assertEquals("STOP", last.at("/candidates/0/finishReason").asText());
        assertEquals("gemini-test", last.path("modelVersion").asText(), "the model of the path");
    }

    @Test
    void answer_requestWithoutStream_wholeMessageAsJson() {
        server.enqueue(ANSWER);
        RawHttp.Response r = post("/v1/messages", "{\"model\":\"claude-test\"}");

        assertTrue(r.header("content-type").startsWith("application/json"));
        JsonNode message = TestClient.parse(r.text());
        assertEquals(
                List.of("thinking", "text", "tool_use"), message.path("content").findValuesAsText("type"));
        assertEquals("Paris", message.at("/content/2/input/city").asText());
        assertEquals("tool_use", message.path("stop_reason").asText());
        assertEquals(12, message.at("/usage/input_tokens").asInt());
    }

    @Test
    void toolCall_piecesSplitInsideAnEscapeAndASurrogatePair_joinBackExactlyAndTheBytesStayUtf8() throws Exception {
        String arguments = "{\"q\":\"a\\\"b \uD83D\uDE00\"}";
        int escape = arguments.indexOf('\\') + 1; // between the backslash and the quote it escapes
        int surrogate = arguments.indexOf('\uD83D') + 1; // between the two halves of the emoji
        server.enqueue(FakeResponse.answer()
                .toolCall(
                        "search",
                        arguments.substring(0, escape),
                        arguments.substring(escape, surrogate),
                        arguments.substring(surrogate)));
        RawHttp.Response r = post("/v1/messages", "{\"stream\":true}");

        StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(r.body())); // throws CharacterCodingException if a half went out raw
        assertEquals(arguments, joined(events(r), "/delta/partial_json"));
    }

    @Test
    void truncatedAndStopSequence_endWithTheirStopReasonsInEachFormat() {
        server.enqueue(
                FakeResponse.answer().text("cut").truncated(),
                FakeResponse.answer().text("end").stopSequence("END"),
                FakeResponse.answer().text("cut").truncated());
        JsonNode truncated = TestClient.parse(post("/v1/messages", "{}").text());
        JsonNode stopped = TestClient.parse(post("/v1/messages", "{}").text());
        JsonNode length = TestClient.parse(post("/v1/chat/completions", "{}").text());

        assertEquals("max_tokens", truncated.path("stop_reason").asText());
        assertEquals("stop_sequence", stopped.path("stop_reason").asText());
        assertEquals("END", stopped.path("stop_sequence").asText());
        assertEquals("length", length.at("/choices/0/finish_reason").asText());
    }

    @Test
    void answerPrompt_enqueuedWithAFault_answersThePromptWithTheScriptedFault() {
        server.enqueue(FakeResponse.answerPrompt().endAfter(2));
        RawHttp.Response r;
        try (RawHttp http = new RawHttp(server)) {
            r = http.post(
                            "/v1/messages",
                            TestClient.body("Tell me about the ocean"),
                            "x-api-key",
                            "k",
                            "anthropic-version",
                            "2023-06-01")
                    .response();
        }
        List<TestClient.SseEvent> events = events(r);
        assertTrue(r.complete());
        assertEquals(
                2, events.stream().filter(e -> e.data().contains("text_delta")).count());
        assertFalse(events.stream().anyMatch(e -> e.type().equals("message_stop")));
    }

    @Test
    void queue_emptied_dispatcherAnswersThenTheDefaultPromptAnswer() {
        server.enqueue(FakeResponse.status(204));
        assertEquals(204, post("/v1/messages", "{}").status());
        server.setDispatcher(request -> FakeResponse.status(request.path().endsWith("a") ? 201 : 202));
        assertEquals(201, post("/a", "{}").status());
        assertEquals(202, post("/b", "{}").status());
        server.enqueue(FakeResponse.status(203));
        assertEquals(203, post("/a", "{}").status(), "the queue comes first");
    }

    @Test
    void body_notJson_scriptedAnswerStillSentInTheFirstFormat() throws CharacterCodingException {
        server.enqueue(FakeResponse.answer().text("hi"));
        RawHttp.Response r = post("/anything", "not json");
        assertEquals("hi", TestClient.parse(r.text()).at("/content/0/text").asText());
        assertEquals("fake-model", TestClient.parse(r.text()).path("model").asText());
    }
}
