package dev.sluice.server.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ApprovalPolicy;
import dev.sluice.agent.ToolRunner;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.PartialJson;
import dev.sluice.relay.Relay;
import dev.sluice.relay.RelaySource;
import dev.sluice.sse.SseEvent;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tool call that needs a person's approval, through a tool runner relayed over a real socket:
 * the stream pauses at {@code tool_approval} with its heartbeats, {@code POST
 * /api/streams/ID/approvals/CALL} decides it, a resume replays the request and the decision.
 */
class ToolApprovalTest {
    private static final String PROMPT = "{\"prompt\":\"What's the weather in Paris?\"}";
    private static final AtomicInteger WEATHER_RUNS = new AtomicInteger();

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
        AgentTool weather = TestTools.weather();
        AgentTool counted = new AgentTool(weather.definition(), (arguments, context) -> {
            WEATHER_RUNS.incrementAndGet();
            return weather.handler().call(arguments, context);
        });
        ToolRunner runner = ToolRunner.builder(anthropic)
                .tool(counted)
                .approval(ApprovalPolicy.tools("get_weather"))
                .maxTurns(3)
                .build();
        Relay relay = Relay.builder()
                .source("anthropic", "claude-sonnet-4-5", RelaySource.toolRunner(runner))
                .heartbeat(Duration.ofMillis(200))
                .build();
        server = RelayServer.start(relay, "127.0.0.1", 0);
        base = server.uri();
    }

    @AfterAll
    static void stop() {
        server.close();
        anthropic.close();
    }

    static HttpResponse<String> decide(String stream, String call, String body) throws Exception {
        return SseTestClient.HTTP.send(
                HttpRequest.newBuilder(base.resolve("/api/streams/" + stream + "/approvals/" + call))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<?, ?> data(SseEvent e) {
        return (Map<?, ?>) PartialJson.parse(e.data()).value();
    }

    private static SseEvent first(List<SseEvent> events, String type) {
        return events.stream()
                .filter(e -> e.type().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError(type + " missing"));
    }

    private static boolean has(List<SseEvent> events, String type) {
        return events.stream().anyMatch(e -> e.type().equals(type));
    }

    @Test
    void approved_streamPausesWithHeartbeatsThenTheToolRunsAndTheAnswerFollows() throws Exception {
        int runsBefore = WEATHER_RUNS.get();
        String id = SseTestClient.create(base, PROMPT);
        try (SseTestClient client = SseTestClient.open(base, id, null)) {
            client.readUntil(e -> has(e, "tool_approval"), 1 << 20);
            Map<?, ?> asked = data(first(client.events, "tool_approval"));
            assertEquals("get_weather", asked.get("name"));
            assertTrue(String.valueOf(asked.get("arguments")).contains("Paris"), asked.toString());
            int pings = client.comments.size();
            client.readUntil(e -> client.comments.size() >= pings + 2, 1 << 20); // paused, and its heartbeats go on
            assertFalse(has(client.events, "tool_started"), client.types().toString());
            assertEquals(runsBefore, WEATHER_RUNS.get(), "nothing runs before the decision");

            String call = (String) asked.get("id");
            HttpResponse<String> r = decide(id, call, "{\"approved\":true}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{\"decided\":true}", r.body());
            client.readAll();
            List<String> types = client.types();
            assertTrue(types.indexOf("tool_approval_decided") < types.indexOf("tool_started"), types.toString());
            assertEquals(
                    true, data(first(client.events, "tool_approval_decided")).get("approved"));
            assertTrue(has(client.events, "tool_done"), types.toString());
            assertEquals("done", types.get(types.size() - 1));
            assertEquals(runsBefore + 1, WEATHER_RUNS.get());

            HttpResponse<String> again = decide(id, call, "{\"approved\":false}");
            assertEquals(409, again.statusCode(), again.body());
            assertTrue(again.body().startsWith("{\"error\":{\"type\":\"already_decided\""), again.body());
        }
    }

    @Test
    void denied_toolNeverRunsAndTheModelIsToldSo() throws Exception {
        int runsBefore = WEATHER_RUNS.get();
        String id = SseTestClient.create(base, PROMPT);
        try (SseTestClient client = SseTestClient.open(base, id, null)) {
            client.readUntil(e -> has(e, "tool_approval"), 1 << 20);
            String call = (String) data(first(client.events, "tool_approval")).get("id");
            HttpResponse<String> r = decide(id, call, "{\"approved\":false,\"reason\":\"not now\"}");
            assertEquals(200, r.statusCode(), r.body());
            client.readAll();
            Map<?, ?> decided = data(first(client.events, "tool_approval_decided"));
            assertEquals(false, decided.get("approved"));
            assertEquals("not now", decided.get("reason"));
            assertTrue(has(client.events, "tool_failed"), client.types().toString());
            assertFalse(has(client.events, "tool_started"), client.types().toString());
            assertEquals("done", client.types().get(client.types().size() - 1));
            assertEquals(runsBefore, WEATHER_RUNS.get(), "a denied call never runs");
        }
    }

    @Test
    void reload_resumeReplaysTheRequestThenTheDecision() throws Exception {
        String id = SseTestClient.create(base, PROMPT);
        String call;
        try (SseTestClient first = SseTestClient.open(base, id, null)) {
            first.readUntil(e -> has(e, "tool_approval"), 1 << 20);
            call = (String) data(first(first.events, "tool_approval")).get("id");
        } // the page is reloaded
        try (SseTestClient again = SseTestClient.open(base, id, "1")) {
            again.readUntil(e -> has(e, "tool_approval"), 1 << 20);
            assertEquals(call, data(first(again.events, "tool_approval")).get("id"));
            assertEquals(200, decide(id, call, "{\"approved\":true}").statusCode());
            again.readAll();
            assertEquals("done", again.types().get(again.types().size() - 1));
        }
        try (SseTestClient later = SseTestClient.open(base, id, null)) {
            later.readAll();
            List<String> types = later.types();
            assertTrue(types.indexOf("tool_approval") < types.indexOf("tool_approval_decided"), types.toString());
        }
    }

    @Test
    void refusals_unknownStreamOrCall404_badBody400_asJsonErrors() throws Exception {
        HttpResponse<String> noStream = decide("nosuchstream", "call_1", "{\"approved\":true}");
        assertEquals(404, noStream.statusCode(), noStream.body());
        assertTrue(
                noStream.body().startsWith("{\"error\":{\"type\":\"not_found\",\"message\":\"no stream"),
                noStream.body());
        String id = SseTestClient.create(base, PROMPT);
        try (SseTestClient client = SseTestClient.open(base, id, null)) {
            client.readUntil(e -> has(e, "tool_approval"), 1 << 20);
            HttpResponse<String> noCall = decide(id, "call_nope", "{\"approved\":true}");
            assertEquals(404, noCall.statusCode(), noCall.body());
            assertTrue(noCall.body().contains("has no tool call"), noCall.body());
            String call = (String) data(first(client.events, "tool_approval")).get("id");
            for (String bad : List.of(
                    "{}",
                    "{\"approved\":\"yes\"}",
                    "[true]",
                    "not json",
                    "{\"approved\":true,\"reason\":7}",
                    "{\"approved\":true,\"reason\":\"" + "x".repeat(2001) + "\"}")) {
                HttpResponse<String> r = decide(id, call, bad);
                assertEquals(400, r.statusCode(), bad + ": " + r.body());
                assertTrue(r.body().startsWith("{\"error\":{\"type\":\"invalid_request\""), r.body());
            }
            HttpResponse<String> get = SseTestClient.HTTP.send(
                    HttpRequest.newBuilder(base.resolve("/api/streams/" + id + "/approvals/" + call))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode(), get.body());
            assertEquals(204, SseTestClient.delete(base, id).statusCode());
        }
    }
}
