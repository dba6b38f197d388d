package dev.sluice.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sluice.agent.AgentEvent.RunFinished;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact second request of an Anthropic tool loop with thinking: the thinking block goes back with its signature. */
class ToolRunnerAnthropicWireTest {
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

    private WireMockServer server;

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

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post(urlEqualTo("/v1/messages"))
                .inScenario("loop")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(TURN_1))
                .willSetStateTo("second"));
        server.stubFor(post(urlEqualTo("/v1/messages"))
                .inScenario("loop")
                .whenScenarioStateIs("second")
                .willReturn(aResponse()
                        .withHeader("content-type", "text/event-stream")
                        .withBody(TURN_2)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void run_thinkingAndToolUse_secondRequestRepeatsTheThinkingBlockWithItsSignatureThenTheResult() throws Exception {
        RunFinished end = null;
        try (AnthropicClient client = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(server.baseUrl())
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

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo("/v1/messages")));
        assertEquals(2, requests.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode second = json.readTree(requests.get(1).getBodyAsString());
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
