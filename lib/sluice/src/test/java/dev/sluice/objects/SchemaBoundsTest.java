package dev.sluice.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.PartialJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Schemas given as JSON are untrusted (a browser sends them to the relay): what cannot be checked
 * in linear time is refused when the schema is made, and every walk over a schema is bounded
 * anyway. The time-outs here only keep a regression from hanging the build; the assertions are
 * about refusals and steps.
 */
class SchemaBoundsTest {
    private static final Duration GUARD = Duration.ofSeconds(60);

    /**
     * The review's 261 bytes: an anyOf whose alternatives refer back to it. Before, the partial of
     * an open string under it walked 2^33 paths (SchemaRules.child, 32 hops, two ways each).
     */
    static final String SELF_LOOP = """
            {"type":"object","properties":{"a":{"$ref":"#/$defs/x"}},"$defs":{"x":{"anyOf":[{"$ref":"#/$defs/x"},\
            {"$ref":"#/$defs/x"},{"type":"object","properties":{"b":{"type":"string"}}}]}}}""";

    /** The other shape of the bug: no loop, but 2^n routes through n levels of two alternatives (3n + 4 schemas). */
    static String doubling(int levels, String union) {
        StringBuilder defs = new StringBuilder();
        for (int i = 1; i <= levels; i++) {
            defs.append(i == 1 ? "" : ",")
                    .append("\"a")
                    .append(i)
                    .append("\":{\"")
                    .append(union)
                    .append("\":[{\"$ref\":\"#/$defs/a")
                    .append(i + 1)
                    .append("\"},{\"$ref\":\"#/$defs/a")
                    .append(i + 1)
                    .append("\"}]}");
        }
        defs.append(",\"a").append(levels + 1).append("\":{\"type\":\"string\"}");
        return "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/a0\"}},\"$defs\":{\"a0\":{\"$ref\":\"#/$defs/a1\"},"
                + defs + "}}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) PartialJson.parse(text).value();
    }

    @Test
    void parse_anyOfThatRefersToItselfWithoutProgress_isRefusedNamingThePlace() {
        assertTrue(SELF_LOOP.length() < 300, SELF_LOOP.length() + " bytes");
        IllegalArgumentException e = assertTimeoutPreemptively(
                GUARD, () -> assertThrows(IllegalArgumentException.class, () -> ObjectSchema.parse("s", SELF_LOOP)));
        assertEquals(
                "schema s at /$defs/x: refers to itself through $ref, anyOf, oneOf, allOf or not without descending "
                        + "into a property or an item (/$defs/x → /$defs/x/anyOf/0 → /$defs/x); such a schema cannot be checked in "
                        + "linear time",
                e.getMessage());
    }

    @Test
    void parse_refsThatOnlyReferToEachOther_areRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ObjectSchema.parse(
                        "loop",
                        "{\"type\": \"object\", \"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"not\": {\"$ref\": \"#/$defs/a\"}}},"
                                + " \"properties\": {\"x\": {\"$ref\": \"#/$defs/a\"}}}"));
        assertTrue(e.getMessage().startsWith("schema loop at /$defs/a: refers to itself through $ref"), e.getMessage());
    }

    @Test
    void parse_alternativesThatMultiply_areRefused() {
        for (String union : List.of("anyOf", "oneOf", "allOf")) {
            IllegalArgumentException e = assertTimeoutPreemptively(
                    GUARD,
                    () -> assertThrows(
                            IllegalArgumentException.class, () -> ObjectSchema.parse("s", doubling(33, union))));
            assertTrue(
                    e.getMessage()
                            .contains(": its $ref, anyOf, oneOf, allOf and not lead to more than "
                                    + SchemaRules.MAX_BRANCHES + " schemas"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("such a schema cannot be checked in linear time"), e.getMessage());
        }
        ObjectSchema.parse("s", doubling(7, "anyOf")); // 2^7 routes, 511 schemas from the property: within the bound
    }

    @Test
    void parse_tooManySchemasOrTooDeep_isRefused() {
        StringBuilder wide = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        for (int i = 0; i <= SchemaRules.MAX_NODES; i++)
            wide.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{}");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ObjectSchema.parse("s", wide + "}}"));
        assertTrue(e.getMessage().contains("more than " + SchemaRules.MAX_NODES + " schemas"), e.getMessage());

        String deep = "{\"type\":\"object\"}";
        for (int i = 0; i <= SchemaRules.MAX_DEPTH; i++)
            deep = "{\"type\":\"object\",\"properties\":{\"a\":" + deep + "}}";
        String tooDeep = deep;
        e = assertThrows(IllegalArgumentException.class, () -> ObjectSchema.parse("s", tooDeep));
        assertTrue(
                e.getMessage().contains("schemas nested more than " + SchemaRules.MAX_DEPTH + " deep"), e.getMessage());
    }

    @Test
    void parse_recursionThroughAPropertyOrAnItem_isAccepted() {
        ObjectSchema.parse("tree", """
                {"type": "object", "properties": {"root": {"$ref": "#/$defs/node"}}, "$defs": {"node": {"anyOf": [
                  {"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array",
                    "items": {"$ref": "#/$defs/node"}}, "next": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]}}},
                  {"type": "null"}]}}}""");
        ObjectSchema.parse("self", "{\"type\": \"object\", \"properties\": {\"again\": {\"$ref\": \"#\"}}}");
        ObjectSchema.parse(
                "chain",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$defs\": "
                        + "{\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"allOf\": [{\"$ref\": \"#/$defs/c\"}, {\"$ref\": \"#/$defs/c\"}]}, "
                        + "\"c\": {\"type\": \"string\"}}}");
    }

    @Test
    void at_hostileSchemaNotChecked_walksEachSchemaOnce() {
        Map<String, Object> loop = json(SELF_LOOP);
        SchemaRules.Walker w = new SchemaRules.Walker(loop);
        assertTimeoutPreemptively(GUARD, () -> {
            assertNotNull(w.at(List.of("a", "b")));
            assertTrue(SchemaRules.at(loop, List.of("a", "c", "d")) == null);
            assertTrue(!SchemaRules.isFixed(loop, SchemaRules.at(loop, List.of("a"))));
        });
        assertTrue(w.steps() <= 10, w.steps() + " steps");

        Map<String, Object> doubling = json(doubling(40, "anyOf"));
        SchemaRules.Walker d = new SchemaRules.Walker(doubling);
        assertTimeoutPreemptively(GUARD, () -> assertEquals(null, d.at(List.of("a", "b"))));
        assertTrue(d.steps() <= 3 * 40 + 4, d.steps() + " steps for " + (3 * 40 + 4) + " schemas");
        long before = d.steps();
        d.at(List.of("a", "b"));
        assertEquals(before, d.steps(), "the second time, remembered");
    }

    @Test
    void at_namesTheModelMakesUp_areRememberedAsOneStep() {
        // the model writes the member names: each new one must not cost a walk, nor a place in the memo
        SchemaRules.Walker w = new SchemaRules.Walker(
                json(
                        "{\"type\": \"object\", \"properties\": {\"known\": {\"type\": "
                                + "\"string\"}}, \"additionalProperties\": {\"anyOf\": [{\"type\": \"string\"}, {\"enum\": [\"a\"]}]}}"));
        assertNotNull(w.at(List.of("first")));
        assertNotNull(w.at(List.of("known")));
        long twice = w.steps();
        for (int i = 0; i < 10_000; i++) assertNotNull(w.at(List.of("name" + i)));
        assertEquals(twice, w.steps());

        // as before: a member named like an index is a property when one has the name, else the items; an Integer, the
        // items
        SchemaRules.Walker both =
                new SchemaRules.Walker(json("{\"type\": \"object\", \"properties\": {\"0\": {\"enum\": "
                        + "[\"a\"]}}, \"items\": {\"type\": \"string\"}}"));
        assertTrue(both.isFixed(both.at(List.of("0"))));
        assertEquals(Map.of("type", "string"), both.at(List.of(0)));
        assertEquals(Map.of("type", "string"), both.at(List.of("1")));
    }

    @Test
    void read_allOfOfTheSameRefAtEveryLevel_isCheckedInLinearSteps() {
        // Each level checks the same schema twice: 2^30 checks without remembering, 60 with.
        ObjectSchema<Map<String, Object>> s = ObjectSchema.parse("twice", """
                {"type": "object", "properties": {"c": {"$ref": "#/$defs/t"}}, "$defs": {
                  "t": {"allOf": [{"$ref": "#/$defs/u"}, {"$ref": "#/$defs/u"}]},
                  "u": {"type": "object", "properties": {"c": {"$ref": "#/$defs/t"}, "n": {"type": "integer"}}}}}""");
        String value = "{\"c\":".repeat(30) + "{\"n\": 1}" + "}".repeat(30);
        Map<String, Object> read = assertTimeoutPreemptively(GUARD, () -> s.read(value));
        assertNotNull(read.get("c"));
    }

    @Test
    void validator_schemaThatLoopsNotChecked_stopsWithComplexity() {
        Map<String, Object> loop =
                json("{\"type\": \"object\", \"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": "
                        + "\"#/$defs/a\"}}, \"properties\": {\"x\": {\"$ref\": \"#/$defs/a\"}}}");
        Validator.Violation ab = onSmallStack(() -> Validator.check(loop, Map.of("x", 1L)));
        assertEquals("complexity", ab.rule());
        // found as a loop where it closes (not by running into the depth limit or the stack's end)
        assertEquals("/x", ab.path());
        assertTrue(ab.message().contains("refers to itself at /x without a step into the value"), ab.message());
        Map<String, Object> self = json(SELF_LOOP);
        Validator.Violation anyOf = onSmallStack(() -> Validator.check(self, Map.of("a", 1L)));
        assertEquals("complexity", anyOf.rule());
        assertEquals("/a", anyOf.path(), anyOf.message());
    }

    @Test
    void validator_valueDeeperThanTheStackHolds_stopsWithComplexityNotAnError() {
        // Values the library parses nest at most 500 deep, but a caller may hand any value to check; the stack, not
        // the schema, is then what runs out, and that must end as a violation rather than a StackOverflowError.
        Map<String, Object> schema = json("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#\"}}}");
        Map<String, Object> deep = Map.of();
        for (int i = 0; i < 100_000; i++) deep = Map.of("a", deep);
        Map<String, Object> value = deep;
        Validator.Violation v = onSmallStack(() -> Validator.check(schema, value));
        assertEquals("complexity", v.rule());
        assertTrue(v.message().contains("too complex"), v.message());
        assertEquals(
                null, Validator.check(schema, Map.of("a", Map.of("a", Map.of()))), "a shallow value still matches");
    }

    /**
     * Runs a check on a thread with the smallest stack the JVM gives (whatever the JIT has compiled
     * so far), so a check that recurses without bound would fail here on every run, not now and then.
     */
    private static Validator.Violation onSmallStack(java.util.function.Supplier<Validator.@Nullable Violation> check) {
        java.util.concurrent.CompletableFuture<Validator.@Nullable Violation> result =
                new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        result.complete(check.get());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "small-stack",
                64 * 1024);
        t.start();
        Validator.@Nullable Violation v = assertTimeoutPreemptively(GUARD, () -> result.join());
        assertNotNull(v, "a violation");
        return v;
    }
}
