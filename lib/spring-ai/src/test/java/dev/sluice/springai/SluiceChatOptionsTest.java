package dev.sluice.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.ToolChoice;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.client.AdvisorParams;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;

/** Each option of {@link SluiceChatOptions} as each provider's client sends it, read from the recorded requests. */
class SluiceChatOptionsTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    static AnthropicClient anthropic;
    static OpenAiClient openai;
    static GeminiClient gemini;

    private static final String CITY_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
            + "\"required\":[\"city\"],\"additionalProperties\":false}";

    record City(String city) {}

    @BeforeAll
    static void start() {
        String base = fake.server().baseUrl().toString();
        anthropic = AnthropicClient.builder().apiKey("test").baseUrl(base).build();
        openai = OpenAiClient.builder().apiKey("test").baseUrl(base).build();
        gemini = GeminiClient.builder().apiKey("test").baseUrl(base).build();
    }

    @AfterAll
    static void stop() {
        anthropic.close();
        openai.close();
        gemini.close();
    }

    private static final ToolCallback WEATHER = FunctionToolCallback.builder("weather", (City c) -> "sunny")
            .description("The weather in a city")
            .inputType(City.class)
            .build();

    /** Calls the model over the provider with these options, a system and a user message, and returns what it sent. */
    private static RecordedRequest sent(ChatProvider provider, String model, SluiceChatOptions options) {
        fake.server().enqueue(FakeResponse.answer().text("{\"city\":\"Paris\"}"));
        SluiceChatModel chat =
                SluiceChatModel.builder().provider(provider).model(model).build();
        chat.call(new Prompt(List.of(new SystemMessage("Be brief."), new UserMessage("Hi")), options));
        return fake.server().takeRequest();
    }

    private static SluiceChatOptions.Builder sampling() {
        return SluiceChatOptions.builder()
                .temperature(0.25)
                .maxTokens(77)
                .toolCallbacks(WEATHER)
                .toolChoice(ToolChoice.named("weather"));
    }

    @Test
    void anthropic_modelSamplingToolsAndToolChoice_asTheMessagesApiNamesThem() {
        RecordedRequest r = sent(
                anthropic,
                "claude-sonnet-4-5",
                sampling().stopSequences(List.of("END")).build());
        assertEquals("claude-sonnet-4-5", r.json("/model"));
        assertEquals("Be brief.", r.json("/system"));
        assertEquals(0.25, r.json("/temperature"));
        assertEquals(77, r.json("/max_tokens"));
        assertEquals(List.of("END"), r.json("/stop_sequences"));
        assertEquals("weather", r.json("/tools/0/name"));
        assertEquals("The weather in a city", r.json("/tools/0/description"));
        assertEquals("string", r.json("/tools/0/input_schema/properties/city/type"));
        assertEquals(Map.of("type", "tool", "name", "weather"), r.json("/tool_choice"));
    }

    @Test
    void anthropic_thinkingBudget_asThinkingEnabledWithItsBudget() {
        RecordedRequest r = sent(
                anthropic,
                "claude-sonnet-4-5",
                SluiceChatOptions.builder().maxTokens(4000).thinkingBudget(2048).build());
        assertEquals(Map.of("type", "enabled", "budget_tokens", 2048), r.json("/thinking"));
    }

    @Test
    void openAiChatCompletions_modelSamplingToolsAndToolChoice_asChatCompletionsNamesThem() {
        RecordedRequest r =
                sent(openai, "gpt-4o", sampling().stopSequences(List.of("END")).build());
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("gpt-4o", r.json("/model"));
        assertEquals(Map.of("role", "system", "content", "Be brief."), r.json("/messages/0"));
        assertEquals(0.25, r.json("/temperature"));
        assertEquals(77, r.json("/max_completion_tokens"));
        assertEquals(List.of("END"), r.json("/stop"));
        assertEquals("weather", r.json("/tools/0/function/name"));
        assertEquals("string", r.json("/tools/0/function/parameters/properties/city/type"));
        assertEquals(Map.of("type", "function", "function", Map.of("name", "weather")), r.json("/tool_choice"));
    }

    @Test
    void openAiResponses_modelSamplingToolsAndToolChoice_asTheResponsesApiNamesThem() {
        RecordedRequest r = sent(openai.responses(), "gpt-4o", sampling().build());
        assertEquals("/v1/responses", r.path());
        assertEquals("gpt-4o", r.json("/model"));
        assertEquals("Be brief.", r.json("/instructions"));
        assertEquals(0.25, r.json("/temperature"));
        assertEquals(77, r.json("/max_output_tokens"));
        assertEquals("weather", r.json("/tools/0/name"));
        assertEquals(Map.of("type", "function", "name", "weather"), r.json("/tool_choice"));
    }

    @Test
    void gemini_modelSamplingToolsToolChoiceAndThinking_asGenerateContentNamesThem() {
        RecordedRequest r = sent(
                gemini,
                "gemini-2.5-flash",
                sampling().stopSequences(List.of("END")).thinkingBudget(512).build());
        assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent", r.path());
        assertEquals("Be brief.", r.json("/systemInstruction/parts/0/text"));
        assertEquals(0.25, r.json("/generationConfig/temperature"));
        assertEquals(77, r.json("/generationConfig/maxOutputTokens"));
        assertEquals(List.of("END"), r.json("/generationConfig/stopSequences"));
        assertEquals(512, r.json("/generationConfig/thinkingConfig/thinkingBudget"));
        assertEquals("weather", r.json("/tools/0/functionDeclarations/0/name"));
        assertEquals(
                Map.of("mode", "ANY", "allowedFunctionNames", List.of("weather")),
                r.json("/toolConfig/functionCallingConfig"));
    }

    @Test
    void outputSchema_eachProvider_sendsItAsItsNativeStructuredOutput() {
        SluiceChatOptions options =
                SluiceChatOptions.builder().outputSchema(CITY_SCHEMA).build();
        assertEquals(
                "string",
                sent(anthropic, "claude-sonnet-4-5", options)
                        .json("/output_config/format/schema/properties/city/type"));
        RecordedRequest chat = sent(openai, "gpt-4o", options);
        assertEquals("response", chat.json("/response_format/json_schema/name"));
        assertEquals(true, chat.json("/response_format/json_schema/strict"));
        assertEquals("string", chat.json("/response_format/json_schema/schema/properties/city/type"));
        assertEquals(
                "string", sent(openai.responses(), "gpt-4o", options).json("/text/format/schema/properties/city/type"));
        assertEquals(
                "string",
                sent(gemini, "gemini-2.5-flash", options)
                        .json("/generationConfig/responseJsonSchema/properties/city/type"));
    }

    @Test
    void responseFormat_ofItsOwn_keepsItsNameAndStrictness() {
        ResponseFormat format = new ResponseFormat(
                "city", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))), false);
        RecordedRequest r = sent(
                openai,
                "gpt-4o",
                SluiceChatOptions.builder().responseFormat(format).build());
        assertEquals("city", r.json("/response_format/json_schema/name"));
        assertNull(r.json("/response_format/json_schema/strict")); // not strict: left out
    }

    @Test
    void chatClientEntity_withNativeStructuredOutput_sendsTheSchemaAndReadsTheAnswer() {
        SluiceChatModel model =
                SluiceChatModel.builder().provider(openai).model("gpt-4o").build();
        City city = ChatClient.create(model)
                .prompt()
                .user("Name a city.")
                .advisors(AdvisorParams.ENABLE_NATIVE_STRUCTURED_OUTPUT)
                .call()
                .entity(City.class);
        RecordedRequest r = fake.server().takeRequest();
        assertEquals("string", r.json("/response_format/json_schema/schema/properties/city/type"));
        assertTrue(city.city() != null && !city.city().isEmpty(), String.valueOf(city));
    }

    @Test
    void promptOptionsOfAnotherType_combineWithTheModelsDefaults() {
        SluiceChatModel model = SluiceChatModel.builder()
                .provider(anthropic)
                .model("claude-sonnet-4-5")
                .defaultOptions(SluiceChatOptions.builder()
                        .temperature(0.5)
                        .maxTokens(100)
                        .build())
                .build();
        model.call(new Prompt("Hi", ChatOptions.builder().temperature(0.9).build()));
        RecordedRequest direct = fake.server().takeRequest();
        assertEquals(0.9, direct.json("/temperature"));
        assertEquals(100, direct.json("/max_tokens"));
        assertEquals("claude-sonnet-4-5", direct.json("/model"));

        ChatClient.create(model)
                .prompt(new Prompt(
                        "Hi",
                        ChatOptions.builder()
                                .maxTokens(33)
                                .model("claude-haiku-4-5")
                                .build()))
                .call()
                .content();
        RecordedRequest viaClient = fake.server().takeRequest();
        assertEquals(0.5, viaClient.json("/temperature"));
        assertEquals(33, viaClient.json("/max_tokens"));
        assertEquals("claude-haiku-4-5", viaClient.json("/model"));
    }

    @Test
    void sluiceOptionsWithoutAModel_takeTheModelsDefaultModel() {
        RecordedRequest r = sent(
                anthropic,
                "claude-sonnet-4-5",
                SluiceChatOptions.builder().maxTokens(10).build());
        assertEquals("claude-sonnet-4-5", r.json("/model"));
        assertNull(r.json("/temperature"));
    }

    @Test
    void optionsSluicesRequestHasNoFieldFor_areRefusedNamingThem() {
        SluiceChatModel model = SluiceChatModel.builder()
                .provider(anthropic)
                .model("claude-sonnet-4-5")
                .build();
        for (String option : List.of("topP", "topK", "frequencyPenalty", "presencePenalty")) {
            SluiceChatOptions.Builder b = SluiceChatOptions.builder();
            switch (option) {
                case "topP" -> b.topP(0.9);
                case "topK" -> b.topK(40);
                case "frequencyPenalty" -> b.frequencyPenalty(0.1);
                default -> b.presencePenalty(0.1);
            }
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> model.call(new Prompt("Hi", b.build())));
            assertTrue(e.getMessage().startsWith(option + " is set"), e.getMessage());
        }
        assertEquals(0, fake.server().requestCount());
    }

    @Test
    void combineWith_takesTheOthersValuesAndAppendsItsToolsAndStopSequences() {
        ToolCallback other = FunctionToolCallback.builder("other", (City c) -> "x")
                .inputType(City.class)
                .build();
        SluiceChatOptions merged = SluiceChatOptions.builder()
                .model("a")
                .temperature(0.1)
                .stopSequences(List.of("X"))
                .toolCallbacks(WEATHER)
                .thinkingBudget(1024)
                .combineWith(SluiceChatOptions.builder()
                        .model("b")
                        .stopSequences(List.of("Y"))
                        .toolCallbacks(other)
                        .toolChoice(ToolChoice.required())
                        .outputSchema(CITY_SCHEMA))
                .build();
        assertEquals("b", merged.getModel());
        assertEquals(0.1, merged.getTemperature());
        assertEquals(List.of("X", "Y"), merged.getStopSequences());
        assertEquals(List.of(WEATHER, other), merged.getToolCallbacks());
        assertEquals(ToolChoice.required(), merged.getToolChoice());
        assertEquals(1024, merged.getThinkingBudget());
        assertEquals(
                SluiceChatOptions.OUTPUT_SCHEMA_NAME, merged.getResponseFormat().name());
        assertEquals(merged, merged.mutate().build());
        assertThrows(
                IllegalArgumentException.class,
                () -> SluiceChatOptions.builder().outputSchema("[1]"));
    }
}
