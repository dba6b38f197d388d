package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sluice replay --provider gemini} of the 2026 Gemini 3 captures: Vertex AI's streamed
 * function-call arguments ({@code partialArgs}) joined into whole calls, thought signatures on the
 * first of parallel calls and on the empty text part kept in place, byte for byte, at any chunk size.
 */
class ReplayGeminiCapturesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SIGNATURE = Pattern.compile("\"thoughtSignature\":\"([^\"]*)\"");

    static Stream<Arguments> capturesAndChunkSizes() {
        return Stream.of("vertex-streamed-function-call-args", "gemini3-signatures-parallel-calls")
                .flatMap(f -> Stream.of("1", "7", "1048576").map(size -> Arguments.of(f, size)));
    }

    @ParameterizedTest(name = "{0} with --chunk-size {1}")
    @MethodSource("capturesAndChunkSizes")
    void replay_gemini3Capture_typedWholeCallsWithSignaturesIdentical(String capture, String chunkSize)
            throws IOException {
        byte[] sse = resource(capture + ".sse");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Sluice.run(
                List.of("replay", "--provider", "gemini", "--chunk-size", chunkSize),
                new ByteArrayInputStream(sse),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode expected =
                MAPPER.readTree(resource(capture + ".expected.json")).get("final_response");
        assertEquals(expected, MAPPER.readTree(printed));
        List<String> sent = signatures(new String(sse, StandardCharsets.UTF_8));
        assertFalse(sent.isEmpty());
        assertEquals(sent, signatures(printed), "every signature, as sent, in order");
        JsonNode parts = MAPPER.readTree(printed).at("/candidates/0/content/parts");
        assertEquals("get_weather", parts.at("/1/functionCall/name").asText());
        assertEquals(sent.getFirst(), parts.at("/1/thoughtSignature").asText(), "on the first of the parallel calls");
        assertFalse(parts.get(2).has("thoughtSignature"));
        assertEquals("", parts.at("/3/text").asText("x"));
        assertEquals(sent.getLast(), parts.at("/3/thoughtSignature").asText(), "on the empty text part");
    }

    private static List<String> signatures(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = SIGNATURE.matcher(text);
        while (m.find()) found.add(m.group(1));
        return found;
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReplayGeminiCapturesTest.class.getResourceAsStream("/gemini/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
