package dev.sluice.relay.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonTest {
    private static final String CHUNK =
            "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"}}],\"usage\":%s}";

    @Test
    void holdsObject_topLevelMemberAnObject_true() {
        assertTrue(Json.holdsObject("{\"choices\":[],\"usage\":{\"prompt_tokens\":11}}", "usage"));
        assertTrue(Json.holdsObject("{ \"usage\" :\n\t{ } }", "usage"));
        // the name as a string value first, then the member
        assertTrue(Json.holdsObject("{\"a\":\"usage\",\"usage\":{}}", "usage"));
    }

    @Test
    void holdsObject_nullMissingNestedOrInAString_false() {
        assertFalse(Json.holdsObject(CHUNK.formatted("hi", "null"), "usage"));
        assertFalse(Json.holdsObject("{\"choices\":[]}", "usage"));
        assertFalse(Json.holdsObject("{\"usage\":[{}]}", "usage"));
        assertFalse(Json.holdsObject("{\"x\":{\"usage\":{\"prompt_tokens\":1}},\"usage\":null}", "usage"));
        // the text of a delta that quotes a member: escaped, so not the member's
        assertFalse(Json.holdsObject(CHUNK.formatted("\\\"usage\\\":{}", "null"), "usage"));
        assertFalse(Json.holdsObject("{\"usage\"", "usage"));
        assertFalse(Json.holdsObject("{\"usage\":", "usage"));
    }
}
