package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.server.suite.FakeWords;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sluice agent} in process, against an unpaced fake server the test starts (and once through its own fallback). */
class AgentCommandTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer server;

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return List.of(err.split("\n"));
        }
    }

    @BeforeAll
    static void start() {
        server = FAKE.server();
    }

    @AfterAll
    static void stop() {}

    private static Map<String, String> env(String provider) {
        String prefix = provider.toUpperCase();
        return Map.of(prefix + "_BASE_URL", server.baseUrl().toString(), prefix + "_API_KEY", "secret-key-123");
    }

    static Result run(Map<String, String> env, String... args) {
        return run(new AgentCommand(env, false, Duration.ofMillis(1)), false, args);
    }

    /** @param oneDestination stdout and stderr into one buffer, as {@code 2>&1} (then {@code out} holds both) */
    private static Result run(AgentCommand command, boolean oneDestination, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = oneDestination ? out : new ByteArrayOutputStream();
        Map<String, Command> commands = new HashMap<>(Sluice.commands());
        commands.put("agent", command);
        List<String> all = new ArrayList<>(List.of("agent"));
        all.addAll(List.of(args));
        int code = Sluice.run(
                commands,
                all,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void agent_stdoutClosedByItsReader_endsQuietlyWithExitZero() {
        StreamCommandTest.Result r = StreamCommandTest.runIntoClosedPipe(
                new AgentCommand(env("anthropic"), false, Duration.ofMillis(1)),
                "agent",
                env("anthropic"),
                "What's the weather in Paris? Then count to 2");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("error:"), r.err());
        assertFalse(r.err().contains("time to first token"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "gemini"})
    void agent_weatherAndCounting_textOfBothTurnsOnStdoutToolLinesAndSummaryOnStderr(String provider) {
        Result r = run(
                env(provider),
                "--provider",
                provider,
                "What's",
                "the",
                "weather",
                "in",
                "Paris?",
                "Then",
                "count",
                "to",
                "2");

        assertEquals(0, r.code(), r.err());
        assertEquals(
                "I'll check that for you.\nIn Paris it is " + FakeWords.weather(DemoTools.weatherIn("Paris"))
                        + " I counted to 2.\n",
                r.out(),
                "stdout is no terminal: each turn's text on a line of its own");
        List<String> lines = r.errLines();
        assertTrue(lines.contains("tool get_weather({\"city\":\"Paris\"}) started"), r.err());
        assertTrue(lines.contains("tool count_slowly({\"n\":2}) started"), r.err());
        assertTrue(lines.contains("tool count_slowly: 50% counted 1 of 2"), r.err());
        assertTrue(lines.contains("tool count_slowly: 100% counted 2 of 2"), r.err());
        assertTrue(
                lines.stream().anyMatch(l -> Pattern.matches("tool get_weather done in \\d+\\.\\d{3} s", l)), r.err());
        assertTrue(lines.indexOf("tool count_slowly: 50% counted 1 of 2")
                < lines.indexOf("tool count_slowly: 100% counted 2 of 2"));
        int summary = lines.size() - 6;
        assertTrue(lines.get(summary).startsWith("time to first token: "), r.err());
        assertTrue(lines.get(summary + 1).startsWith("tokens/s: "), r.err());
        assertTrue(Pattern.matches("usage: \\d+ input tokens, \\d+ output tokens", lines.get(summary + 2)), r.err());
        assertTrue(lines.get(summary + 3).startsWith("stop reason: "), r.err());
        assertTrue(lines.get(summary + 4).matches("request id: req_fake_\\S+"), "the last turn's: " + r.err());
        assertEquals("turns: 2", lines.get(summary + 5));
        assertTrue(!r.err().contains("secret-key-123") && !r.out().contains("secret-key-123"));
    }

    @Test
    void progressLine_progressOfTotalElsePercentElseMessage() {
        assertEquals(
                "tool trigger-long-running-operation: 2/4 Step 2",
                AgentCommand.progressLine("trigger-long-running-operation", "Step 2", 50.0, 2.0, 4.0));
        assertEquals(
                "tool t: 0.5/1.25",
                AgentCommand.progressLine("t", "", 40.0, 0.5, 1.25),
                "no message: nothing after the figure");
        assertEquals("tool t: 33% a third", AgentCommand.progressLine("t", "a third", 33.3333, null, null));
        assertEquals(
                "tool t: 33% a third",
                AgentCommand.progressLine("t", "a third", 33.3333, 3.0, null), "no total: the percent, if any");
        assertEquals("tool t: reading the index", AgentCommand.progressLine("t", "reading the index", null, 7.0, null));
        assertEquals(
                "tool t\\x1B[31m: one \\x1B[0mline",
                AgentCommand.progressLine("t\u001b[31m", "one\n\u001b[0mline", null, null, null),
                "a server's text cannot move the cursor or color the terminal");
    }

    @Test
    void agent_stdoutAndStderrToOnePlace_toolLinesStartOnLinesOfTheirOwn() {
        Map<String, String> env = env("anthropic");
        Result r = run(
                new AgentCommand(env, false, Duration.ofMillis(1), () -> new Terminal(false, true, false)),
                true,
                "What's the weather in Paris?");
        assertEquals(0, r.code(), r.out());
        assertTrue(
                r.out().contains("I'll check that for you.\ntool get_weather({\"city\":\"Paris\"}) started\n"),
                r.out());
        assertTrue(
                r.out().contains(FakeWords.weather(DemoTools.weatherIn("Paris")) + "\ntime to first token: "), r.out());
    }

    /** A person at a terminal sees the turns' text as it comes, nothing added (the tool lines go between them on stderr). */
    @Test
    void agent_stdoutATerminal_turnsTextAsStreamedWithNoLineBreakAdded() {
        Result r = run(
                new AgentCommand(env("anthropic"), false, Duration.ofMillis(1), () -> new Terminal(true, true, true)),
                false,
                "What's the weather in Paris?");
        assertEquals(0, r.code(), r.err());
        assertEquals(
                "I'll check that for you.In Paris it is " + FakeWords.weather(DemoTools.weatherIn("Paris")), r.out());
        assertTrue(r.err().startsWith("\ntool get_weather({\"city\":\"Paris\"}) started\n"), r.err());
    }

    @Test
    void agent_slowTool_tokensPerSecondLeavesTheToolTimeOut() {
        Duration step = Duration.ofMillis(400);
        double pace = 40;
        try (FakeLlmServer paced = FakeLlmServer.builder().tokensPerSecond(pace).start()) {
            Map<String, String> env =
                    Map.of("ANTHROPIC_BASE_URL", paced.baseUrl().toString(), "ANTHROPIC_API_KEY", "secret-key-123");
            Result r = run(new AgentCommand(env, false, step), false, "What's the weather in Paris? Then count to 3");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.errLines();
            double rate = Double.parseDouble(lines.get(lines.size() - 5).substring("tokens/s: ".length()));
            // The model's turns stream at the fake's pace; counting the tool's 1.2 s as well would halve it or worse.
            assertTrue(rate > pace / 2 && rate < pace * 2, rate + " tokens/s: " + r.err());
        }
    }

    @Test
    void agent_unknownTool_failedLineAndTheRunGoesOn() {
        Result r = run(env("anthropic"), "Use [[call get_forecast {}]]");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.errLines()
                        .contains("tool get_forecast failed: there is no tool named 'get_forecast'; the tools are"
                                + " get_weather, count_slowly"),
                r.err());
        assertTrue(r.errLines().contains("turns: 2"), r.err());
    }

    @Test
    void agent_turnLimit_exit0AndTheStopReasonSaysSo() {
        Result r = run(env("openai"), "--provider", "openai", "--max-turns", "1", "Weather in Oslo?");
        assertEquals(0, r.code(), r.err());
        assertEquals("I'll check that for you.\n", r.out());
        assertTrue(r.errLines().contains("stop reason: turn limit (--max-turns 1)"), r.err());
        assertTrue(r.errLines().contains("turns: 1"), r.err());
    }

    @Test
    void agent_apiError_errorLineAndExit1() {
        Result r = run(env("anthropic"), "--model", "fake-overloaded", "--max-retries", "0", "Weather in Oslo?");
        assertEquals(1, r.code());
        assertTrue(r.errLines().stream().anyMatch(l -> l.startsWith("error: ") && l.contains("overloaded")), r.err());
        assertEquals("", r.out());
    }

    @Test
    void agent_noKeyNoBase_embeddedFakeServerAnswers() {
        Result r = run(Map.of("SLUICE_FAKE_TOKENS_PER_SECOND", "0"), "Weather in Rome?");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err()
                        .startsWith(
                                "sluice: no ANTHROPIC_API_KEY set; streaming from the embedded fake server at http://127.0.0.1:"),
                r.err());
        assertTrue(r.out().contains("In Rome it is " + FakeWords.weather(DemoTools.weatherIn("Rome"))), r.out());
    }

    @Test
    void agent_embeddedFake_callToolWithJson_callsThatDemoToolWithExactlyThoseArguments() {
        Result r = run(Map.of("SLUICE_FAKE_TOKENS_PER_SECOND", "0"), "Please call count_slowly with {\"n\": 2} for me");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.errLines();
        assertTrue(lines.contains("tool count_slowly({\"n\": 2}) started"), r.err());
        assertTrue(lines.contains("tool count_slowly: 100% counted 2 of 2"), r.err());
        assertTrue(r.out().contains("I counted to 2."), r.out());
    }

    @Test
    void agent_usageErrors_exit2BeforeAnythingIsSent() {
        assertEquals(2, run(env("anthropic")).code());
        assertEquals(2, run(env("anthropic"), "--max-turns", "0", "hi").code());
        assertEquals(2, run(env("anthropic"), "--provider", "nope", "hi").code());
        Result r = run(env("anthropic"), "--frobnicate", "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: unknown flag --frobnicate"), r.err());
    }

    @Test
    void agent_approveWithoutATerminal_usageErrorBeforeAnythingStarts() {
        Result r = run(env("anthropic"), "--approve", "all", "Weather in Oslo?");
        assertEquals(2, r.code());
        assertEquals(
                List.of(
                        "error: --approve asks on the terminal, and this process has none; run it from a terminal, or leave --approve out",
                        "run 'sluice agent --help' for its flags and arguments"),
                r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void agent_badMcpOrApproveValues_usageError() {
        Result r = run(env("anthropic"), "--mcp", "node 'server.js", "hi");
        assertEquals(2, r.code());
        assertTrue(
                r.err().startsWith("error: --mcp 'node 'server.js': the single quote at character 6 is not closed\n"),
                r.err());
        assertEquals(2, run(env("anthropic"), "--mcp", " ", "hi").code());
        assertEquals(2, run(env("anthropic"), "--mcp", "http://", "hi").code());
        assertTrue(run(env("anthropic"), "--approve", "echo,", "hi")
                .err()
                .startsWith("error: --approve needs a tool's name"));
    }

    /** {@return the run, with --approve's questions answered by {@code answers} and written to {@code terminal}} */
    private static Result runAnswering(String answers, java.io.StringWriter terminal, String... args) {
        return run(
                new AgentCommand(
                        env("anthropic"),
                        false,
                        Duration.ofMillis(1),
                        () -> Terminal.NONE,
                        () -> java.util.Optional.of(new ApprovalPrompt(new java.io.StringReader(answers), terminal))),
                false,
                args);
    }

    @Test
    void agent_approveAnsweredNo_theToolNeverRunsAndTheModelReadsTheDenial() {
        java.io.StringWriter terminal = new java.io.StringWriter();
        Result r = runAnswering("n\n", terminal, "--approve", "get_weather", "What's the weather in Paris?");
        assertEquals(0, r.code(), r.err());
        assertEquals("approve get_weather({\"city\":\"Paris\"})? [y/N] ", terminal.toString());
        assertTrue(r.errLines().contains("tool get_weather not run: The user denied this tool call."), r.err());
        assertTrue(r.errLines().stream().noneMatch(l -> l.startsWith("tool get_weather done")), r.err());
        assertTrue(
                !r.out().contains(FakeWords.weather(DemoTools.weatherIn("Paris"))),
                "no weather reached the model: " + r.out());
    }

    @Test
    void agent_approveAllAnsweredYes_toolsRunAsWithout() {
        java.io.StringWriter terminal = new java.io.StringWriter();
        Result r =
                runAnswering("y\nyes\n", terminal, "--approve", "all", "What's the weather in Paris? Then count to 2");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                terminal.toString().contains("approve get_weather({\"city\":\"Paris\"})? [y/N] "), terminal.toString());
        assertTrue(terminal.toString().contains("approve count_slowly({\"n\":2})? [y/N] "), terminal.toString());
        assertTrue(r.out().contains("In Paris it is " + FakeWords.weather(DemoTools.weatherIn("Paris"))), r.out());
        assertTrue(r.errLines().contains("tool count_slowly: 100% counted 2 of 2"), r.err());
    }

    @Test
    void agent_approveNamesNoTool_usageError() {
        Result r = runAnswering("", new java.io.StringWriter(), "--approve", "get_wether", "Weather in Oslo?");
        assertEquals(2, r.code());
        assertEquals(
                "error: --approve get_wether: no tool or MCP server has that name; the tools are get_weather, count_slowly",
                r.errLines().getFirst());
        assertEquals("", r.out());
    }

    @Test
    void approvals_commasRepeatsAndAll() throws UsageException {
        assertEquals(List.of("echo", "add"), AgentCommand.approvals(List.of("echo, add", "echo")));
        assertEquals(List.of("all"), AgentCommand.approvals(List.of("echo", "all")));
        assertEquals(List.of(), AgentCommand.approvals(List.of()));
    }
}
