package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testkit.StructuredCall.Api;
import dev.sluice.testkit.StructuredCall.Path;
import dev.sluice.testkit.internal.answer.PlannedTexts;
import dev.sluice.testkit.internal.answer.ReplyPlanner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's own answers to structured-output requests, in every API's wire format, natively and
 * through a forced tool call: JSON valid against the request's schema, filled from the prompt,
 * streamed in small deltas, with each API's usage and endings; cut by the token limit; the request
 * checked as the API checks it.
 */
class FakeLlmServerStructuredOutputTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final FakeLlmServer server = FAKE.server();

    static List<Arguments> apisAndPaths() {
        List<Arguments> out = new ArrayList<>();
        for (Api api : Api.values()) for (Path path : Path.values()) out.add(Arguments.of(api, path));
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void stream_recipeSchema_validRecipeInSmallDeltasWithTheApisEnding(Api api, Path path) {
        StructuredCall.Result r = StructuredCall.send(
                server, api, path, "Give me a recipe for pancakes", ObjectAnswerTest.RECIPE, true, 4096);

        assertEquals(200, r.status());
        JsonNode recipe = TestClient.parse(r.json());
        assertEquals(List.of(), SchemaValidator.errors(ObjectAnswerTest.RECIPE, recipe), r.json());
        assertEquals("pancakes", recipe.get("title").asText(), "the plain voice's string: the prompt's word");
        assertTrue(
                r.deltas().size() >= (api == Api.GEMINI && path == Path.TOOL ? 5 : 15),
                "small deltas: " + r.deltas().size());
        assertEquals(StructuredCall.endOf(api, path), r.stop());
        assertNull(r.refusal());
        if (!(api == Api.GEMINI && path == Path.TOOL)) {
            assertTrue(r.deltas().stream().allMatch(d -> d.length() <= 11), "a few characters each: " + r.deltas());
            assertEquals(ReplyPlanner.tokens(r.deltas()), r.outputTokens(), "usage: the estimate of what was sent");
        } else {
            assertTrue(r.outputTokens() > 15);
            assertTrue(
                    r.events().get(r.events().size() - 2).toString().contains("functionCall"),
                    "the call, whole, at the end");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void whole_recipeSchema_theSameJsonInTheApisMessage(Api api, Path path) {
        StructuredCall.Result r = StructuredCall.send(
                server, api, path, "a recipe for sourdough bread", ObjectAnswerTest.RECIPE, false, 4096);

        JsonNode recipe = TestClient.parse(r.json());
        assertEquals(List.of(), SchemaValidator.errors(ObjectAnswerTest.RECIPE, recipe), r.json());
        assertEquals("sourdough", recipe.get("title").asText());
        assertEquals(StructuredCall.endOf(api, path), r.stop());
        assertTrue(r.outputTokens() > 15);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("apisAndPaths")
    void stream_smallTokenLimit_jsonCutMidwayWithTheLimitAsEnding(Api api, Path path) {
        StructuredCall.Result r = StructuredCall.send(
                server,
                api,
                path,
                "Give me a recipe for pancakes",
                ObjectAnswerTest.RECIPE,
                true,
                16); // the least the Responses API takes

        assertEquals(StructuredCall.truncatedEnd(api), r.stop());
        if (api == Api.GEMINI && path == Path.TOOL) {
            assertEquals("", r.json(), "Gemini sends a call whole, so a cut one not at all");
        } else {
            assertTrue(r.json().startsWith("{\"title\":\"pancakes\""), r.json());
            assertTrue(r.json().length() < 100, r.json());
            assertTrue(r.outputTokens() <= 16, "within the limit: " + r.outputTokens());
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void stream_forcedToolCall_namedByTheRequestAndAloneInTheAnswer(Api api) {
        StructuredCall.Result r = StructuredCall.send(
                server, api, Path.TOOL, "Give me a recipe for pancakes", ObjectAnswerTest.RECIPE, true, 4096);

        String events = r.events().toString();
        assertTrue(events.contains("\"name\":\"recipe\""), "the forced tool: " + events.substring(0, 600));
        assertFalse(events.contains(PlannedTexts.TOOL_PREAMBLE), "no prose before a forced call");
    }

    @org.junit.jupiter.api.Test
    void stream_nativeWithAToolTheModelCalls_theCallWithoutProse() {
        String body = StructuredCall.body(
                        Api.ANTHROPIC, Path.NATIVE, "What's the weather in Paris?", ObjectAnswerTest.RECIPE, true, 4096)
                .replace(
                        "\"output_config\"",
                        "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":"
                                + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}],\"output_config\"");
        StructuredCall.Result r = StructuredCall.send(server, Api.ANTHROPIC, Path.TOOL, body, true);

        assertEquals("{\"city\":\"Paris\"}", r.json());
        assertFalse(
                r.types().contains("content_block_start")
                        && r.events().toString().contains("\"type\":\"text\""),
                "no text block");
        assertEquals("tool_use", r.stop());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Api.class)
    void stream_jsonModeWithoutSchema_anObjectFittingThePrompt(Api api) {
        String body = switch (api) {
            case ANTHROPIC -> null; // Anthropic has no JSON mode without a schema
            case CHAT ->
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"A recipe for guacamole in JSON\"}],"
                        + "\"response_format\":{\"type\":\"json_object\"}}";
            case RESPONSES ->
                "{\"model\":\"gpt-4o\",\"stream\":true,\"input\":\"A recipe for guacamole in JSON\",\"text\":{\"format\":{\"type\":\"json_object\"}}}";
            case GEMINI ->
                "{\"contents\":[{\"parts\":[{\"text\":\"A recipe for guacamole\"}]}],\"generationConfig\":{\"responseMimeType\":\"application/json\"}}";
        };
        if (body == null) return;
        StructuredCall.Result r = StructuredCall.send(server, api, Path.NATIVE, body, true);

        assertEquals(
                api == Api.GEMINI ? "guacamole" : "JSON",
                TestClient.parse(r.json()).path("answer").asText(),
                "JSON mode's object: the plain voice's answer, the prompt's word: " + r.json());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Api.class)
    void request_forcedToolNotOffered_400(Api api) {
        String body = StructuredCall.body(api, Path.TOOL, "hi", ObjectAnswerTest.RECIPE, true, 100);
        body = switch (api) {
            case ANTHROPIC ->
                body.replace(
                        "\"tool_choice\":{\"type\":\"tool\",\"name\":\"recipe\"}",
                        "\"tool_choice\":{\"type\":\"tool\",\"name\":\"nope\"}");
            case CHAT ->
                body.replace(
                        "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"recipe\"}}",
                        "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}");
            case RESPONSES ->
                body.replace(
                        "\"tool_choice\":{\"type\":\"function\",\"name\":\"recipe\"}",
                        "\"tool_choice\":{\"type\":\"function\",\"name\":\"nope\"}");
            case GEMINI -> body.replace("\"allowedFunctionNames\":[\"recipe\"]", "\"allowedFunctionNames\":[\"nope\"]");
        };

        StructuredCall.Result r = StructuredCall.send(server, api, Path.TOOL, body, true);

        assertEquals(400, r.status(), body);
        assertTrue(r.events().getFirst().toString().contains("nope"), r.events().toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Api.class,
            names = {"CHAT", "RESPONSES"})
    void request_strictSchemaWithoutAdditionalPropertiesFalse_400AsOpenAiWordsIt(Api api) {
        String loose =
                "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"}},\"required\":[\"title\"]}";
        StructuredCall.Result r = StructuredCall.send(server, api, Path.NATIVE, "hi", loose, true, 100);

        assertEquals(400, r.status());
        assertEquals(
                "Invalid schema for response_format 'recipe': In context=(), 'additionalProperties' is required to be supplied"
                        + " and to be false.",
                r.events().getFirst().path("error").path("message").asText());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Api.class,
            names = {"CHAT", "RESPONSES"})
    void request_strictSchemaWithAnOptionalProperty_400NamingIt(Api api) {
        String optional =
                "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},\"items\":{\"type\":\"array\",\"items\":"
                        + "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"string\"}},\"required\":[\"a\"],"
                        + "\"additionalProperties\":false}}},\"required\":[\"title\",\"items\"],\"additionalProperties\":false}";
        StructuredCall.Result r = StructuredCall.send(server, api, Path.TOOL, "hi", optional, true, 100);

        assertEquals(400, r.status());
        assertEquals(
                "Invalid schema for function 'recipe': In context=('properties', 'items', 'items'), 'required' is required to be"
                        + " supplied and to be an array including every key in properties. Missing 'b'.",
                r.events().getFirst().path("error").path("message").asText());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Api.class,
            names = {"CHAT", "RESPONSES"})
    void request_jsonModeWithoutTheWordJson_400(Api api) {
        String body = api == Api.CHAT
                ? "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"A recipe\"}],\"response_format\":{\"type\":\"json_object\"}}"
                : "{\"model\":\"gpt-4o\",\"input\":\"A recipe\",\"text\":{\"format\":{\"type\":\"json_object\"}}}";
        StructuredCall.Result r = StructuredCall.send(server, api, Path.NATIVE, body, false);

        assertEquals(400, r.status());
        assertTrue(
                r.events().getFirst().path("error").path("message").asText().contains("'json'"),
                r.events().toString());
    }

    @org.junit.jupiter.api.Test
    void request_anthropicThinkingWithAForcedTool_400() {
        String body = StructuredCall.body(Api.ANTHROPIC, Path.TOOL, "hi", ObjectAnswerTest.RECIPE, true, 4096)
                .replace(
                        "\"stream\":true",
                        "\"stream\":true,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}");
        StructuredCall.Result r = StructuredCall.send(server, Api.ANTHROPIC, Path.TOOL, body, true);

        assertEquals(400, r.status());
        assertEquals(
                "Thinking may not be enabled when tool_choice forces tool use.",
                r.events().getFirst().path("error").path("message").asText());
    }

    @org.junit.jupiter.api.Test
    void request_anthropicFormatWithoutSchema_400() {
        String body =
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"output_config\":{\"format\":{\"type\":\"json_schema\"}}}";
        StructuredCall.Result r = StructuredCall.send(server, Api.ANTHROPIC, Path.NATIVE, body, false);

        assertEquals(400, r.status());
        assertEquals(
                "output_config.format.schema: Field required",
                r.events().getFirst().path("error").path("message").asText());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Api.class)
    void stream_toolChoiceNone_textWithoutToolCalls_anyOrRequired_aCall(Api api) {
        String schema =
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}";
        String forced = StructuredCall.body(api, Path.TOOL, "hello there", schema, true, 4096);
        String none = switch (api) {
            case ANTHROPIC -> forced.replace("{\"type\":\"tool\",\"name\":\"recipe\"}", "{\"type\":\"none\"}");
            case CHAT -> forced.replace("{\"type\":\"function\",\"function\":{\"name\":\"recipe\"}}", "\"none\"");
            case RESPONSES -> forced.replace("{\"type\":\"function\",\"name\":\"recipe\"}", "\"none\"");
            case GEMINI ->
                forced.replace("\"mode\":\"ANY\",\"allowedFunctionNames\":[\"recipe\"]", "\"mode\":\"NONE\"");
        };
        String any = switch (api) {
            case ANTHROPIC -> forced.replace("{\"type\":\"tool\",\"name\":\"recipe\"}", "{\"type\":\"any\"}");
            case CHAT -> forced.replace("{\"type\":\"function\",\"function\":{\"name\":\"recipe\"}}", "\"required\"");
            case RESPONSES -> forced.replace("{\"type\":\"function\",\"name\":\"recipe\"}", "\"required\"");
            case GEMINI -> forced.replace(",\"allowedFunctionNames\":[\"recipe\"]", "");
        };

        StructuredCall.Result text = StructuredCall.send(
                server, api, Path.NATIVE, none.replace("hello there", "call the recipe tool"), true);
        StructuredCall.Result call = StructuredCall.send(server, api, Path.TOOL, any, true);

        assertFalse(text.events().toString().contains("\"name\":\"recipe\""), "no call with a tool choice of none");
        assertFalse(text.json().isEmpty());
        assertNotNull(TestClient.parse(call.json()).get("city"), call.json());
    }
}
