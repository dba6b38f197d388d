package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sluice replay --provider openai} on the captures of OpenAI-compatible servers (the
 * library's test resources): their reasoning fields in the completion, opaque strings identical to
 * the input at any chunk size.
 */
class ReplayCompatibleServersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path CAPTURES = Path.of("..", "sluice", "src", "test", "resources", "openai");
    private static final List<String> FIXTURES = List.of(
            "deepseek-reasoning-content-tool",
            "vllm-reasoning",
            "ollama-reasoning",
            "openrouter-reasoning-details",
            "openrouter-reasoning-summary-encrypted");

    static Stream<Arguments> fixturesAndChunkSizes() {
        return FIXTURES.stream()
                .flatMap(f -> Stream.of("1", "3", "7", "1048576").map(size -> Arguments.of(f, size)));
    }

    @ParameterizedTest(name = "{0} with --chunk-size {1}")
    @MethodSource("fixturesAndChunkSizes")
    void replay_compatibleServerCapture_reasoningTypedAndOpaqueStringsIdentical(String fixture, String chunkSize)
            throws IOException {
        Path sse = CAPTURES.resolve(fixture + ".sse");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sluice.run(
                List.of("replay", "--provider", "openai", "--chunk-size", chunkSize, sse.toString()),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode message = MAPPER.readTree(out.toString(StandardCharsets.UTF_8))
                .path("choices")
                .get(0)
                .path("message");
        JsonNode expected = MAPPER.readTree(
                        CAPTURES.resolve(fixture + ".expected.json").toFile())
                .path("final_completion")
                .path("choices")
                .get(0)
                .path("message");
        for (String field : List.of("reasoning_content", "reasoning", "reasoning_details", "content")) {
            assertEquals(expected.path(field), message.path(field), field);
        }
        String input = Files.readString(sse);
        for (JsonNode entry : message.path("reasoning_details")) {
            for (String opaque : List.of("signature", "data")) {
                if (entry.has(opaque)) {
                    assertTrue(
                            input.contains(
                                    "\"" + opaque + "\":\"" + entry.get(opaque).asText() + "\""),
                            opaque + " changed");
                }
            }
        }
    }
}
