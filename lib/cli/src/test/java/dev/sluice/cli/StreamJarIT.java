package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sluice stream} as a new user runs it: the real shaded jar in a subprocess, with no API
 * key in its environment, so it streams from the embedded fake server (unpaced, through
 * {@code SLUICE_FAKE_TOKENS_PER_SECOND=0}, to stay fast).
 */
class StreamJarIT {
    private static final Path JAR = Path.of("target", "sluice.jar");

    record Result(int code, byte[] out, String err) {}

    private static ProcessBuilder stream(Map<String, String> extraEnv, String... args) {
        assertTrue(Files.isRegularFile(JAR), "run 'mvn verify' so that the jar exists: " + JAR.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "stream"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("LC_") || k.equals("LANG"));
        env.put(Endpoint.FAKE_RATE_VARIABLE, "0");
        env.putAll(extraEnv);
        return pb;
    }

    private static Result run(Map<String, String> extraEnv, String... args) throws Exception {
        Process p = stream(extraEnv, args).start();
        p.getOutputStream().close();
        byte[][] errBytes = new byte[1][];
        Thread err = Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try {
                                errBytes[0] = p.getErrorStream().readAllBytes();
                            } catch (java.io.IOException e) {
                                errBytes[0] = new byte[0];
                            }
                        });
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sluice stream did not end");
        err.join();
        return new Result(p.exitValue(), out, new String(errBytes[0], StandardCharsets.UTF_8));
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    @Test
    void stream_noEnvironment_streamsFromTheEmbeddedFakeServer() throws Exception {
        Result r = run(Map.of(), "Tell me how rivers shape the land.");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().length > 0, "the answer is on stdout");
        assertTrue(
                r.err()
                        .startsWith(
                                "sluice: no ANTHROPIC_API_KEY set; streaming from the embedded fake server at http://127.0.0.1:"),
                r.err());
        assertTrue(r.err().contains("\nstop reason: end_turn\n"), r.err());
    }

    /** As {@code sluice stream ... 2>&1 | tee} and {@code sluice stream ... > log 2>&1}: the text ends mid-line. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stream_stdoutAndStderrToOnePipeOrFile_summaryStartsOnItsOwnLine(boolean toFile, @TempDir Path dir)
            throws Exception {
        ProcessBuilder pb =
                stream(Map.of(), "Tell me how rivers shape the land.").redirectErrorStream(true);
        Path log = dir.resolve("log");
        if (toFile) pb.redirectOutput(log.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] piped = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sluice stream did not end");
        String both = toFile ? Files.readString(log) : new String(piped, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), both);
        int summary = both.indexOf("time to first token: ");
        assertTrue(summary > 0 && both.charAt(summary - 1) == '\n', both);
    }

    @Test
    void stream_cLocale_stdoutIsStillUtf8() throws Exception {
        Result r = run(Map.of("LC_ALL", "C", "LANG", "C"), "tell me about the ocean");
        assertEquals(0, r.code(), r.err());
        String text = strictUtf8(r.out());
        assertTrue(text.contains("🌊"), text);
        assertTrue(text.startsWith("The ocean covers about 71% of Earth's surface"), text);
    }

    @Test
    void stream_cLocale_accentedWordsIntact() throws Exception {
        Result r = run(Map.of("LC_ALL", "C"), "coffee");
        assertEquals(0, r.code(), r.err());
        String text = strictUtf8(r.out());
        assertTrue(text.contains("Café") && text.contains("São Paulo"), text);
    }

    @Test
    void stream_missingPrompt_exitTwoWithUsageAndNothingStarted() throws Exception {
        Result r = run(Map.of());
        assertEquals(2, r.code());
        assertEquals(0, r.out().length);
        assertEquals("error: a PROMPT is required\nrun 'sluice stream --help' for its flags and arguments\n", r.err());
    }
}
