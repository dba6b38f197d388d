package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.server.suite.NodeClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice serve --mcp … --approve all} end to end: a prompt POSTed to the relay makes the fake
 * model call the reference MCP server's long-running operation, the stream shows {@code tool_approval}
 * and waits; the approval POSTed to the relay lets the call reach the server, whose progress steps
 * and result follow on the same stream.
 */
class ServeMcpTest {
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        synchronized (errBytes) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void serve_mcpWithApproveAll_theCallWaitsForThePostedApprovalThenStreamsItsProgress() throws Exception {
        Path everything = NodeClients.DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        assertTrue(Files.isRegularFile(everything), "run `npm ci` in " + NodeClients.DIR + ": " + everything);
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log"); // every byte sent to the server
        String server = "sh -c \"tee '" + log + "' | '" + NodeClients.node() + "' '" + everything + "' stdio\"";
        AtomicInteger exit = new AtomicInteger(-1);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Thread running = Thread.ofVirtual().start(() -> exit.set(Sluice.run(Map.of("serve", new ServeCommand(Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"))),
                List.of("serve", "--port", "0", "--mcp", server, "--approve", "all"),
                new ByteArrayInputStream(new byte[0]), out, err)));
        HttpClient http = HttpClient.newHttpClient();
        List<String> lines = new CopyOnWriteArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> err().contains("sluice serve: http"));
            Matcher m = Pattern.compile("(?m)^sluice serve: (http://127\\.0\\.0\\.1:\\d+/)$").matcher(err());
            assertTrue(m.find(), err());
            URI base = URI.create(m.group(1));
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/streams"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\":\"call trigger-long-running-operation with {\\\"duration\\\": 2, \\\"steps\\\": 4}\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String stream = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
            Thread reading = Thread.ofVirtual().start(() -> {
                try {
                    http.send(HttpRequest.newBuilder(base.resolve(events)).build(), HttpResponse.BodyHandlers.ofLines())
                            .body().forEach(lines::add);
                } catch (Exception e) {
                    lines.add("! " + e);
                }
            });

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(lines.contains("event: tool_approval"), lines + "\n" + err()));
            int at = lines.indexOf("event: tool_approval");
            String approval = await().atMost(Duration.ofSeconds(10)).until(
                    () -> lines.subList(at, lines.size()).stream().filter(l -> l.startsWith("data: ")).findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertTrue(approval.contains("\"name\":\"trigger-long-running-operation\""), approval);
            String call = approval.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertFalse(Files.readString(log, StandardCharsets.UTF_8).contains("\"tools/call\""), "the call waits: the server has not seen it");

            HttpResponse<String> decided = http.send(HttpRequest.newBuilder(base.resolve("/api/streams/" + stream + "/approvals/" + call))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"approved\":true}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, decided.statusCode(), decided.body());
            assertEquals("{\"decided\":true}", decided.body());

            reading.join(Duration.ofSeconds(60));
            String body = String.join("\n", lines);
            assertTrue(body.contains("event: tool_approval_decided\n"), body);
            assertTrue(body.contains("data: {\"id\":\"" + call + "\",\"approved\":true"), body);
            for (int step = 1; step <= 4; step++) {
                assertTrue(body.contains("\"progress\":" + step + ".0,\"total\":4.0") || body.contains("\"progress\":" + step + ",\"total\":4"), "step " + step + ": " + body);
            }
            assertTrue(body.contains("event: tool_done"), body);
            assertTrue(body.contains("Long running operation completed"), body);
            assertTrue(body.contains("event: done"), body);
            assertTrue(Files.readString(log, StandardCharsets.UTF_8).contains("\"tools/call\""));
        } finally {
            http.shutdownNow(); // the events' GET too, should the stream still wait
            running.interrupt();
            running.join(10_000);
            Files.deleteIfExists(log);
        }
        assertEquals(0, exit.get(), err());
    }
}
