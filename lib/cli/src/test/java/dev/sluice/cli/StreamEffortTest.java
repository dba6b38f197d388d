package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.RecordedRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --effort}: sent as each model takes it, refused before any request where the model cannot take it; the retirement notice. */
class StreamEffortTest {
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, String> env() {
        return directProviders(server.baseUrl().toString());
    }

    /** {@return the three direct providers' base URLs at {@code url}, each with a key} */
    /** {@return the tool's run of {@code args} with every provider's base URL at {@code server}} */
    static StreamCommandTest.Result runDirect(FakeLlmServer server, String... args) {
        return StreamCommandTest.run(directProviders(server.baseUrl().toString()), Terminal.NONE, args);
    }

    static Map<String, String> directProviders(String url) {
        return Map.of(
                "ANTHROPIC_BASE_URL",
                url,
                "ANTHROPIC_API_KEY",
                "k",
                "OPENAI_BASE_URL",
                url,
                "OPENAI_API_KEY",
                "k",
                "GEMINI_BASE_URL",
                url,
                "GEMINI_API_KEY",
                "k");
    }

    private StreamCommandTest.Result run(String... args) {
        return StreamCommandTest.run(env(), Terminal.NONE, args);
    }

    @ParameterizedTest
    @CsvSource({
        "anthropic, claude-opus-5-5, xhigh, /output_config/effort, xhigh",
        "anthropic, claude-opus-4-6, xhigh, /output_config/effort, max",
        "anthropic, claude-haiku-4-5, high, /thinking/budget_tokens, 16384",
        "openai, gpt-6.1-sol, minimal, /reasoning_effort, low",
        "openai-responses, gpt-5.6-terra, max, /reasoning/effort, max",
        "gemini, gemini-3.5-flash, high, /generationConfig/thinkingConfig/thinkingLevel, HIGH",
        "gemini, gemini-2.5-flash, none, /generationConfig/thinkingConfig/thinkingBudget, 0",
    })
    void stream_effort_sentAsTheModelTakesIt(
            String provider, String model, String effort, String pointer, String sent) {
        StreamCommandTest.Result r = run(
                "--provider", provider, "--model", model, "--effort", effort, "--max-tokens", "20000", "Hello there");
        assertEquals(0, r.code(), r.err());
        RecordedRequest last = server.requests().getLast();
        assertEquals(sent, String.valueOf(last.json(pointer)), last.body());
    }

    @ParameterizedTest
    @CsvSource({
        "anthropic, claude-opus-5-5, none",
        "openai, gpt-6.1-sol, none",
        "openai, gpt-4o-mini, high",
        "gemini, gemini-3.5-flash, none",
        "gemini, gemini-3.8-flash, none",
        "anthropic, claude-mythos-preview, none",
        "anthropic, claude-3-haiku, high",
    })
    void stream_effortTheModelCannotTake_usageErrorNamingTheModelNothingSent(
            String provider, String model, String effort) {
        long before = server.requestCount();
        StreamCommandTest.Result r = run("--provider", provider, "--model", model, "--effort", effort, "Hello");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("model " + model), r.err());
        assertTrue(r.err().contains("effort " + effort), r.err());
        assertEquals(before, server.requestCount());
    }

    @Test
    void stream_effortNoneOnAModelThatAlwaysThinks_shortUsageErrorWithoutSources() {
        StreamCommandTest.Result r =
                run("--provider", "anthropic", "--model", "claude-opus-5-5", "--effort", "none", "Hello");
        assertEquals(2, r.code(), r.err());
        String line = r.err()
                .lines()
                .filter(l -> l.contains("effort none"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(r.err()));
        assertFalse(line.contains("http"), line); // the sources stay in docs/models.md and models.tsv
        assertTrue(line.length() < 200, line.length() + ": " + line);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "anthropic | claude-opus-5-5 | high | effort: high (output_config.effort, thinking adaptive)",
                "anthropic | claude-haiku-4-5 | high | effort: 16384 (thinking.budget_tokens)",
                "anthropic | claude-sonnet-5-5 | none | effort: between_tools (thinking.type)",
                "openai | gpt-6.1-sol | max | effort: max (reasoning effort)",
                "gemini | gemini-3.8-flash | low | effort: LOW (thinkingLevel)",
                "gemini | gemini-2.5-flash | none | effort: 0 (thinkingBudget)",
            })
    void stream_effort_whatWasSentOnTheSummary(String provider, String model, String effort, String line) {
        StreamCommandTest.Result r =
                run("--provider", provider, "--model", model, "--effort", effort, "--max-tokens", "20000", "Hello");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().lines().anyMatch(line::equals), r.err());
    }

    @Test
    void stream_effortTheModelMovesToAnotherLevel_saysSoOnStderr() {
        StreamCommandTest.Result r =
                run("--provider", "anthropic", "--model", "claude-opus-5-5", "--effort", "minimal", "Hello");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err()
                        .contains(
                                "note: model claude-opus-5-5 takes no effort minimal: low is sent, the nearest it takes"),
                r.err());
        assertTrue(r.err().contains("effort: low (output_config.effort, thinking adaptive)"), r.err());
        assertEquals("low", server.requests().getLast().json("/output_config/effort"));
        assertFalse(run("--provider", "anthropic", "--model", "claude-opus-5-5", "--effort", "low", "Hello")
                .err()
                .contains("note: "));
    }

    @Test
    void stream_effortNotALevel_usageErrorListingTheLevels() {
        StreamCommandTest.Result r = run("--effort", "huge", "Hello");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("none, minimal, low, medium, high, xhigh, max"), r.err());
    }

    @Test
    void stream_fallbackThatCannotTakeTheEffort_usageErrorNamingIt() {
        StreamCommandTest.Result r = run("--effort", "none", "--fallback", "openai:gpt-6.1-sol", "Hello");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("model gpt-6.1-sol"), r.err());
    }

    @Test
    void stream_modelRetiredOrRetiringSoon_oneNoticeNamingTheReplacement() {
        StreamCommandTest.Result r = run("--model", "claude-sonnet-4-5", "Hello");
        assertEquals(0, r.code(), r.err());
        long notices = r.err().lines().filter(l -> l.startsWith("notice: ")).count();
        assertEquals(1, notices, r.err());
        assertTrue(
                r.err().contains("notice: model claude-sonnet-4-5 ") && r.err().contains("claude-sonnet-5-5"), r.err());
        assertFalse(run("Hello").err().contains("notice: "), "the default model is current");
    }

    /** {@code agent --effort}: every turn of the tool loop is sent at it, not only the first. */
    @Test
    void agent_effort_everyTurnSentAsTheModelTakesIt() {
        AgentCommandTest.Result r = AgentCommandTest.run(
                env(),
                "--provider",
                "anthropic",
                "--model",
                "claude-opus-5-5",
                "--effort",
                "low",
                "What's the weather in Paris?");

        assertEquals(0, r.code(), r.err());
        java.util.List<RecordedRequest> turns = server.requests().stream()
                .filter(q -> q.path().equals("/v1/messages"))
                .toList();
        assertTrue(turns.size() >= 2, "a tool call and the answer after it: " + turns);
        for (RecordedRequest turn : turns) {
            assertEquals("low", turn.json("/output_config/effort"), turn.body());
            assertEquals("adaptive", turn.json("/thinking/type"), turn.body());
        }
    }

    @Test
    void agent_effortTheModelCannotTake_usageErrorNothingSent() {
        AgentCommandTest.Result r = AgentCommandTest.run(
                env(), "--provider", "anthropic", "--model", "claude-opus-5-5", "--effort", "none", "Hi");

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("model claude-opus-5-5"), r.err());
        assertEquals(0, server.requestCount());
    }
}
