package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlockDelta;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStart;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.Ping;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.TextDelta;
import dev.sluice.anthropic.UnknownEvent;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code sluice stream} in process, against a fake server the test starts, unpaced. */
class StreamCommandTest {
    private static final String PROMPT = "Tell me about the ocean";
    private static final String SECRET = "sk-ant-test-secret-0123456789";

    private FakeLlmServer server;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void startServer() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Map<String, String> serverEnv() {
        return Map.of("ANTHROPIC_BASE_URL", server.baseUrl().toString(), "ANTHROPIC_API_KEY", SECRET);
    }

    static Result run(Map<String, String> env, Terminal terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Command> commands = new HashMap<>(Sluice.commands());
        commands.put("stream", new StreamCommand(env, () -> terminal, false));
        List<String> all = new ArrayList<>(List.of("stream"));
        all.addAll(List.of(args));
        int code = Sluice.run(
                commands,
                all,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... args) {
        return run(serverEnv(), Terminal.NONE, args);
    }

    /** A stdout whose reader went away after {@code limit} bytes, as {@code | head -c N} leaves it: a write then fails. */
    static final class ReaderGoneAfter extends OutputStream {
        private final int limit;
        private int written;

        ReaderGoneAfter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (written++ >= limit) throw new IOException("Broken pipe");
        }
    }

    /** {@return the command's exit code and stderr, its stdout read by a reader that goes away after a few bytes} */
    static Result runIntoClosedPipe(Command command, String name, Map<String, String> env, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Command> commands = new HashMap<>(Sluice.commands());
        commands.put(name, command);
        List<String> all = new ArrayList<>(List.of(name));
        all.addAll(List.of(args));
        int code = Sluice.run(
                commands,
                all,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ReaderGoneAfter(12), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, "", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stream_misspelledProvider_usageErrorNamingTheNearestInTwoLines() {
        Result r = run("--provider", "bedrok", PROMPT);
        assertEquals(2, r.code(), r.err());
        List<String> err = lines(r.err());
        assertEquals(2, err.size(), r.err());
        assertTrue(
                err.get(0).startsWith("error: unknown provider 'bedrok' (did you mean 'bedrock'?); one of anthropic, "),
                r.err());
        assertEquals("run 'sluice stream --help' for its flags and arguments", err.get(1));
        assertEquals(0, server.requestCount());
    }

    @Test
    void stream_oneTokenEachWay_summarySaysTokenInTheSingular() {
        server.enqueue(FakeResponse.answer().text("Hi").usage(1, 1));
        Result r = run(PROMPT);
        assertEquals(0, r.code(), r.err());
        assertTrue(lines(r.err()).contains("usage: 1 input token, 1 output token"), r.err()); // was "1 input tokens"
    }

    @Test
    void stream_stdoutClosedByItsReader_endsQuietlyWithExitZero() {
        // `sluice stream ... | head`: a closed pipe is a Unix tool's normal end (was "error: stdout was closed", exit
        // 1)
        Result r = runIntoClosedPipe(
                new StreamCommand(serverEnv(), () -> Terminal.NONE, false), "stream", serverEnv(), PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
    }

    /** The whole answer, fetched without streaming. */
    private Message answer(String prompt) {
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(server.baseUrl().toString())
                .build()) {
            return client.messages().create(request(prompt));
        }
    }

    private static MessageRequest request(String prompt) {
        return MessageRequest.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(1024)
                .addUserMessage(prompt)
                .build();
    }

    private static List<String> lines(String err) {
        return err.lines().toList();
    }

    @Test
    void stream_baseUrlAndKey_stdoutIsExactlyTheTextAndStderrTheSummary() {
        Message expected = answer(PROMPT);
        Result r = run(PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(expected.text(), r.out());
        assertTrue(r.out().contains("🌊"), r.out());
        List<String> err = lines(r.err());
        assertEquals(5, err.size(), r.err());
        assertTrue(err.get(0).matches("time to first token: \\d+\\.\\d{3} s"), err.get(0));
        assertTrue(err.get(1).matches("tokens/s: (\\d+\\.\\d|n/a)"), err.get(1));
        assertEquals(
                "usage: " + expected.usage().inputTokens() + " input tokens, "
                        + expected.usage().outputTokens() + " output tokens",
                err.get(2));
        assertEquals("stop reason: end_turn", err.get(3));
        assertTrue(err.get(4).matches("request id: req_fake_\\S+"), err.get(4));
        assertFalse(r.err().contains("\r"), "no status line off a terminal");
        assertFalse(r.err().contains(SECRET) || r.out().contains(SECRET));
    }

    /** Two tokens in a millisecond are no rate (it used to print "tokens/s: 2411.7"); the line stays, saying n/a. */
    @Test
    void stream_answerTooShortToMeasure_tokensPerSecondNa() {
        Result r = run("--max-tokens", "2", PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals("tokens/s: n/a", lines(r.err()).get(1), r.err());
        assertEquals(5, lines(r.err()).size(), r.err());
    }

    @Test
    void stream_answerLongEnough_tokensPerSecondNearThePace() {
        try (FakeLlmServer paced = FakeLlmServer.builder().tokensPerSecond(100).start()) {
            Result r = run(
                    Map.of("ANTHROPIC_BASE_URL", paced.baseUrl().toString(), "ANTHROPIC_API_KEY", SECRET),
                    Terminal.NONE,
                    "--max-tokens",
                    "40",
                    PROMPT);
            assertEquals(0, r.code(), r.err());
            String line = lines(r.err()).get(1);
            assertTrue(line.matches("tokens/s: \\d+\\.\\d"), r.err());
            double rate = Double.parseDouble(line.substring("tokens/s: ".length()));
            assertTrue(rate > 50 && rate < 200, r.err());
        }
    }

    @Test
    void stream_severalWords_joinedWithSpacesAsOnePrompt() {
        Result r = run("Tell", "me", "about", "the", "ocean");
        assertEquals(0, r.code(), r.err());
        assertEquals(answer(PROMPT).text(), r.out());
    }

    @Test
    void stream_systemAndMaxTokens_maxTokensStopsTheAnswer() {
        Result r = run("--system", "Be brief.", "--max-tokens", "3", PROMPT);
        assertEquals(0, r.code(), r.err());
        assertTrue(answer(PROMPT).text().startsWith(r.out()) && !r.out().isEmpty(), r.out());
        assertTrue(lines(r.err()).contains("stop reason: max_tokens"), r.err());
        assertTrue(r.err().contains(" input tokens, 3 output tokens\n"), r.err());
    }

    @Test
    void stream_onlyBaseUrl_sendsPlaceholderKeyAndSaysSo() {
        Result r = run(Map.of("ANTHROPIC_BASE_URL", server.baseUrl().toString()), Terminal.NONE, PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(
                "sluice: no ANTHROPIC_API_KEY set; sending a placeholder key to " + server.baseUrl(),
                lines(r.err()).get(0));
        assertEquals(answer(PROMPT).text(), r.out());
    }

    @Test
    void stream_onlyBaseUrlNotOnLoopback_failsNamingTheVariable() {
        Result r = run(Map.of("ANTHROPIC_BASE_URL", "http://192.0.2.1:8080"), Terminal.NONE, PROMPT);
        assertEquals(1, r.code(), r.err());
        assertTrue(
                lines(r.err()).get(0).startsWith("error: apiKey is required: call apiKey(..) or set ANTHROPIC_API_KEY"),
                r.err());
        assertFalse(r.err().contains("placeholder key to"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void stream_noEnvironment_streamsFromEmbeddedFakeServerAndSaysSo() {
        Result r = run(Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), Terminal.NONE, PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(0, server.requestCount(), "the test's server was not used");
        assertTrue(
                lines(r.err())
                        .get(0)
                        .matches(
                                "sluice: no ANTHROPIC_API_KEY set; streaming from the embedded fake server at http://127\\.0\\.0\\.1:\\d+"),
                r.err());
        assertEquals(answer(PROMPT).text(), r.out()); // same stored answer, same prompt
    }

    @Test
    void stream_errorEventMidStream_partialTextOnStdoutErrorLineExitOne() {
        Result r = run("--model", "fake-error-mid-stream", PROMPT);
        assertEquals(1, server.requestCount(), "content had arrived: not retried");
        assertEquals(1, r.code());
        assertPartial(r.out());
        List<String> err = lines(r.err());
        assertEquals(2, err.size(), r.err());
        assertTrue(
                err.get(0)
                        .startsWith(
                                "error: API error overloaded_error (error event in the stream (HTTP 200)): Overloaded"),
                r.err());
        assertTrue(err.get(1).matches("request id: req_fake_\\S+"), r.err());
    }

    @Test
    void stream_connectionDropped_partialTextOnStdoutErrorLineExitOne() {
        Result r = run("--model", "fake-drop", PROMPT);
        assertEquals(1, r.code());
        assertPartial(r.out());
        List<String> err = lines(r.err());
        assertEquals(3, err.size(), r.err());
        assertTrue(
                err.get(0).startsWith("error: the connection to 127.0.0.1:" + server.port() + " was lost")
                        || err.get(0).startsWith("error: stream ended before message_stop"),
                r.err());
        assertFalse(err.get(0).contains("java.io.IOException"), r.err());
        assertTrue(err.get(1).startsWith("request id: req_fake_"), r.err());
        assertEquals("hint: --resume continues a stream whose connection drops, from where it stopped", err.get(2));
    }

    @Test
    void stream_connectionDroppedWithOpenAi_noResumeHint() {
        Result r = run(
                Map.of("OPENAI_BASE_URL", server.baseUrl().toString(), "OPENAI_API_KEY", SECRET),
                Terminal.NONE,
                "--provider",
                "openai",
                "--model",
                "fake-drop",
                PROMPT);
        assertEquals(1, r.code());
        assertEquals(2, lines(r.err()).size(), "the error and the request id: " + r.err());
    }

    @Test
    void stream_resumeConnectionDropped_wholeTextOnStdoutResumedOneExitZero() {
        Message expected = answer(PROMPT);
        Result r = run("--resume", "--model", "fake-drop", PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(expected.text(), r.out(), "every character exactly once");
        List<String> err = lines(r.err());
        assertEquals(7, err.size(), r.err());
        assertEquals("resuming after a lost connection (1 of 3)", err.get(0), "said as it happens");
        assertEquals("stop reason: end_turn", err.get(4));
        assertEquals("resumed: 1", err.get(6));
    }

    @Test
    void stream_resumeWithoutDrop_resumedZero() {
        Result r = run("--resume", PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals("resumed: 0", lines(r.err()).getLast());
    }

    @Test
    void stream_resumeWithOpenAi_usageErrorNothingSent() {
        long before = server.requestCount();
        Result r = run("--resume", "--provider", "openai", PROMPT);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--resume works with --provider anthropic only"), r.err());
        assertEquals(before, server.requestCount());
    }

    @Test
    void stream_stalledPastIdleTimeout_partialTextOnStdoutTimeoutLineExitOne() {
        Result r = run("--model", "fake-stall", "--idle-timeout", "0.5", PROMPT);
        assertEquals(1, r.code());
        assertPartial(r.out());
        assertTrue(lines(r.err()).get(0).startsWith("error: idle timeout of 0.5 s expired after waiting "), r.err());
        assertTrue(lines(r.err()).get(0).endsWith("(raise --idle-timeout)"), r.err());
    }

    @Test
    void stream_overloadedWithoutRetries_oneRequestErrorLineExitOne() {
        Result r = run("--model", "fake-overloaded", "--max-retries", "0", PROMPT);
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertTrue(lines(r.err()).get(0).startsWith("error: API error overloaded_error (HTTP 529)"), r.err());
        assertTrue(lines(r.err()).get(1).startsWith("request id: req_fake_"), r.err());
        assertEquals(1, server.requestCount());
        assertFalse(r.err().contains(SECRET));
    }

    @Test
    void stream_flakyTwiceWithTwoRetries_succeedsOnTheThirdRequest() {
        Result r = run("--model", "fake-flaky-2", "--max-retries", "2", PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(answer(PROMPT).text(), r.out());
        assertEquals(4, server.requestCount(), "three streamed requests and the test's own create()");
        List<String> err = lines(r.err());
        assertTrue(err.get(0).matches("retrying after overloaded_error \\(1 of 2\\) in \\d+\\.\\d+ s"), r.err());
        assertTrue(err.get(1).matches("retrying after overloaded_error \\(2 of 2\\) in \\d+\\.\\d+ s"), r.err());
        assertTrue(err.get(2).startsWith("time to first token: "), r.err());
    }

    @Test
    void stream_notAnEventStream_errorLineExitOne() {
        Result r = run("--model", "fake-not-sse", "--max-retries", "0", PROMPT);
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertTrue(lines(r.err()).get(0).startsWith("error: "), r.err());
        assertTrue(lines(r.err()).get(0).contains("application/json"), r.err());
    }

    @Test
    void stream_maxChunks_stopsAfterThatManyContentEventsExitZero() {
        int limit = 6;
        Result r = run("--max-chunks", Integer.toString(limit), PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(textOfFirstContentEvents(PROMPT, limit), r.out());
        assertTrue(lines(r.err()).contains("stop reason: chunk limit (--max-chunks 6)"), r.err());
        assertTrue(
                r.err().matches("(?s).*usage: \\d+ input tokens, ~\\d+ output tokens\n.*"),
                "an estimate, marked: " + r.err());
    }

    /** The text in the first {@code n} content events of the stream, read with the library directly. */
    private String textOfFirstContentEvents(String prompt, int n) {
        StringBuilder text = new StringBuilder();
        try (AnthropicClient client = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(server.baseUrl().toString())
                        .build();
                MessageStream stream = client.messages().stream(request(prompt))) {
            int seen = 0;
            for (StreamEvent e : stream) {
                if (e instanceof MessageStart || e instanceof Ping || e instanceof UnknownEvent) continue;
                if (++seen > n) break;
                if (e instanceof ContentBlockDelta(int i, TextDelta(String t))) text.append(t);
            }
        }
        assertFalse(text.isEmpty());
        return text.toString();
    }

    @ParameterizedTest
    @CsvSource({
        "openai, OPENAI_API_KEY, OPENAI_BASE_URL, stop",
        "openai-responses, OPENAI_API_KEY, OPENAI_BASE_URL, completed",
        "gemini, GEMINI_API_KEY, GEMINI_BASE_URL, STOP"
    })
    void stream_otherProvider_streamsTheSameAnswerThroughItsApi(
            String provider, String keyVariable, String baseVariable, String stopReason) {
        String expected = answer(PROMPT).text();
        long before = server.requestCount();
        Result r = run(
                Map.of(baseVariable, server.baseUrl().toString(), keyVariable, SECRET),
                Terminal.NONE,
                "--provider",
                provider,
                PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out()); // the fake server's scenario is shared by the three APIs
        assertEquals(before + 1, server.requestCount());
        assertTrue(lines(r.err()).contains("stop reason: " + stopReason), r.err());
        assertTrue(r.err().matches("(?s).*\nrequest id: req_fake_\\S+\n"), "the response's request id: " + r.err());
        assertFalse(r.err().contains(SECRET) || r.out().contains(SECRET));
    }

    @ParameterizedTest
    @CsvSource({"openai, OPENAI_API_KEY", "openai-responses, OPENAI_API_KEY", "gemini, GEMINI_API_KEY"})
    void stream_otherProviderNoEnvironment_streamsFromEmbeddedFakeServer(String provider, String keyVariable) {
        Result r = run(Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), Terminal.NONE, "--provider", provider, PROMPT);
        assertEquals(0, r.code(), r.err());
        assertTrue(
                lines(r.err())
                        .get(0)
                        .startsWith("sluice: no " + keyVariable + " set; streaming from the embedded fake server at "),
                r.err());
        assertEquals(answer(PROMPT).text(), r.out());
    }

    static Stream<List<String>> usageErrors() {
        return Stream.of(
                List.of(),
                List.of("   "),
                List.of("--model", "claude-sonnet-4-5"),
                List.of("--bogus", "x", "hi"),
                List.of("hi", "--model"),
                List.of("--max-tokens", "abc", "hi"),
                List.of("--max-tokens", "0", "hi"),
                List.of("--max-tokens", "-5", "hi"),
                List.of("--idle-timeout", "0", "hi"),
                List.of("--idle-timeout", "-1", "hi"),
                List.of("--first-event-timeout", "soon", "hi"),
                List.of("--total-timeout=0", "hi"),
                List.of("--max-retries", "-1", "hi"),
                List.of("--max-retries", "two", "hi"),
                List.of("--max-chunks", "0", "hi"),
                List.of("--provider", "mistral", "hi"),
                List.of("--model", " ", "hi"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void stream_usageError_exitTwoWithUsageAndNoRequest(List<String> args) {
        Result r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: "), r.err());
        CliAssertions.assertUsageError(r.err(), "stream");
        assertEquals(0, server.requestCount());
    }

    @Test
    void stream_usageErrorWithoutEnvironment_startsNoFakeServer() {
        Result r = run(Map.of(), Terminal.NONE, "--max-chunks", "none", "hi");
        assertEquals(2, r.code());
        assertFalse(r.err().contains("fake server at"), r.err());
    }

    @Test
    void stream_badFakeRateVariable_exitTwoBeforeStarting() {
        Result r = run(Map.of(Endpoint.FAKE_RATE_VARIABLE, "fast"), Terminal.NONE, "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: SLUICE_FAKE_TOKENS_PER_SECOND must be"), r.err());
        assertFalse(r.err().contains("fake server at"), r.err());
    }

    /** As a bad SLUICE_FAKE_TOKENS_PER_SECOND: the environment's mistake, one line naming the variable, before anything starts. */
    @Test
    void stream_badBaseUrl_exits2NamingTheVariable() {
        Result r = run(Map.of("ANTHROPIC_BASE_URL", "ftp://nowhere", "ANTHROPIC_API_KEY", SECRET), Terminal.NONE, "hi");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: ANTHROPIC_BASE_URL must be an absolute http or https URL"), r.err());
        assertFalse(r.err().contains(SECRET), r.err());

        r = run(Map.of("ANTHROPIC_BASE_URL", "127.0.0.1:8089"), Terminal.NONE, "hi");
        assertEquals(2, r.code());
        assertEquals(
                "error: ANTHROPIC_BASE_URL needs http:// or https:// before the host, such as http://127.0.0.1:8089:"
                        + " 127.0.0.1:8089\n",
                r.err());
        assertEquals("", r.out());

        r = run(Map.of("OPENAI_BASE_URL", "localhost:8089"), Terminal.NONE, "--fallback", "openai:gpt-4o-mini", "hi");
        assertEquals(2, r.code());
        assertTrue(
                r.err().startsWith("error: OPENAI_BASE_URL needs http:// or https://"), "a fallback's too: " + r.err());
    }

    /** A refused connection: the address and "connection refused", no Java class name. */
    @Test
    void stream_connectionRefused_errorLineNamesTheAddressInWords() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Result r = run(
                Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + closedPort),
                Terminal.NONE,
                "--max-retries",
                "0",
                "hi");
        assertEquals(1, r.code(), r.err());
        List<String> err = lines(r.err());
        assertTrue(
                err.getLast().startsWith("error: the connection to ")
                        && err.getLast().contains("127.0.0.1:" + closedPort)
                        && err.getLast().endsWith(": connection refused"),
                r.err());
        assertFalse(r.err().contains("java."), r.err());
    }

    @Test
    void stream_connectionRefusedWithARetry_theRetryLineSaysRefusedInWords() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Result r = run(
                Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + closedPort),
                Terminal.NONE,
                "--max-retries",
                "1",
                "hi");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("retrying after a refused connection (1 of 1)"), r.err());
        assertFalse(r.err().contains("java.") || r.err().contains("Exception"), r.err());
    }

    @Test
    void stream_terminalSharedWithStdout_summaryStartsOnItsOwnLine() {
        Result r = run(serverEnv(), new Terminal(true, true, true), PROMPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(answer(PROMPT).text(), r.out());
        int summary = r.err().indexOf("time to first token: ");
        assertTrue(summary > 0 && r.err().charAt(summary - 1) == '\n', "a newline ends the answer's line: " + r.err());
        String before = r.err().substring(0, summary - 1);
        assertEquals("", before.replaceAll("\r[^\r\n]*", ""), "only status-line redraws before it: " + before);
    }

    @Test
    void stream_notATerminal_noCarriageReturnsAndNoLeadingNewline() {
        Result r = run(PROMPT);
        assertTrue(r.err().startsWith("time to first token: "), r.err());
        assertFalse(r.err().contains("\r"));
    }

    private void assertPartial(String out) {
        String full = answer(PROMPT).text();
        assertFalse(out.isEmpty(), "the text before the failure is on stdout");
        assertTrue(full.startsWith(out), out);
        assertNotEquals(full, out);
    }

    @Test
    void stream_typoedModelOnTheEmbeddedFake_noteWhatTheRealApiWouldAnswer() {
        Result r = run(Map.of(), Terminal.NONE, "--model", "claude-sonet-5-5", "hi");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err()
                        .contains("note: claude-sonet-5-5 is not a model the catalog knows; the fake answers it,"
                                + " the real API would answer 404"),
                r.err());
        assertFalse(run(Map.of(), Terminal.NONE, "--model", "claude-sonnet-5-5", "hi")
                .err()
                .contains("note: "));
    }

    @Test
    void stream_embeddedFakeThroughOpenAi_theStandInsHintNamesOpenAisKey() {
        Result r = run(Map.of(), Terminal.NONE, "--provider", "openai", "Who won the 1998 World Cup?");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("set OPENAI_API_KEY for a real model"), r.out());
        assertFalse(r.out().contains("ANTHROPIC_API_KEY"), r.out());
    }
}
