package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServeCommandTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return run(Map.of(), args); // no keys: every provider streams from the fake server
    }

    private int run(Map<String, String> env, String... args) {
        ServeCommand serve = new ServeCommand(env);
        return Sluice.run(Map.of("serve", serve), List.of(args), new ByteArrayInputStream(new byte[0]), out, err);
    }

    private String err() {
        synchronized (errBytes) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--port=-1",
                "--port=x",
                "--provider=nope",
                "--heartbeat=0",
                "--heartbeat=-2",
                "--resume-window=-1",
                "--resume-window=abc",
                "--model=",
                "--host=",
                "--unknown=1",
                "extra",
                "--mcp=node 'x",
                "--mcp=https://",
                "--approve=",
                "--approve=get_wether"
            })
    void serve_badFlag_exits2WithUsage(String arg) {
        assertEquals(2, run("serve", arg));
        assertTrue(err().startsWith("error: "), err());
        CliAssertions.assertUsageError(err(), "serve");
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * Every flag is checked before the port is: with the port another socket holds, a bad flag is
     * still reported as itself (not as the port in use), so these tests need no free port either.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "--provider=nope",
                "--heartbeat=0",
                "--model=",
                "--mcp=node 'x",
                "--mcp=https://",
                "--approve=",
                "--approve=get_wether",
                "--tool-timeout=x",
                "--trusted-proxy=not-an-address",
                "--allow-origin=nope",
                "--allow-host=a/b"
            })
    void serve_badFlagWhileThePortIsTaken_exits2NamingTheFlag(String arg) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(
                    2,
                    CliAssertions.exitCodeWithin10s(() -> run("serve", "--port=" + taken.getLocalPort(), arg)),
                    err());
        }
        assertFalse(err().contains("in use"), err());
        CliAssertions.assertUsageError(err(), "serve");
        String flag = arg.substring(0, arg.indexOf('='));
        assertTrue(err().contains(flag) || err().contains(arg.substring(arg.indexOf('=') + 1)), err());
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    /** As serve-fake and stream do: the fake server's pace comes from SLUICE_FAKE_TOKENS_PER_SECOND, checked first. */
    @Test
    void serve_badFakeRateVariable_exits2BeforeStarting() {
        assertEquals(
                2,
                CliAssertions.exitCodeWithin10s(
                        () -> run(Map.of(Endpoint.FAKE_RATE_VARIABLE, "fast"), "serve", "--port", "0")),
                err());
        assertTrue(err().startsWith("error: SLUICE_FAKE_TOKENS_PER_SECOND must be a number"), err());
    }

    @Test
    void serve_storeWithPasswordAndNoRedis_exits1SayingSoWithoutThePassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertEquals(
                1,
                run(
                        Map.of("SLUICE_REDIS_PASSWORD", "env-s3cret"),
                        "serve",
                        "--port=0",
                        "--store=redis://alice:url-s3cret@127.0.0.1:" + closedPort + "/0"));
        assertTrue(err().contains("error: the relay's store (Redis) cannot be reached"), err());
        assertTrue(!err().contains("s3cret"), err());
        assertEquals(2, run("serve", "--store=http://bob:url-s3cret@example.com"));
        assertTrue(err().contains("--store: not a Redis URL: http://***@example.com"), err());
        assertTrue(!err().contains("s3cret"), err());
    }

    @Test
    void serve_help_describesStoreWithoutAnyCredential() {
        assertEquals(0, run(Map.of("SLUICE_REDIS_PASSWORD", "env-s3cret"), "serve", "--help"));
        String help = outBytes.toString(StandardCharsets.UTF_8) + err();
        assertTrue(help.contains("--store redis://HOST:PORT[/DB]"), help);
        assertTrue(!help.contains("s3cret"), help);
    }

    @Test
    void help_listsServe() {
        assertEquals(0, Sluice.run(List.of("--help"), new ByteArrayInputStream(new byte[0]), out, err));
        String help = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(
                java.util.regex.Pattern.compile("(?m)^  serve +serve the chat page")
                        .matcher(help)
                        .find(),
                help);
    }

    @Test
    void serve_running_printsItsAddressServesThePageAndTheApiUntilInterrupted() throws Exception {
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = Thread.ofVirtual()
                .start(() -> exit.set(run(
                        "serve",
                        "--port",
                        "0",
                        "--provider",
                        "openai",
                        "--model",
                        "gpt-test",
                        "--heartbeat",
                        "0.5",
                        "--resume-window",
                        "0")));
        await().atMost(Duration.ofSeconds(20)).until(() -> err().contains("sluice serve: http"));
        Matcher m = Pattern.compile("(?m)^sluice serve: (http://127\\.0\\.0\\.1:\\d+/)$")
                .matcher(err());
        assertTrue(m.find(), err());
        assertTrue(
                err().startsWith("sluice serve: no API key for openai, anthropic, openai-responses, gemini, bedrock,"
                        + " bedrock-anthropic, bedrock-openai, bedrock-openai-responses, bedrock-mantle-anthropic, vertex,"
                        + " vertex-anthropic, azure-openai, azure-openai-responses, foundry-anthropic;"
                        + " streaming from the embedded fake server at http://127.0.0.1:"),
                err());
        URI base = URI.create(m.group(1));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> page =
                    http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>Sluice chat</title>"));
            assertTrue(page.headers()
                    .firstValue("Content-Security-Policy")
                    .orElseThrow()
                    .contains("script-src 'self'"));
            assertEquals(
                    "{\"default\":\"openai\",\"providers\":[{\"name\":\"openai\",\"model\":\"gpt-test\"},"
                            + "{\"name\":\"anthropic\",\"model\":\"claude-sonnet-5-5\"},{\"name\":\"openai-responses\",\"model\":\"gpt-6.1-terra\"},"
                            + "{\"name\":\"gemini\",\"model\":\"gemini-3.8-flash\"},"
                            + "{\"name\":\"bedrock\",\"model\":\"us.anthropic.claude-sonnet-5-5\"},"
                            + "{\"name\":\"bedrock-anthropic\",\"model\":\"us.anthropic.claude-sonnet-5-5\"},"
                            + "{\"name\":\"bedrock-openai\",\"model\":\"us.openai.gpt-6-sol\"},"
                            + "{\"name\":\"bedrock-openai-responses\",\"model\":\"openai.gpt-5.6-terra\"},"
                            + "{\"name\":\"bedrock-mantle-anthropic\",\"model\":\"anthropic.claude-opus-4-8\"},"
                            + "{\"name\":\"vertex\",\"model\":\"gemini-3.8-flash\"},"
                            + "{\"name\":\"vertex-anthropic\",\"model\":\"claude-sonnet-5-5\"},"
                            + "{\"name\":\"azure-openai\",\"model\":\"gpt-6-luna\"},"
                            + "{\"name\":\"azure-openai-responses\",\"model\":\"gpt-6.1-terra\"},"
                            + "{\"name\":\"foundry-anthropic\",\"model\":\"claude-sonnet-5-5\"}]}",
                    http.send(
                                    HttpRequest.newBuilder(base.resolve("/api/providers"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
            for (String provider : List.of(
                    "openai",
                    "anthropic",
                    "openai-responses",
                    "gemini",
                    "bedrock",
                    "bedrock-anthropic",
                    "vertex",
                    "vertex-anthropic",
                    "azure-openai",
                    "azure-openai-responses",
                    "foundry-anthropic")) {
                HttpResponse<String> created = http.send(
                        HttpRequest.newBuilder(base.resolve("/api/streams"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"prompt\":\"hi\",\"provider\":\"" + provider + "\",\"maxTokens\":16}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());
                String events = created.body().replaceAll(".*\"events\":\"([^\"]+)\".*", "$1");
                String body = http.send(
                                HttpRequest.newBuilder(base.resolve(events)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertTrue(body.contains("event: delta\nid: 2\ndata: {\"text\":\"Hello!"), provider + ": " + body);
                assertTrue(body.contains("event: done\n"), provider + ": " + body);
            }
            for (String asset : List.of(
                    "app.js",
                    "app.css",
                    "vendor/marked.umd.js",
                    "vendor/purify.min.js",
                    "vendor/highlight.min.js",
                    "vendor/LICENSE-dompurify.txt",
                    "vendor/VERSIONS.md")) {
                assertEquals(
                        200,
                        http.send(
                                        HttpRequest.newBuilder(base.resolve("/assets/" + asset))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode(),
                        asset);
            }
            for (String outside :
                    List.of("/assets/..%2F..%2Fpom.xml", "/assets/../../../etc/passwd", "/assets/app.class")) {
                int status = http.send(
                                HttpRequest.newBuilder(base.resolve(outside)).build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                assertTrue(status == 400 || status == 404, outside + ": " + status);
            }
        }
        running.interrupt();
        running.join(10_000);
        assertEquals(0, exit.get());
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }
}
