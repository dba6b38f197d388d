package dev.sluice.gemini;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The multi-turn thought-signature round trip over loopback: a Gemini 3 style stream whose function
 * call carries a signature and whose later chunk carries another on an empty text part; the tool
 * runner's next request must send both back, on the same parts, in the same order.
 */
class GeminiSignatureRoundTripTest {
    private static final String PATH = "/v1beta/models/gemini-3-pro:streamGenerateContent?alt=sse";
    private WireMockServer server;
    private GeminiClient client;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        client = GeminiClient.builder()
                .apiKey("k")
                .baseUrl(server.baseUrl())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    private static String data(String json) {
        return "data: " + json + "\r\n\r\n";
    }

    @Test
    void toolRunner_signaturesOnCallAndLaterEmptyChunk_sentBackOnTheSamePartsNextTurn() {
        String first = data(
                        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
                                + "\"args\":{\"city\":\"Oslo\"}},\"thoughtSignature\":\"c2lnQQ==\"}]},\"index\":0}],\"modelVersion\":\"gemini-3-pro\","
                                + "\"responseId\":\"r1\"}")
                + data(
                        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\",\"thoughtSignature\":\"c2lnQg==\"}]},"
                                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":5},"
                                + "\"modelVersion\":\"gemini-3-pro\",\"responseId\":\"r1\"}");
        String second = data(
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Sunny in Oslo.\","
                        + "\"thoughtSignature\":\"c2lnQw==\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"responseId\":\"r2\"}");
        server.stubFor(post(urlEqualTo(PATH))
                .inScenario("turns")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("content-type", "text/event-stream")
                        .withBody(first))
                .willSetStateTo("second"));
        server.stubFor(post(urlEqualTo(PATH))
                .inScenario("turns")
                .whenScenarioStateIs("second")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("content-type", "text/event-stream")
                        .withBody(second)));

        ToolRunner runner = ToolRunner.builder(client)
                .tool(AgentTool.of("get_weather", "Weather", Map.of("type", "object"), (args, ctx) -> "sunny"))
                .build();
        AgentEvent.RunFinished finished = null;
        try (EventStream<AgentEvent> run = runner.run(ChatRequest.builder()
                .model("gemini-3-pro")
                .addMessage(ChatMessage.user("Weather in Oslo?"))
                .build())) {
            for (AgentEvent e : run) if (e instanceof AgentEvent.RunFinished f) finished = f;
        }
        assertEquals("Sunny in Oslo.", finished.lastResponse().text());

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertEquals(2, requests.size());
        JsonNode next = GeminiFixtures.tree(requests.get(1).getBodyAsString());
        assertEquals(GeminiFixtures.tree("""
                {"role":"model","parts":[
                  {"functionCall":{"name":"get_weather","args":{"city":"Oslo"}},"thoughtSignature":"c2lnQQ=="},
                  {"text":"","thoughtSignature":"c2lnQg=="}]}"""), next.get("contents").get(1));
        assertEquals(
                "get_weather",
                next.get("contents")
                        .get(2)
                        .get("parts")
                        .get(0)
                        .get("functionResponse")
                        .get("name")
                        .asText());
    }
}
