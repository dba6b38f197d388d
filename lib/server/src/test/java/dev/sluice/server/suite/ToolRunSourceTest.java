package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.sse.SseEvent;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tool runner's run through the relay (RelaySource.toolRunner) over a real socket. */
class ToolRunSourceTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer fake;
    private static AnthropicClient anthropic;
    private static RelayServer server;
    private static URI base;

    @BeforeAll
    static void start() {
        fake = FAKE.server();
        anthropic = AnthropicClient.builder()
                .apiKey("test")
                .baseUrl(fake.baseUrl().toString())
                .build();
        Relay relay = Relay.builder()
                .source("anthropic", "claude-sonnet-4-5", TestTools.runner(anthropic, Duration.ofMillis(10)))
                .build();
        server = RelayServer.start(relay, "127.0.0.1", 0);
        base = server.uri();
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
    }

    @Test
    void stream_promptThatCallsTools_toolEventsBetweenTheTurnsThenDoneWithBothTurnsUsage() throws Exception {
        String id = SseTestClient.create(base, "{\"prompt\":\"What's the weather in Paris? Then count to 2\"}");
        try (SseTestClient client = SseTestClient.open(base, id, null)) {
            client.readAll();
            List<String> types = client.types();
            assertEquals("start", types.get(0), types.toString());
            assertEquals("done", types.get(types.size() - 1), types.toString());
            for (String t : List.of("tool_call", "tool_started", "tool_progress", "tool_done", "delta")) {
                assertTrue(types.contains(t), t + " missing from " + types);
            }
            assertTrue(
                    types.lastIndexOf("tool_done") < types.lastIndexOf("delta"),
                    "the answer comes after the tools: " + types);
            assertEquals(List.of(), client.ids().stream().filter(n -> n < 1).toList());
            for (int i = 0; i < client.ids().size(); i++)
                assertEquals(i + 1, client.ids().get(i).longValue(), "ids 1, 2, 3, ...");
            String text = SseTestClient.text(client.events);
            assertTrue(text.contains("In Paris it is " + FakeWords.weather(TestTools.weatherIn("Paris"))), text);
            SseEvent progress = client.events.stream()
                    .filter(e -> e.type().equals("tool_progress"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    progress.data().contains("\"percent\":50")
                            || progress.data().contains("\"percent\":50.0"),
                    progress.data());
            SseEvent done = client.events.get(client.events.size() - 1);
            assertTrue(done.data().contains("\"finishReason\":\"stop\""), done.data());
        }
    }
}
