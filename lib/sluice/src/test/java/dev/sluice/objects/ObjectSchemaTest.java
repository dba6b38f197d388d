package dev.sluice.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.objects.Recipes.Recipe;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.math.BigDecimal;
import java.math.BigInteger;
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

/** The JSON Schema generated from records (golden texts), the types refused, and schemas given as JSON. */
class ObjectSchemaTest {

    @Test
    void of_readmeRecipe_isTheStrictSchemaInComponentOrder() {
        ObjectSchema<Recipe> s = ObjectSchema.of(Recipe.class);
        assertEquals("Recipe", s.name());
        assertEquals(
                "{\"type\":\"object\",\"description\":\"A recipe a home cook can follow\",\"properties\":{"
                        + "\"title\":{\"type\":\"string\"},"
                        + "\"minutes\":{\"type\":\"integer\",\"description\":\"minutes\"},"
                        + "\"ingredients\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
                        + "\"name\":{\"type\":\"string\"},\"quantity\":{\"type\":\"number\"},\"unit\":{\"type\":\"string\"}},"
                        + "\"required\":[\"name\",\"quantity\",\"unit\"],\"additionalProperties\":false}},"
                        + "\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                        + "\"difficulty\":{\"type\":\"string\",\"enum\":[\"EASY\",\"MEDIUM\",\"HARD\"]},"
                        + "\"tip\":{\"type\":[\"string\",\"null\"]}},"
                        + "\"required\":[\"title\",\"minutes\",\"ingredients\",\"steps\",\"difficulty\",\"tip\"],"
                        + "\"additionalProperties\":false}",
                s.toJson());
        assertEquals(new dev.sluice.chat.ResponseFormat("Recipe", s.schema(), true), s.responseFormat());
        assertSame(s, ObjectSchema.of(Recipe.class), "made once per class");
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface Nullable {}

    @Description("how hard")
    enum Level {
        LOW,
        HIGH
    }

    record Inner(boolean done) {}

    record Nullables(
            @Nullable String note,
            Optional<Inner> inner,
            @Description("a level") Optional<Level> level,
            Optional<List<Long>> counts,
            @Nullable Integer boxed) {}

    @Test
    void of_nullables_areUnionsWithNullAndObjectsAnyOf() {
        assertEquals(
                "{\"type\":\"object\",\"properties\":{"
                        + "\"note\":{\"type\":[\"string\",\"null\"]},"
                        + "\"inner\":{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"done\":{\"type\":\"boolean\"}},"
                        + "\"required\":[\"done\"],\"additionalProperties\":false},{\"type\":\"null\"}]},"
                        + "\"level\":{\"type\":[\"string\",\"null\"],\"description\":\"a level\",\"enum\":[\"LOW\",\"HIGH\",null]},"
                        + "\"counts\":{\"type\":[\"array\",\"null\"],\"items\":{\"type\":\"integer\"}},"
                        + "\"boxed\":{\"type\":[\"integer\",\"null\"]}},"
                        + "\"required\":[\"note\",\"inner\",\"level\",\"counts\",\"boxed\"],\"additionalProperties\":false}",
                ObjectSchema.of(Nullables.class).toJson());
    }

    record Times(LocalDate day, Instant at, OffsetDateTime when, LocalDateTime local, Duration took, UUID id) {}

    @Test
    void of_javaTime_isFormattedStrings() {
        assertEquals(
                "{\"type\":\"object\",\"properties\":{"
                        + "\"day\":{\"type\":\"string\",\"format\":\"date\"},"
                        + "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
                        + "\"when\":{\"type\":\"string\",\"format\":\"date-time\"},"
                        + "\"local\":{\"type\":\"string\",\"pattern\":\"^\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}(:\\\\d{2}(\\\\.\\\\d{1,9})?)?$\"},"
                        + "\"took\":{\"type\":\"string\",\"format\":\"duration\"},"
                        + "\"id\":{\"type\":\"string\",\"format\":\"uuid\"}},"
                        + "\"required\":[\"day\",\"at\",\"when\",\"local\",\"took\",\"id\"],\"additionalProperties\":false}",
                ObjectSchema.of(Times.class).toJson());
    }

    record Page<T>(List<T> items, int total) {}

    record Numbers(
            long a,
            short b,
            byte c,
            BigInteger d,
            float e,
            Double f,
            BigDecimal g,
            Set<String> tags,
            int[] raw,
            Map<String, Integer> scores,
            Map<Level, Boolean> flags,
            Page<Inner> page,
            @Description("what") Level level) {}

    @Test
    void of_numbersCollectionsMapsAndGenerics() {
        String json = ObjectSchema.of(Numbers.class).toJson();
        String entry = "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"key\":%s,\"value\":%s},"
                + "\"required\":[\"key\",\"value\"],\"additionalProperties\":false}}";
        assertEquals(
                "{\"type\":\"object\",\"properties\":{"
                        + "\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"integer\"},\"c\":{\"type\":\"integer\"},\"d\":{\"type\":\"integer\"},"
                        + "\"e\":{\"type\":\"number\"},\"f\":{\"type\":\"number\"},\"g\":{\"type\":\"number\"},"
                        + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                        + "\"raw\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
                        + "\"scores\":" + entry.formatted("{\"type\":\"string\"}", "{\"type\":\"integer\"}") + ","
                        + "\"flags\":"
                        + entry.formatted("{\"type\":\"string\",\"enum\":[\"LOW\",\"HIGH\"]}", "{\"type\":\"boolean\"}")
                        + ","
                        + "\"page\":{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
                        + "\"properties\":{\"done\":{\"type\":\"boolean\"}},\"required\":[\"done\"],\"additionalProperties\":false}},"
                        + "\"total\":{\"type\":\"integer\"}},\"required\":[\"items\",\"total\"],\"additionalProperties\":false},"
                        + "\"level\":{\"type\":\"string\",\"description\":\"what\",\"enum\":[\"LOW\",\"HIGH\"]}},"
                        + "\"required\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"tags\",\"raw\",\"scores\",\"flags\",\"page\",\"level\"],"
                        + "\"additionalProperties\":false}",
                json);
    }

    record WithEnumDescription(Level level) {}

    @Test
    void of_enumDescribedOnItsType_carriesTheDescription() {
        assertTrue(ObjectSchema.of(WithEnumDescription.class)
                .toJson()
                .contains("\"level\":{\"type\":\"string\",\"description\":\"how hard\",\"enum\":[\"LOW\",\"HIGH\"]}"));
    }

    record RawObject(String title, Object extra) {}

    record NotRecord(String title, StringBuilder notes) {}

    record IntKeys(Map<Integer, String> byNumber) {}

    record Wild(List<? extends Number> values) {}

    record Node(String name, List<Node> children) {}

    record Chars(char initial) {}

    record NullablePrimitive(@Nullable int count) {}

    record RawList(@SuppressWarnings("rawtypes") List items) {}

    record Twice(Optional<Optional<String>> maybe) {}

    record HoldsPage(@SuppressWarnings("rawtypes") Page page) {}

    @Test
    void of_typesItCannotExpress_areRefusedNamingTheRecordAndTheComponent() {
        assertEquals(
                "RawObject.extra: Object cannot be expressed as a JSON Schema; use a record, String, a number, boolean, "
                        + "an enum, List, Set, an array, Map<String, …>, Optional or java.time",
                refusal(RawObject.class));
        assertTrue(refusal(NotRecord.class)
                .startsWith("NotRecord.notes: StringBuilder (not a record) cannot be expressed"));
        assertEquals("IntKeys.byNumber: a Map's keys must be String or an enum, not Integer", refusal(IntKeys.class));
        assertTrue(refusal(Wild.class)
                .startsWith("Wild.values: a wildcard (? extends java.lang.Number) cannot be expressed"));
        assertTrue(refusal(Node.class).startsWith("Node.children: Node contains itself"), refusal(Node.class));
        assertEquals("Chars.initial: a char cannot be expressed; use String", refusal(Chars.class));
        assertEquals(
                "NullablePrimitive.count: the primitive int cannot be null; use Integer to allow null",
                refusal(NullablePrimitive.class));
        assertEquals("RawList.items: a raw List; give its element type", refusal(RawList.class));
        assertEquals("Twice.maybe: Optional<Optional<…>> cannot be expressed", refusal(Twice.class));
        assertTrue(refusal(HoldsPage.class).startsWith("HoldsPage.page: the generic record Page is used raw"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ObjectSchema.of(RecordLike()))
                .getMessage()
                .contains("has type parameters"));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<Record> RecordLike() {
        return (Class) Page.class;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String refusal(Class<?> type) {
        return assertThrows(IllegalArgumentException.class, () -> ObjectSchema.of((Class) type))
                .getMessage();
    }

    @Test
    void parse_objectSchema_keepsItAsGivenAndNamesIt() {
        ObjectSchema<Map<String, Object>> s = ObjectSchema.parse(
                "lead",
                "{\"type\": \"object\", \"properties\": "
                        + "{\"name\": {\"type\": \"string\"}}, \"required\": [\"name\"]}");
        assertEquals("lead", s.name());
        assertEquals(
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}",
                s.toJson());
        assertEquals(
                Map.of("name", "Ada"),
                s.read("{\"name\": \"Ada\", \"extra\": 1}").entrySet().stream()
                        .filter(e -> e.getKey().equals("name"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void parse_malformedSchemas_areRefusedSayingWhere() {
        assertEquals(
                "schema s is not valid JSON: unexpected end of input at offset 1: 1 container is still open, expected '}'",
                assertThrows(IllegalArgumentException.class, () -> ObjectSchema.parse("s", "{"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ObjectSchema.parse("s", "{\"type\": \"array\"}"))
                .getMessage()
                .contains("s must be an object schema"));
        assertEquals(
                "schema s at /properties/a/type: must be one of [null, boolean, object, array, number, string, integer], "
                        + "or a list of them",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ObjectSchema.parse(
                                        "s", "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"text\"}}}"))
                        .getMessage());
        assertEquals(
                "schema s at /required: must be a list of property names",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ObjectSchema.parse("s", "{\"type\": \"object\", \"required\": \"a\"}"))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ObjectSchema.parse(
                                "s",
                                "{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"https://example.com/a.json\"}}}"))
                .getMessage()
                .startsWith("schema s at /properties/a/$ref: must be a reference within the schema"));
        assertThrows(IllegalArgumentException.class, () -> ObjectSchema.parse("not a name", "{\"type\": \"object\"}"));
    }
}
