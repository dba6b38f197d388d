package dev.sluice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.agent.AgentEvent.RunFinished;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The exact second request of an Anthropic tool loop with thinking: the thinking block goes back with its signature. */
class ToolRunnerAnthropicWireTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds/sig+A==";
    private static final String TURN_1 = events(
            "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"content\":[],\"model\":\"claude-x\",\"stop_reason\":null,\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}",
            "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
            "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"The user wants \"}}",
            "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"the weather.\"}}",
            "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\""
                            + SIGNATURE + "\"}}",
            "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}",
            "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}",
            "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}",
            "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}",
            "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}",
            "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
            "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}",
            "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}",
            "message_stop", "{\"type\":\"message_stop\"}");
    private static final String TURN_2 = events(
            "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"content\":[],\"model\":\"claude-x\",\"stop_reason\":null,\"usage\":{\"input_tokens\":90,\"output_tokens\":1}}}",
            "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"18 degrees in Paris.\"}}",
            "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}",
            "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":8}}",
            "message_stop", "{\"type\":\"message_stop\"}");

    private static String events(String... typeAndData) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < typeAndData.length; i += 2)
            sb.append("event: ")
                    .append(typeAndData[i])
                    .append("\ndata: ")
                    .append(typeAndData[i + 1])
                    .append("\n\n");
        return sb.toString();
    }

    @Test
    void run_thinkingAndToolUse_secondRequestRepeatsTheThinkingBlockWithItsSignatureThenTheResult() throws Exception {
        FAKE.server().enqueue(FakeResponse.sse(TURN_1), FakeResponse.sse(TURN_2));
        RunFinished end = null;
        try (AnthropicClient client = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .retryPolicy(RetryPolicy.none())
                        .build();
                EventStream<AgentEvent> events = ToolRunner.builder(client)
                        .tool(AgentTool.of(
                                "get_weather",
                                "Weather",
                                Map.of(
                                        "type",
                                        "object",
                                        "properties",
                                        Map.of("city", Map.of("type", "string")),
                                        "required",
                                        List.of("city")),
                                (arguments, context) -> "18C in " + arguments.get("city")))
                        .build()
                        .run(ChatRequest.builder()
                                .model("claude-x")
                                .maxTokens(4096)
                                .thinkingBudget(2048)
                                .addMessage(ChatMessage.user("Weather in Paris?"))
                                .build())) {
            for (AgentEvent e : events) if (e instanceof RunFinished f) end = f;
        }
        assertEquals("18 degrees in Paris.", end.text());

        List<RecordedRequest> requests = FAKE.server().requests();
        assertEquals(2, requests.size());
        for (RecordedRequest r : requests) assertEquals("POST /v1/messages", r.method() + " " + r.target());
        ObjectMapper json = new ObjectMapper();
        JsonNode second = json.readTree(requests.get(1).body());
        assertEquals(json.readTree("{\"type\":\"enabled\",\"budget_tokens\":2048}"), second.get("thinking"));
        assertEquals(json.readTree("""
                [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
                 {"role":"assistant","content":[
                   {"type":"thinking","thinking":"The user wants the weather.","signature":"%s"},
                   {"type":"text","text":"Checking."},
                   {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C in Paris"}]}]
                """.formatted(SIGNATURE)), second.get("messages"));
        assertEquals(new dev.sluice.chat.Usage(140, 38, 0, 0), end.usage());
    }
}
