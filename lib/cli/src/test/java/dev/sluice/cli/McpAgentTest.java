package dev.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sluice agent --mcp} against the MCP reference server {@code @modelcontextprotocol/server-everything}
 * (pinned in lib/server/src/test/node's lockfile), over stdio and Streamable HTTP, with the fake model
 * calling the tools the prompts name; in process, and as a process of its own for Ctrl-C and the terminal.
 */
class McpAgentTest {
    private static final String LONG_RUN = "call trigger-long-running-operation with {\"duration\": 2, \"steps\": 4}";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static FakeLlmServer model;

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @BeforeAll
    static void start() {
        model = FAKE.server();
    }

    @AfterAll
    static void stop() {}

    /** {@return the --mcp value that runs the reference server over stdio} */
    private static String stdio() {
        return String.join(
                " ", Everything.stdio().stream().map(a -> "'" + a + "'").toList());
    }

    private static Map<String, String> env() {
        String base = model.baseUrl().toString();
        return Map.of(
                "ANTHROPIC_BASE_URL",
                base,
                "ANTHROPIC_API_KEY",
                "secret-key-123",
                "OPENAI_BASE_URL",
                base,
                "OPENAI_API_KEY",
                "sk-test",
                "GEMINI_BASE_URL",
                base,
                "GEMINI_API_KEY",
                "gemini-test");
    }

    private static Result run(ByteArrayOutputStream err, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Command> commands = new HashMap<>(Sluice.commands());
        commands.put("agent", new AgentCommand(env(), false, Duration.ofMillis(1)));
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

    private static Result run(String... args) {
        return run(new ByteArrayOutputStream(), args);
    }

    private static void assertProgressAndAnswer(Result r) {
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.errLines();
        assertTrue(
                lines.stream()
                        .anyMatch(l ->
                                l.startsWith("sluice: MCP server ") && l.contains("trigger-long-running-operation")),
                r.err());
        int last = -1;
        for (int step = 1; step <= 4; step++) {
            int at = lines.indexOf("tool trigger-long-running-operation: " + step + "/4");
            assertTrue(at > last, "step " + step + " in order: " + r.err());
            last = at;
        }
        assertTrue(
                lines.stream().anyMatch(l -> l.matches("tool trigger-long-running-operation done in \\d+\\.\\d{3} s")),
                r.err());
        assertTrue(r.out().contains("Long running operation completed"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void agent_mcpOverStdio_onEveryProvider_aProgressLinePerStepAndTheAnswer(String provider) {
        assertProgressAndAnswer(run("--provider", provider, "--mcp", stdio(), LONG_RUN));
    }

    @Test
    void agent_mcpOverStreamableHttp_aProgressLinePerStepAndTheAnswer() throws Exception {
        try (Everything.Http server = Everything.http()) {
            assertProgressAndAnswer(run("--mcp", server.uri().toString(), LONG_RUN));
        }
    }

    @Test
    void agent_toolAnswersWithAnError_failedLineTheModelReadsItAndTheRunGoesOn() {
        Result r = run("--mcp", stdio(), "call get-sum with {\"a\": \"one\", \"b\": 2}");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.errLines().stream().anyMatch(l -> l.startsWith("tool get-sum failed: ")), r.err());
        assertTrue(r.errLines().contains("turns: 2"), r.err());
    }

    /** Issue #69: the demo called get-sum with 42 and 42 when asked to add 2 and 3. */
    @Test
    void agent_askedToAddTwoAndThree_callsGetSumWithTwoAndThree_andAnswersWithItsSum() {
        Result r = run("--mcp", stdio(), "Use get-sum to add 2 and 3.");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.errLines().stream()
                        .anyMatch(l -> l.matches("tool get-sum\\(\\{\"a\":2(\\.0)?,\"b\":3(\\.0)?}\\) started")),
                r.err());
        assertTrue(r.errLines().stream().anyMatch(l -> l.matches("tool get-sum done in \\d+\\.\\d{3} s")), r.err());
        assertTrue(r.out().contains("The sum of 2 and 3 is 5"), r.out());
    }

    @Test
    void agent_otherToolsResults_reachTheModel() {
        Result r = run("--mcp", stdio(), "call echo with {\"message\": \"tides and rivers\"}");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tides and rivers"), r.out());
    }

    @Test
    void agent_serverKilledMidCall_failedToolResultAndTheRunGoesOn() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Result> done = new CompletableFuture<>();
        Thread.ofVirtual()
                .start(() -> done.complete(run(
                        err,
                        "--mcp",
                        stdio(),
                        "call trigger-long-running-operation with {\"duration\": 30, \"steps\": 30}")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String sofar = err.toString(StandardCharsets.UTF_8);
            assertTrue(sofar.contains("tool trigger-long-running-operation: 1/30"), sofar);
        });
        List<ProcessHandle> servers = ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
                .toList();
        assertFalse(servers.isEmpty(), "the reference server runs as this JVM's child");
        servers.forEach(ProcessHandle::destroyForcibly);
        Result r = done.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.errLines().stream().anyMatch(l -> l.startsWith("tool trigger-long-running-operation failed: ")),
                r.err());
        assertTrue(r.errLines().contains("turns: 2"), r.err());
    }

    @Test
    void agent_serverStalls_theCallFailsAtTheToolTimeoutAndTheRunGoesOn() {
        // one step of 30 s: the server says nothing for 30 s
        Result r = run(
                "--tool-timeout",
                "2",
                "--mcp",
                stdio(),
                "call trigger-long-running-operation with {\"duration\": 30, \"steps\": 1}");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.errLines().stream().anyMatch(l -> l.startsWith("tool trigger-long-running-operation failed: ")),
                r.err());
        assertFalse(r.err().contains("tool trigger-long-running-operation: 1/1"), r.err());
        assertTrue(r.errLines().contains("turns: 2"), r.err());
    }

    @Test
    void agent_serverReportsProgress_theCallOutlivesTheToolTimeout() {
        // 6 steps of 0.5 s: 3 s in all, twice the tool timeout, never 1.5 s without progress
        Result r = run(
                "--tool-timeout",
                "1.5",
                "--mcp",
                stdio(),
                "call trigger-long-running-operation with {\"duration\": 3, \"steps\": 6}");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.errLines().contains("tool trigger-long-running-operation: 6/6"), r.err());
        assertTrue(
                r.errLines().stream()
                        .anyMatch(l -> l.matches("tool trigger-long-running-operation done in [3-9]\\.\\d{3} s")),
                r.err());
        assertTrue(r.out().contains("Long running operation completed"), r.out());
    }

    @Test
    void agent_serverCannotStart_oneErrorLineNamingItExit1() {
        Result r = run("--mcp", "/nonexistent/mcp-server --stdio", "hi");
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), r.err());
        assertTrue(
                lines.getFirst().startsWith("error: --mcp '/nonexistent/mcp-server --stdio' could not start: "),
                r.err());
        assertEquals("", r.out());
    }

    // ---- as a process of its own

    /**
     * {@return sluice agent ARGS in a JVM of its own, with the embedded fake model unpaced} It starts
     * with SIGINT's default action ({@code env --default-signal=INT}), as from a terminal: a shell
     * without job control starts a background command ({@code ./build test > log &}) with SIGINT
     * ignored, its children inherit that, and a JVM started so leaves SIGINT ignored (HotSpot installs
     * no handler for a shutdown signal ignored at its start, as a background job expects): the Ctrl-C
     * cases' SIGINT then did nothing and the agent ran on (red in three full runs of lib/cli).
     */
    private static List<String> agentCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(
                "env",
                "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.cli.Sluice",
                "agent"));
        command.addAll(List.of(args));
        return command;
    }

    private static ProcessBuilder unpaced(ProcessBuilder pb) {
        pb.environment()
                .keySet()
                .removeIf(k -> k.endsWith("_API_KEY") || k.endsWith("_BASE_URL") || k.startsWith("SLUICE_FAKE"));
        pb.environment().put(Endpoint.FAKE_RATE_VARIABLE, "0");
        return pb;
    }

    /** {@return what the process writes on stderr, read as it comes on a thread of its own; synchronize on it to read it} */
    private static StringBuilder stderr(Process process) {
        StringBuilder err = new StringBuilder();
        Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try (BufferedReader r = new BufferedReader(
                                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = r.readLine()) != null; )
                                    synchronized (err) {
                                        err.append(line).append('\n');
                                    }
                            } catch (IOException e) {
                                // ended
                            }
                        });
        return err;
    }

    /**
     * The Ctrl-C cases hold however the suite is started: here the agent's parent ignores SIGINT, as
     * a shell's background job does ({@code ./build test > log &}), and {@link #agentCommand} still
     * gives the agent SIGINT's default action, so that it ends on it (without {@code env
     * --default-signal=INT} it ran on for as long as its tool counted).
     */
    @Test
    void agentCommand_parentIgnoresSigint_theAgentStillEndsOnSigintWith130() throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        command.addAll(agentCommand("call count_slowly with {\"n\": 100}")); // 25 s of counting
        Process agent = unpaced(new ProcessBuilder(command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            StringBuilder err = stderr(agent);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                synchronized (err) {
                    return err.toString().contains("counted 1 of 100");
                }
            });
            new ProcessBuilder("kill", "-INT", String.valueOf(agent.pid()))
                    .start()
                    .waitFor();
            assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "agent ended on SIGINT");
            assertEquals(130, agent.exitValue(), err.toString());
        } finally {
            agent.destroyForcibly().waitFor();
        }
    }

    @Test
    void agent_interrupted_theServersChildProcessEndsWithIt() throws Exception {
        Process agent = unpaced(new ProcessBuilder(agentCommand(
                        "--mcp",
                        stdio(),
                        "call trigger-long-running-operation with {\"duration\": 60, \"steps\": 60}")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            StringBuilder err = stderr(agent);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                synchronized (err) {
                    return err.toString().contains(": 1/60");
                }
            });
            List<ProcessHandle> children = agent.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
                    .toList();
            assertFalse(children.isEmpty(), err.toString());
            new ProcessBuilder("kill", "-INT", String.valueOf(agent.pid()))
                    .start()
                    .waitFor(); // Ctrl-C, to the JVM alone
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent ended on SIGINT");
            assertEquals(130, agent.exitValue(), err.toString()); // 128 + SIGINT, as a shell reports it
            await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroyForcibly().waitFor();
        }
    }

    /**
     * {@code script -qfec}: the agent with {@code --approve all} on a terminal of its own (a pty),
     * {@code typed} typed at the approval question; {@return how it ended and what the terminal showed}
     */
    private static Result approveOnTheTerminal(Path log, String typed) throws Exception {
        StringBuilder line = new StringBuilder();
        for (String word : agentCommand("--approve", "all", "--mcp", Everything.stdioLogging(log), LONG_RUN)) {
            line.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        Process script = unpaced(new ProcessBuilder("script", "-qfec", line.toString(), "/dev/null"))
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try {
                                script.getInputStream().transferTo(transcript);
                            } catch (IOException e) {
                                // ended
                            }
                        });
        try (OutputStream keys = script.getOutputStream()) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> transcript.toString(StandardCharsets.UTF_8).contains("[y/N] "));
            keys.write(typed.getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), transcript.toString(StandardCharsets.UTF_8));
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        reader.join(10_000);
        String seen = transcript.toString(StandardCharsets.UTF_8);
        assertTrue(
                seen.contains("approve trigger-long-running-operation({\"duration\": 2, \"steps\": 4})? [y/N] "), seen);
        return new Result(script.exitValue(), seen, seen);
    }

    @Test
    void agent_approveAllAnsweredNoOnTheTerminal_theServerNeverSeesTheCall() throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        try {
            Result r = approveOnTheTerminal(log, "n\n");
            assertEquals(0, r.code(), r.out());
            String seen = r.out();
            assertTrue(
                    seen.contains("tool trigger-long-running-operation not run: The user denied this tool call."),
                    seen);
            assertFalse(seen.contains("tool trigger-long-running-operation: 1/4"), seen);
            String requests = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(requests.contains("\"tools/list\""), requests);
            assertFalse(requests.contains("\"tools/call\""), "the server was never asked to run it: " + requests);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void agent_approveAllAnsweredYesOnTheTerminal_theToolRuns() throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        try {
            Result r = approveOnTheTerminal(log, "y\n");
            assertEquals(0, r.code(), r.out());
            String seen = r.out();
            assertTrue(seen.contains("tool trigger-long-running-operation: 4/4"), seen);
            assertTrue(seen.contains("Long running operation completed"), seen);
            assertTrue(Files.readString(log, StandardCharsets.UTF_8).contains("\"tools/call\""));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void agent_ctrlCAtTheApprovalQuestion_saysCancelledOnALineOfItsOwnAndTheServerNeverSeesTheCall() throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        try {
            Result r = approveOnTheTerminal(log, "\u0003"); // the terminal's Ctrl-C: SIGINT to the agent
            assertEquals(130, r.code(), r.out());
            assertTrue(r.out().contains("[y/N] ^C\r\nerror: cancelled (interrupted by Ctrl-C or SIGTERM)"), r.out());
            assertFalse(Files.readString(log, StandardCharsets.UTF_8).contains("\"tools/call\""));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void agent_approveWithNoTerminal_usageErrorExit2() throws Exception {
        Process agent = unpaced(
                        new ProcessBuilder(concat(List.of("setsid", "-w"), agentCommand("--approve", "all", "hi"))))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start(); // a new session: no controlling terminal
        agent.getOutputStream().close();
        String err = new String(agent.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, agent.exitValue(), err);
        assertTrue(err.startsWith("error: --approve asks on the terminal, and this process has none"), err);
    }

    // ---- MCP Tasks: server-everything's simulate-research-query, a task of four one-second stages

    private static final String RESEARCH = "call simulate-research-query with {\"topic\": \"rivers\"}";
    private static final String AMBIGUOUS =
            "call simulate-research-query with {\"topic\": \"python\", \"ambiguous\": true}";

    @Test
    void agent_researchTask_itsStagesAreProgressLinesInOrderBeforeItsDoneLine() {
        Result r = run("--mcp", stdio(), RESEARCH);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.errLines();
        int last = -1;
        for (String stage : List.of(
                "Gathering sources...", "Analyzing content...", "Synthesizing findings...", "Generating report...")) {
            int at = lines.indexOf("tool simulate-research-query: " + stage);
            assertTrue(at > last, stage + " in order: " + r.err());
            assertEquals(at, lines.lastIndexOf("tool simulate-research-query: " + stage), "once: " + r.err());
            last = at;
        }
        int done = -1;
        for (int i = 0; i < lines.size(); i++)
            if (lines.get(i).matches("tool simulate-research-query done in \\d+\\.\\d{3} s")) done = i;
        assertTrue(done > last, r.err());
        assertTrue(r.out().contains("Research Report: rivers"), r.out());
    }

    @Test
    void agent_taskAsksWithNoTerminal_theTaskIsCancelledAndTheModelReadsWhy() {
        Result r = run("--mcp", stdio(), AMBIGUOUS);
        assertEquals(0, r.code(), r.err());
        String failed = r.errLines().stream()
                .filter(l -> l.startsWith("tool simulate-research-query failed: "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(r.err()));
        assertTrue(failed.contains("asked for input ('The research query"), failed);
        assertTrue(failed.contains("(sluice agent has no terminal to ask on); its task was cancelled"), failed);
        assertTrue(r.errLines().contains("turns: 2"), r.err());
    }

    /**
     * {@code script -qfec}: the agent with ARGS on a terminal of its own (a pty), {@code typed}
     * typed once the terminal shows {@code prompt}; {@return how it ended and what the terminal showed}
     */
    private static Result onTheTerminal(String prompt, String typed, String... args) throws Exception {
        StringBuilder line = new StringBuilder();
        for (String word : agentCommand(args))
            line.append('\'').append(word.replace("'", "'\\''")).append("' ");
        Process script = unpaced(new ProcessBuilder("script", "-qfec", line.toString(), "/dev/null"))
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform()
                .daemon()
                .start(
                        () -> { // a pipe read holds its carrier: never on a virtual thread
                            try {
                                script.getInputStream().transferTo(transcript);
                            } catch (IOException e) {
                                // ended
                            }
                        });
        try (OutputStream keys = script.getOutputStream()) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> transcript.toString(StandardCharsets.UTF_8).contains(prompt));
            keys.write(typed.getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), transcript.toString(StandardCharsets.UTF_8));
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        reader.join(10_000);
        String seen = transcript.toString(StandardCharsets.UTF_8);
        return new Result(script.exitValue(), seen, seen);
    }

    @Test
    void agent_taskAsksOnTheTerminal_theServersMessageThenAPromptAnsweredByTheEnumsValue() throws Exception {
        Result r = onTheTerminal(
                "Clarification (programming, snake, comedy): ", "programming\n", "--mcp", stdio(), AMBIGUOUS);
        assertEquals(0, r.code(), r.out());
        String seen = r.out();
        int message = seen.indexOf("tool simulate-research-query asks: The research query \"python\" could have"
                + " multiple interpretations.");
        int prompt = seen.indexOf("Clarification (programming, snake, comedy): ");
        assertTrue(message >= 0 && prompt > message, seen);
        assertTrue(seen.contains("  programming  Python programming language"), seen);
        assertTrue(
                seen.contains("tool simulate-research-query: Continuing with interpretation: \"programming\"..."),
                seen);
        assertTrue(seen.contains("Research Report: python (programming)"), seen);
    }

    @Test
    void agent_interruptedWhileATaskWorks_tasksCancelWithinASecondThenCancelledAndExit130() throws Exception {
        Path log = Files.createTempFile("sluice-mcp-requests-", ".log");
        Process agent = unpaced(new ProcessBuilder(agentCommand("--mcp", Everything.stdioLogging(log), RESEARCH)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            StringBuilder err = stderr(agent);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                synchronized (err) {
                    return err.toString().contains("tool simulate-research-query: Gathering sources...");
                }
            });
            List<ProcessHandle> children = agent.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("server-everything"))
                    .toList();
            assertFalse(children.isEmpty(), err.toString());
            long at = System.nanoTime();
            new ProcessBuilder("kill", "-INT", String.valueOf(agent.pid()))
                    .start()
                    .waitFor();
            await().atMost(Duration.ofSeconds(1))
                    .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("\"tasks/cancel\""));
            assertTrue(System.nanoTime() - at < 1_000_000_000L);
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent ended on SIGINT");
            assertEquals(130, agent.exitValue(), err.toString());
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                synchronized (err) {
                    return err.toString().contains("error: cancelled (interrupted by Ctrl-C or SIGTERM)\n");
                }
            });
            // the shutdown hook waits for the command's thread to end the server: none outlives the agent
            await().atMost(Duration.ofSeconds(5)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroyForcibly().waitFor();
            Files.deleteIfExists(log);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
