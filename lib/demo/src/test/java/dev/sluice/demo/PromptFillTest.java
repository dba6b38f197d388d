package dev.sluice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.internal.answer.ObjectAnswer;
import dev.sluice.testkit.internal.answer.Voices;
import dev.sluice.testkit.internal.json.Json;
import dev.sluice.testkit.internal.wire.FakeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The demo model's structured answers, filled from the prompt where it can ({@link PromptFill}, spoken
 * through the test kit's planner). That they are valid against their schemas is checked where the
 * library reads them (lib/sluice's object tests run on this model); here, what they say.
 */
class PromptFillTest {
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

    static final String LEADS = """
            {"type":"object","properties":{"leads":{"type":"array","items":{"type":"object","properties":{
              "name":{"type":"string"},"email":{"type":"string","format":"email"},"company":{"type":"string"},
              "title":{"type":"string"},"city":{"type":"string"},"score":{"type":"integer","minimum":0,"maximum":100}},
              "required":["name","email","company","title","city","score"],"additionalProperties":false}}},
             "required":["leads"],"additionalProperties":false}""";

    static final String PLAN = """
            {"type":"object","properties":{"title":{"type":"string"},"steps":{"type":"array","items":{"type":"object",
              "properties":{"order":{"type":"integer"},"description":{"type":"string"},"due":{"type":"string","format":"date"},
              "done":{"type":"boolean"}}}}}}""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static com.fasterxml.jackson.databind.JsonNode answer(String prompt, String schema) {
        return answer(prompt, schema, 0);
    }

    private static com.fasterxml.jackson.databind.JsonNode answer(String prompt, String schema, long seed) {
        try {
            FakeRequest r = request(prompt, schema == null ? null : Json.parse(schema));
            assertTrue(Voices.current() instanceof DemoVoice, "the server speaks with the demo model");
            return JSON.readTree(Json.write(ObjectAnswer.value(r, seed)));
        } catch (Json.Malformed | java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static FakeRequest request(String prompt, dev.sluice.testkit.internal.json.JsonNode schema) {
        return FakeRequest.builder("m").maxTokens(4096).prompt(prompt).promptChars(prompt.length()).stream(true)
                .streamUsage(true)
                .build()
                .withOutput(FakeRequest.ToolChoice.AUTO, new FakeRequest.Output("recipe", schema, false));
    }

    @Test
    void value_recipeForPancakes_aRealRecipeValidAgainstTheSchema() {
        var v = answer("Give me a recipe for pancakes", RECIPE);

        assertTrue(v.get("title").asText().toLowerCase(Locale.ROOT).contains("pancake"), v.toString());
        assertEquals(4, v.get("servings").asInt());
        assertEquals(30, v.get("minutes").asInt(), "prep and cooking");
        assertEquals(7, v.get("ingredients").size());
        assertEquals("plain flour", v.at("/ingredients/0/name").asText());
        assertEquals(200.0, v.at("/ingredients/0/quantity").asDouble());
        assertEquals("g", v.at("/ingredients/0/unit").asText());
        assertTrue(v.get("steps").size() >= 5);
        assertEquals("easy", v.get("difficulty").asText());
        assertEquals(
                List.of("title", "servings", "minutes", "ingredients", "steps", "difficulty", "source"),
                iterable(v.fieldNames()),
                "keys in the schema's order, as strict providers emit them");
    }

    @Test
    void value_sourdough_theBreadTopicsLoaf() {
        var v = answer("a recipe for sourdough bread", RECIPE);

        assertEquals("Sourdough bread", v.get("title").asText());
        assertEquals("bread flour", v.at("/ingredients/0/name").asText());
        assertEquals(500.0, v.at("/ingredients/0/quantity").asDouble(), "the loaf of the bread topic's example");
        assertTrue(v.get("steps").toString().contains("250 °C"));
    }

    @Test
    void value_dishWithoutARecipe_aSampleRecipeThatSaysSo() {
        var v = answer("Give me a recipe for moussaka", RECIPE);

        assertTrue(
                v.get("title").asText().contains("a sample: the fake model has no recipe for moussaka"),
                v.get("title").asText());
    }

    @Test
    void value_leads_theNumberAskedForOfDistinctFictionalPeople() {
        var v = answer("Find 5 leads in Berlin for our analytics product", LEADS);

        assertEquals(5, v.get("leads").size());
        List<String> names = new ArrayList<>();
        for (var lead : v.get("leads")) {
            names.add(lead.get("name").asText());
            assertTrue(lead.get("name").asText().matches("\\p{Lu}\\p{L}+ \\p{Lu}\\p{L}+"), lead.toString());
            assertTrue(lead.get("email").asText().endsWith(".example"), "a reserved domain: " + lead);
            assertEquals("Berlin", lead.get("city").asText(), "the place the prompt names");
            assertFalse(lead.get("title").asText().startsWith("sample"), "a job title: " + lead);
        }
        assertEquals(5, names.stream().distinct().count(), names.toString());
    }

    @Test
    void value_planForATopic_stepsFromTheTopicNumberedAndDated() {
        var v = answer("Make me a plan to learn git", PLAN);

        assertEquals("A plan for git basics", v.get("title").asText());
        assertTrue(v.get("steps").size() >= 3);
        assertEquals(1, v.at("/steps/0/order").asInt());
        assertEquals(2, v.at("/steps/1/order").asInt());
        assertTrue(v.at("/steps/0/description").asText().length() > 20, v.toString());
        assertNotEquals(v.at("/steps/0/due").asText(), v.at("/steps/1/due").asText());
        assertFalse(v.at("/steps/0/done").asBoolean());
    }

    @Test
    void value_topic_itsNameSummaryAndDetails() {
        String schema = """
                {"type":"object","properties":{"topic":{"type":"string"},"summary":{"type":"string"},
                 "key_points":{"type":"array","items":{"type":"string"},"maxItems":3}}}""";
        var v = answer("Explain tides", schema);

        assertEquals("Tides", v.get("topic").asText());
        assertTrue(v.get("summary").asText().contains("Moon"), v.toString());
        assertEquals(3, v.get("key_points").size());
    }

    @Test
    void value_nothingToFillFrom_honestSamplePlaceholders() {
        String schema = """
                {"type":"object","properties":{"color":{"type":"string"},"flavour":{"type":"string"},"weight":{"type":"number"}},
                 "required":["color","flavour","weight"]}""";
        var v = answer("Describe a unicorn", schema);

        assertEquals("sample flavour", v.get("flavour").asText());
    }

    @Test
    void value_promptItHasNoSampleFor_firstStringSaysItIsTheDemoModels() {
        String schema = """
                {"type":"object","properties":{"name":{"type":"string"},"born":{"type":"integer"}},
                 "required":["name","born"],"additionalProperties":false}""";
        for (String prompt : List.of(
                "Who invented the telephone? Give the name and birth year", "Who designed TCP and when was he born?")) {
            var v = answer(prompt, schema);

            assertEquals(
                    "sample name (" + PromptFill.NO_ANSWER + ")",
                    v.get("name").asText(),
                    "not a guess such as \"Year\": " + v);
        }
        var nested = answer("Who invented the telephone?", """
                {"type":"object","properties":{"year":{"type":"integer"},"who":{"type":"object","properties":{"name":{"type":"string"}}},
                 "city":{"type":"string"},"title":{"type":"string"}}}""");
        assertEquals(
                "sample city (" + PromptFill.NO_ANSWER + ")",
                nested.get("city").asText(),
                "the first string of the object");
        assertEquals("sample title", nested.get("title").asText(), "no guessed title: " + nested);
    }

    @Test
    void value_namesThatSayNothing_readByTheirDescriptions() {
        String schema = """
                {"type":"object","properties":{"a":{"type":"string","description":"The dish's name"},
                 "b":{"type":"integer","description":"How many minutes it takes in all"},
                 "c":{"type":"array","items":{"type":"string"},"description":"The ingredients, one a line"}}}""";
        var v = answer("Give me a recipe for pancakes", schema);

        assertEquals("Fluffy pancakes", v.get("a").asText());
        assertEquals(30, v.get("b").asInt());
        assertEquals("200 g plain flour", v.get("c").get(0).asText());
        assertEquals(7, v.get("c").size(), "the recipe's ingredients, all of them");
    }

    @Test
    void value_jsonModeWithoutSchema_anObjectThatFitsThePrompt() {
        var recipe = answer("Give me a recipe for guacamole as JSON", null);
        var other = answer("Say hello as JSON", null);

        assertEquals("Guacamole", recipe.get("title").asText());
        assertTrue(recipe.get("ingredients").get(0).asText().contains("avocados"), recipe.toString());
        assertFalse(other.get("answer").asText().isEmpty(), "the fake model's own answer: " + other);
    }

    @Test
    void value_samePromptAndSeed_sameAnswer_otherSeed_otherCast() {
        assertEquals(answer("Find 3 leads", LEADS, 1), answer("Find 3 leads", LEADS, 1));
        boolean differs = false;
        for (long seed = 2; seed < 8 && !differs; seed++)
            differs = !answer("Find 3 leads", LEADS, 1).equals(answer("Find 3 leads", LEADS, seed));
        assertTrue(differs, "the seed picks where the cast starts");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
