package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code sluice serve --fallback}: the default provider's streams go on elsewhere, each switch a {@code switch} event. */
class ServeFallbackTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        synchronized (errBytes) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code serve} with these flags, streams one prompt of the default provider, and {@return the SSE body of its events} */
    private String serveOneStream(String... flags) throws Exception {
        return serveOneStream(Map.of(), flags);
    }

    /** As {@link #serveOneStream(String...)}, with this environment. */
    private String serveOneStream(Map<String, String> env, String... flags) throws Exception {
        AtomicInteger exit = new AtomicInteger(-1);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<String> args = new java.util.ArrayList<>(
                List.of("serve", "--port", "0", "--provider", "anthropic", "--resume-window", "0"));
        args.addAll(List.of(flags));
        Thread running = Thread.ofVirtual()
                .start(() -> exit.set(Sluice.run(
                        Map.of("serve", new ServeCommand(env)),
                        args,
                        new ByteArrayInputStream(new byte[0]),
                        out,
                        err)));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> err().contains("sluice serve: http"));
            Matcher m = Pattern.compile("(?m)^sluice serve: (http://127\\.0\\.0\\.1:\\d+/)$")
                    .matcher(err());
            assertTrue(m.find(), err());
            URI base = URI.create(m.group(1));
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> created = http.send(
                        HttpRequest.newBuilder(base.resolve("/api/streams"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"prompt\":\"Tell me about the ocean\",\"provider\":\"anthropic\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());
                String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
                return http.send(
                                HttpRequest.newBuilder(base.resolve(events)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
            }
        } finally {
            running.interrupt();
            running.join(10_000);
            assertEquals(0, exit.get());
        }
    }

    @Test
    void serve_fallback_droppedStreamRestartsOnTheFallbackWithASwitchEvent() throws Exception {
        String body = serveOneStream("--model", "fake-drop", "--fallback", "openai:gpt-4o-mini");

        assertTrue(body.contains("event: switch\n"), body);
        assertTrue(
                body.contains("data: {\"from\":\"anthropic:fake-drop\",\"to\":\"openai:gpt-4o-mini\","
                        + "\"reason\":\"connection_lost\",\"mode\":\"restart\",\"kept\":\"\"}\n"),
                body);
        assertTrue(
                body.indexOf("event: delta") < body.indexOf("event: switch"), "text came before the switch: " + body);
        assertTrue(body.contains("event: done\n"), body);
    }

    /** Every target refusing the connection: the page reads that the connection failed, not that a stream ended early. */
    @Test
    void serve_fallbackEveryTargetRefusesTheConnection_theErrorEventSaysTheConnectionFailed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String refusing = "http://127.0.0.1:" + closedPort;
        String body = serveOneStream(
                Map.of("ANTHROPIC_BASE_URL", refusing, "OPENAI_BASE_URL", refusing),
                "--fallback",
                "openai:gpt-4o-mini");

        assertTrue(body.contains("event: error\n"), body);
        assertTrue(
                body.contains("\"type\":\"transport_error\",\"message\":\"the connection to the provider failed\""),
                body);
    }

    @Test
    void serve_hedgeAfter_slowDefaultModelIsHedgedWithAHedgeEventBeforeTheText() throws Exception {
        String body = serveOneStream(
                "--model", "fake-first-token-60000", "--fallback", "openai:gpt-4o-mini", "--hedge-after", "200ms");

        assertTrue(body.contains("event: hedge\n"), body);
        assertTrue(
                body.contains("data: {\"from\":\"anthropic:fake-first-token-60000\",\"to\":\"openai:gpt-4o-mini\","
                        + "\"winner\":\"openai:gpt-4o-mini\",\"afterMs\":200,"),
                body);
        assertTrue(body.indexOf("event: hedge") < body.indexOf("event: delta"), body);
        assertTrue(body.contains("event: done\n"), body);
    }
}
