package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ToolCall;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.ChatCompletion.FunctionToolCall;
import dev.sluice.openai.ChatCompletionChunk.ToolCallChunk;
import dev.sluice.sse.SseEvent;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tool calls a model may send: arguments nested absurdly deep, arguments that are not JSON, and
 * custom tools' calls with free-text input ({@code custom.name}, {@code custom.input}). The
 * streams are written here and replayed on the test kit's server.
 */
class ToolCallHardeningTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final int DEEP = 100_000;

    static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-h\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"gpt-h\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"")
                + "}]}\n\n";
    }

    static String functionPiece(int index, String id, String name, String arguments) {
        String head = id == null ? "" : "\"id\":\"" + id + "\",\"type\":\"function\",";
        String fn = (name == null ? "" : "\"name\":\"" + name + "\",") + "\"arguments\":" + quote(arguments);
        return chunk("{\"tool_calls\":[{\"index\":" + index + "," + head + "\"function\":{" + fn + "}}]}", null);
    }

    static String customPiece(int index, String id, String name, String input) {
        String head = id == null ? "" : "\"id\":\"" + id + "\",\"type\":\"custom\",";
        String custom = (name == null ? "" : "\"name\":\"" + name + "\",") + "\"input\":" + quote(input);
        return chunk("{\"tool_calls\":[{\"index\":" + index + "," + head + "\"custom\":{" + custom + "}}]}", null);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static final String USAGE = "data: {\"id\":\"chatcmpl-h\",\"object\":\"chat.completion.chunk\",\"created\":7,"
            + "\"model\":\"gpt-h\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5,\"total_tokens\":16}}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    /** A stream with one function call whose arguments come in the given pieces. */
    static String functionStream(List<String> pieces) {
        StringBuilder sb = new StringBuilder(chunk("{\"role\":\"assistant\",\"content\":null}", null));
        sb.append(functionPiece(0, "call_f", "lookup", ""));
        for (String p : pieces) sb.append(functionPiece(0, null, null, p));
        return sb.append(chunk("{}", "tool_calls")).append(USAGE).append(DONE).toString();
    }

    static final String CODE = "print(\"hé\")\nreturn {\"x\": [1, 2";

    /** A custom call (input split mid-escape-worthy text) then a function call. */
    static String customStream() {
        return chunk("{\"role\":\"assistant\",\"content\":null}", null)
                + customPiece(0, "call_c", "code_exec", "")
                + customPiece(0, null, null, CODE.substring(0, 9))
                + customPiece(0, null, null, CODE.substring(9))
                + functionPiece(1, "call_f", "get_weather", "{\"city\":")
                + functionPiece(1, null, null, "\"SF\"}")
                + chunk("{}", "tool_calls")
                + USAGE
                + DONE;
    }

    static ChatCompletion accumulate(String body) {
        ChatCompletionAccumulator acc = new ChatCompletionAccumulator();
        for (String event : body.split("\n\n")) {
            acc.accept(OpenAiStreamDecoding.decode(SseEvent.of(event.substring("data: ".length()))));
            assertDoesNotThrow(acc::snapshot);
        }
        return acc.result();
    }

    static FunctionToolCall call(ChatCompletion c, int i) {
        return c.choices().getFirst().message().toolCalls().get(i);
    }

    // ---------------------------------------------------------------- deep nesting

    @Test
    void finish_argumentsNestedFarPastTheDepthLimitInManyPieces_errorNoValueTextKept() {
        ChatCompletion c = accumulate(functionStream(ToolInputPieces.of("[", DEEP, 1000)));
        FunctionToolCall call = call(c, 0);
        assertNull(call.parsedArguments());
        assertTrue(
                call.argumentsError().startsWith("tool call arguments are not valid JSON: JSON nested deeper than 500"),
                call.argumentsError());
        assertEquals(DEEP, call.arguments().length());
        assertTrue(c.toJson().contains("\"arguments\":\"[[[["));
    }

    @Test
    void stream_argumentsNestedFarPastTheDepthLimitOverLoopback_completionAndChatResponseCarryTheError() {
        FAKE.server().setDispatcher(r -> FakeResponse.sse(functionStream(ToolInputPieces.of("{\"a\":", DEEP, 500))));
        try (OpenAiClient client = OpenAiClient.builder()
                .apiKey("sk-test-0123456789abcdef")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build()) {
            ChatCompletionRequest request = ChatCompletionRequest.builder()
                    .model("gpt-h")
                    .addMessage(ChatCompletionMessage.user("hi"))
                    .build();
            try (ChatCompletionStream stream = client.chat().stream(request)) {
                FunctionToolCall call = call(stream.result(), 0);
                assertNull(call.parsedArguments());
                assertTrue(call.argumentsError().contains("nested deeper than 500 levels"), call.argumentsError());
                assertEquals(DEEP * 5, call.arguments().length());
            }
            ChatResponse response = client.chat(ChatRequest.builder()
                    .model("gpt-h")
                    .addMessage(ChatMessage.user("hi"))
                    .build());
            ToolCall neutral = response.toolCalls().getFirst();
            assertNull(neutral.parsedArguments());
            assertTrue(neutral.argumentsError().contains("nested deeper than 500 levels"), neutral.argumentsError());
        }
        assertAllTo("/v1/chat/completions", 2);
    }

    /** Checks that the server had this many requests, each a POST to this path. */
    private static void assertAllTo(String path, int count) {
        List<RecordedRequest> requests = FAKE.server().requests();
        assertEquals(count, requests.size(), requests.toString());
        for (RecordedRequest r : requests) assertEquals("POST " + path, r.method() + " " + r.target());
    }

    // ---------------------------------------------------------------- invalid JSON

    @Test
    void finish_argumentsThatAreNotJson_errorNoGuessedValueTextKept() {
        ChatCompletion c = accumulate(functionStream(List.of("{\"city\": \"Paris\", ", "\"days\": 3} trailing")));
        FunctionToolCall call = call(c, 0);
        assertNull(call.parsedArguments(), "no value guessed from a broken text");
        assertEquals("{\"city\": \"Paris\", \"days\": 3} trailing", call.arguments());
        assertTrue(
                call.argumentsError().startsWith("tool call arguments are not valid JSON: unexpected character 't'"),
                call.argumentsError());
    }

    // ---------------------------------------------------------------- custom tools

    @Test
    void decode_customToolCallPieces_nameInputAndTypeOnEveryPiece() {
        ChatCompletionChunk first = (ChatCompletionChunk) OpenAiStreamDecoding.decode(SseEvent.of(
                customPiece(0, "call_c", "code_exec", "").substring(6).strip()));
        assertEquals(
                List.of(new ToolCallChunk(0, "call_c", "custom", "code_exec", "")),
                first.choices().getFirst().delta().toolCalls());
        ChatCompletionChunk later = (ChatCompletionChunk) OpenAiStreamDecoding.decode(
                SseEvent.of(customPiece(0, null, null, "print(").substring(6).strip()));
        assertEquals(
                List.of(new ToolCallChunk(0, null, "custom", null, "print(")),
                later.choices().getFirst().delta().toolCalls());
    }

    @Test
    void finish_customAndFunctionToolCalls_customKeepsNameAndFreeTextInput() {
        ChatCompletion c = accumulate(customStream());
        assertEquals(new FunctionToolCall(0, "call_c", "custom", "code_exec", CODE, null, null), call(c, 0));
        assertEquals(
                new FunctionToolCall(
                        1, "call_f", "function", "get_weather", "{\"city\":\"SF\"}", Map.of("city", "SF"), null),
                call(c, 1));
        String json = c.toJson();
        assertTrue(
                json.contains("{\"id\":\"call_c\",\"type\":\"custom\",\"custom\":{\"name\":\"code_exec\",\"input\":"
                        + quote(CODE) + "}}"),
                json);
        assertTrue(
                json.contains("{\"id\":\"call_f\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"{\\\"city\\\":\\\"SF\\\"}\"}}"),
                json);
    }

    @Test
    void chat_customToolCallOverLoopback_neutralCallHasTheInputAsAJsonString() {
        String events = customStream();
        FAKE.server().enqueue(FakeResponse.sse(events).inChunksOf(events.length() / 20));
        try (OpenAiClient client = OpenAiClient.builder()
                .apiKey("sk-test-0123456789abcdef")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build()) {
            ChatResponse response = client.chat(ChatRequest.builder()
                    .model("gpt-h")
                    .addMessage(ChatMessage.user("hi"))
                    .build());
            ToolCall custom = response.toolCalls().get(0);
            assertEquals("code_exec", custom.name());
            assertEquals("call_c", custom.id());
            assertEquals(CODE, custom.parsedArguments());
            assertNull(custom.argumentsError());
            assertEquals(quote(CODE), custom.arguments());
            assertEquals(Map.of("city", "SF"), response.toolCalls().get(1).parsedArguments());
        }
        assertAllTo("/v1/chat/completions", 1);
    }

    /** Pieces of text made of a repeated unit. */
    static final class ToolInputPieces {
        static List<String> of(String unit, int units, int perPiece) {
            return java.util.Collections.nCopies(units / perPiece, unit.repeat(perPiece));
        }
    }
}
