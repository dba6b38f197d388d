package dev.sluice.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code sluice replay} end to end, in process, for every captured stream. */
class ReplayCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FIXTURES = List.of("text-basic", "tool-use-weather", "thinking-with-signature",
            "citations-char-and-page", "error-overloaded-mid-stream", "truncated-before-message-stop");

    record Result(int code, String out, String err) {}

    private static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("replay"));
        all.addAll(List.of(args));
        int code = Sluice.run(all, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> fixturesAndChunkSizes() {
        return FIXTURES.stream().flatMap(f -> Stream.of("1", "7", "1048576").map(size -> Arguments.of(f, size)));
    }

    @ParameterizedTest(name = "{0} with --chunk-size {1}")
    @MethodSource("fixturesAndChunkSizes")
    void replay_fixtureOnStdin_printsExpectedMessageAndExitCode(String fixture, String chunkSize) throws IOException {
        JsonNode expected = MAPPER.readTree(resource(fixture + ".expected.json"));
        Result r = run(resource(fixture + ".sse"), "--chunk-size", chunkSize);
        String outcome = expected.get("outcome").asText();
        JsonNode message = outcome.equals("complete") ? expected.get("final_message") : expected.get("partial_message");
        assertEquals(1, r.out().lines().count(), "one JSON object on one line: " + r.out());
        assertEquals(normalize(message), normalize(MAPPER.readTree(r.out())));
        switch (outcome) {
            case "complete" -> {
                assertEquals(0, r.code(), r.err());
                assertEquals("", r.err());
            }
            case "error" -> {
                assertEquals(1, r.code());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: "), r.err());
                JsonNode error = expected.get("error").get("error");
                assertTrue(r.err().contains(error.get("type").asText()) && r.err().contains(error.get("message").asText()), r.err());
            }
            case "truncated" -> {
                assertEquals(1, r.code());
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: stream ended before message_stop"), r.err());
            }
            default -> throw new AssertionError(outcome);
        }
    }

    @Test
    void replay_fileArgument_sameAsStdin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.sse");
        Files.write(file, resource("tool-use-weather.sse"));
        Result fromFile = run(new byte[0], file.toString());
        Result fromStdin = run(resource("tool-use-weather.sse"));
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals(fromStdin.out(), fromFile.out());
        assertTrue(fromFile.out().contains("\"input\":{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"), fromFile.out());
    }

    @Test
    void replay_malformedJson_partialPrintedErrorNamesItExit1() {
        String body = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"content\":[],\"model\":\"m\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\n\n";
        Result r = run(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("\"text\":\"Hi\""), r.out());
        assertTrue(r.err().startsWith("error: malformed JSON in Anthropic 'content_block_delta' event"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void replay_emptyInput_noMessageExit1() {
        Result r = run(new byte[0]);
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: stream ended before message_stop"), r.err());
    }

    @Test
    void replay_missingFile_exit1NamingIt() {
        Result r = run(new byte[0], "/no/such/file.sse");
        assertEquals(1, r.code());
        assertEquals("error: no such file: /no/such/file.sse\n", r.err());
    }

    @Test
    void replay_badChunkSizeOrTwoFiles_usageExit2() {
        assertEquals(2, run(new byte[0], "--chunk-size", "0").code());
        assertEquals(2, run(new byte[0], "--chunk-size", "x").code());
        assertEquals(2, run(new byte[0], "a", "b").code());
        assertEquals(2, run(new byte[0], "--bogus").code());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReplayCommandTest.class.getResourceAsStream("/anthropic/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode normalize(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) out.set(e.getKey(), normalize(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            node.forEach(e -> out.add(normalize(e)));
            return out;
        }
        return node;
    }
}
