package dev.sluice.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the generated streams with Jackson: what the server sends is what the API would send. */
class BenchStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, BenchStream> STREAMS = new ConcurrentHashMap<>();

    private static BenchStream stream(String name) {
        return STREAMS.computeIfAbsent(name, BenchStream::named);
    }

    /** One event as Jackson reads it, with its data's raw text. */
    private record Parsed(String type, String data, JsonNode json) {}

    private static List<Parsed> parse(BenchStream stream) throws Exception {
        List<Parsed> parsed = new ArrayList<>();
        for (byte[] bytes : stream.events()) {
            String text = UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            String[] lines = text.split("\n", -1);
            assertEquals(4, lines.length, "one event: event line, data line, blank line: " + text);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: ") && lines[2].isEmpty(), text);
            String data = lines[1].substring("data: ".length());
            // Jackson reads the bytes itself, as a client's byte-level decoder would
            JsonNode json = JSON.readTree(data.getBytes(UTF_8));
            assertEquals(
                    lines[0].substring("event: ".length()), json.get("type").asText(), text);
            parsed.add(new Parsed(json.get("type").asText(), data, json));
        }
        return parsed;
    }

    private static List<String> deltas(List<Parsed> events, String field) {
        List<String> deltas = new ArrayList<>();
        for (Parsed e : events) {
            if (e.type.equals("content_block_delta"))
                deltas.add(e.json.get("delta").get(field).textValue());
        }
        return deltas;
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "realtext", "tool", "realtool"})
    void everyStream_jacksonParsesEveryEventAndTheDeltasAddUpToTheExpectedContent(String name) throws Exception {
        BenchStream stream = stream(name);
        List<Parsed> events = parse(stream);

        assertEquals(BenchStream.LARGE_EVENTS, events.size());
        assertEquals("message_start", events.getFirst().type);
        assertEquals("message_stop", events.getLast().type);
        boolean tool = stream.expectedToolInput() != null;
        List<String> deltas = deltas(events, tool ? "partial_json" : "text");
        assertEquals(BenchStream.DELTAS, deltas.size());
        assertEquals(tool ? stream.expectedToolInput() : stream.expectedText(), String.join("", deltas));
        if (tool) {
            JsonNode input = JSON.readTree(stream.expectedToolInput());
            assertTrue(input.isObject() && input.get("path").isTextual(), name);
            assertEquals(JSON.writeValueAsString(input).length(), stream.expectedSdkLength());
        }
    }

    @Test
    void realText_deltasAre4To12CodePointsOfMixedScriptsSentAsRawUtf8WithJsonEscapes() throws Exception {
        BenchStream stream = stream("realtext");
        List<Parsed> events = parse(stream);
        List<String> deltas = deltas(events, "text");

        for (String d : deltas) {
            int codePoints = d.codePointCount(0, d.length());
            assertTrue(codePoints >= 4 && codePoints <= 12, "4-12 code points: [" + d + "]");
            assertFalse(
                    Character.isLowSurrogate(d.charAt(0)) || Character.isHighSurrogate(d.charAt(d.length() - 1)),
                    "a surrogate pair split: [" + d + "]");
        }
        String text = stream.expectedText();
        for (String s : List.of(
                "é", "ü", "ç", "ñ", "ß", "中文", "日本語", "👩‍💻", "🚀", "👍🏽", "—", "→", "…", "“", "”", "‘", "’", "\"",
                "\\", "**", "`", "\n# ", "\n- ", "\n", "\t")) {
            assertTrue(text.contains(s), "the text contains " + s);
        }
        long nonAscii = text.chars().filter(c -> c >= 0x80).count();
        assertTrue(nonAscii > text.length() / 20, "at least 5 % non-ASCII: " + nonAscii + " of " + text.length());
        // on the wire: non-ASCII raw, never \\u-escaped; quotes, backslashes and control characters escaped
        String wire = new String(stream.body(), UTF_8);
        String escapes = escapesIn(wire);
        assertFalse(escapes.contains("u"), "non-ASCII is sent raw, never as a \\u escape");
        for (String escape : List.of("\"", "\\", "n", "t")) assertTrue(escapes.contains(escape), "escapes \\" + escape);
        for (String d : deltas) assertFalse(d.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t'), d);
    }

    @Test
    void realTool_fragmentsSplitInsideEscapesAndSurrogatePairsAndTheInputHoldsSourceCode() throws Exception {
        BenchStream stream = stream("realtool");
        List<Parsed> events = parse(stream);
        List<String> fragments = deltas(events, "partial_json");
        String input = stream.expectedToolInput();

        // the input: an object whose content is multi-line source with escapes and non-ASCII
        JsonNode object = JSON.readTree(input);
        assertEquals("java", object.get("language").asText());
        String source = object.get("content").asText();
        for (String s : List.of("\n", "\t", "\\\"", "\\n", "\"", "'\\''", "é", "中文", "🚀", "👩‍💻")) {
            assertTrue(source.contains(s), "the source contains " + s);
        }
        assertTrue(object.get("notes").isArray() && object.get("notes").size() > 100);
        assertTrue(input.contains("\\u00e9") && input.contains("\\ud83d"), "notes carry \\u escapes");
        assertTrue(input.contains("é") && input.contains("🚀"), "content carries raw non-ASCII");

        // where the fragments end, in the inner JSON text
        int[] inside = escapeSpans(input);
        int[] counts = new int[5]; // inside \" , inside \\ , inside \n , inside \\uXXXX , between surrogate halves
        int at = 0;
        for (int i = 0; i < fragments.size(); i++) {
            String f = fragments.get(i);
            assertTrue(f.length() >= 4 && f.length() <= 12, "4-12 UTF-16 units: [" + f + "]");
            at += f.length();
            if (at == input.length()) break;
            int start = inside[at];
            if (start >= 0) {
                switch (input.charAt(start + 1)) {
                    case '"' -> counts[0]++;
                    case '\\' -> counts[1]++;
                    case 'n' -> counts[2]++;
                    case 'u' -> counts[3]++;
                    default -> {} // \t, \r
                }
            }
            if (Character.isHighSurrogate(input.charAt(at - 1)) && Character.isLowSurrogate(input.charAt(at))) {
                counts[4]++;
                // the lone halves travel as \\uXXXX escapes in the two events
                String data = events.get(2 + i).data;
                assertTrue(data.endsWith(String.format("\\u%04x\"}}", (int) input.charAt(at - 1))), data);
                assertTrue(
                        events.get(3 + i)
                                .data
                                .contains(String.format("\"partial_json\":\"\\u%04x", (int) input.charAt(at))),
                        events.get(3 + i).data);
            }
        }
        assertEquals(input.length(), at);
        for (int c : counts)
            assertTrue(c >= 20, "splits inside \\\", \\\\, \\n, \\uXXXX, surrogate pairs: " + Arrays.toString(counts));
    }

    /** {@return the character after each backslash that starts an escape in the JSON text, each once} */
    private static String escapesIn(String json) {
        StringBuilder seen = new StringBuilder();
        for (int i = json.indexOf('\\'); i >= 0; i = json.indexOf('\\', i + 2)) {
            char c = json.charAt(i + 1);
            if (seen.indexOf(String.valueOf(c)) < 0) seen.append(c);
        }
        return seen.toString();
    }

    /**
     * {@return for each position of a JSON text, the start of the escape sequence it lies strictly
     * inside, or -1}
     */
    private static int[] escapeSpans(String json) {
        int[] inside = new int[json.length() + 1];
        Arrays.fill(inside, -1);
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (!inString) {
                inString = c == '"';
            } else if (c == '"') {
                inString = false;
            } else if (c == '\\') {
                int length = json.charAt(i + 1) == 'u' ? 6 : 2;
                for (int k = 1; k < length; k++) inside[i + k] = i;
                i += length - 1;
            }
        }
        return inside;
    }

    @Test
    void eventEndOffsets_markTheBodyOffsetAfterEveryNthEvent() {
        BenchStream stream = BenchStream.realText(25_000);
        long[] ends = stream.eventEndOffsets(10_000);

        assertEquals(2, ends.length);
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += stream.events().get(i).length;
            if (i == 9_999) assertEquals(sum, ends[0]);
        }
        assertEquals(sum, ends[1]);
    }

    @Test
    void asciiStreams_keepTheirContent() {
        // the ASCII streams are the earlier figures' streams: the same bytes as before (sizes pinned)
        assertEquals(12_307_867, stream("text").body().length);
        assertEquals(13_705_603, stream("tool").body().length);
    }
}
