package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-level JSON string decoder against Jackson (over the same bytes) and the JDK's strict
 * UTF-8 decoder: it accepts exactly what both accept and gives the same string.
 */
class Utf8JsonStringsTest {

    /** {@return Jackson's value of the string body, or null where Jackson or strict UTF-8 refuse it} */
    private static String reference(byte[] body) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            return null;
        }
        byte[] quoted = new byte[body.length + 2];
        quoted[0] = '"';
        System.arraycopy(body, 0, quoted, 1, body.length);
        quoted[quoted.length - 1] = '"';
        try (JsonParser p = Json.FACTORY.createParser(quoted)) {
            if (p.nextToken() != JsonToken.VALUE_STRING) return null;
            String value = p.getText();
            return p.nextToken() == null ? value : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Decodes {@code body} placed inside a larger buffer between bytes that must not be read. */
    private static String decode(byte[] body) {
        byte[] buffer = new byte[body.length + 6];
        java.util.Arrays.fill(buffer, (byte) '"');
        System.arraycopy(body, 0, buffer, 3, body.length);
        return Utf8JsonStrings.decode(buffer, 3, 3 + body.length);
    }

    private static void assertAgrees(byte[] body) {
        assertEquals(reference(body), decode(body), () -> HexFormat.of().formatHex(body));
    }

    @Test
    void decode_everyOneTwoAndThreeByteSequence_agreesWithJacksonAndStrictUtf8() {
        for (int b0 = 0; b0 < 256; b0++) {
            assertAgrees(new byte[] {(byte) b0});
            for (int b1 = 0; b1 < 256; b1++) {
                assertAgrees(new byte[] {(byte) b0, (byte) b1});
                if (b0 >= 0xE0 && b0 <= 0xF4) { // lead bytes of three and four bytes, with every second byte
                    for (int b2 : new int[] {0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}) {
                        assertAgrees(new byte[] {(byte) b0, (byte) b1, (byte) b2});
                        for (int b3 : new int[] {0x22, 0x80, 0x8F, 0x90, 0xBF, 0xC0}) {
                            assertAgrees(new byte[] {(byte) b0, (byte) b1, (byte) b2, (byte) b3});
                        }
                    }
                }
            }
        }
    }

    @Test
    void decode_everyCodePoint_rawAndEscaped_givesTheCharacter() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) continue;
            String s = new String(Character.toChars(cp));
            if (cp >= 0x20 && cp != '"' && cp != '\\') {
                assertEquals(
                        s, decode(s.getBytes(StandardCharsets.UTF_8)), () -> Integer.toHexString(s.codePointAt(0)));
            }
            if (cp < 0x10000 && cp % 7 == 0) {
                String escaped = String.format(cp % 2 == 0 ? "\\u%04x" : "\\u%04X", cp);
                assertEquals(s, decode(escaped.getBytes(StandardCharsets.US_ASCII)), escaped);
            }
        }
    }

    @Test
    void decode_escapesAndLoneSurrogates_likeJackson() {
        String[] bodies = {
            "\\\"",
            "\\\\",
            "\\/",
            "\\b\\f\\n\\r\\t",
            "\\ud83d\\ude00",
            "\\ud83d",
            "\\ude00x",
            "\\uDBFF\\uDFFF",
            "a\\u00e9b",
            "\\u0000",
            "caf\\u00E9 — 中 😀 \\n",
            "\\x",
            "\\",
            "\\u12",
            "\\u12g4",
            "\\U0041",
            "a\"b",
            "a\u0001b",
            "\t",
        };
        for (String body : bodies) assertAgrees(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decode_randomMixtures_agreeWithJackson() {
        Random random = new Random(3);
        String[] atoms = {
            "a",
            "Z",
            " ",
            "é",
            "ü",
            "中",
            "語",
            "😀",
            "👩\u200d💻",
            "—",
            "…",
            "“",
            "\\n",
            "\\\"",
            "\\\\",
            "\\t",
            "\\u00e9",
            "\\ud83d\\ude80",
            "\\ud83d",
            "\"",
            "\\",
            "\\q",
            "\u0007"
        };
        for (int n = 0; n < 50_000; n++) {
            StringBuilder body = new StringBuilder();
            int length = random.nextInt(12);
            for (int k = 0; k < length; k++) body.append(atoms[random.nextInt(atoms.length)]);
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            assertAgrees(bytes);
            if (bytes.length > 0 && random.nextInt(4) == 0) { // cut anywhere: inside a character or an escape
                byte[] cut = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
                assertAgrees(cut);
            }
        }
    }

    @Test
    void decode_longStrings_beyondTheKeptScratchBuffer() {
        String chunk = "Grüße — 中文 😀 \\\"q\\\" \\n";
        String value = "Grüße — 中文 😀 \"q\" \n";
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        while (body.length() < 3 * Utf8JsonStrings.KEPT_SCRATCH_CHARS) {
            body.append(chunk);
            expected.append(value);
        }
        assertEquals(expected.toString(), decode(body.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals("é", decode("\\u00e9".getBytes(StandardCharsets.US_ASCII)), "a short one after a long one");
        assertTrue(decode(new byte[0]).isEmpty());
        assertNull(decode(new byte[] {'"'}));
    }
}
