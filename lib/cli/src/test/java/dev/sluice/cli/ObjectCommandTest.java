package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.PartialJson;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sluice object} in process, against a fake server the test starts (or the embedded one), unpaced. */
class ObjectCommandTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Path RECIPE = ROOT.resolve("docs/recipe.schema.json");
    private static final String PROMPT = "a recipe for pancakes";
    private static final String SECRET = "sk-ant-test-secret-0123456789";

    private FakeLlmServer server;

    @BeforeEach
    void startServer() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static StreamCommandTest.Result run(Map<String, String> env, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, Command> commands = new HashMap<>(Sluice.commands());
        commands.put("object", new ObjectCommand(env, () -> Terminal.NONE, false));
        int code = Sluice.run(
                commands,
                args,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new StreamCommandTest.Result(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private StreamCommandTest.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("object"));
        all.addAll(List.of(args));
        return run(Map.of("ANTHROPIC_BASE_URL", server.baseUrl().toString(), "ANTHROPIC_API_KEY", SECRET), all);
    }

    /** As {@code stream} and {@code agent}: one notice naming the replacement of a model retired or retiring within 30 days. */
    @Test
    void object_modelRetiringSoon_oneNoticeNamingTheReplacement() {
        StreamCommandTest.Result r = run("--model", "claude-sonnet-4-5", "--schema", RECIPE.toString(), PROMPT);

        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("notice: ")).count(), r.err());
        assertTrue(
                r.err().contains("notice: model claude-sonnet-4-5 ") && r.err().contains("claude-sonnet-5-5"), r.err());
        assertFalse(run("--schema", RECIPE.toString(), PROMPT).err().contains("notice: "), "the default is current");
    }

    @Test
    void object_stdoutClosedByItsReader_endsQuietlyWithExitZero() {
        Map<String, String> env =
                Map.of("ANTHROPIC_BASE_URL", server.baseUrl().toString(), "ANTHROPIC_API_KEY", SECRET);
        for (String partials : List.of("--partials", "--no-partials")) {
            List<String> args = new ArrayList<>(List.of("--schema", RECIPE.toString(), PROMPT));
            if (partials.equals("--partials")) args.addFirst(partials);
            StreamCommandTest.Result r = StreamCommandTest.runIntoClosedPipe(
                    new ObjectCommand(env, () -> Terminal.NONE, false), "object", env, args.toArray(String[]::new));
            assertEquals(0, r.code(), partials + ": " + r.err());
            assertEquals("", r.err(), partials);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        PartialJson.Result r = PartialJson.parse(text);
        assertTrue(r.isValid(), "valid JSON: " + text);
        return (Map<String, Object>) r.value();
    }

    /** The command line of docs/cli.md's example, run from the repository root as written there. */
    @Test
    void object_docsExampleWithoutEnvironment_printsAValidPancakeRecipeIndented() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/cli.md"));
        Matcher m = Pattern.compile("\n\\./sluice (object [^\n]*)\n").matcher(doc);
        assertTrue(m.find(), "docs/cli.md shows the example");
        List<String> args = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(m.group(1));
        while (word.find()) {
            String w = word.group(1) != null ? word.group(1) : word.group(2);
            args.add(w.endsWith(".json") ? ROOT.resolve(w).toString() : w); // paths as from the repository root
        }
        assertEquals(List.of("object", "--schema", RECIPE.toString(), PROMPT), args);

        StreamCommandTest.Result r = run(Map.of(Endpoint.FAKE_RATE_VARIABLE, "0"), args);
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err().startsWith("sluice: no ANTHROPIC_API_KEY set; streaming from the embedded fake server at "),
                r.err());
        assertTrue(r.out().startsWith("{\n  \"title\": \""), r.out());
        assertTrue(r.out().endsWith("\n}\n"), r.out());
        Map<String, Object> recipe =
                ObjectSchema.parse("recipe", Files.readString(RECIPE)).read(r.out());
        assertTrue(recipe.get("title").toString().toLowerCase().contains("pancake"), r.out());
    }

    @Test
    void object_schemaAndPrompt_stdoutIsTheObjectAndStderrTheFigures() {
        StreamCommandTest.Result r = run("--schema", RECIPE.toString(), PROMPT);
        assertEquals(0, r.code(), r.err());
        json(r.out());
        assertEquals(
                "json_schema", server.takeRequest().json("/output_config/format/type"), "the schema went out natively");
        List<String> err = r.err().lines().toList();
        assertEquals(5, err.size(), r.err());
        assertTrue(err.get(0).matches("time to first token: \\d+\\.\\d{3} s"), err.get(0));
        assertTrue(err.get(1).matches("tokens/s: (\\d+\\.\\d|n/a)"), err.get(1));
        assertTrue(err.get(2).matches("usage: \\d+ input tokens, \\d+ output tokens"), err.get(2));
        assertEquals("stop reason: end_turn", err.get(3));
        assertTrue(err.get(4).matches("request id: req_fake_\\S+"), err.get(4));
        assertFalse(r.err().contains(SECRET) || r.out().contains(SECRET));
    }

    @Test
    void object_partials_jsonLinesEachExtendingTheOneBeforeEndingWithTheObject() {
        StreamCommandTest.Result whole = run("--schema", RECIPE.toString(), PROMPT);
        StreamCommandTest.Result r = run("--partials", "--schema", RECIPE.toString(), PROMPT);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() > 10, "many partials: " + lines.size());
        assertTrue(r.out().endsWith("\n"));
        Object previous = null;
        for (String line : lines) {
            Object value = json(line);
            assertEquals(Json.write(value, false), line, "compact");
            if (previous != null) assertGrows(previous, value, line);
            previous = value;
        }
        assertEquals(json(whole.out()), previous, "the last line is the object");
    }

    /** What an earlier partial showed, a later one shows too: strings extended, members and elements added. */
    private static void assertGrows(Object before, Object after, String line) {
        switch (before) {
            case Map<?, ?> m -> {
                Map<?, ?> a = assertInstanceOf(Map.class, after, line);
                Iterator<?> keys = a.keySet().iterator();
                for (Object k : m.keySet()) {
                    assertEquals(k, keys.next(), "members in the same order: " + line);
                    assertGrows(m.get(k), a.get(k), line);
                }
            }
            case List<?> l -> {
                List<?> a = assertInstanceOf(List.class, after, line);
                assertTrue(a.size() >= l.size(), line);
                for (int i = 0; i < l.size(); i++) assertGrows(l.get(i), a.get(i), line);
            }
            case String s ->
                assertTrue(assertInstanceOf(String.class, after, line).startsWith(s), line);
            default -> assertEquals(before, after, line);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "openai, OPENAI_API_KEY, OPENAI_BASE_URL, stop",
        "openai-responses, OPENAI_API_KEY, OPENAI_BASE_URL, completed",
        "gemini, GEMINI_API_KEY, GEMINI_BASE_URL, STOP"
    })
    void object_otherProvider_theObjectThroughItsApi(
            String provider, String keyVariable, String baseVariable, String stop) throws IOException {
        StreamCommandTest.Result r = run(
                Map.of(baseVariable, server.baseUrl().toString(), keyVariable, SECRET),
                List.of("object", "--provider", provider, "--schema", RECIPE.toString(), PROMPT));
        assertEquals(0, r.code(), r.err());
        ObjectSchema.parse("recipe", Files.readString(RECIPE)).read(r.out());
        assertTrue(r.err().lines().toList().contains("stop reason: " + stop), r.err());
    }

    @Test
    void object_truncated_errorSaysCutOffNothingOnStdoutExitOne() {
        server.enqueue(FakeResponse.object().truncatedAfter(40));
        StreamCommandTest.Result r = run("--schema", RECIPE.toString(), PROMPT);
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        List<String> err = r.err().lines().toList();
        assertEquals(2, err.size(), r.err());
        assertTrue(
                err.get(0)
                        .startsWith(
                                "error: the answer was cut off before the object was complete (raise --max-tokens): "),
                r.err());
        assertTrue(err.get(1).matches("request id: req_fake_\\S+"), r.err());
    }

    @Test
    void object_truncatedWithPartials_theLinesSoFarStayExitOne() {
        server.enqueue(FakeResponse.object().truncatedAfter(60));
        StreamCommandTest.Result r = run("--partials", "--schema", RECIPE.toString(), PROMPT);
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertFalse(lines.isEmpty(), r.err());
        assertTrue(lines.getLast().startsWith("{\"title\":"), r.out());
        assertTrue(r.err().startsWith("error: the answer was cut off"), r.err());
    }

    @Test
    void object_refused_errorSaysRefusedExitOne() {
        server.enqueue(FakeResponse.object().refused("I can't help with that."));
        StreamCommandTest.Result r = run("--schema", RECIPE.toString(), PROMPT);
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: the model refused: "), r.err());
        assertTrue(r.err().contains("I can't help with that."), r.err());
    }

    @Test
    void object_invalidJson_errorSaysNotJsonExitOne() {
        server.enqueue(FakeResponse.object().invalidJson());
        StreamCommandTest.Result r = run("--schema", RECIPE.toString(), PROMPT);
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: the answer is not valid JSON: "), r.err());
    }

    @Test
    void object_wrongType_errorNamesThePathAndTheRuleExitOne() {
        server.enqueue(FakeResponse.object().wrongTypeAt("/minutes"));
        StreamCommandTest.Result r = run("--schema", RECIPE.toString(), PROMPT);
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(
                r.err().startsWith("error: the answer does not match the schema at /minutes (rule type): "), r.err());
    }

    @Test
    void object_schemaFileMissing_usageErrorOneLineNothingSent(@TempDir Path dir) {
        assertUsageError(dir.resolve("nope.json").toString(), "error: --schema: no such file: ");
    }

    @Test
    void object_schemaFileNotJson_usageErrorOneLineNothingSent(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("broken.schema.json"), "{\"type\": \"object\", ");
        assertUsageError(f.toString(), "error: --schema " + f + ": schema broken is not valid JSON");
    }

    @Test
    void object_schemaNotAnObjectSchema_usageErrorOneLineNothingSent(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("name.json"), "{\"type\": \"string\"}");
        assertUsageError(f.toString(), "error: --schema " + f + ": ");
    }

    @Test
    void object_schemaMissing_usageErrorPointsToHelp() {
        StreamCommandTest.Result r = run(PROMPT);
        assertEquals(2, r.code());
        assertEquals(
                "error: --schema FILE.json is required: the JSON Schema of the object to ask for\n"
                        + "run 'sluice object --help' for its flags and arguments\n",
                r.err());
        assertEquals(0, server.requestCount());
    }

    private void assertUsageError(String file, String start) {
        StreamCommandTest.Result r = run("--schema", file, PROMPT);
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith(start), r.err());
        assertEquals(0, server.requestCount());
    }

    @Test
    void schemaName_fileName_withoutSuffixAndOnlyNameCharacters() {
        assertEquals("recipe", ObjectCommand.schemaName(Path.of("docs/recipe.schema.json")));
        assertEquals("my_lead-list", ObjectCommand.schemaName(Path.of("my lead-list.json")));
        assertEquals("object", ObjectCommand.schemaName(Path.of(".json")));
        assertEquals(
                64, ObjectCommand.schemaName(Path.of("x".repeat(80) + ".json")).length());
    }
}
