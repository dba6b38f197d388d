package dev.sluice.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One Anthropic Messages stream the {@link BenchServer} serves, built deterministically (seed 42):
 * the SSE events as bytes and what a correct client must accumulate from them.
 *
 * <ul>
 *   <li>{@link #text}: {@code message_start}, {@code content_block_start} (text),
 *       {@code deltas} {@code text_delta} events of 4 to 12 characters of prose, then
 *       {@code content_block_stop}, {@code message_delta}, {@code message_stop} — compact, as the
 *       API sends them (about 120 bytes an event, 12 MB for 100,000 deltas);</li>
 *   <li>{@link #tool}: the same frame around one {@code tool_use} block whose input arrives as
 *       {@code deltas} {@code input_json_delta} fragments of 4 to 12 characters;</li>
 *   <li>{@link #realText}: the same frame around {@code deltas} {@code text_delta} events of 4 to 12
 *       code points (a delta never splits a surrogate pair; it may split a ZWJ sequence or a
 *       combining sequence, as a tokenizer does) of markdown prose mixing ASCII English with
 *       accented Latin, CJK, emoji (surrogate pairs, ZWJ sequences), typographic punctuation,
 *       quotes, backslashes, tabs and newlines: non-ASCII raw UTF-8, {@code "} and {@code \}
 *       escaped, control characters escaped, as the API writes them;</li>
 *   <li>{@link #realTool}: one {@code tool_use} block whose input — a JSON object whose
 *       {@code content} holds multi-line Java source (string literals with {@code \"} and
 *       {@code \n}, non-ASCII comments) and whose {@code notes} are written with
 *       <code>&#92;uXXXX</code> escapes — arrives as {@code deltas} {@code input_json_delta}
 *       fragments of 4 to 12 UTF-16 units, split anywhere: inside escapes, between the halves of
 *       a surrogate pair (the lone half then travels as a <code>&#92;uXXXX</code> escape in the
 *       event, as a JSON encoder writes it);</li>
 *   <li>{@link #text(int)} with a few deltas: the short streams of the first-event and paced
 *       runs.</li>
 * </ul>
 *
 * <p>{@link #named} gives the large streams by name: {@code text}, {@code tool} (ASCII),
 * {@code realtext}, {@code realtool}.
 *
 * @param name the stream's name, as the server and the reports call it
 * @param events each event's SSE bytes ({@code event:} and {@code data:} lines and the blank line)
 * @param expectedText the concatenated text a client must accumulate (empty for the tool stream)
 * @param expectedToolInput the tool input JSON a client must accumulate, or null for text streams
 */
public record BenchStream(
        String name,
        List<byte[]> events,
        String expectedText,
        @Nullable String expectedToolInput) {
    /** The number of deltas in the large streams. */
    public static final int DELTAS = 100_000;
    /** Events around the deltas: start, block start, block stop, message delta, stop. */
    public static final int FRAME_EVENTS = 5;
    /** The number of events of the large streams. */
    public static final int LARGE_EVENTS = DELTAS + FRAME_EVENTS;

    private static final String[] WORDS = ("the river carves its valley slowly over many thousand years while "
                    + "sediment settles downstream into broad fertile plains where farmers have grown wheat barley "
                    + "and rice since ancient times; floods renew the soil, and meanders drift across the land")
            .split(" ");

    public BenchStream {
        events = List.copyOf(events);
    }

    /** The names {@link #named} knows: the ASCII streams, then the realistic ones. */
    public static final List<String> NAMES = List.of("text", "realtext", "tool", "realtool");

    /**
     * {@return the large stream of that name}
     *
     * @param name {@code text}, {@code tool}, {@code realtext} or {@code realtool}
     */
    public static BenchStream named(String name) {
        return switch (name) {
            case "text" -> text();
            case "tool" -> tool();
            case "realtext" -> realText();
            case "realtool" -> realTool();
            default ->
                throw new IllegalArgumentException("unknown stream: " + name + " (" + String.join("|", NAMES) + ")");
        };
    }

    /** {@return the text stream with 100,000 deltas} */
    public static BenchStream text() {
        return text(DELTAS);
    }

    /** {@return a text stream with the given number of 4-to-12-character deltas} */
    public static BenchStream text(int deltas) {
        Random random = new Random(42);
        List<byte[]> events = new ArrayList<>(deltas + FRAME_EVENTS);
        events.add(messageStart());
        events.add(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        StringBuilder prose = new StringBuilder();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < deltas; i++) {
            int length = 4 + random.nextInt(9);
            while (prose.length() < length) {
                prose.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
                if (random.nextInt(40) == 0) prose.append(".\n\n");
            }
            String piece = prose.substring(0, length);
            prose.delete(0, length);
            all.append(piece);
            events.add(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0," + "\"delta\":{\"type\":\"text_delta\",\"text\":\""
                            + escape(piece) + "\"}}"));
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(messageDelta("end_turn", deltas));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return new BenchStream(deltas == DELTAS ? "text" : "text" + deltas, events, all.toString(), null);
    }

    /** {@return the tool_use stream: one tool input arriving as 100,000 fragments} */
    public static BenchStream tool() {
        Random random = new Random(42);
        int[] lengths = new int[DELTAS];
        int total = 0;
        for (int i = 0; i < DELTAS; i++) {
            lengths[i] = 4 + random.nextInt(9);
            total += lengths[i];
        }
        String head = "{\"path\":\"notes/rivers.md\",\"overwrite\":true,\"content\":\"";
        String tail = "\"}";
        StringBuilder json = new StringBuilder(total).append(head);
        while (json.length() < total - tail.length()) {
            String word = WORDS[random.nextInt(WORDS.length)];
            json.append(random.nextInt(30) == 0 ? "\\n" : " ").append(word);
        }
        json.setLength(total - tail.length());
        if (json.charAt(json.length() - 1) == '\\') json.setCharAt(json.length() - 1, '.');
        String input = json.append(tail).toString();

        return new BenchStream("tool", toolEvents("toolu_bench_01", input, lengths, BenchStream::escape), "", input);
    }

    /** {@return the realistic text stream: 100,000 deltas of multilingual markdown prose} */
    public static BenchStream realText() {
        return realText(DELTAS);
    }

    /** {@return a realistic text stream with the given number of 4-to-12-code-point deltas} */
    public static BenchStream realText(int deltas) {
        Random random = new Random(42);
        String prose = RealContent.prose(random, deltas * 12);
        List<byte[]> events = new ArrayList<>(deltas + FRAME_EVENTS);
        events.add(messageStart());
        events.add(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        int at = 0;
        for (int i = 0; i < deltas; i++) {
            int end = prose.offsetByCodePoints(at, 4 + random.nextInt(9));
            events.add(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0," + "\"delta\":{\"type\":\"text_delta\",\"text\":\""
                            + RealContent.jsonString(prose.substring(at, end)) + "\"}}"));
            at = end;
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(messageDelta("end_turn", deltas));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return new BenchStream(
                deltas == DELTAS ? "realtext" : "realtext" + deltas, events, prose.substring(0, at), null);
    }

    /**
     * {@return a text stream whose {@code text_delta} events carry the given deltas, in order, in the
     * same frame as {@link #text}} For a structured answer streamed as text (the JSON of the object).
     */
    public static BenchStream textDeltas(String name, String[] deltas) {
        List<byte[]> events = new ArrayList<>(deltas.length + FRAME_EVENTS);
        events.add(messageStart());
        events.add(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (String delta : deltas) {
            events.add(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0," + "\"delta\":{\"type\":\"text_delta\",\"text\":\""
                            + escape(delta) + "\"}}"));
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(messageDelta("end_turn", deltas.length));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return new BenchStream(name, events, String.join("", deltas), null);
    }

    /** {@return the realistic tool_use stream: a JSON object holding source code, in 100,000 fragments} */
    public static BenchStream realTool() {
        return realTool(DELTAS);
    }

    /**
     * {@return a realistic tool_use stream with the given number of fragments of 4 to 12 UTF-16
     * units} The input JSON is written as a JSON encoder with {@code ", "} and {@code ": "}
     * separators writes it; {@code content} with non-ASCII raw, {@code notes} with every
     * non-ASCII unit escaped.
     */
    public static BenchStream realTool(int deltas) {
        Random random = new Random(42);
        int target = deltas * 8;
        StringBuilder notes = new StringBuilder();
        while (notes.length() < target / 12) {
            notes.append(notes.isEmpty() ? "" : ", ")
                    .append('"')
                    .append(RealContent.asciiJsonString(RealContent.note(random)))
                    .append('"');
        }
        String head = "{\"path\": \"src/main/java/dev/example/render/StreamRenderer.java\", \"language\": \"java\", "
                + "\"overwrite\": true, \"content\": \"";
        // about 8 units a fragment in all; escaping makes the source's JSON about a tenth longer
        String source = RealContent.javaSource(random, (target - head.length() - notes.length()) * 9 / 10);
        String content = RealContent.jsonString(source);
        long lines = source.chars().filter(c -> c == '\n').count();
        String input = head + content + "\", \"notes\": [" + notes + "], \"line_count\": " + lines + "}";
        if (input.length() < 4L * deltas || input.length() > 12L * deltas) {
            throw new IllegalStateException(
                    "tool input of " + input.length() + " units does not fit " + deltas + " fragments");
        }
        int[] lengths = lengths(random, deltas, input.length());

        return new BenchStream(
                deltas == DELTAS ? "realtool" : "realtool" + deltas,
                toolEvents("toolu_bench_02", input, lengths, RealContent::jsonString),
                "",
                input);
    }

    /**
     * {@return the events of a tool_use stream: the frame around one {@code input_json_delta} per
     * length, cutting {@code input} in that order, each piece written into its JSON string by
     * {@code escape}}
     */
    private static List<byte[]> toolEvents(String id, String input, int[] lengths, UnaryOperator<String> escape) {
        List<byte[]> events = new ArrayList<>(lengths.length + FRAME_EVENTS);
        events.add(messageStart());
        events.add(event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":" + "{\"type\":\"tool_use\",\"id\":\""
                        + id + "\",\"name\":\"write_file\",\"input\":{}}}"));
        int at = 0;
        for (int length : lengths) {
            String piece = input.substring(at, at + length);
            at += length;
            events.add(event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + escape.apply(piece)
                            + "\"}}"));
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(messageDelta("tool_use", lengths.length));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return events;
    }

    /** {@return n random lengths of 4 to 12 that add up to total exactly} */
    private static int[] lengths(Random random, int n, int total) {
        int[] lengths = new int[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            lengths[i] = 4 + random.nextInt(9);
            sum += lengths[i];
        }
        for (long diff = total - sum; diff != 0; ) {
            int i = random.nextInt(n);
            if (diff > 0 && lengths[i] < 12) {
                lengths[i]++;
                diff--;
            } else if (diff < 0 && lengths[i] > 4) {
                lengths[i]--;
                diff++;
            }
        }
        return lengths;
    }

    /**
     * {@return the body offset just past event {@code every x k}, for k = 1, 2, ...} The raw client
     * marks its windows of {@code every} events by these offsets (it does not parse events).
     */
    public long[] eventEndOffsets(int every) {
        long[] ends = new long[events.size() / every];
        long at = 0;
        for (int i = 0; i < events.size(); i++) {
            at += events.get(i).length;
            if ((i + 1) % every == 0 && (i + 1) / every <= ends.length) ends[(i + 1) / every - 1] = at;
        }
        return ends;
    }

    /**
     * {@return the length of the tool input as the official SDK gives it back} Its accumulator
     * keeps the parsed input, which {@code SdkBenchClient} writes out again with Jackson: no
     * whitespace, non-ASCII raw. For text streams, {@link #expectedLength()}.
     */
    public int expectedSdkLength() {
        if (expectedToolInput == null) return expectedLength();
        try {
            ObjectMapper mapper = new ObjectMapper();
            return mapper.writeValueAsString(mapper.readTree(expectedToolInput)).length();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the tool input is not JSON", e);
        }
    }

    /** {@return the length of the final message's content a client must accumulate} */
    public int expectedLength() {
        return expectedToolInput == null ? expectedText.length() : expectedToolInput.length();
    }

    /** {@return all events as one byte array, as they appear on the wire inside the HTTP body} */
    public byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : events) out.writeBytes(e);
        return out.toByteArray();
    }

    private static byte[] messageStart() {
        return event(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench_01\","
                        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-bench\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
    }

    private static byte[] messageDelta(String stopReason, int outputTokens) {
        return event(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
    }

    private static byte[] event(String type, String json) {
        return ("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** JSON string escaping, as {@link RealContent#jsonString} (the ASCII streams need only {@code " \\ \n}). */
    private static String escape(String s) {
        return RealContent.jsonString(s);
    }
}
