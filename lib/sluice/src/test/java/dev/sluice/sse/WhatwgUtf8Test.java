package dev.sluice.sse;

import static dev.sluice.sse.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The decoder against the WHATWG Encoding standard's UTF-8 decoder, byte case by byte case. */
class WhatwgUtf8Test {

    private static String decode(byte[] b) {
        return WhatwgUtf8.decode(b, 0, b.length);
    }

    @Test
    void decode_ascii_returnsSameText() {
        assertEquals("hello, world", decode("hello, world".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void decode_validMultiByte_matchesUtf8() {
        String text = "é € 日本 😀 \uD83E\uDD16 end";
        assertEquals(text, decode(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decode_truncatedFourByteAtEnd_givesOneReplacement() {
        assertEquals("a\uFFFD", decode(bytes('a', 0xF0, 0x9F, 0x98)));
    }

    @Test
    void decode_encodedSurrogate_givesThreeReplacements() {
        // the JDK decoder differs here; the standard rejects ED A0 at its second byte
        assertEquals("\uFFFD\uFFFD\uFFFD", decode(bytes(0xED, 0xA0, 0x80)));
    }

    @Test
    void decode_overlongNul_givesTwoReplacements() {
        assertEquals("\uFFFD\uFFFD", decode(bytes(0xC0, 0x80)));
    }

    @Test
    void decode_overlongThreeByte_givesThreeReplacements() {
        assertEquals("\uFFFD\uFFFD\uFFFD", decode(bytes(0xE0, 0x80, 0xAF)));
    }

    @Test
    void decode_truncatedThreeByteBeforeAscii_givesOneReplacementThenAscii() {
        assertEquals("\uFFFDx", decode(bytes(0xE2, 0x82, 'x')));
    }

    @Test
    void decode_aboveMaxCodePoint_givesFourReplacements() {
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", decode(bytes(0xF4, 0x90, 0x80, 0x80)));
    }

    @Test
    void decode_invalidLeadBytes_giveOneReplacementEach() {
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", decode(bytes(0x80, 0xBF, 0xF5, 0xFF)));
    }

    @Test
    void decode_maxCodePoint_decodes() {
        assertEquals(new String(Character.toChars(0x10FFFF)), decode(bytes(0xF4, 0x8F, 0xBF, 0xBF)));
    }

    @Test
    void decode_leadByteFollowedByLead_replacesFirstAndDecodesSecond() {
        assertEquals("\uFFFDé", decode(bytes(0xC3, 0xC3, 0xA9)));
    }

    @Test
    void decode_validThenInvalid_keepsValidPart() {
        assertEquals("é\uFFFD😀", decode(bytes(0xC3, 0xA9, 0xF0, 0x9F, 0xF0, 0x9F, 0x98, 0x80)));
    }

    @Test
    void decode_subRange_decodesOnlyThatRange() {
        byte[] b = bytes(0xFF, 'a', 0xC3, 0xA9, 0xFF);
        assertEquals("aé", WhatwgUtf8.decode(b, 1, 3));
    }
}
