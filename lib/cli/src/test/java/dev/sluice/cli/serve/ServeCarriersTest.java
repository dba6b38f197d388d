package dev.sluice.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.cli.Everything;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing blocks a carrier (issue 68, H1): {@code sluice serve} with a stdio MCP server (the
 * reference server, idle once connected) in a JVM of its own whose virtual threads have two carriers
 * and no spare ({@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}).
 * The server's stdout and stderr are two pipes: read on virtual threads, they held both carriers, and
 * Jetty's virtual threads never ran again (with the JDK's default spare carriers, after about a
 * minute). It answers {@code /healthz} and streams a chat to its end.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeCarriersTest {
    private static final Duration ANSWER = Duration.ofSeconds(20);

    @Test
    void serve_anIdleStdioMcpServerOnTwoCarriers_healthzAndAStreamedChatStillAnswer() throws Exception {
        String mcp = Everything.stdio().stream().map(w -> "'" + w + "'").collect(Collectors.joining(" "));
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.virtualThreadScheduler.parallelism=2",
                "-Djdk.virtualThreadScheduler.maxPoolSize=2",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.cli.Sluice",
                "serve",
                "--port",
                "0",
                "--mcp",
                mcp);
        pb.environment()
                .keySet()
                .removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.startsWith("SLUICE_"));
        pb.environment().put("SLUICE_FAKE_TOKENS_PER_SECOND", "0");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process serve = pb.start();
        List<String> err = new ArrayList<>();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        // a platform thread: this test's own pipe read must not hold one of its JVM's carriers either
        Thread.ofPlatform().daemon().name("serve-stderr").start(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(serve.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (err) {
                        err.add(line);
                    }
                    if (line.startsWith("sluice serve: http://"))
                        listening.complete(URI.create(
                                line.substring("sluice serve: ".length()).strip()));
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.completeExceptionally(new AssertionError("sluice serve ended before it listened"));
        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER).build();
        try {
            URI base = listening.get(60, TimeUnit.SECONDS);

            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(base.resolve("/healthz"))
                            .timeout(ANSWER)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());

            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(base.resolve("/api/streams"))
                            .timeout(ANSWER)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Tell me about the ocean\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
            String body = http.send(
                            HttpRequest.newBuilder(base.resolve(events))
                                    .timeout(ANSWER)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(body.contains("event: delta"), body);
            assertTrue(body.contains("event: done"), body);

            HttpResponse<String> again = http.send(
                    HttpRequest.newBuilder(base.resolve("/healthz"))
                            .timeout(ANSWER)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
        } catch (Exception | AssertionError e) {
            synchronized (err) {
                e.addSuppressed(new AssertionError("serve's stderr:\n" + String.join("\n", err)));
            }
            throw e;
        } finally {
            http.shutdownNow();
            List<ProcessHandle> children = serve.descendants().toList(); // the MCP servers
            serve.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            serve.onExit().get(30, TimeUnit.SECONDS);
        }
    }
}
