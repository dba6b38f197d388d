package dev.sluice.examples.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ApiException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.Tool;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.ChatCompletion;
import dev.sluice.openai.ChatCompletionMessage;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ChatCompletionStream;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@code POST /v1/chat/completions} of the fake server, read by the library's OpenAiClient. */
class FakeLlmServerOpenAiTest {
    private FakeLlmServer server;
    private OpenAiClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        client = OpenAiClient.builder()
                .apiKey("fake")
                .baseUrl(server.baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ChatCompletionRequest chatRequest(String model) {
        return ChatCompletionRequest.builder()
                .model(model)
                .addMessage(ChatCompletionMessage.user("Tell me about the ocean"))
                .build();
    }

    @Test
    void openAiClient_streamsTheSameAnswerAsTheNonStreamingCompletion() throws Exception {
        ChatCompletion completion;
        try (ChatCompletionStream stream = client.chat().stream(chatRequest("gpt-6-luna"))) {
            completion = stream.result();
        }
        HttpResponse<String> whole;
        try (HttpClient http = HttpClient.newHttpClient()) {
            whole = http.send(
                    HttpRequest.newBuilder(server.baseUrl().resolve("/v1/chat/completions"))
                            .header("authorization", "Bearer fake")
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"gpt-6-luna\",\"messages\":[{\"role\":\"user\","
                                            + "\"content\":\"Tell me about the ocean\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        JsonNode json = new ObjectMapper().readTree(whole.body());
        assertEquals("chat.completion", json.path("object").asText());
        assertEquals(json.path("choices").get(0).path("message").path("content").asText(), completion.text());
        assertEquals("stop", completion.choices().getFirst().finishReason());
        assertNotNull(completion.usage());
    }

    @Test
    void chatProvider_withTools_callsTheFirstToolWithSchemaArguments() {
        ChatResponse r = client.chat(ChatRequest.builder()
                .model("gpt-6-luna")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .addTool(new Tool(
                        "get_weather",
                        "",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of("location", Map.of("type", "string")),
                                "required",
                                List.of("location"))))
                .build());
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        assertEquals("get_weather", r.toolCalls().getFirst().name());
        assertTrue(r.toolCalls().getFirst().id().startsWith("call_fake_"));
        assertNull(r.toolCalls().getFirst().argumentsError());
        assertTrue(((Map<?, ?>) r.toolCalls().getFirst().parsedArguments()).containsKey("location"));
    }

    @Test
    void overloaded_503ServerError() {
        ApiException e = assertThrows(ApiException.class, () -> client.chat().stream(chatRequest("fake-overloaded")));
        assertEquals(503, e.statusCode());
        assertEquals("server_error", e.errorType());
    }

    @Test
    void errorMidStream_errorObjectAfterThreeDeltas() {
        try (ChatCompletionStream stream = client.chat().stream(chatRequest("fake-error-mid-stream"))) {
            ApiException e = assertThrows(ApiException.class, stream::result);
            assertTrue(e.inStream());
            assertEquals("server_error", e.errorType());
            assertFalse(e.partial(ChatCompletion.class).orElseThrow().text().isEmpty());
        }
    }

    @Test
    void dropAndStall_endWithoutDone() {
        assertIncomplete(() -> {
            try (ChatCompletionStream stream = client.chat().stream(chatRequest("fake-drop"))) {
                stream.result();
            }
        });
        StreamController idle = StreamController.of(
                StreamOptions.builder().idleTimeout(Duration.ofMillis(400)).build());
        try (ChatCompletionStream stream = client.chat().stream(chatRequest("fake-stall"), idle)) {
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, stream::result);
            assertFalse(e.partial(ChatCompletion.class).orElseThrow().text().isEmpty());
        }
    }

    private static void assertIncomplete(Executable run) {
        dev.sluice.SluiceException e = assertThrows(dev.sluice.SluiceException.class, run);
        assertTrue(
                e instanceof dev.sluice.TransportException || e instanceof dev.sluice.IncompleteStreamException,
                e.toString());
        assertFalse(e.partial(ChatCompletion.class).orElseThrow().text().isEmpty());
    }
}
