package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --thinking}: asked for as each model takes it, streamed to stderr line by line, stdout the answer alone. */
class StreamThinkingTest {
    /** One fake a class, reset between tests as if new. */
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private StreamCommandTest.Result run(String... args) {
        return StreamEffortTest.runDirect(FAKE.server(), args);
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
        RecordedRequest last = FAKE.server().requests().getLast();
        assertEquals(sent, String.valueOf(last.json(pointer)), last.body());
    }

    @Test
    void stream_thinking_eachLineOnStderrStartingThinkingStdoutTheAnswerAlone() {
        FAKE.server()
                .enqueue(FakeResponse.answer()
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
        FAKE.server().enqueue(FakeResponse.answer().thinking("hidden").text("4").usage(5, 9));
        StreamCommandTest.Result r = run("--model", "claude-opus-4-7", "2+2?");

        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("thinking: ")), r.err());
        assertEquals(null, FAKE.server().requests().getLast().json("/thinking"));
    }

    @Test
    void stream_thinkingOnAModelThatDoesNotThink_usageErrorNamingTheModelNothingSent() {
        StreamCommandTest.Result r = run("--provider", "openai", "--model", "gpt-4o", "--thinking", "Hello");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--thinking") && r.err().contains("model gpt-4o"), r.err());
        assertEquals(0, FAKE.server().requestCount());
    }

    /** {@code agent --thinking}: every turn asks for it; the thinking's lines on stderr, stdout the answer alone. */
    @Test
    void agent_thinking_everyTurnAsksForItLinesOnStderr() {
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .thinking("Thinking it over.")
                        .text("Done.")
                        .usage(5, 9));
        AgentCommandTest.Result r = AgentCommandTest.run(
                StreamEffortTest.directProviders(FAKE.server().baseUrl().toString()),
                "--model",
                "claude-opus-4-7",
                "--max-tokens",
                "16000",
                "--thinking",
                "Say done");

        assertEquals(0, r.code(), r.err());
        assertEquals("summarized", FAKE.server().requests().getLast().json("/thinking/display"));
        assertTrue(r.err().lines().anyMatch(l -> l.equals("thinking: Thinking it over.")), r.err());
        assertTrue(r.out().startsWith("Done."), r.out());
    }

    @Test
    void agent_thinkingOnAModelThatDoesNotThink_usageErrorNothingSent() {
        AgentCommandTest.Result r = AgentCommandTest.run(
                StreamEffortTest.directProviders(FAKE.server().baseUrl().toString()),
                "--provider",
                "openai",
                "--model",
                "gpt-4o",
                "--thinking",
                "Hi");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("model gpt-4o"), r.err());
        assertEquals(0, FAKE.server().requestCount());
    }

    /** {@code object --thinking}: asked for, the thinking's lines on stderr, stdout the object alone. */
    @Test
    void object_thinking_linesOnStderrStdoutTheObject(@TempDir Path dir) throws IOException {
        Path schema = Files.writeString(
                dir.resolve("n.schema.json"),
                "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"],"
                        + "\"additionalProperties\":false}");
        FAKE.server()
                .enqueue(FakeResponse.answer()
                        .thinking("Two and two.")
                        .text("{\"n\":4}")
                        .usage(5, 9));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Command> commands = new HashMap<>(Sluice.commands());
        commands.put(
                "object",
                new ObjectCommand(
                        StreamEffortTest.directProviders(FAKE.server().baseUrl().toString()),
                        () -> Terminal.NONE,
                        false));
        int code = Sluice.run(
                commands,
                List.of(
                        "object",
                        "--schema",
                        schema.toString(),
                        "--model",
                        "claude-opus-4-7",
                        "--max-tokens",
                        "16000",
                        "--thinking",
                        "2+2"),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, stderr);
        assertEquals("summarized", FAKE.server().requests().getLast().json("/thinking/display"));
        assertTrue(stderr.lines().anyMatch(l -> l.equals("thinking: Two and two.")), stderr);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"n\": 4"), out.toString(StandardCharsets.UTF_8));
    }
}
