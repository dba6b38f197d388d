package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sluice.sse.SseEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Streams of realistic content — accented and CJK text, emoji (surrogate pairs and ZWJ
 * sequences), typographic punctuation, quotes, backslashes, newlines, and a tool input of source
 * code split at arbitrary points, inside its escapes and between a surrogate pair's halves — read
 * on the live bytes path, against Jackson reading the same events from their decoded Strings. The
 * SSE bytes are fed in two reads split at every position, so every escape and every multi-byte
 * character is cut somewhere.
 */
class RealisticContentDecodingTest {
    private static final String PROSE = "Café au lait — “naïve” façade, Grüße aus München! 中文的句子。日本語のテキスト… "
            + "emoji 👩‍💻 and 🚀 → done. A \"quoted\" word, a back\\slash, a\ttab and\nnew lines\n\n"
            + "**bold** `code` # heading\n- item ½ € ñ ß ç\n";
    private static final String CODE = "public final class Greeter {\n"
            + "    /** Says hello — in 中文 too 👋. */\n"
            + "    String greet(String name) {\n"
            + "        return \"Hello, \\\"\" + name + \"\\\"!\\n\"; // a C:\\\\path\n"
            + "    }\n}\n";

    @Test
    void textStream_everySplitOfTheBytes_sameMessageAsJackson() {
        List<String> deltas = pieces(PROSE + PROSE, new Random(1));
        List<String[]> events = new ArrayList<>();
        events.add(messageStart());
        events.add(new String[] {
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
        });
        for (String d : deltas) {
            events.add(delta("text_delta", "text", jsonString(d, false)));
        }
        events.add(new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"});
        events.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        Message message = assertEverySplitAgrees(events);
        assertEquals(PROSE + PROSE, message.text());
    }

    @Test
    void toolStream_inputSplitInsideEscapesAndSurrogatePairs_everySplitOfTheBytes_sameMessageAsJackson() {
        String input =
                "{\"path\":\"src/Greeter.java\",\"content\":" + jsonString(CODE, false) + ",\"notes\":[\"é\",\"🚀\"]}";
        List<String[]> events = new ArrayList<>();
        events.add(messageStart());
        events.add(new String[] {
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"write\",\"input\":{}}}"
        });
        Random random = new Random(2);
        int i = 0;
        while (i < input.length()) {
            int end = Math.min(input.length(), i + 1 + random.nextInt(9)); // any UTF-16 split, pairs too
            String piece = input.substring(i, end);
            events.add(delta("input_json_delta", "partial_json", jsonString(piece, random.nextInt(4) == 0)));
            i = end;
        }
        events.add(new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"});
        events.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        Message message = assertEverySplitAgrees(events);
        ToolUseBlock tool = (ToolUseBlock) message.content().get(0);
        assertEquals(input, tool.inputJson());
        assertEquals(CODE, tool.input().get("content"));
    }

    /**
     * Checks every delta against Jackson, then replays the stream split into two reads at every
     * byte position. {@return the message}
     */
    private static Message assertEverySplitAgrees(List<String[]> events) {
        MessageAccumulator reference = new MessageAccumulator();
        StringBuilder sse = new StringBuilder();
        for (String[] e : events) {
            StreamEvent expected = AnthropicEventDecoder.decodeWithJackson(SseEvent.of(e[0], e[1]));
            if (e[0].equals("content_block_delta")) {
                byte[] data = e[1].getBytes(StandardCharsets.UTF_8);
                StreamEvent scanned = CompactDeltaScanner.scan(data, 0, data.length);
                assertNotNull(scanned, "the bytes path declined " + e[1]);
                assertEquals(expected, scanned, e[1]);
            }
            reference.accept(expected);
            sse.append("event: ").append(e[0]).append("\ndata: ").append(e[1]).append("\n\n");
        }
        Message expected = reference.result();
        byte[] body = sse.toString().getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < body.length; split++) {
            Message replayed = MessageStream.replay(new ByteArrayInputStream(body), split);
            assertEquals(expected, replayed, "reads of " + split + " bytes");
        }
        return expected;
    }

    /** {@return the text cut into pieces of 1 to 12 code points (a surrogate pair is never cut: the text is raw UTF-8)} */
    private static List<String> pieces(String text, Random random) {
        List<String> pieces = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int end =
                    text.offsetByCodePoints(i, Math.min(1 + random.nextInt(12), text.codePointCount(i, text.length())));
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    /**
     * {@return the JSON string for {@code s}, as an encoder writes it: quote, backslash and control
     * characters escaped; other characters raw UTF-8, except lone surrogates (and, if
     * {@code escapeNonAscii}, every non-ASCII character) as {@code \}{@code uXXXX}}
     */
    private static String jsonString(String s, boolean escapeNonAscii) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pairHere =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            boolean lone = Character.isSurrogate(c)
                    && !pairHere
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || lone || (escapeNonAscii && c >= 0x80)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String[] delta(String type, String field, String jsonValue) {
        return new String[] {
            "content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"" + type + "\",\"" + field + "\":"
                    + jsonValue + "}}"
        };
    }

    private static String[] messageStart() {
        return new String[] {
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}"
        };
    }
}
