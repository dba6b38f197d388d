package dev.sluice.gemini;

import static dev.sluice.StructuredOutputCases.RECIPE;
import static dev.sluice.StructuredOutputCases.SCHEMA;
import static dev.sluice.StructuredOutputCases.WEATHER;
import static dev.sluice.StructuredOutputCases.choice;
import static dev.sluice.StructuredOutputCases.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.ToolChoice;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Structured output and tool choice on Gemini, as sent (the fake server's recorded requests) and as
 * answered: {@code responseMimeType} and {@code responseJsonSchema} for a model that takes them, a
 * forced function call elsewhere, the builder's mode over the model's, and a safety stop's message.
 */
class GeminiStructuredOutputTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    private static GeminiClient.Builder client() {
        return GeminiClient.builder().baseUrl(fake.server().baseUrl().toString());
    }

    private static RecordedRequest sent(GeminiClient.Builder builder, ChatRequest request) {
        fake.server().enqueue(FakeResponse.answer().text("{}"));
        try (GeminiClient c = builder.build()) {
            c.chat(request);
        }
        return fake.server().takeRequest();
    }

    @Test
    void stream_modelWithStructuredOutput_responseJsonSchemaAndTextAnswer() {
        fake.server().enqueue(FakeResponse.answer().text("{\"title\":", "\"Soup\"}"));
        ChatResponse r;
        try (GeminiClient c = client().build()) {
            r = c.chat(request("gemini-2.5-flash")
                    .responseFormat(RECIPE)
                    .maxTokens(100)
                    .build());
        }
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals(
                Map.of("maxOutputTokens", 100, "responseMimeType", "application/json", "responseJsonSchema", SCHEMA),
                sent.json("/generationConfig"));
        assertNull(sent.json("/tools"));
        assertNull(sent.json("/toolConfig"));
        assertEquals("{\"title\":\"Soup\"}", r.text());
    }

    @Test
    void stream_modelWithoutStructuredOutput_forcedFunctionAndArgsAnswer() {
        fake.server().enqueue(FakeResponse.answer().toolCall("recipe", "{\"title\":\"Soup\"}"));
        ChatResponse r;
        try (GeminiClient c = client().build()) {
            r = c.chat(request("gemini-1.5-flash").responseFormat(RECIPE).build());
        }
        RecordedRequest sent = fake.server().takeRequest();
        assertNull(sent.json("/generationConfig/responseJsonSchema"));
        assertEquals("recipe", sent.json("/tools/0/functionDeclarations/0/name"));
        assertEquals(SCHEMA, sent.json("/tools/0/functionDeclarations/0/parametersJsonSchema"));
        assertEquals(
                Map.of("functionCallingConfig", Map.of("mode", "ANY", "allowedFunctionNames", List.of("recipe"))),
                sent.json("/toolConfig"));
        assertEquals("recipe", r.toolCalls().getFirst().name());
        assertEquals(Map.of("title", "Soup"), r.toolCalls().getFirst().parsedArguments());
    }

    @Test
    void stream_builderMode_overridesTheModelsRule() {
        RecordedRequest tool = sent(
                client().structuredOutput(StructuredOutputMode.TOOL),
                request("gemini-2.5-pro").responseFormat(RECIPE).build());
        assertNull(tool.json("/generationConfig"));
        assertEquals("ANY", tool.json("/toolConfig/functionCallingConfig/mode"));
        RecordedRequest nativeFormat = sent(
                client().structuredOutput(StructuredOutputMode.NATIVE),
                request("gemma-3-27b-it").responseFormat(RECIPE).build());
        assertEquals("application/json", nativeFormat.json("/generationConfig/responseMimeType"));
    }

    @ParameterizedTest
    @CsvSource({"auto, AUTO, ", "none, NONE, ", "required, ANY, ", "named, ANY, get_weather"})
    void stream_toolChoiceWithTools_functionCallingConfig(String choice, String mode, String allowed) {
        ToolChoice c = choice(choice);
        RecordedRequest sent = sent(
                client(),
                request("gemini-2.5-flash").addTool(WEATHER).toolChoice(c).build());
        assertEquals(mode, sent.json("/toolConfig/functionCallingConfig/mode"));
        assertEquals(
                allowed == null ? null : List.of(allowed),
                sent.json("/toolConfig/functionCallingConfig/allowedFunctionNames"));
    }

    @Test
    void stream_toolChoiceWithoutTools_notSent() {
        assertNull(sent(
                        client(),
                        request("gemini-2.5-flash")
                                .toolChoice(ToolChoice.auto())
                                .build())
                .json("/toolConfig"));
    }

    @ParameterizedTest
    @CsvSource({
        "gemini-2.5-flash, true",
        "gemini-2.0-flash-001, true",
        "gemini-2.5-pro-preview-06-05, true",
        "gemini-3-pro-preview, true",
        "models/gemini-2.5-flash-lite, true",
        "gemini-flash-latest, true",
        "gemini-1.5-pro, false",
        "gemini-1.0-pro, false",
        "gemini-pro, false",
        "gemma-3-27b-it, false",
        "m, false"
    })
    void nativeStructuredOutput_byModelName(String model, boolean expected) {
        assertEquals(expected, GeminiRequests.nativeStructuredOutput(model), model);
    }

    @Test
    void stream_safetyStop_contentFilterWithTheFinishMessage() {
        fake.server()
                .enqueue(
                        FakeResponse.sse(
                                "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"{\"}]},"
                                        + "\"index\":0}],\"responseId\":\"r1\"}\n\n"
                                        + "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[]},\"finishReason\":\"SAFETY\","
                                        + "\"finishMessage\":\"Blocked for safety.\",\"index\":0}],\"responseId\":\"r1\"}\n\n"));
        ChatResponse r;
        try (GeminiClient c = client().build()) {
            r = c.chat(request("gemini-2.5-flash").responseFormat(RECIPE).build());
        }
        assertEquals(
                new FinishReason(FinishReason.Kind.CONTENT_FILTER, "SAFETY", "Blocked for safety."), r.finishReason());
    }
}
