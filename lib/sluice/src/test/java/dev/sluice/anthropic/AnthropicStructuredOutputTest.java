package dev.sluice.anthropic;

import static dev.sluice.StructuredOutputCases.RECIPE;
import static dev.sluice.StructuredOutputCases.SCHEMA;
import static dev.sluice.StructuredOutputCases.WEATHER;
import static dev.sluice.StructuredOutputCases.choice;
import static dev.sluice.StructuredOutputCases.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.ToolChoice;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Structured output and tool choice on the Messages API, as sent (the fake server's recorded
 * requests) and as answered: {@code output_config.format} for a model that takes it, a forced tool
 * call for others, the builder's mode over the model's, and a refusal's explanation.
 */
class AnthropicStructuredOutputTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    private static AnthropicClient.Builder client() {
        return AnthropicClient.builder().baseUrl(fake.server().baseUrl().toString());
    }

    /** Sends the request, answered with {@code answer}; {@return what the client sent} */
    private static RecordedRequest sent(AnthropicClient.Builder builder, ChatRequest request) {
        fake.server().enqueue(FakeResponse.answer().text("{}"));
        try (AnthropicClient c = builder.build()) {
            c.chat(request);
        }
        return fake.server().takeRequest();
    }

    @Test
    void stream_modelWithStructuredOutput_outputConfigFormatAndTextAnswer() {
        fake.server().enqueue(FakeResponse.answer().text("{\"title\":", "\"Soup\"}"));
        ChatResponse r;
        try (AnthropicClient c = client().build()) {
            r = c.chat(
                    request("claude-sonnet-4-5-20250929").responseFormat(RECIPE).build());
        }
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals(Map.of("format", Map.of("type", "json_schema", "schema", SCHEMA)), sent.json("/output_config"));
        assertNull(sent.json("/tools"));
        assertNull(sent.json("/tool_choice"));
        assertEquals("{\"title\":\"Soup\"}", r.text());
    }

    @Test
    void stream_modelWithoutStructuredOutput_forcedToolAndArgumentsAnswer() {
        fake.server().enqueue(FakeResponse.answer().toolCall("recipe", "{\"title\":", "\"Soup\"}"));
        ChatResponse r;
        try (AnthropicClient c = client().build()) {
            r = c.chat(
                    request("claude-3-5-haiku-20241022").responseFormat(RECIPE).build());
        }
        RecordedRequest sent = fake.server().takeRequest();
        assertNull(sent.json("/output_config"));
        assertEquals("recipe", sent.json("/tools/0/name"));
        assertEquals(SCHEMA, sent.json("/tools/0/input_schema"));
        assertEquals(Map.of("type", "tool", "name", "recipe"), sent.json("/tool_choice"));
        assertEquals("recipe", r.toolCalls().getFirst().name());
        assertEquals(Map.of("title", "Soup"), r.toolCalls().getFirst().parsedArguments());
    }

    @Test
    void stream_builderMode_overridesTheModelsRule() {
        RecordedRequest tool = sent(
                client().structuredOutput(StructuredOutputMode.TOOL),
                request("claude-opus-4-5").responseFormat(RECIPE).build());
        assertNull(tool.json("/output_config"));
        assertEquals("tool", tool.json("/tool_choice/type"));
        // a model the table does not know (a proxy's name): the table refuses native output to Claude 3.x
        RecordedRequest nativeFormat = sent(
                client().structuredOutput(StructuredOutputMode.NATIVE),
                request("house-model-7").responseFormat(RECIPE).build());
        assertEquals("json_schema", nativeFormat.json("/output_config/format/type"));
        assertNull(nativeFormat.json("/tools"));
    }

    @Test
    void stream_modeOfSharedClientOptions_applies() {
        dev.sluice.client.ClientOptions shared = dev.sluice.client.ClientOptions.builder()
                .structuredOutput(StructuredOutputMode.TOOL)
                .build();
        assertEquals(StructuredOutputMode.TOOL, shared.structuredOutput());
        assertTrue(shared.toString().contains("structuredOutput=TOOL"), shared.toString());
        RecordedRequest sent = sent(
                AnthropicClient.builder()
                        .options(shared)
                        .baseUrl(fake.server().baseUrl().toString()),
                request("claude-sonnet-4-5").responseFormat(RECIPE).build());
        assertEquals("tool", sent.json("/tool_choice/type"));
    }

    @Test
    void stream_forcedToolWithOtherTools_keepsThemAndRequiresAny() {
        RecordedRequest sent = sent(
                client(),
                request("claude-sonnet-4-0")
                        .addTool(WEATHER)
                        .responseFormat(RECIPE)
                        .build());
        assertEquals("get_weather", sent.json("/tools/0/name"));
        assertEquals("recipe", sent.json("/tools/1/name"));
        assertEquals(Map.of("type", "any"), sent.json("/tool_choice"));
    }

    @ParameterizedTest
    @CsvSource({"auto, auto", "none, none", "required, any", "named, tool"})
    void stream_toolChoiceWithTools_sentInAnthropicsTerms(String choice, String type) {
        ToolChoice c = choice(choice);
        RecordedRequest sent = sent(
                client(),
                request("claude-sonnet-4-5").addTool(WEATHER).toolChoice(c).build());
        assertEquals(type, sent.json("/tool_choice/type"));
        assertEquals(type.equals("tool") ? "get_weather" : null, sent.json("/tool_choice/name"));
    }

    @Test
    void stream_toolChoiceWithoutTools_notSent() {
        assertNull(sent(
                        client(),
                        request("claude-sonnet-4-5")
                                .toolChoice(ToolChoice.none())
                                .build())
                .json("/tool_choice"));
    }

    @Test
    void toMessageRequest_forcedToolWithThinking_refusedBeforeSending() {
        ChatRequest r = request("claude-3-7-sonnet-20250219")
                .responseFormat(RECIPE)
                .thinkingBudget(2048)
                .build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnthropicRequests.toMessageRequest(r));
        assertTrue(e.getMessage().contains("thinking") && e.getMessage().contains("Claude 4.5"), e.getMessage());
        AnthropicRequests.toMessageRequest(request("claude-sonnet-4-5")
                .responseFormat(RECIPE)
                .thinkingBudget(2048)
                .build());
    }

    @ParameterizedTest
    @CsvSource({
        "claude-sonnet-4-5, true",
        "claude-sonnet-4-5-20250929, true",
        "claude-opus-4-5, true",
        "claude-haiku-4-5, true",
        "claude-opus-4-6, true",
        "claude-sonnet-4.5, true",
        "claude-sonnet-5, true",
        "anthropic/claude-opus-4-7, true",
        "claude-opus-4-1, false",
        "claude-opus-4-20250514, false",
        "claude-sonnet-4-0, false",
        "claude-3-5-sonnet-20241022, false",
        "claude-3-7-sonnet-latest, false",
        "claude-fable-5, true", // by capability (the catalog), not by a name pattern that knew only opus|sonnet|haiku
        "m, false"
    })
    void nativeStructuredOutput_byModelName(String model, boolean expected) {
        assertEquals(expected, AnthropicRequests.nativeStructuredOutput(model), model);
    }

    @Test
    void stream_refusal_refusalKindWithTheExplanationAsMessage() {
        fake.server().enqueue(FakeResponse.sse("""
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":5,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{\\"title\\":"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_details":{"type":"refusal","category":"cyber","explanation":"Declined by policy."}},"usage":{"output_tokens":4}}

                event: message_stop
                data: {"type":"message_stop"}

                """));
        ChatResponse r;
        try (AnthropicClient c = client().build()) {
            r = c.chat(request("claude-sonnet-4-5").responseFormat(RECIPE).build());
        }
        assertEquals(new FinishReason(FinishReason.Kind.REFUSAL, "refusal", "Declined by policy."), r.finishReason());
        assertEquals("{\"title\":", r.text(), "what Claude wrote before it stopped stays the text");
    }

    @Test
    void stream_cutWithResumePolicy_notResumedWithAPrefill() {
        fake.server()
                .enqueue(FakeResponse.answer().text("{\"ti", "tle\":", "\"So").cutAfter(2));
        try (AnthropicClient c = client().resume(ResumePolicy.upTo(1)).build()) {
            dev.sluice.SluiceException e = assertThrows(
                    dev.sluice.SluiceException.class,
                    () -> c.chat(
                            request("claude-sonnet-4-5").responseFormat(RECIPE).build()));
            assertTrue(
                    e.getMessage().contains("not resumed") && e.getMessage().contains("structured output"),
                    e.getMessage());
        }
        assertEquals(1, fake.server().requestCount());
    }

    @Test
    void outputFormat_withExtraOutputConfig_formatAddedToItsMembers() {
        MessageRequest r = MessageRequest.builder()
                .model("m")
                .maxTokens(10)
                .addUserMessage("x")
                .extra("output_config", Map.of("effort", "low"))
                .outputFormat(SCHEMA)
                .build();
        String json = RequestJson.write(r, true);
        assertTrue(
                json.endsWith(",\"output_config\":{\"effort\":\"low\",\"format\":{\"type\":\"json_schema\",\"schema\":"
                        + dev.sluice.internal.low.json.JsonOut.write(SCHEMA) + "}}}"),
                json);
        assertEquals(SCHEMA, r.outputFormat().orElseThrow());
        assertThrows(
                IllegalStateException.class,
                () -> MessageRequest.builder()
                        .model("m")
                        .maxTokens(10)
                        .addUserMessage("x")
                        .extra("output_config", Map.of("format", Map.of()))
                        .outputFormat(SCHEMA)
                        .build());
        assertThrows(
                IllegalArgumentException.class, () -> MessageRequest.builder().outputFormat(Map.of("type", "string")));
    }
}
