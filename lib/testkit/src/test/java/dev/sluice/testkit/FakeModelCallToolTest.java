package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.internal.answer.ToolPlan;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.wire.FakeRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "call TOOL with {JSON}" in the last user message: the fake model calls TOOL with exactly that JSON
 * when the request offers TOOL, on each wire format, streamed over loopback and read with the JDK's
 * HttpClient and Jackson.
 */
class FakeModelCallToolTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private static final String TOOL = "trigger-long-running-operation";
    private static final String ARGS = "{\"duration\": 2, \"steps\": 4}";
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"duration\":{\"type\":\"number\"},"
            + "\"steps\":{\"type\":\"number\"}}}";
    private final TestClient http = new TestClient(FAKE.server());

    @AfterEach
    void stop() {
        http.close();
    }

    /** A call as streamed: the tool's name and the arguments' text, deltas joined (Gemini: its args object as text). */
    record Called(String name, String arguments, String text) {}

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "chat", "responses", "gemini"})
    void callToolWith_offered_callsItWithExactlyThatJson(String wire) {
        Called called = stream(wire, "Please call " + TOOL + " with " + ARGS + " and tell me how it went.", TOOL);
        assertEquals(TOOL, called.name());
        if (wire.equals("gemini")) assertEquals(TestClient.parse(ARGS), TestClient.parse(called.arguments()));
        else assertEquals(ARGS, called.arguments());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "chat", "responses", "gemini"})
    void callToolWith_notOffered_noCall(String wire) {
        Called called = stream(wire, "Please call " + TOOL + " with " + ARGS + ".", "echo");
        assertEquals(null, called.name());
        assertFalse(called.text().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "chat", "responses", "gemini"})
    void toolNamed_numbersInThePrompt_areItsArguments(String wire) {
        Called called = stream(wire, "Use " + TOOL + " for 5 seconds in 10 steps.", TOOL);
        assertEquals(TOOL, called.name());
        assertEquals(TestClient.parse("{\"duration\": 5.0, \"steps\": 10.0}"), TestClient.parse(called.arguments()));
    }

    @Test
    void callToolWith_quotedNameNestedJsonAndTwoPhrases_bothCalledInOrder() {
        FakeRequest.Tool a = new FakeRequest.Tool("a-b", Json.object());
        FakeRequest.Tool echo = new FakeRequest.Tool("echo", Json.object());
        String prompt =
                "First call `a-b` with {\"x\": {\"y\": [1, \"}\"]}}, then call echo with {\"message\": \"hi\"}; "
                        + "but call missing with {\"z\": 1} and call echo with {not json}.";
        FakeRequest request = FakeRequest.builder("m")
                .maxTokens(1024)
                .prompt(prompt)
                .promptChars(prompt.length())
                .tools(List.of(a, echo))
                .stream(true)
                .build();
        List<ToolPlan.Call> calls = ToolPlan.of(request);
        assertEquals(
                List.of("a-b", "echo"), calls.stream().map(ToolPlan.Call::name).toList());
        assertEquals(
                List.of("{\"x\": {\"y\": [1, \"}\"]}}", "{\"message\": \"hi\"}"),
                calls.stream().map(ToolPlan.Call::arguments).toList());
    }

    @Test
    void toolPlan_subAgentToolsNamedOrOnlyImplied_neverChosenByTheHeuristics() {
        FakeRequest.Tool spawn = new FakeRequest.Tool("spawn_agent", Json.object());
        FakeRequest.Tool task = new FakeRequest.Tool("Task", Json.object());
        FakeRequest.Tool shell = new FakeRequest.Tool("shell", Json.object());
        String prompt = "<system-reminder>Recent commits: a task for the shell agent</system-reminder>"
                + "Use a tool: spawn_agent, or a Task, to list the files";
        FakeRequest request = FakeRequest.builder("m")
                .prompt(prompt)
                .tools(List.of(spawn, task, shell))
                .build();
        assertEquals(
                List.of("shell"),
                ToolPlan.of(request).stream().map(ToolPlan.Call::name).toList());
        FakeRequest any = FakeRequest.builder("m")
                .prompt("hello")
                .tools(List.of(task, shell))
                .toolChoice(FakeRequest.ToolChoice.ANY)
                .build();
        assertEquals(
                List.of("shell"),
                ToolPlan.of(any).stream().map(ToolPlan.Call::name).toList());
        FakeRequest onlyContext = FakeRequest.builder("m")
                .prompt("<system-reminder>the shell tool</system-reminder>Say hi")
                .tools(List.of(task, shell))
                .build();
        assertEquals(List.of(), ToolPlan.of(onlyContext));
    }

    @Test
    void toolPlan_toolNamedInsideAnotherWord_notCalledButPluralIs() {
        FakeRequest.Tool edit = new FakeRequest.Tool("Edit", Json.object());
        FakeRequest.Tool lookup = new FakeRequest.Tool("lookup", Json.object());
        FakeRequest request = FakeRequest.builder("m")
                .prompt("Give me credit for two lookups")
                .tools(List.of(edit, lookup))
                .build();
        assertEquals(
                List.of("lookup"),
                ToolPlan.of(request).stream().map(ToolPlan.Call::name).toList());
    }

    private Called stream(String wire, String prompt, String offered) {
        URI base = FAKE.server().baseUrl();
        String user = TestClient.quote(prompt);
        HttpRequest.Builder r = switch (wire) {
            case "anthropic" ->
                http.request("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":" + user + "}],"
                        + "\"tools\":[{\"name\":\"" + offered + "\",\"input_schema\":" + SCHEMA + "}]}");
            case "chat" ->
                post(
                        base.resolve("/v1/chat/completions"),
                        "authorization",
                        "Bearer k",
                        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":" + user
                                + "}]," + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + offered
                                + "\",\"parameters\":" + SCHEMA + "}}]}");
            case "responses" ->
                post(
                        base.resolve("/v1/responses"),
                        "authorization",
                        "Bearer k",
                        "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":" + user
                                + "}]," + "\"tools\":[{\"type\":\"function\",\"name\":\"" + offered
                                + "\",\"parameters\":" + SCHEMA + "}]}");
            case "gemini" ->
                post(
                        base.resolve("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"),
                        "x-goog-api-key",
                        "k",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":" + user + "}]}],"
                                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"" + offered + "\",\"parameters\":"
                                + SCHEMA + "}]}]}");
            default -> throw new IllegalArgumentException(wire);
        };
        TestClient.Streamed s = http.stream(r.build(), e -> false);
        assertEquals(200, s.statusCode());
        String name = null;
        StringBuilder arguments = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (TestClient.Received e : s.events()) {
            JsonNode j = e.json();
            switch (wire) {
                case "anthropic" -> {
                    if (j.path("content_block").path("type").asText().equals("tool_use"))
                        name = j.path("content_block").path("name").asText();
                    arguments.append(j.path("delta").path("partial_json").asText(""));
                    text.append(j.path("delta").path("text").asText(""));
                }
                case "chat" -> {
                    JsonNode delta = j.path("choices").path(0).path("delta");
                    for (JsonNode call : delta.path("tool_calls")) {
                        if (call.path("function").has("name"))
                            name = call.path("function").path("name").asText();
                        arguments.append(call.path("function").path("arguments").asText(""));
                    }
                    text.append(delta.path("content").asText(""));
                }
                case "responses" -> {
                    String type = j.path("type").asText();
                    if (type.equals("response.output_item.added")
                            && j.path("item").path("type").asText().equals("function_call")) {
                        name = j.path("item").path("name").asText();
                    }
                    if (type.equals("response.function_call_arguments.delta"))
                        arguments.append(j.path("delta").asText());
                    if (type.equals("response.output_text.delta"))
                        text.append(j.path("delta").asText());
                }
                default -> {
                    for (JsonNode part :
                            j.path("candidates").path(0).path("content").path("parts")) {
                        if (part.has("functionCall")) {
                            name = part.path("functionCall").path("name").asText();
                            arguments.append(
                                    part.path("functionCall").path("args").toString());
                        }
                        text.append(part.path("text").asText(""));
                    }
                }
            }
        }
        assertTrue(name != null || arguments.isEmpty(), arguments.toString());
        return new Called(name, arguments.toString(), text.toString());
    }

    private static HttpRequest.Builder post(URI uri, String header, String value, String body) {
        return HttpRequest.newBuilder(uri)
                .header(header, value)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
