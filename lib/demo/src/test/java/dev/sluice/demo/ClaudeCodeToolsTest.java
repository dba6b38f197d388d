package dev.sluice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo model behind the fake server, asked as Claude Code asks (its tools offered: the sub-agent
 * tool {@code Task} first, then Bash, Glob, Grep, Read, Edit and Write; its context in a
 * {@code <system-reminder>} block that mentions tasks, agents and the git log): it reads the file
 * the prompt names, answers in text once the tool result is back, and starts no sub-agent unless the
 * prompt calls one explicitly. Over loopback, with the JDK's HttpClient.
 */
class ClaudeCodeToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "Read README.md and say what the project is";
    /** Claude Code's context, as it sends it before the prompt: words that name its tools, and a git log. */
    private static final String CONTEXT = "<system-reminder>As you answer, use the Task tool to launch an agent"
            + " for a search; Bash, Glob and Grep are there too. gitStatus: Current branch: main\nRecent commits:\n"
            + "7fac034 Suite fixes: the agent's task list and the Read tool's limits\n</system-reminder>";

    private static FakeLlmServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
    }

    @Test
    void claudeCodeRequest_readFilePrompt_readsItThenAnswersInTextAndNeverStartsASubAgent() throws Exception {
        ArrayNode messages = JSON.createArrayNode();
        messages.add(user(text(CONTEXT), text(PROMPT)));

        JsonNode first = send(messages);
        List<JsonNode> calls = toolUses(first);
        assertEquals(1, calls.size(), first.toString());
        assertEquals("Read", calls.getFirst().path("name").asText(), first.toString());
        assertEquals(
                "README.md", calls.getFirst().path("input").path("file_path").asText(), first.toString());
        assertEquals("tool_use", first.path("stop_reason").asText());

        messages.add(JSON.createObjectNode().put("role", "assistant").set("content", first.path("content")));
        ObjectNode result = JSON.createObjectNode()
                .put("type", "tool_result")
                .put("tool_use_id", calls.getFirst().path("id").asText())
                .put("content", "# Sluice\n\nA Java library that streams LLM responses.");
        messages.add(user(result));

        JsonNode second = send(messages);
        assertTrue(toolUses(second).isEmpty(), second.toString());
        assertEquals("end_turn", second.path("stop_reason").asText(), second.toString());
        assertFalse(second.path("content").path(0).path("text").asText().isBlank(), second.toString());
    }

    @Test
    void claudeCodeRequest_sameReadAlreadyAnswered_answersInText() throws Exception {
        ArrayNode messages = JSON.createArrayNode();
        messages.add(user(text(PROMPT)));
        ObjectNode read = JSON.createObjectNode()
                .put("type", "tool_use")
                .put("id", "toolu_01")
                .put("name", "Read");
        read.putObject("input").put("file_path", "README.md");
        messages.add(JSON.createObjectNode()
                .put("role", "assistant")
                .set("content", JSON.createArrayNode().add(read)));
        messages.add(user(JSON.createObjectNode()
                .put("type", "tool_result")
                .put("tool_use_id", "toolu_01")
                .put("content", "# Sluice")));
        messages.add(JSON.createObjectNode().put("role", "assistant").put("content", "It is Sluice."));
        messages.add(user(text(PROMPT))); // asked again: the same Read, whose result the conversation holds

        JsonNode answer = send(messages);
        assertTrue(toolUses(answer).isEmpty(), answer.toString());
        assertEquals("end_turn", answer.path("stop_reason").asText(), answer.toString());
    }

    @Test
    void claudeCodeRequest_promptCallsTaskExplicitly_callsIt() throws Exception {
        ArrayNode messages = JSON.createArrayNode();
        messages.add(user(
                text(CONTEXT),
                text("call Task with {\"description\": \"find tests\", \"prompt\": \"List the test files\","
                        + " \"subagent_type\": \"general-purpose\"}")));
        List<JsonNode> calls = toolUses(send(messages));
        assertEquals(1, calls.size());
        assertEquals("Task", calls.getFirst().path("name").asText());
        assertEquals(
                "List the test files",
                calls.getFirst().path("input").path("prompt").asText());
    }

    /** {@return the tool_use blocks of a Messages answer} */
    private static List<JsonNode> toolUses(JsonNode answer) {
        List<JsonNode> uses = new ArrayList<>();
        for (JsonNode b : answer.path("content")) if (b.path("type").asText().equals("tool_use")) uses.add(b);
        return uses;
    }

    private static ObjectNode text(String text) {
        return JSON.createObjectNode().put("type", "text").put("text", text);
    }

    private static ObjectNode user(JsonNode... blocks) {
        ObjectNode m = JSON.createObjectNode().put("role", "user");
        m.putArray("content").addAll(List.of(blocks));
        return m;
    }

    /** {@return the answer to a non-streamed Messages request with Claude Code's tools and these messages} */
    private static JsonNode send(ArrayNode messages) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode()
                .put("model", "claude-sonnet-5-5")
                .put("max_tokens", 32000)
                .put("stream", false);
        body.set("messages", messages);
        ArrayNode tools = body.putArray("tools");
        tools.add(tool("Task", "description", "prompt", "subagent_type"));
        tools.add(tool("Bash", "command"));
        tools.add(tool("Glob", "pattern"));
        tools.add(tool("Grep", "pattern"));
        tools.add(tool("Read", "file_path"));
        tools.add(tool("Edit", "file_path", "old_string", "new_string"));
        tools.add(tool("Write", "file_path", "content"));
        HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/v1/messages"))
                .header("content-type", "application/json")
                .header("x-api-key", "fake")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** {@return a Claude Code tool: its required string properties, as its schemas mark them} */
    private static ObjectNode tool(String name, String... required) {
        ObjectNode t = JSON.createObjectNode().put("name", name).put("description", name + " tool");
        ObjectNode schema = t.putObject("input_schema").put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode req = schema.putArray("required");
        for (String p : required) {
            properties.putObject(p).put("type", "string");
            req.add(p);
        }
        return t;
    }
}
