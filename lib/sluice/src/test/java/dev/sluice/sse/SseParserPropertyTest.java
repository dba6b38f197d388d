package dev.sluice.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random streams built from every field kind, comments, every line end, a BOM, multi-byte text
 * (4-byte characters included) and ill-formed bytes: fed in random chunks (1-byte and empty
 * feeds included) they give the same events and retry values as one feed, and one feed gives
 * what a literal reading of the standard gives (a small reference model below, which decodes the
 * whole stream first and then splits it into lines, as the standard is written).
 */
class SseParserPropertyTest {
    private static final int STREAMS = 600;

    @Test
    void feed_randomChunkings_giveSameEventsAsOneFeedAndAsTheStandard() {
        long seed = Long.getLong("sse.seed", 0x5E55EEDL);
        Random random = new Random(seed);
        for (int n = 0; n < STREAMS; n++) {
            byte[] stream = randomStream(random);
            List<String> whole = parse(stream, new int[] {stream.length});
            String context =
                    "seed " + seed + " (rerun with -Dsse.seed=" + seed + "), stream #" + n + ": " + printable(stream);
            assertEquals(reference(stream), whole, "one feed differs from the standard; " + context);
            for (int k = 0; k < 3; k++) {
                int[] chunks = randomChunks(random, stream.length);
                assertEquals(
                        whole, parse(stream, chunks), "chunking " + java.util.Arrays.toString(chunks) + "; " + context);
            }
            assertEquals(whole, parse(stream, ones(stream.length)), "1-byte feeds; " + context);
        }
    }

    @Test
    void feed_listenerHandlingRawData_seesTheSameEventsOnceEach() {
        Random random = new Random(Long.getLong("sse.seed", 0x5E55EEDL) + 1);
        for (int n = 0; n < STREAMS; n++) {
            byte[] stream = randomStream(random);
            List<String> expected = parse(stream, new int[] {stream.length});
            int[] chunks = randomChunks(random, stream.length);
            long declineSeed = random.nextLong();
            assertEquals(
                    expected,
                    parseOfferingBytes(stream, chunks, new Random(declineSeed)),
                    "stream #" + n + ": " + printable(stream));
        }
    }

    /**
     * As {@link #parse}, with a listener that takes the raw data of about half the events (decoding
     * them as the parser would) and declines the others, which must then arrive as SseEvents.
     */
    private static List<String> parseOfferingBytes(byte[] stream, int[] chunks, Random decline) {
        List<String> out = new ArrayList<>();
        SseParser parser = new SseParser(
                SseLimits.defaults(),
                new RawListener() {
                    @Override
                    public boolean onRawEvent(String type, byte[] data, int offset, int length, String lastEventId) {
                        if (decline.nextBoolean()) return false;
                        out.add("event " + type + "|" + WhatwgUtf8.decode(data, offset, length) + "|" + lastEventId);
                        return true;
                    }

                    @Override
                    public void onEvent(SseEvent e) {
                        out.add("event " + e.type() + "|" + e.data() + "|" + e.lastEventId());
                    }

                    @Override
                    public void onRetry(long millis) {
                        out.add("retry " + millis);
                    }

                    @Override
                    public void onComment(String comment) {
                        out.add("comment " + comment);
                    }
                },
                true);
        int at = 0;
        for (int c : chunks) {
            parser.feed(stream, at, c);
            at += c;
        }
        parser.finish();
        return out;
    }

    private static List<String> parse(byte[] stream, int[] chunks) {
        List<String> out = new ArrayList<>();
        SseParser parser = new SseParser(SseLimits.defaults(), logTo(out), true);
        int at = 0;
        for (int c : chunks) {
            parser.feed(stream, at, c);
            at += c;
        }
        parser.finish();
        return out;
    }

    /** {@return a listener that adds what it gets to {@code out}, in the form of {@link #reference}} */
    static SseListener logTo(List<String> out) {
        return new SseListener() {
            @Override
            public void onEvent(SseEvent e) {
                out.add("event " + e.type() + "|" + e.data() + "|" + e.lastEventId());
            }

            @Override
            public void onRetry(long millis) {
                out.add("retry " + millis);
            }

            @Override
            public void onComment(String comment) {
                out.add("comment " + comment);
            }
        };
    }

    private static int[] ones(int length) {
        int[] a = new int[length];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    private static int[] randomChunks(Random random, int length) {
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int size = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 1 + random.nextInt(4);
                default -> 1 + random.nextInt(64);
            };
            size = Math.min(size, left);
            sizes.add(size);
            left -= size;
        }
        if (random.nextBoolean()) sizes.add(0);
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- the generator ----

    private static final String[] TEXTS = {
        "",
        "a",
        " lead",
        "  two",
        "x:y",
        "é",
        "€uro",
        "日本語",
        "😀",
        "a😀b🤖",
        "tab\there",
        ":",
        " ",
        "\uFEFF",
        "0",
        "123"
    };
    private static final int[][] INVALID = {
        {0xED, 0xA0, 0x80},
        {0xC0, 0x80},
        {0xF0, 0x9F, 0x98},
        {0xE2, 0x82},
        {0xF4, 0x90, 0x80, 0x80},
        {0xFF},
        {0x80},
        {0xEF, 0xBB},
        {0x00}
    };
    private static final String[] NAMES = {"data", "event", "id", "retry", "Data", "foo", "dat", "data "};
    private static final String[] RETRIES = {
        "0", "10", "3000", "9223372036854775807", "9223372036854775808", "1a", "-5", " 7", "", "٣"
    };

    private static byte[] randomStream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(6)) {
            case 0 -> out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            case 1 -> out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB});
            default -> {}
        }
        int lines = random.nextInt(30);
        for (int i = 0; i < lines; i++) {
            switch (random.nextInt(10)) {
                case 0, 1 -> {} // a blank line
                case 2 -> {
                    out.write(':');
                    value(random, out);
                }
                case 3 -> out.writeBytes(NAMES[random.nextInt(NAMES.length)].getBytes(StandardCharsets.UTF_8));
                case 4 -> {
                    out.writeBytes("retry:".getBytes(StandardCharsets.UTF_8));
                    if (random.nextBoolean()) out.write(' ');
                    out.writeBytes(RETRIES[random.nextInt(RETRIES.length)].getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    out.writeBytes(NAMES[random.nextInt(NAMES.length)].getBytes(StandardCharsets.UTF_8));
                    out.write(':');
                    if (random.nextInt(3) > 0) out.write(' ');
                    value(random, out);
                }
            }
            lineEnd(random, out);
        }
        if (random.nextInt(4) == 0) {
            out.writeBytes("data: tail".getBytes(StandardCharsets.UTF_8)); // no line end
        }
        return out.toByteArray();
    }

    private static void value(Random random, ByteArrayOutputStream out) {
        int parts = random.nextInt(4);
        for (int p = 0; p < parts; p++) {
            if (random.nextInt(5) == 0) {
                for (int b : INVALID[random.nextInt(INVALID.length)]) out.write(b);
            } else {
                out.writeBytes(TEXTS[random.nextInt(TEXTS.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void lineEnd(Random random, ByteArrayOutputStream out) {
        switch (random.nextInt(3)) {
            case 0 -> out.write('\n');
            case 1 -> out.write('\r');
            default -> out.writeBytes(new byte[] {'\r', '\n'});
        }
    }

    // ---- the reference model: the standard's text, as literally as possible ----

    static List<String> reference(byte[] stream) {
        int start = stream.length >= 3
                        && (stream[0] & 0xFF) == 0xEF
                        && (stream[1] & 0xFF) == 0xBB
                        && (stream[2] & 0xFF) == 0xBF
                ? 3
                : 0;
        String text = WhatwgUtf8.decodeReplacing(stream, start, stream.length);
        List<String> out = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        String eventType = "";
        String lastEventId = null;
        int pos = 0;
        while (true) {
            int cr = text.indexOf('\r', pos);
            int lf = text.indexOf('\n', pos);
            int end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
            if (end < 0) break; // the rest has no line end: discarded
            String line = text.substring(pos, end);
            pos = end + (text.startsWith("\r\n", end) ? 2 : 1);
            if (line.isEmpty()) {
                if (data.isEmpty()) {
                    eventType = "";
                    continue;
                }
                if (data.charAt(data.length() - 1) == '\n') data.setLength(data.length() - 1);
                out.add("event " + (eventType.isEmpty() ? "message" : eventType) + "|" + data + "|" + lastEventId);
                data.setLength(0);
                eventType = "";
                continue;
            }
            if (line.startsWith(":")) {
                out.add("comment " + line.substring(1));
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "event" -> eventType = value;
                case "data" -> data.append(value).append('\n');
                case "id" -> {
                    if (value.indexOf('\0') < 0) lastEventId = value;
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        try {
                            out.add("retry " + Long.parseLong(value));
                        } catch (NumberFormatException tooLarge) {
                            // ignored, as the parser documents
                        }
                    }
                }
                default -> {}
            }
        }
        return out;
    }

    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int v = x & 0xFF;
            if (v >= 0x20 && v < 0x7F && v != '\\') sb.append((char) v);
            else sb.append(String.format("\\x%02X", v));
        }
        return sb.toString();
    }

    /** A listener that also takes raw data: the parser's internal hot path. */
    private interface RawListener extends SseListener, dev.sluice.internal.low.sse.RawEventListener {}
}
