package dev.sluice.testkit.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The testkit's own JSON: strict parsing, compact writing, the tree's defaults, checked against Jackson. */
class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"},\"f\":-0.5,\"g\":1.0E20,\"h\":\"\"}",
                "[]",
                "{}",
                "\"\\\"\\\\\\n\\r\\t\\b\\f\\u0001\"",
                "12345678901234567890123",
                "\"é € 😀\""
            })
    void parseThenWrite_sameTreeAsJackson(String json) throws Exception {
        JsonNode tree = Json.parse(json);
        assertEquals(JACKSON.readTree(json), JACKSON.readTree(Json.write(tree)));
    }

    @Test
    void write_compactInOrderWithEscapes() {
        ObjectNode o = Json.object()
                .put("z", 1)
                .put("a", "x\"y\n")
                .putNull("n")
                .put("d", 42.0)
                .put("t", true);
        o.putArray("arr").add("s").addObject().put("k", 2L);
        assertEquals(
                "{\"z\":1,\"a\":\"x\\\"y\\n\",\"n\":null,\"d\":42.0,\"t\":true,\"arr\":[\"s\",{\"k\":2}]}",
                Json.write(o));
        assertEquals("\"\\u0001\"", Json.quote("\u0001"));
    }

    @Test
    void write_loneSurrogatesEscaped_pairsKept() {
        assertEquals("\"a\\ud83d\"", Json.quote("a\uD83D"));
        assertEquals("\"\\ude00b\"", Json.quote("\uDE00b"));
        assertEquals("\"\uD83D\uDE00\"", Json.quote("\uD83D\uDE00"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "{\"a\"}",
                "{\"a\":}",
                "[1,]",
                "01",
                "1.",
                "-",
                "tru",
                "\"\\x\"",
                "\"a",
                "{} {}",
                "\"\u0001\""
            })
    void parse_malformed_throwsSayingWhere(String json) {
        Json.Malformed e = assertThrows(Json.Malformed.class, () -> Json.parse(json));
        assertTrue(e.getMessage().contains("at offset"), e.getMessage());
    }

    @Test
    void parse_nestedPastTheLimit_refused() {
        String deep = "[".repeat(600) + "]".repeat(600);
        assertTrue(assertThrows(Json.Malformed.class, () -> Json.parse(deep))
                .getMessage()
                .contains("deeper"));
    }

    @Test
    void tree_jacksonDefaults() throws Exception {
        JsonNode n = Json.parse("{\"s\":\"7\",\"i\":3,\"f\":2.5,\"b\":true,\"z\":null,\"a\":[1]}");
        assertEquals("", n.path("missing").asText());
        assertEquals("x", n.path("missing").asText("x"));
        assertEquals("x", n.path("z").asText("x"));
        assertEquals("null", n.path("z").asText());
        assertEquals("3", n.path("i").asText());
        assertEquals(7, n.path("s").asInt(0));
        assertEquals(0, n.path("b").asInt(0) - 1);
        assertTrue(n.path("i").isIntegralNumber() && n.path("i").canConvertToInt());
        assertFalse(n.path("f").isIntegralNumber());
        assertEquals(null, n.path("i").textValue());
        assertEquals(1, n.path("a").size());
        assertTrue(n.path("s").isEmpty(), "a value has no members");
        assertTrue(n.has("z"));
        assertEquals(n, n.deepCopy());
        assertEquals(6, n.properties().size());
    }
}
