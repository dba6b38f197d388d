package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --thinking}: asked for as each model takes it, streamed to stderr line by line, stdout the answer alone. */
class StreamThinkingTest {
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private StreamCommandTest.Result run(String... args) {
        return StreamCommandTest.run(
                StreamEffortTest.directProviders(server.baseUrl().toString()), Terminal.NONE, args);
    }

    @ParameterizedTest
    @CsvSource({
        "anthropic, claude-opus-4-7, /thinking/display, summarized",
        "anthropic, claude-opus-4-7, /thinking/type, adaptive",
        "openai-responses, gpt-6.1-sol, /reasoning/summary, auto",
        "gemini, gemini-3.6-flash, /generationConfig/thinkingConfig/includeThoughts, true",
    })
    void stream_thinking_askedForAsTheModelTakesIt(String provider, String model, String pointer, String sent) {
        StreamCommandTest.Result r =
                run("--provider", provider, "--model", model, "--max-tokens", "16000", "--thinking", "Hello");
        assertEquals(0, r.code(), r.err());
        RecordedRequest last = server.requests().getLast();
        assertEquals(sent, String.valueOf(last.json(pointer)), last.body());
    }

    @Test
    void stream_thinking_eachLineOnStderrStartingThinkingStdoutTheAnswerAlone() {
        server.enqueue(FakeResponse.answer()
                .thinking("First I add", " the numbers.\nThen I", " check.")
                .text("The sum is 4.")
                .usage(5, 9));
        StreamCommandTest.Result r = run("--model", "claude-opus-4-7", "--max-tokens", "16000", "--thinking", "2+2?");

        assertEquals(0, r.code(), r.err());
        assertEquals("The sum is 4.", r.out());
        List<String> thinking =
                r.err().lines().filter(l -> l.startsWith("thinking: ")).toList();
        assertEquals(List.of("thinking: First I add the numbers.", "thinking: Then I check."), thinking, r.err());
    }

    @Test
    void stream_withoutThinkingFlag_noThinkingLinesNoDisplayAsked() {
        server.enqueue(FakeResponse.answer().thinking("hidden").text("4").usage(5, 9));
        StreamCommandTest.Result r = run("--model", "claude-opus-4-7", "2+2?");

        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("thinking: ")), r.err());
        assertEquals(null, server.requests().getLast().json("/thinking"));
    }

    @Test
    void stream_thinkingOnAModelThatDoesNotThink_usageErrorNamingTheModelNothingSent() {
        StreamCommandTest.Result r = run("--provider", "openai", "--model", "gpt-4o", "--thinking", "Hello");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--thinking") && r.err().contains("model gpt-4o"), r.err());
        assertEquals(0, server.requestCount());
    }
}
