package dev.sluice.objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ObjectException;
import dev.sluice.objects.Recipes.Recipe;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The end of an object stream, on complete JSON texts ({@link ObjectSchema#read}): validation names
 * the path and the rule; binding makes the record, its numbers in range, its enums, maps, optionals
 * and java.time values.
 */
class ReadTest {
    private static final ObjectSchema<Recipe> RECIPE = ObjectSchema.of(Recipe.class);

    @Test
    void read_readmeRecipe_bindsTheRecord() {
        assertEquals(Recipes.RECIPE, RECIPE.read(Recipes.JSON));
    }

    private static ObjectException mismatch(ObjectSchema<?> schema, String json) {
        ObjectException e = assertThrows(ObjectException.class, () -> schema.read(json));
        assertEquals(ObjectException.Kind.SCHEMA_MISMATCH, e.kind(), e.getMessage());
        assertEquals(json, e.text());
        return e;
    }

    private static String recipe(String replace, String with) {
        assertTrue(Recipes.JSON.contains(replace), replace);
        return Recipes.JSON.replace(replace, with);
    }

    @Test
    void read_wrongType_namesThePathAndTheRule() {
        ObjectException e = mismatch(RECIPE, recipe("\"minutes\": 20", "\"minutes\": \"ten\""));
        assertEquals("/minutes: expected integer, got \"ten\"", e.getMessage());
        assertEquals(Optional.of("/minutes"), e.path());
        assertEquals(Optional.of("type"), e.rule());
        assertEquals(
                "/ingredients/1/quantity: expected number, got \"a cup\"",
                mismatch(RECIPE, recipe("0.3", "\"a cup\"")).getMessage());
        assertEquals(
                "/steps/1: expected string, got 7",
                mismatch(RECIPE, recipe("\"Fry in a hot pan.\"", "7")).getMessage());
        assertEquals(
                "/tip: expected string or null, got an object",
                mismatch(RECIPE, recipe("\"tip\": null", "\"tip\": {}")).getMessage());
    }

    @Test
    void read_missingExtraEnumAndRange_eachNamedByItsRule() {
        ObjectException missing = mismatch(RECIPE, recipe("\"title\": \"Pancakes\", ", ""));
        assertEquals(
                List.of("/title: missing, and required", "/title", "required"),
                List.of(
                        missing.getMessage(),
                        missing.path().orElseThrow(),
                        missing.rule().orElseThrow()));
        ObjectException extra = mismatch(RECIPE, recipe("\"unit\": \"g\"}", "\"unit\": \"g\", \"brand\": \"x\"}"));
        assertEquals(
                "/ingredients/0/brand: not a property of the schema, and additionalProperties is false",
                extra.getMessage());
        assertEquals("additionalProperties", extra.rule().orElseThrow());
        ObjectException level = mismatch(RECIPE, recipe("\"EASY\"", "\"TRIVIAL\""));
        assertEquals(
                "/difficulty: expected one of \"EASY\", \"MEDIUM\", \"HARD\", got \"TRIVIAL\"", level.getMessage());
        assertEquals("enum", level.rule().orElseThrow());
        ObjectException range = mismatch(RECIPE, recipe("\"minutes\": 20", "\"minutes\": 3000000000"));
        assertEquals("/minutes: 3000000000 is out of range for int (-2147483648 to 2147483647)", range.getMessage());
        assertEquals("range", range.rule().orElseThrow());
        assertEquals(
                "/minutes: expected integer, got 2.5",
                mismatch(RECIPE, recipe("\"minutes\": 20", "\"minutes\": 2.5")).getMessage());
        assertEquals(
                20,
                RECIPE.read(recipe("\"minutes\": 20", "\"minutes\": 20.0")).minutes(),
                "an integer written with a fraction of 0");
    }

    @Test
    void read_notJson_isInvalidJson() {
        ObjectException e = assertThrows(ObjectException.class, () -> RECIPE.read("{\"title\": \"Pan"));
        assertEquals(ObjectException.Kind.INVALID_JSON, e.kind());
        assertTrue(e.getMessage().startsWith("not valid JSON: unterminated string"), e.getMessage());
    }

    enum Unit {
        G,
        L
    }

    record Portion(Unit unit, double amount) {}

    record Everything(
            LocalDate day,
            Instant at,
            OffsetDateTime when,
            LocalDateTime local,
            Duration took,
            UUID id,
            Map<String, Integer> scores,
            Map<Unit, Boolean> flags,
            Set<String> tags,
            long[] raw,
            Optional<Portion> portion,
            Optional<List<Portion>> portions,
            byte small) {}

    @Test
    void read_javaTimeMapsSetsArraysAndOptionals_bind() {
        ObjectSchema<Everything> s = ObjectSchema.of(Everything.class);
        Everything e = s.read(
                "{\"day\": \"2025-03-01\", \"at\": \"2025-03-01T10:15:00Z\", \"when\": \"2025-03-01T10:15:00+02:00\","
                        + " \"local\": \"2025-03-01T10:15\", \"took\": \"PT20M\", \"id\": \"123e4567-e89b-12d3-a456-426614174000\","
                        + " \"scores\": [{\"key\": \"a\", \"value\": 1}, {\"key\": \"b\", \"value\": 2}],"
                        + " \"flags\": [{\"key\": \"G\", \"value\": true}], \"tags\": [\"x\", \"y\", \"x\"], \"raw\": [1, 2],"
                        + " \"portion\": {\"unit\": \"L\", \"amount\": 0.5}, \"portions\": null, \"small\": -3}");
        assertEquals(LocalDate.of(2025, 3, 1), e.day());
        assertEquals(Instant.parse("2025-03-01T10:15:00Z"), e.at());
        assertEquals(OffsetDateTime.parse("2025-03-01T10:15:00+02:00"), e.when());
        assertEquals(LocalDateTime.of(2025, 3, 1, 10, 15), e.local());
        assertEquals(Duration.ofMinutes(20), e.took());
        assertEquals(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), e.id());
        assertEquals(List.of("a", "b"), List.copyOf(e.scores().keySet()));
        assertEquals(Map.of("a", 1, "b", 2), e.scores());
        assertEquals(Map.of(Unit.G, true), e.flags());
        assertEquals(Set.of("x", "y"), e.tags());
        assertArrayEquals(new long[] {1, 2}, e.raw());
        assertEquals(Optional.of(new Portion(Unit.L, 0.5)), e.portion());
        assertEquals(Optional.empty(), e.portions());
        assertEquals((byte) -3, e.small());
    }

    @Test
    void read_formatsAndRepeatedMapKeys_areMismatches() {
        ObjectSchema<Everything> s = ObjectSchema.of(Everything.class);
        String ok =
                "{\"day\": \"2025-03-01\", \"at\": \"2025-03-01T10:15:00Z\", \"when\": \"2025-03-01T10:15:00+02:00\","
                        + " \"local\": \"2025-03-01T10:15\", \"took\": \"PT20M\", \"id\": \"123e4567-e89b-12d3-a456-426614174000\","
                        + " \"scores\": [], \"flags\": [], \"tags\": [], \"raw\": [], \"portion\": null, \"portions\": [], \"small\": 1}";
        s.read(ok);
        ObjectException day = mismatch(s, ok.replace("2025-03-01\"", "tomorrow\""));
        assertEquals("/day: expected a date (YYYY-MM-DD), got \"tomorrow\"", day.getMessage());
        assertEquals("format", day.rule().orElseThrow());
        assertEquals(
                "/took: expected an ISO 8601 duration (such as PT20M), got \"20 minutes\"",
                mismatch(s, ok.replace("PT20M", "20 minutes")).getMessage());
        assertEquals(
                "/local: expected a LocalDateTime, got \"noon\"",
                mismatch(s, ok.replace("2025-03-01T10:15\"", "noon\"")).getMessage());
        ObjectException repeated = mismatch(
                s,
                ok.replace(
                        "\"scores\": []",
                        "\"scores\": [{\"key\": \"a\", \"value\": 1}, {\"key\": \"a\", \"value\": 2}]"));
        assertEquals("/scores/1/key: the key \"a\" is repeated", repeated.getMessage());
        assertEquals(
                "/small: 300 is out of range for byte (-128 to 127)",
                mismatch(s, ok.replace("\"small\": 1", "\"small\": 300")).getMessage());
        assertEquals(
                "/small: 1e999999999 is out of range for byte",
                mismatch(s, ok.replace("\"small\": 1", "\"small\": 1e999999999"))
                        .getMessage()
                        .replace("1E+999999999", "1e999999999"));
    }

    record Positive(int n) {
        Positive {
            if (n <= 0) throw new IllegalArgumentException("n must be positive");
        }
    }

    @Test
    void read_constructorRefuses_isAMismatchWithTheRuleConstructor() {
        ObjectException e = mismatch(ObjectSchema.of(Positive.class), "{\"n\": -1}");
        assertEquals("constructor", e.rule().orElseThrow());
        assertEquals(
                "/: Positive's constructor refused the values: java.lang.IllegalArgumentException: n must be positive",
                e.getMessage());
    }

    @Test
    void read_givenSchema_checksItsKeywords() {
        ObjectSchema<Map<String, Object>> s = ObjectSchema.parse("lead", """
                {"type": "object", "$defs": {"email": {"type": "string", "format": "uuid"}},
                 "properties": {
                   "name": {"type": "string", "minLength": 2, "maxLength": 5},
                   "score": {"type": "number", "minimum": 0, "exclusiveMaximum": 10},
                   "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2},
                   "ref": {"$ref": "#/$defs/email"},
                   "either": {"anyOf": [{"type": "string"}, {"type": "object", "properties": {"x": {"type": "integer"}}}]},
                   "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
                   "kind": {"const": "lead"}
                 },
                 "required": ["name"], "additionalProperties": {"type": "boolean"}}""");
        assertEquals(Map.of("name", "Ada", "extra", true), s.read("{\"name\": \"Ada\", \"extra\": true}"));
        assertEquals(
                "/name: 1 characters, fewer than minLength 2",
                mismatch(s, "{\"name\": \"A\"}").getMessage());
        assertEquals(
                "/name: 6 characters, more than maxLength 5",
                mismatch(s, "{\"name\": \"Adaaaa\"}").getMessage());
        assertEquals(
                "/score: 10 breaks exclusiveMaximum 10",
                mismatch(s, "{\"name\": \"Ada\", \"score\": 10}").getMessage());
        assertEquals(
                "/score: -1 breaks minimum 0",
                mismatch(s, "{\"name\": \"Ada\", \"score\": -1}").getMessage());
        assertEquals(
                "/tags/1: expected one of \"a\", \"b\", got \"c\"",
                mismatch(s, "{\"name\": \"Ada\", \"tags\": [\"a\", \"c\"]}").getMessage());
        assertEquals(
                "/tags: 3 items, more than maxItems 2",
                mismatch(s, "{\"name\": \"Ada\", \"tags\": [\"a\", \"a\", \"b\"]}")
                        .getMessage());
        assertEquals(
                "/ref: expected a UUID, got \"x\"",
                mismatch(s, "{\"name\": \"Ada\", \"ref\": \"x\"}").getMessage());
        assertEquals(
                "/either/x: expected integer, got \"1\"",
                mismatch(s, "{\"name\": \"Ada\", \"either\": {\"x\": \"1\"}}").getMessage(),
                "the one alternative of the value's type says what is wrong");
        assertEquals(
                "/either: matches none of the 2 alternatives (anyOf), got true",
                mismatch(s, "{\"name\": \"Ada\", \"either\": true}").getMessage());
        assertEquals(
                "/one: matches 2 of the 2 alternatives where it must match exactly one (oneOf), got 3",
                mismatch(s, "{\"name\": \"Ada\", \"one\": 3}").getMessage());
        assertEquals(
                "/kind: expected \"lead\", got \"x\"",
                mismatch(s, "{\"name\": \"Ada\", \"kind\": \"x\"}").getMessage());
        assertEquals(
                "/extra: expected boolean, got 1",
                mismatch(s, "{\"name\": \"Ada\", \"extra\": 1}").getMessage());
    }

    @Test
    void parse_schemaThatRefersToItselfWithoutEnd_isRefused() {
        // Refused when made now (SchemaBoundsTest); the validator's own bound is tested there on the schema unchecked.
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ObjectSchema.parse(
                        "loop",
                        "{\"type\": "
                                + "\"object\", \"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": \"#/$defs/a\"}}, \"properties\": "
                                + "{\"x\": {\"$ref\": \"#/$defs/a\"}}}"));
        assertTrue(e.getMessage().contains("cannot be checked in linear time"), e.getMessage());
    }
}
