package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.FakeServers;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The multi-turn thought-signature round trip over loopback: a Gemini 3 style stream whose function
 * call carries a signature and whose later chunk carries another on an empty text part; the tool
 * runner's next request must send both back, on the same parts, in the same order.
 */
class GeminiSignatureRoundTripTest {
    private static final String PATH = "/v1beta/models/gemini-3-pro:streamGenerateContent?alt=sse";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private GeminiClient client;

    @BeforeEach
    void start() {
        client = GeminiClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
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
        FakeServers.script(FAKE.server(), PATH, FakeResponse.sse(first), FakeResponse.sse(second));

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

        List<RecordedRequest> requests = FakeServers.requestsTo(FAKE.server(), PATH);
        assertEquals(2, requests.size());
        JsonNode next = GeminiFixtures.tree(requests.get(1).body());
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
