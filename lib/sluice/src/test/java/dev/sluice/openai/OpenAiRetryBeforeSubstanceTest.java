package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.ApiException;
import dev.sluice.FakeServers;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An in-stream error before the first chunk of substance is retried unseen: after the opening
 * chunk (role, empty content) and a tool call's first piece (its id and name, no arguments yet).
 */
class OpenAiRetryBeforeSubstanceTest {
    private static final String PATH = "/v1/chat/completions";
    private static final RetryPolicy FAST =
            RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)).withMaxBackoff(Duration.ofMillis(5));

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private OpenAiClient client;

    @BeforeEach
    void reset() {
        client = OpenAiClient.builder()
                .apiKey("sk-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(FAST)
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static String chunk(String id, String delta, String finish) {
        return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    private static String opening(String id) {
        return chunk(id, "{\"role\":\"assistant\",\"content\":\"\"}", "null");
    }

    private static String toolStart(String id, String callId) {
        return chunk(
                id,
                "{\"tool_calls\":[{\"index\":0,\"id\":\"" + callId + "\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                "null");
    }

    private static String arguments(String id, String json) {
        return chunk(
                id,
                "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + json.replace("\"", "\\\"") + "\"}}]}",
                "null");
    }

    private static final String SERVER_ERROR =
            "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";

    private static FakeResponse sse(String body) {
        return FakeResponse.sse(body);
    }

    private static void firstThenSecond(String first, String second) {
        FakeServers.script(FAKE.server(), PATH, sse(first), sse(second));
    }

    private static ChatCompletionRequest request() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o")
                .addMessage(ChatCompletionMessage.user("Weather?"))
                .build();
    }

    @Test
    void stream_errorAfterTheOpeningChunkAndAToolCallsFirstPiece_retriedAndTheUserSeesOnlyTheSecondAttempt() {
        firstThenSecond(
                opening("c1") + toolStart("c1", "call_1") + SERVER_ERROR,
                opening("c2") + toolStart("c2", "call_2") + arguments("c2", "{\"city\":\"Paris\"}")
                        + chunk("c2", "{}", "\"tool_calls\"") + "data: [DONE]\n\n");
        List<ChatCompletionEvent> events = new ArrayList<>();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            stream.forEach(events::add);
            ChatCompletion done = stream.result();
            assertEquals("c2", done.id());
            assertEquals(
                    "call_2",
                    done.choices().getFirst().message().toolCalls().getFirst().id());
        }
        assertEquals(2, FakeServers.requestsTo(FAKE.server(), PATH).size());
        assertEquals(
                List.of("c2", "c2", "c2", "c2"),
                events.stream()
                        .filter(e -> e instanceof ChatCompletionChunk)
                        .map(e -> ((ChatCompletionChunk) e).id())
                        .toList(),
                "only the second attempt's chunks: " + events);
    }

    @Test
    void stream_errorAfterAPieceOfToolArguments_notRetried() {
        firstThenSecond(
                opening("c1") + toolStart("c1", "call_1") + arguments("c1", "{\"ci") + SERVER_ERROR,
                opening("c2") + chunk("c2", "{}", "\"stop\"") + "data: [DONE]\n\n");
        List<ChatCompletionEvent> events = new ArrayList<>();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            ApiException e = assertThrows(ApiException.class, () -> stream.forEach(events::add));
            assertEquals("server_error", e.errorType());
        }
        assertEquals(1, FakeServers.requestsTo(FAKE.server(), PATH).size());
        assertEquals(3, events.size(), "the opening, the tool call's start and its first arguments: " + events);
    }
}
