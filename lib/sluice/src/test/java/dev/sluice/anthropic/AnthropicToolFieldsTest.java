package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tool's {@code strict} and {@code defer_loading} (anthropic-java 3.14's {@code Tool.strict()} and
 * {@code Tool.deferLoading()}), as the client sends them to the test kit's server, beside a tool
 * search tool; left out when not set.
 */
class AnthropicToolFieldsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final Map<String, Object> SCHEMA =
            Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")));

    private static RecordedRequest sent(MessageRequest request) {
        FAKE.server().enqueue(FakeResponse.answer().text("ok"));
        try (AnthropicClient c = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .build();
                MessageStream s = c.messages().stream(request)) {
            s.forEach(e -> {});
        }
        return FAKE.server().takeRequest();
    }

    @Test
    void stream_strictAndDeferredTools_sentOnEachToolBesideTheToolSearchTool() {
        MessageRequest request = MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(64)
                .addUserMessage("weather in Oslo?")
                .addTool(ServerTool.of(
                        Map.of("type", "tool_search_tool_regex_20251119", "name", "tool_search_tool_regex")))
                .addTool(CustomTool.of("get_weather", "Weather of a city", SCHEMA)
                        .withStrict(true))
                .addTool(CustomTool.of("get_tides", "Tides of a harbour", SCHEMA)
                        .withDeferLoading(true)
                        .withStrict(false))
                .build();

        RecordedRequest q = sent(request);

        assertEquals(true, q.json("/tools/1/strict"));
        assertNull(q.json("/tools/1/defer_loading"));
        assertEquals(true, q.json("/tools/2/defer_loading"));
        assertEquals(false, q.json("/tools/2/strict"));
        assertEquals("tool_search_tool_regex_20251119", q.json("/tools/0/type"));
        assertEquals(SCHEMA, q.json("/tools/2/input_schema"));
    }

    @Test
    void stream_toolWithoutTheFields_sendsNeither() {
        RecordedRequest q = sent(MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(64)
                .addUserMessage("hi")
                .addTool(CustomTool.of("get_weather", null, SCHEMA))
                .build());
        assertEquals(Set.of("name", "input_schema"), ((Map<?, ?>) q.json("/tools/0")).keySet());
    }

    @Test
    void withers_keepEveryOtherComponent() {
        CustomTool t = CustomTool.of("t", "d", SCHEMA)
                .withCacheControl(Map.of("type", "ephemeral"))
                .withEagerInputStreaming(true)
                .withStrict(true)
                .withDeferLoading(true)
                .withCacheControl(Map.of("type", "ephemeral", "ttl", "1h"));
        assertEquals(true, t.strict());
        assertEquals(true, t.deferLoading());
        assertEquals(true, t.eagerInputStreaming());
        assertEquals("1h", t.cacheControl().get("ttl"));
    }

    @Test
    void stream_inputExamplesAndAllowedCallers_sentOnTheTool() {
        RecordedRequest q = sent(MessageRequest.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(64)
                .addUserMessage("weather in Oslo?")
                .addTool(ServerTool.of(Map.of("type", "code_execution_20260521", "name", "code_execution")))
                .addTool(CustomTool.of("get_weather", "Weather of a city", SCHEMA)
                        .withInputExamples(List.of(Map.of("city", "Oslo"), Map.of("city", "Bergen")))
                        .withAllowedCallers("direct", "code_execution_20260521"))
                .build());
        assertEquals(List.of(Map.of("city", "Oslo"), Map.of("city", "Bergen")), q.json("/tools/1/input_examples"));
        assertEquals(List.of("direct", "code_execution_20260521"), q.json("/tools/1/allowed_callers"));
    }

    @Test
    void withAllowedCallers_noneOrUnknown_refusedNamingTheTool() {
        CustomTool t = CustomTool.of("get_weather", null, SCHEMA);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> t.withAllowedCallers("programmatic"));
        assertTrue(e.getMessage().contains("get_weather") && e.getMessage().contains("'programmatic'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, t::withAllowedCallers);
        assertThrows(IllegalArgumentException.class, () -> t.withInputExamples(List.of(Map.of("when", new Object()))));
    }

    @Test
    void withers_keepInputExamplesAndAllowedCallers() {
        CustomTool t = CustomTool.of("t", "d", SCHEMA)
                .withInputExamples(List.of(Map.of("city", "Oslo")))
                .withAllowedCallers("direct")
                .withStrict(true)
                .withDeferLoading(true)
                .withEagerInputStreaming(false)
                .withCacheControl(Map.of("type", "ephemeral"));
        assertEquals(List.of(Map.of("city", "Oslo")), t.inputExamples());
        assertEquals(List.of("direct"), t.allowedCallers());
    }
}
