package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static String json(String s) {
        StringBuilder sb = new StringBuilder();
        Json.appendString(sb, s);
        return sb.toString();
    }

    @Test
    void appendString_specials_areEscaped() {
        assertEquals("\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f\"", json("q\" b\\ n\n r\r t\t b\b f\f"));
    }

    @Test
    void appendString_otherControlChars_useUnicodeEscapes() {
        assertEquals("\"\\u0000\\u0001\\u001f\\u000b\"", json("\0\u0001\u001f\u000b"));
    }

    @Test
    void appendString_nonAsciiAndSeparators_stayRaw() {
        assertEquals("\"é😀\u2028\u2029\u007f/\"", json("é😀\u2028\u2029\u007f/"));
    }

    @Test
    void appendString_everyCharBelow256_parsesBackWithJackson() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 256; c++) all.append(c);
        all.append("😀\uFFFD");
        assertEquals(all.toString(), new ObjectMapper().readValue(json(all.toString()), String.class));
    }

    @org.junit.jupiter.api.Test
    void write_valueModel_compactAndIndentedAsJqPrintsIt() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("b", java.util.List.of(1L, "x\"y"));
        m.put("a", java.util.Map.of());
        m.put("c", java.util.List.of());
        m.put("d", null);
        m.put("e", true);
        org.junit.jupiter.api.Assertions.assertEquals(
                "{\"b\":[1,\"x\\\"y\"],\"a\":{},\"c\":[],\"d\":null,\"e\":true}", Json.write(m, false));
        org.junit.jupiter.api.Assertions.assertEquals("""
                {
                  "b": [
                    1,
                    "x\\"y"
                  ],
                  "a": {},
                  "c": [],
                  "d": null,
                  "e": true
                }""", Json.write(m, true));
    }
}
