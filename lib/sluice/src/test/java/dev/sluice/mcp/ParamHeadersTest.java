package dev.sluice.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamHeadersTest {
    private static Map<String, Object> property(String type, String header) {
        return Map.of("type", type, "x-mcp-header", header);
    }

    @Test
    void headers_nestedPropertiesAndTypes_encodedAsTheSpecificationSays() {
        ParamHeaders h = ParamHeaders.of(Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                        "region", property("string", "Region"),
                        "limit", property("integer", "Limit"),
                        "dry", property("boolean", "Dry"),
                        "target", Map.of("type", "object", "properties", Map.of("zone", property("string", "Zone"))))));
        assertEquals(
                Map.of(
                        "Mcp-Param-Region",
                        "us-west1",
                        "Mcp-Param-Limit",
                        "42",
                        "Mcp-Param-Dry",
                        "false",
                        "Mcp-Param-Zone",
                        "=?base64?IGEg?="),
                h.headers(Map.of("region", "us-west1", "limit", 42L, "dry", false, "target", Map.of("zone", " a "))));
        assertEquals(Map.of(), h.headers(Map.of()));
        assertEquals(
                Map.of("Mcp-Param-Region", "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?="),
                h.headers(Map.of("region", "=?base64?literal?=")));
    }

    @Test
    void of_annotationOutsideThePropertiesChain_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ParamHeaders.of(Map.of(
                        "properties", Map.of("list", Map.of("type", "array", "items", property("string", "Item"))))));
        assertThrows(
                IllegalArgumentException.class,
                () -> ParamHeaders.of(Map.of("oneOf", List.of(property("string", "A")))));
    }

    @Test
    void of_badNameTypeOrDuplicate_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ParamHeaders.of(Map.of("properties", Map.of("a", property("number", "A")))));
        assertThrows(
                IllegalArgumentException.class,
                () -> ParamHeaders.of(Map.of("properties", Map.of("a", property("string", "A B")))));
        assertThrows(
                IllegalArgumentException.class,
                () -> ParamHeaders.of(Map.of("properties", Map.of("a", property("string", "")))));
        assertThrows(
                IllegalArgumentException.class,
                () -> ParamHeaders.of(Map.of(
                        "properties", Map.of("a", property("string", "Name"), "b", property("string", "name")))));
    }
}
