package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.sluice.ProtocolException;
import dev.sluice.internal.low.json.Json;
import dev.sluice.internal.low.json.RandomJson;
import dev.sluice.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact scanner against the Jackson path: whatever the scanner accepts, it must read
 * exactly as Jackson does; whatever it declines goes to Jackson, so only acceptance is risky.
 */
class CompactDeltaScannerTest {
    private static final String[][] KINDS = {
        {"text_delta", "text"}, {"input_json_delta", "partial_json"},
        {"thinking_delta", "thinking"}, {"signature_delta", "signature"},
    };

    private static String compact(String index, String kind, String field, String body) {
        return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\"" + kind + "\",\""
                + field + "\":\"" + body + "\"}}";
    }

    private static String text(String body) {
        return compact("0", "text_delta", "text", body);
    }

    private static StreamEvent jackson(String data) {
        return AnthropicEventDecoder.decodeWithJackson(SseEvent.of("content_block_delta", data));
    }

    @Test
    void maxStringLength_constant_equalsJacksonsDefaultAndTheFactorysLimit() {
        assertEquals(StreamReadConstraints.defaults().getMaxStringLength(), CompactDeltaScanner.MAX_STRING_LENGTH);
        assertEquals(Json.FACTORY.streamReadConstraints().getMaxStringLength(), CompactDeltaScanner.MAX_STRING_LENGTH);
    }

    @Test
    void scan_everyDeltaKindInCompactShape_readsTheSameEventAsJackson() {
        for (String[] k : KINDS) {
            String data = compact("7", k[0], k[1], "ab c");
            ContentBlockDelta scanned = scan(data);
            assertNotNull(scanned, data);
            assertEquals(jackson(data), scanned);
        }
    }

    @Test
    void scan_everyEscape_unescapedLikeJackson() {
        String body = "q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\u00E9\\u20AC\\ud83d\\ude00\\uD800x\\uDFFF\\u0000";
        ContentBlockDelta scanned = scan(text(body));
        assertEquals(
                new ContentBlockDelta(
                        0, new TextDelta("q\"b\\s/\b\f\n\r\t\u00e9\u00e9\u20ac\ud83d\ude00\ud800x\udfff\u0000")),
                scanned);
        assertEquals(jackson(text(body)), scanned);
    }

    @Test
    void scan_rawNonAsciiText_keptAsIs() {
        String body = "café ☃ 😀 \ufffd \u2028";
        assertEquals(new ContentBlockDelta(0, new TextDelta(body)), scan(text(body)));
    }

    @Test
    void scan_emptyTextAndLargestIndex_accepted() {
        assertEquals(new ContentBlockDelta(0, new TextDelta("")), scan(text("")));
        assertEquals(
                new ContentBlockDelta(999_999_999, new TextDelta("x")),
                scan(compact("999999999", "text_delta", "text", "x")));
    }

    @Test
    void scan_deviationsFromTheCompactShape_declined() {
        String[] declined = {
            compact("01", "text_delta", "text", "x"), // leading zero: invalid JSON
            compact("-1", "text_delta", "text", "x"),
            compact("1234567890", "text_delta", "text", "x"), // ten digits: left to Jackson
            compact("", "text_delta", "text", "x"),
            compact("1.0", "text_delta", "text", "x"),
            compact("0", "citations_delta", "text", "x"),
            compact("0", "text_delta", "thinking", "x"),
            text("a\"b"), // a raw quote inside
            text("a\u0001b"), // a raw control character
            text("a\nb"),
            text("a\\"), // the escape eats the quote
            text("\\x41"),
            text("\\'"),
            text("\\U0041"), // escapes JSON does not define
            text("\\u00g1"),
            text("\\u12"), // not four hex digits
            text("\\u١٢٣٤"), // other scripts' digits: Jackson has its own reading of these; it decides
            text("x") + " ",
            text("x") + "}",
            " " + text("x"),
            "{\"type\":\"content_block_delta\", \"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"text\":\"x\",\"type\":\"text_delta\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\",\"z\":\"y\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"},\"z\":1}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}",
            "{\"type\":\"content_block_delta\",\"index\":0}",
            "",
        };
        for (String data : declined) assertNull(scan(data), data);
    }

    @Test
    void decode_declinedMalformedData_stillAProtocolExceptionFromJackson() {
        AnthropicEventDecoder decoder = new AnthropicEventDecoder();
        for (String data : new String[] {
            text("a\u0001b"), text("\\x41"), text("\\u12"), text("a\\"), compact("01", "text_delta", "text", "x")
        }) {
            assertThrows(ProtocolException.class, () -> decoder.decode(SseEvent.of("content_block_delta", data)), data);
        }
    }

    @Test
    void scan_thousandsOfGeneratedDeltas_acceptedAndEqualToJackson() {
        Random random = new Random(20240607);
        for (int n = 0; n < 20_000; n++) {
            String[] kind = KINDS[random.nextInt(KINDS.length)];
            String index = Integer.toString(
                    switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(10);
                        case 2 -> random.nextInt(1_000_000_000);
                        default -> 999_999_999;
                    });
            StringBuilder value = new StringBuilder();
            StringBuilder body = new StringBuilder();
            int length = random.nextInt(24);
            for (int k = 0; k < length; k++) appendRandomChar(random, value, body);
            String data = compact(index, kind[0], kind[1], body.toString());
            ContentBlockDelta scanned = scan(data);
            assertNotNull(scanned, data);
            StreamEvent expected = jackson(data);
            assertEquals(expected, scanned, data);
            assertEquals(((ContentBlockDelta) expected).delta(), scanned.delta());
            assertEquals(
                    value.toString(),
                    switch (scanned.delta()) {
                        case TextDelta(String t) -> t;
                        case InputJsonDelta(String j) -> j;
                        case ThinkingDelta(String t) -> t;
                        case SignatureDelta(String s) -> s;
                        default -> throw new AssertionError(scanned);
                    },
                    data);
        }
    }

    @Test
    void scan_thousandsOfMutatedDeltas_acceptedOnlyWhenJacksonReadsTheSame() {
        Random random = new Random(7);
        String[] inserts = {" ", "\"", "\\", "x", "0", "}", "{", ",", ":", "\u0001", "\\u", "1", "-", "\n"};
        int accepted = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder value = new StringBuilder();
            StringBuilder body = new StringBuilder();
            int length = random.nextInt(10);
            for (int k = 0; k < length; k++) appendRandomChar(random, value, body);
            String[] kind = KINDS[random.nextInt(KINDS.length)];
            StringBuilder data = new StringBuilder(
                    compact(Integer.toString(random.nextInt(100)), kind[0], kind[1], body.toString()));
            int at = random.nextInt(data.length() + 1);
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (at < data.length()) data.deleteCharAt(at);
                }
                case 1 -> data.insert(at, inserts[random.nextInt(inserts.length)]);
                case 2 -> data.setLength(at);
                default -> {
                    if (at < data.length()) data.setCharAt(at, inserts[random.nextInt(inserts.length)].charAt(0));
                }
            }
            String mutated = data.toString();
            if (!hasUtf8Form(mutated)) continue; // a lone surrogate left by a cut: no UTF-8 form, so no bytes to scan
            ContentBlockDelta scanned = scan(mutated);
            if (scanned == null) continue;
            accepted++;
            StreamEvent expected;
            try {
                expected = jackson(mutated);
            } catch (ProtocolException e) {
                throw new AssertionError("the scanner accepted what Jackson rejects: " + mutated, e);
            }
            assertEquals(expected, scanned, mutated);
        }
        assertTrue(accepted > 1_000, "mutations inside the text keep the shape: " + accepted);
    }

    @Test
    void scan_illFormedUtf8_declinedAndLeftToTheWhatwgDecoderAndJackson() {
        byte[][] illFormed = {
            {(byte) 0x80},
            {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xC3},
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFF},
            {(byte) 0xC3, (byte) 0x28},
        };
        for (byte[] bad : illFormed) {
            byte[] utf8 = text("ab").getBytes(StandardCharsets.UTF_8);
            int at = utf8.length - 4; // inside the text, after "a"
            byte[] data = new byte[utf8.length + bad.length];
            System.arraycopy(utf8, 0, data, 0, at);
            System.arraycopy(bad, 0, data, at, bad.length);
            System.arraycopy(utf8, at, data, at + bad.length, utf8.length - at);
            assertNull(
                    CompactDeltaScanner.scan(data, 0, data.length),
                    () -> java.util.HexFormat.of().formatHex(bad));
        }
    }

    @Test
    void scan_realisticText_decodedOnTheBytesPath() {
        String value = "Café — “quotes” → 中文 and 日本語 … 👩‍💻🚀 \\ \"x\" \n\t**bold** `code`";
        String json = value.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("\n", "\\n")
                .replace("\t", "\\t");
        ContentBlockDelta scanned = scan(text(json));
        assertEquals(new ContentBlockDelta(0, new TextDelta(value)), scanned);
        assertEquals(jackson(text(json)), scanned);
    }

    @Test
    void scan_randomBytesInTheText_acceptedOnlyWhenWellFormedAndEqualToJackson() {
        Random random = new Random(11);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder value = new StringBuilder();
            StringBuilder body = new StringBuilder();
            int length = random.nextInt(8);
            for (int k = 0; k < length; k++) appendRandomChar(random, value, body);
            byte[] utf8 = text(body.toString()).getBytes(StandardCharsets.UTF_8);
            int textFrom = text("").length() - 4;
            int textEnd = utf8.length - 4;
            int at = textFrom + random.nextInt(textEnd - textFrom + 1);
            int inserted = 1 + random.nextInt(4); // bytes of multi-byte sequences: well-formed or not, in place or not
            byte[] data = new byte[utf8.length + inserted];
            System.arraycopy(utf8, 0, data, 0, at);
            for (int k = 0; k < inserted; k++) data[at + k] = (byte) (0x80 + random.nextInt(0x75));
            System.arraycopy(utf8, at, data, at + inserted, utf8.length - at);
            ContentBlockDelta scanned = CompactDeltaScanner.scan(data, 0, data.length);
            boolean wellFormed = isWellFormedUtf8(data);
            if (!wellFormed) {
                assertNull(scanned, () -> java.util.HexFormat.of().formatHex(data));
                continue;
            }
            String decoded = new String(data, StandardCharsets.UTF_8);
            StreamEvent expected;
            try {
                expected = jackson(decoded);
            } catch (ProtocolException e) {
                assertNull(scanned, decoded);
                continue;
            }
            if (scanned == null) continue; // declined: Jackson decides (it reads some non-ASCII as hex digits)
            accepted++;
            assertEquals(expected, scanned, decoded);
        }
        assertTrue(accepted > 100, "some insertions complete a character: " + accepted);
    }

    private static boolean isWellFormedUtf8(byte[] data) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(data));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static boolean hasUtf8Form(String data) {
        return new String(data.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(data);
    }

    /** Scans the UTF-8 bytes of {@code data} as the live stream does. */
    private static ContentBlockDelta scan(String data) {
        return scanBytes(data);
    }

    /** Scans the UTF-8 bytes of {@code data} placed inside a larger buffer, between bytes that must not be read. */
    private static ContentBlockDelta scanBytes(String data) {
        byte[] utf8 = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] buffer = new byte[utf8.length + 7];
        java.util.Arrays.fill(buffer, (byte) '"');
        System.arraycopy(utf8, 0, buffer, 3, utf8.length);
        return CompactDeltaScanner.scan(buffer, 3, utf8.length);
    }

    /** Appends one random character to {@code value} and its JSON encoding, in one of several forms, to {@code body}. */
    private static void appendRandomChar(Random random, StringBuilder value, StringBuilder body) {
        int pick = random.nextInt(12);
        switch (pick) {
            case 0, 1, 2 -> { // printable ASCII, escaped when it must be
                char c = (char) (0x20 + random.nextInt(0x5F));
                value.append(c);
                if (c == '"' || c == '\\') body.append('\\');
                body.append(c);
            }
            case 3 -> { // a control character, escaped short or long
                char c = (char) random.nextInt(0x20);
                value.append(c);
                String shortForm = RandomJson.shortEscape(c); // a control character: \b \f \n \r \t or none
                body.append(shortForm != null && random.nextBoolean() ? shortForm : unicodeEscape(random, c));
            }
            case 4 -> { // '/', raw or escaped
                value.append('/');
                body.append(random.nextBoolean() ? "/" : "\\/");
            }
            case 5 -> { // Latin-1 or BMP, raw
                char c = random.nextBoolean()
                        ? (char) (0xA0 + random.nextInt(0x60))
                        : (char) (0x4E00 + random.nextInt(0x5000));
                value.append(c);
                body.append(c);
            }
            case 6 -> { // any BMP non-surrogate, escaped
                char c;
                do c = (char) random.nextInt(0x10000);
                while (Character.isSurrogate(c));
                value.append(c);
                body.append(unicodeEscape(random, c));
            }
            case 7 -> { // a supplementary character, raw
                int cp = 0x1F300 + random.nextInt(0x300);
                value.appendCodePoint(cp);
                body.appendCodePoint(cp);
            }
            case 8 -> { // a supplementary character as an escaped surrogate pair
                int cp = 0x10000 + random.nextInt(0x100000);
                char[] pair = Character.toChars(cp);
                value.append(pair);
                body.append(unicodeEscape(random, pair[0])).append(unicodeEscape(random, pair[1]));
            }
            case 9 -> { // a lone surrogate, escaped: kept as the one unit, as Jackson does
                char c = (char) (0xD800 + random.nextInt(0x800));
                value.append(c);
                body.append(unicodeEscape(random, c));
            }
            case 10 -> { // an escaped quote or backslash as \\u
                char c = random.nextBoolean() ? '"' : '\\';
                value.append(c);
                body.append(unicodeEscape(random, c));
            }
            default -> { // words
                value.append("lorem ");
                body.append("lorem ");
            }
        }
    }

    private static String unicodeEscape(Random random, char c) {
        String hex = String.format("%04x", (int) c);
        return "\\u" + (random.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
    }
}
