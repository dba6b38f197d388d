package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.server.suite.FakeWords;
import dev.sluice.testkit.FakeLlmServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code sluice stream --fallback}: the fault models of the fake server, then the next target. */
class FallbackCommandTest {
    private static final String PROMPT = "Tell me about the ocean";

    private FakeLlmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Map<String, String> env() {
        String base = server.baseUrl().toString();
        return Map.of(
                "ANTHROPIC_BASE_URL",
                base,
                "ANTHROPIC_API_KEY",
                "sk-ant-test",
                "OPENAI_BASE_URL",
                base,
                "OPENAI_API_KEY",
                "sk-test");
    }

    private String answer() {
        try (AnthropicClient client = AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(server.baseUrl().toString())
                .build()) {
            return client.messages()
                    .create(MessageRequest.builder()
                            .model("claude-sonnet-4-5")
                            .maxTokens(1024)
                            .addUserMessage(PROMPT)
                            .build())
                    .text();
        }
    }

    @Test
    void stream_connectionDroppedWithAnthropicFallback_continuesTheAnswerEveryCharacterOnce() {
        String expected = answer();
        StreamCommandTest.Result r = StreamCommandTest.run(
                env(), Terminal.NONE, "--model", "fake-drop", "--fallback", "anthropic:claude-haiku-4-5", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        assertTrue(
                r.err()
                        .matches("(?s).*sluice: switched to anthropic:claude-haiku-4-5 after connection lost on"
                                + " anthropic:fake-drop \\(request id req_fake_\\w+\\); the answer goes on where it"
                                + " stopped\n.*"),
                r.err());
        assertTrue(r.err().contains("answered by: anthropic:claude-haiku-4-5"), r.err());
    }

    @Test
    void stream_stallWithOpenAiFallback_restartsThereAndSaysToDiscardTheTextBefore() {
        String expected = answer();
        StreamCommandTest.Result r = StreamCommandTest.run(
                env(),
                Terminal.NONE,
                "--model",
                "fake-stall",
                "--idle-timeout",
                "0.5",
                "--fallback",
                "openai:gpt-4o-mini",
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith(expected) && r.out().length() > expected.length(), r.out());
        assertTrue(
                r.err()
                        .matches("(?s).*sluice: switched to openai:gpt-4o-mini after timeout on anthropic:fake-stall"
                                + " \\(request id req_fake_\\w+\\); the answer starts again \\(discard the text"
                                + " above\\).*"),
                r.err());
        assertTrue(r.err().contains("answered by: openai:gpt-4o-mini"), r.err());
    }

    @Test
    void stream_fallbackOnAnotherProviderRetries_itsRetryIsPrintedAsTheFirstTargetsAre() {
        String expected = answer();
        StreamCommandTest.Result r = StreamCommandTest.run(
                env(),
                Terminal.NONE,
                "--model",
                "fake-overloaded",
                "--max-retries",
                "1",
                "--fallback",
                "openai:fake-flaky-1",
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        assertTrue(
                r.err().contains("switched to openai:fake-flaky-1 after overloaded on anthropic:fake-overloaded"),
                r.err());
        // one retry on each target: the first's before it gives up, the fallback's before it answers (the switch is
        // reported once the fallback's stream has started, so its line comes after both)
        assertEquals(
                List.of("retrying after overloaded_error (1 of 1)", "retrying after server_error (1 of 1)"),
                r.err()
                        .lines()
                        .filter(l -> l.startsWith("retrying after "))
                        .map(l -> l.substring(0, l.indexOf(" in ")))
                        .toList(),
                r.err());
    }

    @Test
    void stream_overloadedWithFallback_silentSwitchBeforeContent() {
        String expected = answer();
        StreamCommandTest.Result r = StreamCommandTest.run(
                env(),
                Terminal.NONE,
                "--model",
                "fake-overloaded",
                "--max-retries",
                "0",
                "--fallback",
                "anthropic:claude-sonnet-4-5",
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        // the failed target's request id on the switch's line, the answering target's in the summary (was "unknown")
        String failed = requestIdOnTheSwitch(r.err(), "anthropic:claude-sonnet-4-5", "anthropic:fake-overloaded");
        String answered = r.err()
                .lines()
                .filter(l -> l.startsWith("request id: "))
                .findFirst()
                .orElseThrow()
                .substring("request id: ".length());
        assertTrue(answered.matches("req_fake_\\w+") && !answered.equals(failed), r.err());
    }

    /** {@return the failed target's request id on the line saying that the chain switched from it to {@code to}} */
    private static String requestIdOnTheSwitch(String err, String to, String from) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "switched to " + java.util.regex.Pattern.quote(to) + " after overloaded on "
                                + java.util.regex.Pattern.quote(from) + " \\(request id (req_fake_\\w+)\\)\n")
                .matcher(err);
        assertTrue(m.find(), err);
        return m.group(1);
    }

    @Test
    void agent_overloadedWithFallback_theRunGoesOnWithTheFallbackAndSaysSo() {
        AgentCommandTest.Result r = runAgent(
                "--model",
                "fake-overloaded",
                "--max-retries",
                "0",
                "--fallback",
                "openai:gpt-4o-mini",
                "What's",
                "the",
                "weather",
                "in",
                "Paris?");

        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().endsWith("\nIn Paris it is " + FakeWords.weather(DemoTools.weatherIn("Paris")) + "\n"),
                r.out());
        requestIdOnTheSwitch(r.err(), "openai:gpt-4o-mini", "anthropic:fake-overloaded");
        assertTrue(r.err().contains("tool get_weather({\"city\":\"Paris\"}) started"), r.err());
    }

    private AgentCommandTest.Result runAgent(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Map<String, Command> commands = new java.util.HashMap<>(Sluice.commands());
        commands.put("agent", new AgentCommand(env(), false, java.time.Duration.ofMillis(1)));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("agent"));
        all.addAll(java.util.List.of(args));
        int code = Sluice.run(
                commands,
                all,
                new java.io.ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        return new AgentCommandTest.Result(
                code,
                out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void stream_fallbackUnknownProvider_usageErrorNothingSent() {
        StreamCommandTest.Result r = StreamCommandTest.run(env(), Terminal.NONE, "--fallback", "nope:x", PROMPT);

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--fallback: unknown provider 'nope'"), r.err());
        assertEquals(0, server.requestCount());
    }

    @Test
    void stream_hedgeAfterWithASlowFirstTarget_theFallbackAnswersAndTheSummaryNamesIt() {
        String expected = answer();
        StreamCommandTest.Result r = StreamCommandTest.run(
                env(),
                Terminal.NONE,
                "--model",
                "fake-first-token-60000",
                "--fallback",
                "openai:gpt-4o-mini",
                "--hedge-after",
                "200ms",
                PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(expected, r.out());
        assertTrue(
                r.err()
                        .contains("sluice: hedged: openai:gpt-4o-mini started after 0.200 s without content from"
                                + " anthropic:fake-first-token-60000; openai:gpt-4o-mini answered first\n"),
                r.err());
        assertTrue(
                r.err()
                        .contains(
                                "answered by: openai:gpt-4o-mini (hedged after 0.200 s: anthropic:fake-first-token-60000"
                                        + " cancelled, its tokens 0)\n"),
                r.err());
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> server.activeRequests() == 0);
    }

    @Test
    void stream_hedgeAfterWithAFastFirstTarget_notHedged() {
        StreamCommandTest.Result r = StreamCommandTest.run(
                env(), Terminal.NONE, "--fallback", "openai:gpt-4o-mini", "--hedge-after", "p95,floor=10s", PROMPT);

        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("answered by: anthropic:claude-sonnet-5-5 (not hedged)\n"), r.err());
        assertEquals(1, server.requestCount());
    }

    @Test
    void agent_hedgeAfter_eachSlowTurnIsAnsweredByTheFallback() {
        AgentCommandTest.Result r = runAgent(
                "--model",
                "fake-first-token-60000",
                "--fallback",
                "openai:gpt-4o-mini",
                "--hedge-after",
                "0.2s",
                "What's",
                "the",
                "weather",
                "in",
                "Paris?");

        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().endsWith("\nIn Paris it is " + FakeWords.weather(DemoTools.weatherIn("Paris")) + "\n"),
                r.out());
        assertTrue(r.err().contains("sluice: hedged: openai:gpt-4o-mini started after 0.200 s"), r.err());
        assertTrue(r.err().contains("answered by: openai:gpt-4o-mini (hedged after 0.200 s"), r.err());
    }

    @Test
    void hedgeAfter_withoutFallbackOrUnreadable_usageErrorNothingSent() {
        StreamCommandTest.Result none = StreamCommandTest.run(env(), Terminal.NONE, "--hedge-after", "800ms", PROMPT);
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("--hedge-after needs --fallback"), none.err());
        for (String bad : List.of("soon", "800", "0ms", "p100", "p95,min=1s", "p95,floor=x")) {
            StreamCommandTest.Result r = StreamCommandTest.run(
                    env(), Terminal.NONE, "--fallback", "openai:gpt-4o-mini", "--hedge-after", bad, PROMPT);
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains("--hedge-after"), r.err());
        }
        AgentCommandTest.Result agent = runAgent("--hedge-after", "1s", "hi");
        assertEquals(2, agent.code(), agent.err());
        assertEquals(0, server.requestCount());
    }

    @Test
    void parseHedge_durationsAndPercentiles() throws UsageException {
        assertEquals(dev.sluice.chat.Hedging.after(java.time.Duration.ofMillis(800)), Fallbacks.parseHedge("800ms"));
        assertEquals(dev.sluice.chat.Hedging.after(java.time.Duration.ofMillis(1500)), Fallbacks.parseHedge("1.5s"));
        assertEquals(
                dev.sluice.chat.Hedging.percentile(95, java.time.Duration.ofMillis(500)), Fallbacks.parseHedge("p95"));
        assertEquals(
                dev.sluice.chat.Hedging.percentile(99.9, java.time.Duration.ofMillis(300)),
                Fallbacks.parseHedge("p99.9,floor=300ms"));
        UsageException refused =
                org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> Fallbacks.parseHedge("soon"));
        assertEquals(
                "--hedge-after: 'soon' is neither a duration (800ms, 1.5s) nor a percentile (p95, p95,floor=300ms)",
                refused.getMessage());
    }
}
