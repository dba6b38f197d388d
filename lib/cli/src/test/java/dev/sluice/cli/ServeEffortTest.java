package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice serve --effort LEVEL}: every stream the page starts (through the tool runner) and every
 * gateway request that names no effort is sent at it, as the model takes it; a level a model cannot take
 * is a usage error before anything starts.
 */
class ServeEffortTest {
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, String> env() {
        String url = server.baseUrl().toString();
        return Map.of("ANTHROPIC_BASE_URL", url, "ANTHROPIC_API_KEY", "k", Endpoint.FAKE_RATE_VARIABLE, "0");
    }

    /** {@return the body of the last request to Anthropic's Messages API, after one stream of the page and one of the gateway} */
    private List<RecordedRequest> oneStreamAndOneGatewayRequest(String... flags) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--provider", "anthropic", "--resume-window", "0"));
        args.addAll(List.of(flags));
        try (RunningServe serve = RunningServe.start(env(), args.toArray(String[]::new));
                HttpClient http = HttpClient.newHttpClient()) {
            URI base = serve.uri();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/streams"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"prompt\":\"Tell me about the ocean\",\"provider\":\"anthropic\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
            String body = http.send(
                            HttpRequest.newBuilder(base.resolve(events)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(body.contains("event: done\n"), body);
            HttpResponse<String> gateway = http.send(
                    HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"anthropic/claude-opus-4-6\",\"messages\":[{\"role\":\"user\","
                                            + "\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, gateway.statusCode(), gateway.body());
        }
        List<RecordedRequest> messages = server.requests().stream()
                .filter(r -> r.path().equals("/v1/messages"))
                .toList();
        assertEquals(2, messages.size(), messages.toString());
        return messages;
    }

    @Test
    void serve_effort_thePagesStreamAndTheGatewaysSentAtItAsTheModelTakesIt() throws Exception {
        List<RecordedRequest> sent = oneStreamAndOneGatewayRequest("--model", "claude-opus-4-6", "--effort", "xhigh");

        for (RecordedRequest r : sent) {
            assertEquals("claude-opus-4-6", r.json("/model"), r.body());
            assertEquals("adaptive", r.json("/thinking/type"), r.body());
            assertEquals("max", r.json("/output_config/effort"), "4.6 has no xhigh: the nearest level; " + r.body());
        }
    }

    @Test
    void serve_withoutEffort_noneSent() throws Exception {
        List<RecordedRequest> sent = oneStreamAndOneGatewayRequest("--model", "claude-opus-4-6");

        for (RecordedRequest r : sent) {
            assertFalse(r.body().contains("output_config"), r.body());
            assertFalse(r.body().contains("\"thinking\""), r.body());
        }
    }

    @Test
    void serve_effortTheModelCannotTake_usageErrorNamingTheModelNothingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sluice.run(
                Map.of("serve", new ServeCommand(env())),
                List.of(
                        "serve",
                        "--port",
                        "0",
                        "--provider",
                        "anthropic",
                        "--model",
                        "claude-opus-5-5",
                        "--effort",
                        "none"),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, printed);
        assertTrue(printed.contains("model claude-opus-5-5"), printed);
        assertFalse(printed.contains("sluice serve: http"), printed);
        assertEquals(0, server.requestCount());
    }

    /** As {@code stream}, {@code agent} and {@code object}: a model retired or retiring within 30 days is named once, with its replacement. */
    @Test
    void serve_retiredModel_oneNoticeNamingTheReplacement_currentModelNone() throws Exception {
        try (RunningServe serve =
                RunningServe.start(env(), "--provider", "anthropic", "--model", "claude-3-7-sonnet-20250219")) {
            serve.uri();
            String err = serve.err();
            assertTrue(err.contains("notice: model claude-3-7-sonnet-20250219 was retired on 2026-02-19"), err);
            assertTrue(
                    err.contains("use claude-sonnet-5-5 instead (claude-sonnet-4-5, named in its place, retires too)"),
                    err);
            assertEquals(1, err.split("notice: ", -1).length - 1, err);
        }
        try (RunningServe serve = RunningServe.start(env(), "--provider", "anthropic")) {
            serve.uri();
            assertFalse(serve.err().contains("notice:"), serve.err());
        }
    }
}
