package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampleToolInputTest {

    private static String sample(String schema) {
        try {
            return Json.write(SampleToolInput.of(Json.parse(schema), "Find flights to Tokyo"));
        } catch (Json.Malformed e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void of_requiredProperties_filledByType() {
        assertEquals("{\"city\":\"Tokyo\",\"n\":42.0,\"i\":42,\"ok\":true,\"mode\":\"fast\"}", sample("""
                {"type":"object","required":["city","n","i","ok","mode"],"properties":{
                  "city":{"type":"string"},"n":{"type":"number"},"i":{"type":"integer"},"ok":{"type":"boolean"},
                  "mode":{"type":"string","enum":["fast","slow"]},"optional":{"type":"string"}}}"""));
    }

    @Test
    void of_noRequiredList_fillsEveryProperty() {
        assertEquals("{\"a\":\"Tokyo\",\"b\":42}", sample("""
                {"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}}"""));
    }

    @Test
    void of_nestedObjectsAndArrays_recurse() {
        assertEquals("{\"trip\":{\"legs\":[{\"to\":\"Tokyo\"}]}}", sample("""
                {"type":"object","properties":{"trip":{"type":"object","properties":{
                  "legs":{"type":"array","items":{"type":"object","properties":{"to":{"type":"string"}}}}}}}}"""));
    }

    @Test
    void of_schemasThatLoopOrMultiplyWithoutDescending_endInBoundedSteps() {
        // the fake model samples a caller's schema (serve --fake's gateway, tool parameters): review H2's class of bug
        String loop = "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"$ref\":\"#/$defs/x\"}},\"$defs\":"
                + "{\"x\":{\"anyOf\":[{\"$ref\":\"#/$defs/x\"},{\"$ref\":\"#/$defs/x\"}]}}}";
        StringBuilder defs = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            defs.append("\"a").append(i).append("\":{\"allOf\":[{\"$ref\":\"#/$defs/a").append(i + 1)
                    .append("\"},{\"$ref\":\"#/$defs/a").append(i + 1).append("\"}]},");
        }
        String doubling = "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"$ref\":\"#/$defs/a0\"}},"
                + "\"$defs\":{" + defs + "\"a40\":{\"type\":\"string\"}}}";
        for (String schema : java.util.List.of(loop, doubling)) {
            String sample = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> sample(schema)); // a guard against a hang only
            org.junit.jupiter.api.Assertions.assertTrue(sample.startsWith("{\"a\":"), sample);
        }
    }

    @Test
    void of_deepSchema_stopsAtTheDepthLimit() {
        String leaf = "{\"type\":\"string\"}";
        String schema = leaf;
        for (int i = 0; i < 8; i++) schema = "{\"type\":\"object\",\"properties\":{\"x\":" + schema + "}}";
        assertEquals("{\"x\":{\"x\":{\"x\":{\"x\":{}}}}}", sample(schema));
    }

    @Test
    void of_nullableTypeListAndMissingSchemaParts_stillAnObject() {
        assertEquals("{\"a\":42}", sample("{\"properties\":{\"a\":{\"type\":[\"null\",\"integer\"]}}}"));
        assertEquals("{}", sample("{\"type\":\"object\"}"));
        assertEquals("{}", sample("{\"type\":\"string\"}"));
    }
}
