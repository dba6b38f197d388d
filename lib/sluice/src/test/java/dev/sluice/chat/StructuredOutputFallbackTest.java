package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.client.Failover;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link FallbackChain} hands each target the request's response format, which each target's
 * client sends in its own way for its model: natively on one, as a forced tool call on the next;
 * and an answer in structured output is restarted on the next target, never continued.
 */
class StructuredOutputFallbackTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    private static final Map<String, Object> SCHEMA = Map.of(
            "type",
            "object",
            "properties",
            Map.of("title", Map.of("type", "string")),
            "required",
            List.of("title"),
            "additionalProperties",
            false);
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("chain")
            .addMessage(ChatMessage.user("A soup"))
            .responseFormat(new ResponseFormat("recipe", SCHEMA, true))
            .build();

    private static AnthropicClient anthropic() {
        return AnthropicClient.builder()
                .baseUrl(fake.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @Test
    void stream_firstTargetNativeFails_nextTargetGetsTheFormatAsForcedTool() {
        fake.server()
                .enqueue(
                        FakeResponse.overloaded(),
                        FakeResponse.answer().toolCall("recipe", "{\"title\":", "\"Soup\"}"));
        ChatResponse r;
        try (AnthropicClient claude = anthropic();
                OpenAiClient gpt = OpenAiClient.builder()
                        .baseUrl(fake.server().baseUrl().toString())
                        .build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target(claude, "claude-sonnet-4-5")
                    .target(gpt, "gpt-4-turbo")
                    .build();
            r = chain.chat(REQUEST);
        }
        List<RecordedRequest> sent = fake.server().requests();
        assertEquals(2, sent.size());
        assertEquals(
                "json_schema", sent.get(0).json("/output_config/format/type"), "Claude 4.5 takes the format natively");
        assertEquals(SCHEMA, sent.get(0).json("/output_config/format/schema"));
        assertNull(sent.get(1).json("/response_format"));
        assertEquals("recipe", sent.get(1).json("/tool_choice/function/name"), "gpt-4-turbo gets the forced function");
        assertEquals(Map.of("title", "Soup"), r.toolCalls().getFirst().parsedArguments());
        assertEquals("gpt-4-turbo", r.metadata().failovers().getFirst().to());
    }

    @Test
    void stream_cutAfterJsonText_restartedOnTheNextTargetNotContinued() {
        fake.server()
                .enqueue(
                        FakeResponse.answer().text("{\"ti", "tle\":", "\"So").cutAfter(2),
                        FakeResponse.answer().text("{\"title\":", "\"Soup\"}"));
        ChatResponse r;
        try (AnthropicClient a = anthropic();
                AnthropicClient b = anthropic()) {
            FallbackChain chain = FallbackChain.builder()
                    .target(a, "claude-sonnet-4-5")
                    .target(b, "claude-opus-4-5")
                    .build();
            r = chain.chat(REQUEST);
        }
        List<RecordedRequest> sent = fake.server().requests();
        assertEquals(2, sent.size());
        assertEquals(
                1, ((List<?>) sent.get(1).json("/messages")).size(), "no assistant prefill with structured output");
        assertEquals("json_schema", sent.get(1).json("/output_config/format/type"));
        Failover f = r.metadata().failovers().getFirst();
        assertEquals(Failover.Mode.RESTART, f.mode());
        assertTrue(f.reset());
        assertEquals("{\"title\":\"Soup\"}", r.text());
    }
}
