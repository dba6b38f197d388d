package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.internal.answer.PlainVoice;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request validation and the non-streaming Message. */
class FakeLlmServerRequestTest {
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

    private static JsonNode error(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("request-id").orElseThrow().startsWith("req_fake_"));
        JsonNode body = TestClient.parse(response.body());
        assertEquals("error", body.path("type").asText());
        assertEquals(type, body.path("error").path("type").asText());
        return body.path("error");
    }

    @Test
    void post_withoutApiKey_answers401AuthenticationError() {
        HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/v1/messages"))
                .header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestClient.body("hi")))
                .build();
        error(client.send(request), 401, "authentication_error");
    }

    @Test
    void post_blankApiKey_answers401AuthenticationError() {
        error(
                client.send(client.request(TestClient.body("hi"))
                        .setHeader("x-api-key", " ")
                        .build()),
                401,
                "authentication_error");
    }

    @Test
    void post_withoutAnthropicVersion_answers400() {
        HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/v1/messages"))
                .header("x-api-key", "k")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestClient.body("hi")))
                .build();
        assertTrue(error(client.send(request), 400, "invalid_request_error")
                .path("message")
                .asText()
                .contains("anthropic-version"));
    }

    @Test
    void post_textPlainBody_answers400() {
        HttpRequest request = client.request(TestClient.body("hi"))
                .setHeader("content-type", "text/plain")
                .build();
        assertTrue(error(client.send(request), 400, "invalid_request_error")
                .path("message")
                .asText()
                .contains("content-type"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON      | {"model":                                                                     | parsing the body
            not an object       | [1,2]                                                                         | JSON object
            no model            | {"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}                  | model
            empty model         | {"model":"","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}       | model
            no max_tokens       | {"model":"m","messages":[{"role":"user","content":"hi"}]}                      | max_tokens
            max_tokens 0        | {"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}       | max_tokens
            max_tokens text     | {"model":"m","max_tokens":"9","messages":[{"role":"user","content":"hi"}]}     | max_tokens
            no messages         | {"model":"m","max_tokens":10}                                                  | messages
            empty messages      | {"model":"m","max_tokens":10,"messages":[]}                                    | messages
            bad role            | {"model":"m","max_tokens":10,"messages":[{"role":"robot","content":"hi"}]}     | messages.0.role
            no content          | {"model":"m","max_tokens":10,"messages":[{"role":"user"}]}                     | messages.0.content
            block without type  | {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{}]}]}      | messages.0.content.0.type
            assistant first     | {"model":"m","max_tokens":10,"messages":[{"role":"assistant","content":"x"}]}  | first message
            system a number     | {"model":"m","max_tokens":10,"system":3,"messages":[{"role":"user","content":"hi"}]} | system
            stream not boolean  | {"model":"m","max_tokens":10,"stream":"yes","messages":[{"role":"user","content":"hi"}]} | stream
            stop not a list     | {"model":"m","max_tokens":10,"stop_sequences":"x","messages":[{"role":"user","content":"hi"}]} | stop_sequences
            tool without schema | {"model":"m","max_tokens":10,"tools":[{"name":"t"}],"messages":[{"role":"user","content":"hi"}]} | tools.0.input_schema
            tool bad name       | {"model":"m","max_tokens":10,"tools":[{"name":"a b","input_schema":{}}],"messages":[{"role":"user","content":"hi"}]} | tools.0.name
            small budget        | {"model":"m","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":100},"messages":[{"role":"user","content":"hi"}]} | budget_tokens
            budget over max     | {"model":"m","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":2000},"messages":[{"role":"user","content":"hi"}]} | max_tokens
            bad thinking type   | {"model":"m","max_tokens":10,"thinking":{"type":"maybe"},"messages":[{"role":"user","content":"hi"}]} | thinking.type
            """)
    void post_invalidBody_answers400NamingTheField(String name, String body, String mentioned) {
        JsonNode error = error(client.send(body), 400, "invalid_request_error");
        assertTrue(error.path("message").asText().contains(mentioned), error.toString());
    }

    @Test
    void get_messagesPath_answers405() {
        HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/v1/messages"))
                .GET()
                .build();
        error(client.send(request), 405, "invalid_request_error");
    }

    @Test
    void post_otherPath_answers404() {
        HttpRequest request = client.request("{}")
                .uri(URI.create(server.baseUrl() + "/v1/complete"))
                .build();
        error(client.send(request), 404, "not_found_error");
    }

    @Test
    void post_notStreaming_answersTheCompleteMessage() {
        HttpResponse<String> response = client.send(TestClient.body(
                "claude-x",
                1024,
                false,
                "How do I bake bread?",
                Map.of("system", "[{\"type\":\"text\",\"text\":\"Be brief.\"}]")));

        assertEquals(200, response.statusCode());
        assertEquals(
                "application/json",
                response.headers().firstValue("content-type").orElseThrow());
        assertTrue(response.headers().firstValue("request-id").orElseThrow().startsWith("req_fake_"));
        JsonNode m = TestClient.parse(response.body());
        assertTrue(m.path("id").asText().startsWith("msg_fake_"));
        assertEquals("message", m.path("type").asText());
        assertEquals("assistant", m.path("role").asText());
        assertEquals("claude-x", m.path("model").asText());
        assertEquals(1, m.path("content").size());
        assertEquals("text", m.path("content").get(0).path("type").asText());
        assertEquals(
                PlainVoice.answer("How do I bake bread?"),
                m.path("content").get(0).path("text").asText());
        assertEquals("end_turn", m.path("stop_reason").asText());
        assertTrue(m.path("stop_sequence").isNull());
        assertTrue(m.path("usage").path("input_tokens").asInt() > 0);
        assertTrue(m.path("usage").path("output_tokens").asInt() > 10);
    }

    @Test
    void post_notStreamingWithTools_answersTextAndToolUse() {
        HttpResponse<String> response = client.send(TestClient.body(
                "claude-x",
                1024,
                false,
                "Weather in Lisbon please",
                Map.of("tools", FakeLlmServerStreamTest.WEATHER_TOOL)));

        JsonNode m = TestClient.parse(response.body());
        assertEquals("tool_use", m.path("stop_reason").asText());
        JsonNode tool = m.path("content").get(1);
        assertEquals("tool_use", tool.path("type").asText());
        assertEquals("get_weather", tool.path("name").asText());
        assertEquals("Lisbon", tool.path("input").path("location").asText());
    }

    @Test
    void post_streamedAndNot_sameContentAndUsage() {
        String prompt = "Any tips for sleep?";
        JsonNode m = TestClient.parse(
                client.send(TestClient.body("m", 1024, false, prompt, Map.of())).body());
        TestClient.Streamed s = client.stream(TestClient.body("m", 1024, true, prompt, Map.of()));

        assertEquals(m.path("content").get(0).path("text").asText(), s.joined("text_delta", "text"));
        assertEquals(
                m.path("usage").path("output_tokens").asInt(),
                s.ofType("message_delta")
                        .getFirst()
                        .json()
                        .path("usage")
                        .path("output_tokens")
                        .asInt());
        assertEquals(
                m.path("usage").path("input_tokens").asInt(),
                s.events()
                        .getFirst()
                        .json()
                        .path("message")
                        .path("usage")
                        .path("input_tokens")
                        .asInt());
    }
}
