package dev.sluice.examples.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.ApiException;
import dev.sluice.RetryPolicy;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.Tool;
import dev.sluice.openai.ChatCompletion;
import dev.sluice.openai.ChatCompletionMessage;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ChatCompletionStream;
import dev.sluice.openai.OpenAiClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code POST /v1/chat/completions}: OpenAI's wire format over the shared scenario. */
class FakeServerOpenAiTest {
    private FakeAnthropicServer server;
    private TestClient http;
    private OpenAiClient client;
    private URI completions;

    @BeforeEach
    void start() {
        server = FakeAnthropicServer.builder().tokensPerSecond(0).stallLimit(Duration.ofMillis(400)).build().start();
        http = new TestClient(server);
        completions = server.baseUrl().resolve("/v1/chat/completions");
        client = OpenAiClient.builder().apiKey("fake").baseUrl(server.baseUrl().toString())
                .retryPolicy(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
        server.close();
    }

    private static String body(String model, boolean stream, String extra) {
        return "{\"model\":" + TestClient.quote(model) + ",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about the ocean\"}]" + extra + "}";
    }

    private HttpRequest.Builder post(String body) {
        return HttpRequest.newBuilder(completions).header("authorization", "Bearer fake")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static ChatCompletionRequest chatRequest(String model) {
        return ChatCompletionRequest.builder().model(model).addMessage(ChatCompletionMessage.user("Tell me about the ocean")).build();
    }

    @Test
    void stream_textAnswer_chunksThenUsageThenDone() {
        TestClient.Streamed s = http.stream(post(body("gpt-4o", true, "")).build(), e -> false);
        assertEquals(200, s.statusCode());
        assertTrue(s.header("x-request-id").startsWith("req_fake_"));
        List<TestClient.Received> events = s.events();
        assertEquals("[DONE]", events.getLast().event().data());
        JsonNode first = events.getFirst().json();
        assertEquals("chat.completion.chunk", first.path("object").asText());
        assertEquals("assistant", first.path("choices").get(0).path("delta").path("role").asText());
        JsonNode usage = events.get(events.size() - 2).json();
        assertTrue(usage.path("choices").isEmpty());
        assertTrue(usage.path("usage").path("total_tokens").asInt() > 0);
        assertEquals("stop", events.get(events.size() - 3).json().path("choices").get(0).path("finish_reason").asText());
        StringBuilder text = new StringBuilder();
        for (TestClient.Received r : events.subList(0, events.size() - 1)) {
            JsonNode c = r.json().path("choices");
            if (!c.isEmpty()) text.append(c.get(0).path("delta").path("content").asText(""));
        }
        assertTrue(text.toString().contains("ocean"), text.toString());
    }

    @Test
    void openAiClient_streamsTheSameAnswerAsTheNonStreamingCompletion() throws Exception {
        ChatCompletion completion;
        try (ChatCompletionStream stream = client.chat().stream(chatRequest("gpt-4o"))) {
            completion = stream.finalCompletion();
        }
        HttpResponse<String> whole = http.send(post(body("gpt-4o", false, "")).build());
        JsonNode json = TestClient.parse(whole.body());
        assertEquals("chat.completion", json.path("object").asText());
        assertEquals(json.path("choices").get(0).path("message").path("content").asText(), completion.text());
        assertEquals("stop", completion.choices().getFirst().finishReason());
        assertNotNull(completion.usage());
    }

    @Test
    void chatProvider_withTools_callsTheFirstToolWithSchemaArguments() {
        ChatResponse r = client.chat(ChatRequest.builder().model("gpt-4o").addMessage(ChatMessage.user("Weather in Paris?"))
                .addTool(new Tool("get_weather", "", Map.of("type", "object", "properties",
                        Map.of("location", Map.of("type", "string")), "required", List.of("location"))))
                .build());
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        assertEquals("get_weather", r.toolCalls().getFirst().name());
        assertTrue(r.toolCalls().getFirst().id().startsWith("call_fake_"));
        assertNull(r.toolCalls().getFirst().argumentsError());
        assertTrue(((Map<?, ?>) r.toolCalls().getFirst().parsedArguments()).containsKey("location"));
    }

    @Test
    void missingBearerKey_401InvalidApiKey() {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(completions).header("content-type", "application/json")
                .header("authorization", "Bearer  ").POST(HttpRequest.BodyPublishers.ofString(body("gpt-4o", true, ""))).build());
        assertEquals(401, r.statusCode());
        JsonNode error = TestClient.parse(r.body()).path("error");
        assertEquals("invalid_api_key", error.path("code").asText());
        assertTrue(error.has("param"));
    }

    @Test
    void invalidBody_400NamesTheField() {
        HttpResponse<String> r = http.send(post("{\"model\":\"gpt-4o\",\"stream\":false,\"stream_options\":{}}").build());
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request_error", TestClient.parse(r.body()).path("error").path("type").asText());
        HttpResponse<String> options = http.send(post(body("gpt-4o", false, ",\"stream_options\":{\"include_usage\":true}")).build());
        assertEquals(400, options.statusCode());
        assertTrue(TestClient.parse(options.body()).path("error").path("message").asText().contains("stream_options"));
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
            ApiException e = assertThrows(ApiException.class, stream::finalCompletion);
            assertTrue(e.inStream());
            assertEquals("server_error", e.errorType());
            assertFalse(e.partial(ChatCompletion.class).orElseThrow().text().isEmpty());
        }
    }

    @Test
    void dropAndStall_endWithoutDone() {
        assertIncomplete(() -> {
            try (ChatCompletionStream stream = client.chat().stream(chatRequest("fake-drop"))) {
                stream.finalCompletion();
            }
        });
        assertIncomplete(() -> {
            try (ChatCompletionStream stream = client.chat().stream(chatRequest("fake-stall"))) {
                stream.finalCompletion();
            }
        });
    }

    private static void assertIncomplete(Executable run) {
        dev.sluice.SluiceException e = assertThrows(dev.sluice.SluiceException.class, run);
        assertTrue(e instanceof dev.sluice.TransportException || e instanceof dev.sluice.IncompleteStreamException, e.toString());
        assertFalse(e.partial(ChatCompletion.class).orElseThrow().text().isEmpty());
    }
}
