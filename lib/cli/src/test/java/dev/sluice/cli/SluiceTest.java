package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SluiceTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sluice.run(
                List.of(args),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void run_unknownCommand_twoLinesNamingTheCommandsExitTwo() {
        Result r = run("bogus", "hi");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals(
                "error: unknown command 'bogus'\n"
                        + "commands: stream, object, agent, serve-fake, serve, sse-dump, replay, sse-contract-service;"
                        + " run 'sluice --help' for what each does\n",
                r.err());
    }

    @Test
    void run_help_namesEveryProviderTheCloudsToo() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(
                r.out()
                        .contains(
                                "\nproviders (--provider, --fallback P:M): anthropic, openai, openai-responses, gemini, bedrock,"
                                        + " bedrock-anthropic, bedrock-openai, bedrock-openai-responses, bedrock-mantle-anthropic,"
                                        + " vertex, vertex-anthropic, azure-openai, azure-openai-responses, foundry-anthropic\n"),
                r.out());
    }

    @Test
    void run_misspeltCommand_suggestsTheNearestOne() {
        Result r = run("strem", "hi");
        assertEquals(2, r.code());
        assertEquals(
                "error: unknown command 'strem' (did you mean 'stream'?)",
                r.err().lines().findFirst().orElseThrow());
    }

    @Test
    void run_usageError_oneLineAndWhereToGetHelpNotTheUsage() {
        Result r = run("replay", "--chunk-size", "0");
        assertEquals(2, r.code());
        CliAssertions.assertUsageError(r.err(), "replay");
        assertFalse(r.err().contains("usage:"), r.err());
    }

    @Test
    void run_commandHelp_stillPrintsTheWholeUsageOnStdout() {
        Result r = run("replay", "--help");
        assertEquals(0, r.code());
        assertEquals(new ReplayCommand().usage(), r.out());
    }
}
