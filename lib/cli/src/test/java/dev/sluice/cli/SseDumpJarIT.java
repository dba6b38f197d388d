package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the real shaded jar, {@code lib/cli/target/sluice.jar}, as a subprocess: the
 * contract scripts and benchmarks rely on. Failsafe runs it after {@code package}.
 */
class SseDumpJarIT {
    private static final Path JAR = Path.of("target", "sluice.jar");

    private static Process start(String... args) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run 'mvn verify' so that the jar exists: " + JAR.toAbsolutePath());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[args.length + 3];
        command[0] = java;
        command[1] = "-jar";
        command[2] = JAR.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        return new ProcessBuilder(command).start();
    }

    @Test
    void sseDump_fileAtChunkSizeOne_printsExpectedJsonLinesUtf8() throws Exception {
        Path file = SseDumpCommandTest.resource("edge.sse");
        Process p = start("sse-dump", "--chunk-size", "1", file.toString());
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sse-dump did not end");
        assertEquals(0, p.exitValue(), err);
        assertEquals(SseDumpCommandTest.expected("edge.expected.jsonl"), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void sseDump_stdinPastLimit_exitsOneWithErrorLine() throws Exception {
        Process p = start("sse-dump", "--max-line-bytes", "8");
        p.getOutputStream().write("data: ok\n\ndata: far too long\n\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sse-dump did not end");
        assertEquals(1, p.exitValue());
        assertEquals("{\"event\":\"message\",\"data\":\"ok\",\"id\":null,\"retry\":null}\n", out);
        assertTrue(err.startsWith("error: an SSE line of more than 8 bytes"), err);
    }
}
