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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseContractServiceCommandTest {
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
    @ValueSource(strings = {"--port=-1", "--port=65536", "--port=x", "--unknown", "extra"})
    void sseContractService_badArgument_exits2WithUsage(String arg) {
        assertEquals(2, run("sse-contract-service", arg));
        assertTrue(err().startsWith("error: "), err());
        CliAssertions.assertUsageError(err(), "sse-contract-service");
    }

    @Test
    void help_listsTheCommand() {
        assertEquals(0, run("--help"));
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("sse-contract-service"));
    }

    @Test
    void sseContractService_deleteRoot_exits0() throws Exception {
        CompletableFuture<Integer> code =
                CompletableFuture.supplyAsync(() -> run("sse-contract-service", "--port", "0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> err().contains("listening on"));
        Matcher m =
                Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(err());
        assertTrue(m.find(), err());
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(status.body().contains("\"capabilities\""), status.body());
            HttpResponse<String> stop = http.send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "/"))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, stop.statusCode());
        }
        assertEquals(0, code.get(10, TimeUnit.SECONDS));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }
}
