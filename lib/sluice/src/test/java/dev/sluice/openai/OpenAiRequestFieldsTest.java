package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Responses API's {@code text.verbosity} beside the structured-output format and its
 * {@code prompt_cache_key} (openai-java 4.101's {@code ResponseTextConfig.verbosity()} and
 * {@code ResponseCreateParams.promptCacheKey()}), and Chat Completions' {@code prompt_cache_key},
 * as the client sends them to the test kit's server.
 */
class OpenAiRequestFieldsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final Map<String, Object> SCHEMA = Map.of(
            "type",
            "object",
            "properties",
            Map.of("title", Map.of("type", "string")),
            "required",
            List.of("title"),
            "additionalProperties",
            false);

    private static OpenAiClient client() {
        return OpenAiClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .build();
    }

    private static RecordedRequest sent(ResponseRequest request) {
        FAKE.server().enqueue(FakeResponse.answer().text("{\"title\":\"Soup\"}"));
        try (OpenAiClient c = client();
                ResponseStream s = c.responses().stream(request)) {
            s.forEach(e -> {});
        }
        return FAKE.server().takeRequest();
    }

    @Test
    void responses_verbosityWithFormat_bothInTextBesideEachOther() {
        RecordedRequest q = sent(ResponseRequest.builder()
                .model("gpt-6.1-terra")
                .addUserMessage("a recipe")
                .textFormat(JsonSchemaFormat.strict("recipe", SCHEMA))
                .verbosity("low")
                .build());
        assertEquals("low", q.json("/text/verbosity"));
        assertEquals("json_schema", q.json("/text/format/type"));
        assertEquals("recipe", q.json("/text/format/name"));
        assertEquals(SCHEMA, q.json("/text/format/schema"));
    }

    @Test
    void responses_verbosityAlone_textHoldsOnlyIt() {
        RecordedRequest q = sent(ResponseRequest.builder()
                .model("gpt-6.1-terra")
                .addUserMessage("hi")
                .verbosity("high")
                .build());
        assertEquals(Map.of("verbosity", "high"), q.json("/text"));
        assertNull(q.json("/prompt_cache_key"));
    }

    @Test
    void responses_promptCacheKey_sent() {
        RecordedRequest q = sent(ResponseRequest.builder()
                .model("gpt-6.1-terra")
                .addUserMessage("hi")
                .promptCacheKey("tenant-42")
                .build());
        assertEquals("tenant-42", q.json("/prompt_cache_key"));
        assertNull(q.json("/text"));
    }

    @Test
    void chatCompletions_promptCacheKeyAndVerbosity_sent() {
        FAKE.server().enqueue(FakeResponse.answer().text("ok"));
        try (OpenAiClient c = client();
                ChatCompletionStream s = c.chat().stream(ChatCompletionRequest.builder()
                        .model("gpt-6-luna")
                        .addMessage(ChatCompletionMessage.user("hi"))
                        .promptCacheKey("tenant-42")
                        .verbosity("low")
                        .build())) {
            s.forEach(e -> {});
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("tenant-42", q.json("/prompt_cache_key"));
        assertEquals("low", q.json("/verbosity"));
    }

    @Test
    void builders_valueTheApiLacks_refusedNamingTheField() {
        ResponseRequest.Builder b = ResponseRequest.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.verbosity("max"));
        assertEquals("verbosity must be low, medium or high, not max", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.promptCacheKey(" "));
        assertThrows(
                IllegalArgumentException.class,
                () -> ChatCompletionRequest.builder().promptCacheKey(""));
    }

    @Test
    void responses_reasoningModeSafetyIdentifierAndParallelToolCalls_sent() {
        RecordedRequest q = sent(ResponseRequest.builder()
                .model("gpt-6.1-sol")
                .addUserMessage("hi")
                .reasoning("high", "auto")
                .reasoningMode("pro")
                .safetyIdentifier("user-5f2c9a")
                .parallelToolCalls(false)
                .build());
        assertEquals(Map.of("effort", "high", "summary", "auto", "mode", "pro"), q.json("/reasoning"));
        assertEquals("user-5f2c9a", q.json("/safety_identifier"));
        assertEquals(false, q.json("/parallel_tool_calls"));
    }

    @Test
    void responses_customShellToolSearchAndWebSearchTools_sentInTheirShapes() {
        RecordedRequest q = sent(ResponseRequest.builder()
                .model("gpt-6.1-terra")
                .addUserMessage("hi")
                .addCustomTool("run_sql", "Runs a query")
                .addCustomTool("pick_colour", null, "regex", "^(red|green|blue)$")
                .addShellTool(Map.of("type", "container_auto"))
                .addToolSearch()
                .addWebSearch("low", List.of("example.org"))
                .build());
        assertEquals(Map.of("type", "custom", "name", "run_sql", "description", "Runs a query"), q.json("/tools/0"));
        assertEquals(
                Map.of(
                        "type",
                        "custom",
                        "name",
                        "pick_colour",
                        "format",
                        Map.of("type", "grammar", "syntax", "regex", "definition", "^(red|green|blue)$")),
                q.json("/tools/1"));
        assertEquals(Map.of("type", "shell", "environment", Map.of("type", "container_auto")), q.json("/tools/2"));
        assertEquals(Map.of("type", "tool_search"), q.json("/tools/3"));
        assertEquals(
                Map.of(
                        "type",
                        "web_search",
                        "search_context_size",
                        "low",
                        "filters",
                        Map.of("allowed_domains", List.of("example.org"))),
                q.json("/tools/4"));
    }

    @Test
    void chatCompletions_safetyIdentifierAndParallelToolCalls_sent() {
        FAKE.server().enqueue(FakeResponse.answer().text("ok"));
        try (OpenAiClient c = client();
                ChatCompletionStream s = c.chat().stream(ChatCompletionRequest.builder()
                        .model("gpt-6-luna")
                        .addMessage(ChatCompletionMessage.user("hi"))
                        .addTool(FunctionTool.of("lookup", "Looks a word up", Map.of("type", "object")))
                        .safetyIdentifier("user-5f2c9a")
                        .parallelToolCalls(false)
                        .build())) {
            s.forEach(e -> {});
        }
        RecordedRequest q = FAKE.server().takeRequest();
        assertEquals("user-5f2c9a", q.json("/safety_identifier"));
        assertEquals(false, q.json("/parallel_tool_calls"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ChatCompletionRequest.builder().safetyIdentifier("u".repeat(65)));
        assertTrue(e.getMessage().contains("safetyIdentifier must be 1 to 64 characters"), e.getMessage());
    }

    @Test
    void responses_deferredFunctionTool_sentWithDeferLoadingBesideToolSearch() {
        RecordedRequest q = sent(ResponseRequest.builder()
                .model("gpt-6.1-terra")
                .addUserMessage("hi")
                .addTool(FunctionTool.of("lookup", "Looks a word up", Map.of("type", "object")))
                .addTool(FunctionTool.of("archive", "Searches the archive", Map.of("type", "object")), true)
                .addToolSearch()
                .build());
        assertNull(q.json("/tools/0/defer_loading"));
        assertEquals("archive", q.json("/tools/1/name"));
        assertEquals(true, q.json("/tools/1/defer_loading"));
        assertEquals("tool_search", q.json("/tools/2/type"));
    }

    @Test
    void responses_newFieldsValueTheApiLacks_refusedNamingTheField() {
        ResponseRequest.Builder b = ResponseRequest.builder();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> b.safetyIdentifier("u".repeat(65)));
        assertTrue(e.getMessage().contains("safetyIdentifier must be 1 to 64 characters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.reasoningMode(""));
        assertThrows(IllegalArgumentException.class, () -> b.addCustomTool("t", null, "ebnf", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.addShellTool(Map.of("container_id", "c")));
        assertThrows(IllegalArgumentException.class, () -> b.addWebSearch("huge", List.of()));
    }
}
