package dev.sluice.examples.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/spring.md's whole Spring AI programs (which the examples' DocsCodeTest holds the doc's blocks
 * to), run as a reader runs them: each {@code main} in a JVM of its own, with no key and the base
 * URLs of the environment at the test kit's fake server, as the doc says to run offline.
 */
class SpringAiWholeProgramsTest {
    private FakeLlmServer fake;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.builder().tokensPerSecond(0).start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** {@return what {@code main} printed on stdout, once it exited 0; its input is empty} */
    private String run(Class<?> main) throws IOException, InterruptedException {
        Path out = Files.createTempFile("whole-program-", ".out");
        Path err = Files.createTempFile("whole-program-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            main.getName())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            List.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY").forEach(env::remove);
            env.put("ANTHROPIC_BASE_URL", fake.baseUrl().toString());
            env.put("OPENAI_BASE_URL", fake.baseUrl().toString());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(main.getSimpleName() + " did not end within 120 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(
                    0,
                    p.exitValue(),
                    main.getSimpleName() + ":\n" + stdout + Files.readString(err, StandardCharsets.UTF_8));
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private List<String> paths() {
        return fake.requests().stream().map(RecordedRequest::path).toList();
    }

    @Test
    void skyIsBlue_printsTheAnswer_thenTheStreamedOne() throws Exception {
        String stdout = run(SkyIsBlue.class);
        assertTrue(stdout.lines().filter(l -> !l.isBlank()).count() >= 2, stdout);
        assertEquals(List.of("/v1/messages", "/v1/messages"), paths());
    }

    @Test
    void stopStreaming_atTheEndOfItsInput_cancelsTheStreamAndExits() throws Exception {
        run(StopStreaming.class);
        assertTrue(paths().size() <= 1, paths().toString());
    }

    @Test
    void skyOverAChain_answersFromTheChainsFirstTarget() throws Exception {
        String stdout = run(SkyOverAChain.class);
        assertTrue(!stdout.isBlank(), stdout);
        assertEquals(List.of("/v1/messages"), paths());
    }

    @Test
    void weatherInParis_runsTheToolForParis_thenPrintsTheAnswer() throws Exception {
        List<String> lines = run(WeatherInParis.class).lines().toList();
        assertEquals("(the model asked for the weather in Paris)", lines.getFirst(), String.join("\n", lines));
        assertTrue(lines.size() >= 2 && !lines.getLast().isBlank(), String.join("\n", lines));
        assertEquals(List.of("/v1/messages", "/v1/messages"), paths());
    }
}
