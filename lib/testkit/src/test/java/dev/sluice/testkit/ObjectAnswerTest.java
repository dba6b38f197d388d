package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.internal.answer.ObjectAnswer;
import dev.sluice.testkit.internal.answer.ReplyPlanner;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.json.JsonNode;
import dev.sluice.testkit.internal.wire.ApiError;
import dev.sluice.testkit.internal.wire.FakeRequest;
import dev.sluice.testkit.internal.wire.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fake model's structured answers: always valid against the schema, filled from the prompt where it can. */
class ObjectAnswerTest {
    /** A recipe as an application would ask for one: nested objects, a nullable field, an enum, bounds. */
    static final String RECIPE = """
            {"type":"object","properties":{
              "title":{"type":"string","description":"the name of the dish"},
              "servings":{"type":"integer","minimum":1},
              "minutes":{"type":"integer","description":"total time in minutes"},
              "ingredients":{"type":"array","minItems":1,"items":{"type":"object","properties":{
                "name":{"type":"string"},"quantity":{"type":"number"},"unit":{"type":["string","null"]}},
                "required":["name","quantity","unit"],"additionalProperties":false}},
              "steps":{"type":"array","items":{"type":"string"}},
              "difficulty":{"type":"string","enum":["easy","medium","hard"]},
              "source":{"anyOf":[{"type":"string","format":"uri"},{"type":"null"}]}},
             "required":["title","servings","minutes","ingredients","steps","difficulty","source"],"additionalProperties":false}""";

    private static com.fasterxml.jackson.databind.JsonNode answer(String prompt, String schema) {
        return answer(prompt, schema, 0);
    }

    private static com.fasterxml.jackson.databind.JsonNode answer(String prompt, String schema, long seed) {
        try {
            FakeRequest r = request(prompt, schema == null ? null : Json.parse(schema), false);
            return TestClient.parse(Json.write(ObjectAnswer.value(r, seed)));
        } catch (Json.Malformed e) {
            throw new AssertionError(e);
        }
    }

    static FakeRequest request(String prompt, JsonNode schema, boolean viaTool) {
        return FakeRequest.builder("m").maxTokens(4096).prompt(prompt).promptChars(prompt.length()).stream(true)
                .streamUsage(true)
                .build()
                .withOutput(FakeRequest.ToolChoice.AUTO, new FakeRequest.Output("recipe", schema, viaTool));
    }

    private static void assertValid(String schema, com.fasterxml.jackson.databind.JsonNode value) {
        assertEquals(List.of(), SchemaValidator.errors(schema, value), () -> "against " + schema + ":\n" + value);
    }

    @Test
    void value_everyKeyword_validAgainstItsSchema() {
        String schema = """
                {"type":"object","$defs":{"Point":{"type":"object","properties":{"lat":{"type":"number","minimum":-90,"maximum":90},
                   "lon":{"type":"number","minimum":-180,"maximum":180}},"required":["lat","lon"],"additionalProperties":false}},
                 "properties":{
                  "id":{"type":"string","format":"uuid"},"created":{"type":"string","format":"date-time"},
                  "day":{"type":"string","format":"date"},"at":{"type":"string","format":"time"},
                  "cooking":{"type":"string","format":"duration"},"contact":{"type":"string","format":"email"},
                  "home":{"type":"string","format":"uri"},"code":{"type":"string","pattern":"^[A-Z]{3}$"},
                  "short":{"type":"string","maxLength":4},"long":{"type":"string","minLength":40},
                  "even":{"type":"integer","multipleOf":2,"exclusiveMinimum":7,"maximum":20},
                  "ratio":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},
                  "big":{"type":"integer","minimum":1000000},
                  "flag":{"type":"boolean"},"nothing":{"type":"null"},"fixed":{"const":"v1"},
                  "level":{"enum":["low","high",null]},
                  "either":{"oneOf":[{"type":"integer"},{"type":"string","maxLength":0}]},
                  "both":{"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                                   {"properties":{"b":{"type":"integer"}},"required":["b"]}]},
                  "where":{"$ref":"#/$defs/Point"},
                  "maybe":{"type":["null","string"]},
                  "OpenApi":{"type":"STRING","nullable":true},
                  "scores":{"type":"object","additionalProperties":{"type":"integer","minimum":0}},
                  "tags":{"type":"array","items":{"type":"string","enum":["a","b"]},"minItems":2,"maxItems":2,"uniqueItems":true},
                  "pair":{"type":"array","prefixItems":[{"type":"integer"},{"type":"string"}],"items":false,"minItems":2,"maxItems":2},
                  "many":{"type":"array","items":{"type":"integer"},"minItems":7},
                  "few":{"type":"array","items":{"type":"integer"},"maxItems":1},
                  "open":{},
                  "props":{"type":"object","minProperties":2}},
                 "required":["id","created","day","at","cooking","contact","home","code","short","long","even","ratio","big","flag",
                   "nothing","fixed","level","either","both","where","maybe","OpenApi","scores","tags","pair","many","few","open","props"]}""";
        for (String prompt : List.of(
                "", "Give me a recipe for pancakes", "Find 4 leads", "plan my week", "Explain tides", "xyzzy")) {
            assertValid(schema, answer(prompt, schema));
        }
    }

    @Test
    void value_recursiveSchema_endsAtTheDepthLimit() {
        String schema = """
                {"type":"object","$defs":{"Node":{"type":"object","properties":{"name":{"type":"string"},
                  "children":{"type":"array","items":{"$ref":"#/$defs/Node"}},"parent":{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]}},
                  "required":["name","children","parent"]}},
                 "properties":{"root":{"$ref":"#/$defs/Node"}},"required":["root"]}""";
        var v = answer("a tree", schema);

        assertValid(schema, v);
        assertTrue(v.toString().length() < 200_000, "bounded: " + v.toString().length());
    }

    /** Random schemas of every kind, for many prompts: the answer is always valid. */
    @Test
    void value_randomSchemas_alwaysValid() {
        Random random = new Random(56);
        List<String> prompts = List.of(
                "Give me a recipe for pancakes",
                "Find 3 leads in Lisbon",
                "a plan for my garden",
                "Explain rivers",
                "",
                "What is 2+2?");
        for (int i = 0; i < 300; i++) {
            String schema = randomSchema(random, 0, true);
            String prompt = prompts.get(i % prompts.size());
            assertValid(schema, answer(prompt, schema, i));
        }
    }

    private static final List<String> NAMES = List.of(
            "title",
            "name",
            "email",
            "city",
            "date",
            "minutes",
            "servings",
            "steps",
            "ingredients",
            "quantity",
            "unit",
            "score",
            "tags",
            "description",
            "first_name",
            "lastName",
            "price",
            "url",
            "id",
            "latitude",
            "summary",
            "done",
            "order",
            "company",
            "role",
            "count",
            "notes",
            "x");

    private static String randomSchema(Random r, int depth, boolean object) {
        int kind = object ? 0 : r.nextInt(depth > 3 ? 5 : 8);
        String description = r.nextInt(4) == 0 ? ",\"description\":\"" + NAMES.get(r.nextInt(NAMES.size())) + "\"" : "";
        return switch (kind) {
            case 0, 5 -> {
                StringBuilder props = new StringBuilder();
                List<String> required = new ArrayList<>();
                int n = 1 + r.nextInt(5);
                for (int k = 0; k < n; k++) {
                    String name = NAMES.get(r.nextInt(NAMES.size())) + (k > 0 && r.nextBoolean() ? k : "");
                    if (props.indexOf("\"" + name + "\"") >= 0) continue;
                    if (!props.isEmpty()) props.append(',');
                    props.append('"').append(name).append("\":").append(randomSchema(r, depth + 1, false));
                    if (r.nextBoolean()) required.add('"' + name + '"');
                }
                yield "{\"type\":\"object\",\"properties\":{" + props + "},\"required\":" + required
                        + ",\"additionalProperties\":false" + description + "}";
            }
            case 1, 6 -> {
                int min = r.nextInt(3);
                String bounds = r.nextBoolean() ? ",\"minItems\":" + min + ",\"maxItems\":" + (min + r.nextInt(4)) : "";
                yield "{\"type\":\"array\",\"items\":" + randomSchema(r, depth + 1, false) + bounds + description + "}";
            }
            case 2 ->
                switch (r.nextInt(6)) {
                    case 0 ->
                        "{\"type\":\"string\",\"format\":\""
                                + List.of("date", "date-time", "email", "uri", "uuid", "duration", "time")
                                        .get(r.nextInt(7))
                                + "\"}";
                    case 1 ->
                        "{\"type\":\"string\",\"minLength\":" + r.nextInt(30) + ",\"maxLength\":" + (30 + r.nextInt(30))
                                + "}";
                    case 2 -> "{\"type\":\"string\",\"enum\":[\"red\",\"green\",\"blue\"]}";
                    case 3 -> "{\"type\":[\"string\",\"null\"]" + description + "}";
                    default -> "{\"type\":\"string\"" + description + "}";
                };
            case 3 -> {
                int low = r.nextInt(200) - 100;
                String type = r.nextBoolean() ? "integer" : "number";
                String multiple = r.nextInt(3) == 0
                        ? ",\"multipleOf\":" + (type.equals("integer") ? 1 + r.nextInt(5) : "0.5")
                        : "";
                yield "{\"type\":\"" + type + "\",\"minimum\":" + low + ",\"maximum\":" + (low + 10 + r.nextInt(100))
                        + multiple + description + "}";
            }
            case 4 ->
                r.nextBoolean()
                        ? "{\"type\":\"boolean\"}"
                        : "{\"anyOf\":[" + randomSchema(r, depth + 1, false) + ",{\"type\":\"null\"}]}";
            default -> "{\"type\":\"integer\"" + description + "}";
        };
    }

    @Test
    void plan_forcedTool_anObjectInputStreamedAsArguments() throws Exception {
        FakeRequest r = request("Give me a recipe for pancakes", Json.parse(RECIPE), true);

        ObjectAnswer.Planned p =
                ObjectAnswer.plan(r, ObjectAnswer.Script.GENERATED, 0, new Random(1), Integer.MAX_VALUE);

        Reply.ToolUse call = (Reply.ToolUse) p.blocks().getFirst();
        assertEquals("recipe", call.name());
        assertEquals(Json.write(call.input()), String.join("", call.deltas()));
        assertTrue(call.deltas().size() > 20, "small deltas");
        assertTrue(
                call.deltas().stream().allMatch(d -> d.length() >= 1 && d.length() <= 11),
                call.deltas().toString());
        assertEquals(Reply.Stop.FORCED_TOOL_USE, p.stop());
        assertEquals(ReplyPlanner.tokens(call.deltas()), p.tokens());
    }

    @Test
    void plan_overBudget_cutMidJsonWithTheLimitAsEnding() throws Exception {
        FakeRequest r = request("Give me a recipe for pancakes", Json.parse(RECIPE), false);

        ObjectAnswer.Planned p = ObjectAnswer.plan(r, ObjectAnswer.Script.GENERATED, 0, new Random(1), 25);

        String text = ((Reply.Text) p.blocks().getFirst()).text();
        assertEquals(Reply.Stop.MAX_TOKENS, p.stop());
        assertTrue(text.startsWith("{\"title\":"), text);
        assertThrows(Json.Malformed.class, () -> Json.parse(text));
        assertTrue(p.tokens() <= 25);
    }

    @Test
    void withWrongType_eachKindOfValue_anotherType_missingPath_500() throws Exception {
        JsonNode v = Json.parse("{\"s\":\"x\",\"n\":1,\"b\":true,\"z\":null,\"a\":[1,{\"k\":\"v\"}],\"o\":{}}");

        assertEquals(
                "{\"s\":12345,\"n\":1,\"b\":true,\"z\":null,\"a\":[1,{\"k\":\"v\"}],\"o\":{}}",
                Json.write(ObjectAnswer.withWrongType(v, "/s")));
        assertEquals(
                "\"not a number\"",
                Json.write(ObjectAnswer.withWrongType(v, "/n").get("n")));
        assertEquals(
                "\"not a boolean\"",
                Json.write(ObjectAnswer.withWrongType(v, "/b").get("b")));
        assertEquals("[]", Json.write(ObjectAnswer.withWrongType(v, "/z").get("z")));
        assertEquals(
                "12345",
                Json.write(
                        ObjectAnswer.withWrongType(v, "/a/1/k").get("a").get(1).get("k")));
        assertEquals(
                "\"not an object\"",
                Json.write(ObjectAnswer.withWrongType(v, "/o").get("o")));
        assertEquals("\"not an object\"", Json.write(ObjectAnswer.withWrongType(v, "")));
        ApiError e = assertThrows(ApiError.class, () -> ObjectAnswer.withWrongType(v, "/a/7"));
        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains("/a/7"), e.getMessage());
    }
}
