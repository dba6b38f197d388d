package dev.sluice.internal.low.json;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recursive walks of the value model refuse a value nested deeper than
 * {@link JsonValues#MAX_DEPTH} with an IllegalArgumentException instead of overflowing the stack.
 */
class JsonDepthTest {
    private static final int DEEP = 100_000;

    private static Object nestedList(int depth) {
        Object value = 1L;
        for (int i = 0; i < depth; i++) value = List.of(value);
        return value;
    }

    private static Map<String, Object> nestedMap(int depth) {
        Map<String, Object> value = Map.of("a", 1L);
        for (int i = 1; i < depth; i++) value = Map.of("a", value);
        return value;
    }

    @Test
    void copy_valueNestedFarPastTheLimit_illegalArgumentNamingWhatAndWhere() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> JsonValues.copyObject(nestedMap(DEEP), "input"));
        assertTrue(e.getMessage().startsWith("input at $.a.a.a"), e.getMessage());
        assertTrue(e.getMessage().endsWith("JSON nested deeper than 1000 levels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonValues.copy(nestedList(DEEP), "value"));
    }

    @Test
    void copy_atTheLimit_copied() {
        assertEquals(nestedList(JsonValues.MAX_DEPTH), JsonValues.copy(nestedList(JsonValues.MAX_DEPTH), "value"));
        assertThrows(
                IllegalArgumentException.class, () -> JsonValues.copy(nestedList(JsonValues.MAX_DEPTH + 1), "value"));
    }

    @Test
    void jsonOutWriteValue_valueNestedFarPastTheLimit_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> new JsonOut().writeValue(nestedList(DEEP)));
        assertThrows(IllegalArgumentException.class, () -> new JsonOut().writeValue(nestedMap(DEEP)));
        JsonOut out = new JsonOut();
        out.writeValue(nestedList(JsonValues.MAX_DEPTH));
        assertEquals("[".repeat(1000) + "1" + "]".repeat(1000), out.toString());
    }

    @Test
    void jsonWrite_valueNestedFarPastTheLimit_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(nestedList(DEEP)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(nestedMap(DEEP)));
        assertDoesNotThrow(() -> Json.write(nestedMap(500)));
    }

    @Test
    void readValue_documentNestedPastJacksonsLimit_typedParseErrorNotAnOverflow() {
        String deep = "[".repeat(DEEP) + "]".repeat(DEEP);
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> Json.readValue(deep));
    }
}
