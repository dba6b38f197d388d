package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/cli.md's "Capturing a stream" lines, run exactly as written ({@code bash}, the real
 * {@code curl}, {@code ./sluice} being the shaded jar) with the providers' base URLs and keys
 * pointing at the fake server, as the page says to try them offline. Failsafe runs it after
 * {@code package}.
 */
class CaptureDocsIT {
    private static final Path JAR = Path.of("target", "sluice.jar").toAbsolutePath();
    private static final Path DOC = Path.of("..", "..", "docs", "cli.md");
    private static final String HEADING = "## Capturing a stream for `replay` and `sse-dump`";

    @Test
    void captureLines_againstTheFakeServer_captureAndReadBackEveryProvidersStream(@TempDir Path dir) throws Exception {
        List<String> blocks = shellBlocks(Files.readAllLines(DOC, StandardCharsets.UTF_8));
        assertEquals(2, blocks.size(), "the section's sh blocks: " + blocks);
        assertTrue(Files.isRegularFile(JAR), "run 'mvn verify' so that the jar exists: " + JAR);
        Path launcher = dir.resolve("sluice");
        Files.writeString(
                launcher,
                "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -jar '" + JAR
                        + "' \"$@\"\n");
        assertTrue(launcher.toFile().setExecutable(true));

        try (FakeLlmServer fake = FakeLlmServer.builder().tokensPerSecond(0).start()) {
            String anthropic = run(dir, blocks.get(0), fake.baseUrl().toString());
            assertTrue(
                    Files.readString(dir.resolve("stream.sse")).startsWith("event: message_start\n"),
                    "captured as sent");
            assertTrue(
                    anthropic.startsWith("{\"event\":\"message_start\",\"data\":"),
                    "sse-dump's events first: " + anthropic);
            assertTrue(
                    anthropic.contains("\n{\"id\":\"msg_fake_") && anthropic.contains("\"stop_reason\":\"end_turn\""),
                    "then replay's message: " + anthropic);

            String others = run(dir, blocks.get(1), fake.baseUrl().toString());
            List<String> lines = others.lines().toList();
            assertEquals(3, lines.size(), others);
            assertTrue(
                    lines.get(0).startsWith("{\"id\":\"chatcmpl-")
                            && lines.get(0).contains("\"finish_reason\":\"stop\""),
                    others);
            assertTrue(
                    lines.get(1).startsWith("{\"candidates\":[") && lines.get(1).contains("\"finishReason\":\"STOP\""),
                    others);
            assertTrue(
                    lines.get(2).startsWith("{\"id\":\"resp_") && lines.get(2).contains("\"status\":\"completed\""),
                    others);
        }
    }

    /** {@return stdout of {@code bash -e} running {@code script} in {@code dir}, every provider's base URL at {@code base}} */
    private static String run(Path dir, String script, String base) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", script).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        for (String provider : List.of("ANTHROPIC", "OPENAI", "GEMINI")) {
            env.put(provider + "_BASE_URL", base);
            env.put(provider + "_API_KEY", "any");
        }
        Path err = dir.resolve("stderr.txt");
        Process p = pb.redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the lines did not end");
        String errors = Files.readString(err);
        assertEquals(
                0,
                p.exitValue(),
                "exit code of:\n" + script + "\nstderr: " + errors
                        + (errors.contains("curl: not found") || errors.contains("curl: command not found")
                                ? " (install curl)"
                                : ""));
        assertEquals("", errors, script);
        return out;
    }

    /** {@return the {@code ```sh} blocks of the section under {@link #HEADING}, each as one script} */
    private static List<String> shellBlocks(List<String> markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        boolean inSection = false;
        for (String line : markdown) {
            if (line.startsWith("## ")) inSection = line.equals(HEADING);
            else if (inSection && block == null && line.equals("```sh")) block = new StringBuilder();
            else if (block != null && line.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) block.append(line).append('\n');
        }
        return blocks;
    }
}
