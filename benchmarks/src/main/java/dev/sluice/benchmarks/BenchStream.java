package dev.sluice.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
 *   <li>{@link #text(int)} with a few deltas: the short streams of the first-event and paced
 *       runs.</li>
 * </ul>
 *
 * @param name the stream's name, as the server and the reports call it
 * @param events each event's SSE bytes ({@code event:} and {@code data:} lines and the blank line)
 * @param expectedText the concatenated text a client must accumulate (empty for the tool stream)
 * @param expectedToolInput the tool input JSON a client must accumulate, or null for text streams
 */
public record BenchStream(String name, List<byte[]> events, String expectedText, String expectedToolInput) {
    /** The number of deltas in the large streams. */
    public static final int DELTAS = 100_000;
    /** Events around the deltas: start, block start, block stop, message delta, stop. */
    public static final int FRAME_EVENTS = 5;
    /** The number of events of the large streams. */
    public static final int LARGE_EVENTS = DELTAS + FRAME_EVENTS;

    private static final String[] WORDS = ("the river carves its valley slowly over many thousand years while "
            + "sediment settles downstream into broad fertile plains where farmers have grown wheat barley "
            + "and rice since ancient times; floods renew the soil, and meanders drift across the land").split(" ");

    public BenchStream {
        events = List.copyOf(events);
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
        events.add(event("content_block_start",
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
            events.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + escape(piece) + "\"}}"));
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

        List<byte[]> events = new ArrayList<>(LARGE_EVENTS);
        events.add(messageStart());
        events.add(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_bench_01\",\"name\":\"write_file\",\"input\":{}}}"));
        int at = 0;
        for (int length : lengths) {
            String piece = input.substring(at, at + length);
            at += length;
            events.add(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + escape(piece) + "\"}}"));
        }
        events.add(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        events.add(messageDelta("tool_use", DELTAS));
        events.add(event("message_stop", "{\"type\":\"message_stop\"}"));
        return new BenchStream("tool", events, "", input);
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
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench_01\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-bench\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}");
    }

    private static byte[] messageDelta(String stopReason, int outputTokens) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
    }

    private static byte[] event(String type, String json) {
        return ("event: " + type + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** JSON string escaping for the characters the generated texts contain. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
