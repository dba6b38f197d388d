package dev.sluice.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/spring.md's whole Spring AI program ({@link SkyIsBlue}, which the examples' DocsCodeTest holds
 * the doc's block to), run as a reader runs it: its {@code main} in a JVM of its own, with no key and
 * {@code ANTHROPIC_BASE_URL} at the test kit's fake server, as the doc says to run offline.
 */
class SkyIsBlueTest {
    @Test
    void main_printsTheAnswer_thenTheStreamedOne() throws Exception {
        Path out = Files.createTempFile("sky-is-blue-", ".out");
        Path err = Files.createTempFile("sky-is-blue-", ".err");
        try (FakeLlmServer fake = FakeLlmServer.builder().tokensPerSecond(0).start()) {
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            SkyIsBlue.class.getName())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().remove("ANTHROPIC_API_KEY");
            pb.environment().put("ANTHROPIC_BASE_URL", fake.baseUrl().toString());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("SkyIsBlue did not end within 120 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), stdout + Files.readString(err, StandardCharsets.UTF_8));
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            assertTrue(lines.size() >= 2, stdout);
            assertEquals(
                    List.of("/v1/messages", "/v1/messages"),
                    fake.requests().stream().map(r -> r.path()).toList());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
