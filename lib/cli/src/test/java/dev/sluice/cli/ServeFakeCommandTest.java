package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.clouds.FakeAzure;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServeFakeCommandTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return Sluice.run(List.of(args), new ByteArrayInputStream(new byte[0]), out, err);
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
                "--port=65536",
                "--port=abc",
                "--tokens-per-second=-1",
                "--tokens-per-second=abc",
                "--tokens-per-second=NaN",
                "--unknown=1",
                "extra"
            })
    void serveFake_badFlag_exits2WithUsage(String arg) {
        assertEquals(2, run("serve-fake", arg));
        assertTrue(err().startsWith("error: "), err());
        CliAssertions.assertUsageError(err(), "serve-fake");
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void serveFake_badFakeRateVariable_exits2BeforeStarting() {
        ServeFakeCommand command = new ServeFakeCommand(java.util.Map.of(Endpoint.FAKE_RATE_VARIABLE, "fast"));
        assertEquals(
                2,
                CliAssertions.exitCodeWithin10s(() -> Sluice.run(
                        java.util.Map.of("serve-fake", command),
                        List.of("serve-fake"),
                        new ByteArrayInputStream(new byte[0]),
                        out,
                        err)),
                err());
        assertTrue(err().startsWith("error: SLUICE_FAKE_TOKENS_PER_SECOND must be a number"), err());
    }

    @Test
    void serveFake_running_servesAndPrintsHowToUseItUntilInterrupted() throws Exception {
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = Thread.ofVirtual().start(() -> exit.set(run("serve-fake", "--tokens-per-second", "0")));
        await().atMost(Duration.ofSeconds(10)).until(() -> err().contains("\ntry: "));
        Matcher m = Pattern.compile(
                        "^sluice serve-fake: a fake LLM server on (http://127\\.0\\.0\\.1:(\\d+)) speaks every"
                                + " provider's streaming API")
                .matcher(err());
        assertTrue(m.find(), err());
        String base = m.group(1);
        List<String> lines = err().lines().toList();
        assertEquals(20, lines.size(), err());
        assertTrue(lines.get(1).matches("  anthropic +ANTHROPIC_BASE_URL=" + base + " +POST /v1/messages"), err());
        assertTrue(lines.get(2).matches("  openai +OPENAI_BASE_URL=" + base + " +POST /v1/chat/completions"), err());
        assertTrue(lines.get(3).matches("  openai-responses +OPENAI_BASE_URL=" + base + " +POST /v1/responses"), err());
        assertTrue(lines.get(4).startsWith("  gemini ") && lines.get(4).contains("GEMINI_BASE_URL=" + base), err());
        assertTrue(
                lines.get(5)
                        .matches("  bedrock +AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + base
                                + " +POST /model/MODEL/converse-stream"),
                err());
        assertTrue(
                lines.get(6)
                        .matches("  bedrock-anthropic +AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + base
                                + " +POST /model/MODEL/invoke-with-response-stream"),
                err());
        assertTrue(
                lines.get(7)
                        .matches("  bedrock-openai +AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + base
                                + " +POST /openai/v1/chat/completions"),
                err());
        assertTrue(
                lines.get(8)
                        .matches("  bedrock-openai-responses +AWS_ENDPOINT_URL_BEDROCK_MANTLE=" + base
                                + "/mantle +POST \\{/v1\\|/openai/v1\\}/responses"),
                err());
        assertTrue(
                lines.get(9)
                        .matches("  bedrock-mantle-anthropic +AWS_ENDPOINT_URL_BEDROCK_MANTLE=" + base
                                + "/mantle +POST /anthropic/v1/messages"),
                err());
        assertTrue(
                lines.get(10)
                        .matches("  vertex +GOOGLE_VERTEX_BASE_URL=" + base
                                + " +POST /v1/projects/P/locations/L/publishers/google/"
                                + "models/MODEL:streamGenerateContent"),
                err());
        assertTrue(
                lines.get(11)
                        .matches("  vertex-anthropic +GOOGLE_VERTEX_BASE_URL=" + base
                                + " +POST /v1/projects/P/locations/L/publishers/"
                                + "anthropic/models/MODEL:streamRawPredict"),
                err());
        assertTrue(
                lines.get(12)
                        .matches(
                                "  azure-openai +AZURE_OPENAI_ENDPOINT=" + base + " +POST /openai/v1/chat/completions"),
                err());
        assertTrue(
                lines.get(13)
                        .matches("  azure-openai-responses +AZURE_OPENAI_ENDPOINT=" + base
                                + " +POST /openai/v1/responses"),
                err());
        assertTrue(
                lines.get(14)
                        .matches("  foundry-anthropic +ANTHROPIC_FOUNDRY_BASE_URL=" + base
                                + "/anthropic +POST /anthropic/v1/messages"),
                err());
        assertEquals(
                "  bedrock*               credentials: AWS_BEARER_TOKEN_BEDROCK=" + FakeBedrock.API_KEY
                        + " (or AWS_ACCESS_KEY_ID=" + FakeBedrock.ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY="
                        + FakeBedrock.SECRET_ACCESS_KEY + ")",
                lines.get(15));
        assertTrue(
                lines.get(16)
                        .startsWith("  azure-openai*          credentials: AZURE_OPENAI_API_KEY=" + FakeAzure.API_KEY),
                err());
        assertTrue(
                lines.get(17)
                        .startsWith(
                                "  foundry-anthropic      credentials: ANTHROPIC_FOUNDRY_API_KEY=" + FakeAzure.API_KEY),
                err());
        Matcher key = Pattern.compile(
                        "  vertex\\* +credentials: GOOGLE_APPLICATION_CREDENTIALS=(\\S+) \\(the fake's service account, its"
                                + " token_uri the fake's\\) GOOGLE_CLOUD_PROJECT=sluice-fake-project")
                .matcher(lines.get(18));
        assertTrue(key.matches(), err());
        assertTrue(
                java.nio.file.Files.readString(java.nio.file.Path.of(key.group(1)))
                        .contains("\"token_uri\":\"" + base + "/token\""),
                "the key file names the fake's token endpoint");
        assertTrue(lines.get(19).startsWith("try: ANTHROPIC_BASE_URL=" + base + " ./sluice stream \"hi\""), err());
        assertTrue(
                lines.get(19)
                        .contains("; AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + base + " AWS_BEARER_TOKEN_BEDROCK="
                                + FakeBedrock.API_KEY + " ./sluice stream --provider bedrock \"hi\")"),
                err());

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "/v1/messages"))
                            .header("x-api-key", "fake")
                            .header("anthropic-version", "2023-06-01")
                            .header("content-type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"m\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        }

        running.interrupt();
        running.join(Duration.ofSeconds(10));
        assertEquals(0, exit.get());
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
        int port = Integer.parseInt(m.group(2));
        assertThrows(
                IOException.class,
                () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    }
                },
                "the port refuses connections once the command has returned");
    }
}
