package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.OutputConfig;
import com.anthropic.models.messages.ThinkingConfigAdaptive;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import com.google.genai.Client;
import com.google.genai.errors.ClientException;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.ThinkingLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vendors' own Java SDKs (test scope only: anthropic-java 3.14, google-genai 2.0) send their
 * current request shapes to the fake, which accepts them, and refuses their wrong forms for a model
 * as the API does, through each SDK's own error type.
 */
class FakeOfficialSdksTest {
    private static FakeLlmServer server;
    private static AnthropicClient anthropic;
    private static Client gemini;
    private static com.openai.client.OpenAIClient openai;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.builder().tokensPerSecond(0).start();
        anthropic = AnthropicOkHttpClient.builder()
                .apiKey("sk-ant-placeholder")
                .baseUrl(server.baseUrl().toString())
                .maxRetries(0)
                .build();
        gemini = Client.builder()
                .apiKey("placeholder")
                .httpOptions(HttpOptions.builder()
                        .baseUrl(server.baseUrl().toString())
                        .build())
                .build();
        openai = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
                .apiKey("sk-placeholder")
                .baseUrl(server.baseUrl().resolve("/v1").toString())
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        openai.close();
        anthropic.close();
        server.close();
    }

    @Test
    void anthropicSdk_adaptiveThinkingEffortAndMidConversationSystem_accepted() {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("claude-opus-5-5")
                .maxTokens(4096)
                .thinking(ThinkingConfigAdaptive.builder()
                        .display(ThinkingConfigAdaptive.Display.SUMMARIZED)
                        .build())
                .outputConfig(
                        OutputConfig.builder().effort(OutputConfig.Effort.XHIGH).build())
                .addUserMessage("Tell me about the ocean")
                .addMessage(MessageParam.ofAssistant("Waves."))
                .addMessage(
                        MessageParam.ofSystem("Answer in one line.")) // SystemMessageParam: anywhere after the first
                .addUserMessage("More?")
                .build();
        Message message = anthropic.messages().create(params);
        assertFalse(message.content().isEmpty());
        RecordedRequest sent = server.requests().getLast();
        assertTrue(sent.header("authorization").startsWith("Bearer "), "the SDK's key goes as a bearer token");
        assertEquals("adaptive", sent.json("/thinking/type"));
        assertEquals("summarized", sent.json("/thinking/display"));
        assertEquals("xhigh", sent.json("/output_config/effort"));
        assertEquals("system", sent.json("/messages/2/role"));
    }

    @Test
    void anthropicSdk_budgetOnAnAdaptiveOnlyModel_400AsTheApiAnswers() {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("claude-opus-4-7")
                .maxTokens(4096)
                .thinking(ThinkingConfigEnabled.builder().budgetTokens(2048).build())
                .addUserMessage("Tell me about the ocean")
                .build();
        BadRequestException e = assertThrows(
                BadRequestException.class, () -> anthropic.messages().create(params));
        assertEquals(400, e.statusCode());
        assertTrue(
                e.getMessage().contains("thinking.type.enabled\\\" is not supported for this model"), e.getMessage());
    }

    @Test
    void geminiSdk_thinkingLevel_acceptedAndALevelTheModelLacksRefused() {
        GenerateContentConfig low = GenerateContentConfig.builder()
                .thinkingConfig(ThinkingConfig.builder()
                        .thinkingLevel(ThinkingLevel.Known.LOW)
                        .includeThoughts(true)
                        .build())
                .build();
        GenerateContentResponse response =
                gemini.models.generateContent("gemini-3.5-flash", "Tell me about the ocean", low);
        assertFalse(response.text().isEmpty());
        assertEquals("LOW", server.requests().getLast().json("/generationConfig/thinkingConfig/thinkingLevel"));

        GenerateContentConfig medium = GenerateContentConfig.builder()
                .thinkingConfig(ThinkingConfig.builder()
                        .thinkingLevel(ThinkingLevel.Known.MEDIUM)
                        .build())
                .build();
        ClientException e = assertThrows(
                ClientException.class,
                () -> gemini.models.generateContent("gemini-3-pro", "Tell me about the ocean", medium));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("thinking_level MEDIUM is not supported by this model"), e.getMessage());
    }

    /** The shape Sluice's {@code CustomTool.withStrict} / {@code withDeferLoading} write (AnthropicToolFieldsTest). */
    @Test
    void anthropicSdk_strictAndDeferredTools_acceptedInTheShapeSluiceWrites() {
        com.anthropic.models.messages.Tool.InputSchema schema = com.anthropic.models.messages.Tool.InputSchema.builder()
                .properties(com.anthropic.models.messages.Tool.InputSchema.Properties.builder()
                        .putAdditionalProperty(
                                "city", com.anthropic.core.JsonValue.from(java.util.Map.of("type", "string")))
                        .build())
                .build();
        MessageCreateParams params = MessageCreateParams.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addTool(com.anthropic.models.messages.ToolSearchToolRegex20251119.builder()
                        .type(
                                com.anthropic.models.messages.ToolSearchToolRegex20251119.Type
                                        .TOOL_SEARCH_TOOL_REGEX_20251119)
                        .build())
                .addTool(com.anthropic.models.messages.Tool.builder()
                        .name("get_weather")
                        .inputSchema(schema)
                        .strict(true)
                        .build())
                .addTool(com.anthropic.models.messages.Tool.builder()
                        .name("get_tides")
                        .inputSchema(schema)
                        .deferLoading(true)
                        .build())
                .addUserMessage("weather in Oslo?")
                .build();
        assertFalse(anthropic.messages().create(params).content().isEmpty());
        RecordedRequest sent = server.requests().getLast();
        assertEquals(true, sent.json("/tools/1/strict"));
        assertEquals(true, sent.json("/tools/2/defer_loading"));
    }

    /** The shape Sluice's {@code SafetySetting} and {@code cachedContent} write (GeminiRequestFieldsTest). */
    @Test
    void geminiSdk_safetySettingsAndCachedContent_acceptedInTheShapeSluiceWrites_cacheWithSystemRefused() {
        GenerateContentConfig config = GenerateContentConfig.builder()
                .safetySettings(com.google.genai.types.SafetySetting.builder()
                        .category(com.google.genai.types.HarmCategory.Known.HARM_CATEGORY_DANGEROUS_CONTENT)
                        .threshold(com.google.genai.types.HarmBlockThreshold.Known.BLOCK_ONLY_HIGH)
                        .build())
                .cachedContent("cachedContents/abc123")
                .build();
        assertFalse(gemini.models
                .generateContent("gemini-3.5-flash", "Tell me about the ocean", config)
                .text()
                .isEmpty());
        RecordedRequest sent = server.requests().getLast();
        assertEquals(
                java.util.List.of(java.util.Map.of(
                        "category", "HARM_CATEGORY_DANGEROUS_CONTENT", "threshold", "BLOCK_ONLY_HIGH")),
                sent.json("/safetySettings"));
        assertEquals("cachedContents/abc123", sent.json("/cachedContent"));

        GenerateContentConfig withSystem = GenerateContentConfig.builder()
                .cachedContent("cachedContents/abc123")
                .systemInstruction(
                        com.google.genai.types.Content.fromParts(com.google.genai.types.Part.fromText("terse")))
                .build();
        ClientException e = assertThrows(
                ClientException.class,
                () -> gemini.models.generateContent("gemini-3.5-flash", "Tell me about the ocean", withSystem));
        assertEquals(400, e.code());
        assertTrue(
                e.getMessage().contains("should not be set in the request when using cached content"), e.getMessage());
    }

    /** The shape Sluice's {@code ThinkingConfig.betweenTools()} writes (AnthropicRequestsEffortTest). */
    @Test
    void anthropicSdk_betweenToolsOnSonnet55_acceptedAndOnAnotherModelRefused() {
        MessageCreateParams.Builder params = MessageCreateParams.builder()
                .maxTokens(1024)
                .thinking(com.anthropic.models.messages.ThinkingConfigBetweenTools.builder()
                        .build())
                .outputConfig(OutputConfig.builder()
                        .effort(OutputConfig.Effort.MEDIUM)
                        .build())
                .addUserMessage("Tell me about the ocean");
        assertFalse(anthropic
                .messages()
                .create(params.model("claude-sonnet-5-5").build())
                .content()
                .isEmpty());
        assertEquals("between_tools", server.requests().getLast().json("/thinking/type"));
        BadRequestException e = assertThrows(
                BadRequestException.class,
                () -> anthropic.messages().create(params.model("claude-opus-5").build()));
        assertTrue(e.getMessage().contains("thinking.type.between_tools"), e.getMessage());
    }

    /** The shape Sluice's {@code CustomTool.withInputExamples} / {@code withAllowedCallers} write (AnthropicToolFieldsTest). */
    @Test
    void anthropicSdk_inputExamplesAndAllowedCallers_acceptedInTheShapeSluiceWrites() {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("claude-sonnet-5-5")
                .maxTokens(1024)
                .addTool(com.anthropic.models.messages.Tool.builder()
                        .name("get_weather")
                        .inputSchema(com.anthropic.models.messages.Tool.InputSchema.builder()
                                .build())
                        .addInputExample(com.anthropic.models.messages.Tool.InputExample.builder()
                                .putAdditionalProperty("city", com.anthropic.core.JsonValue.from("Oslo"))
                                .build())
                        .allowedCallers(java.util.List.of(
                                com.anthropic.models.messages.Tool.AllowedCaller.DIRECT,
                                com.anthropic.models.messages.Tool.AllowedCaller.CODE_EXECUTION_20260521))
                        .build())
                .addUserMessage("weather in Oslo?")
                .build();
        assertFalse(anthropic.messages().create(params).content().isEmpty());
        RecordedRequest sent = server.requests().getLast();
        assertEquals(java.util.List.of(java.util.Map.of("city", "Oslo")), sent.json("/tools/0/input_examples"));
        assertEquals(java.util.List.of("direct", "code_execution_20260521"), sent.json("/tools/0/allowed_callers"));
    }

    /** The shapes Sluice's {@code ResponseRequest} writes for these fields and tools (OpenAiRequestFieldsTest). */
    @Test
    void openaiSdk_responsesReasoningModeSafetyParallelAndNewTools_acceptedInTheShapeSluiceWrites() {
        com.openai.models.responses.ResponseCreateParams params =
                com.openai.models.responses.ResponseCreateParams.builder()
                        .model("gpt-6.1-sol")
                        .input("Tell me about the ocean")
                        .reasoning(com.openai.models.Reasoning.builder()
                                .effort(com.openai.models.ReasoningEffort.HIGH)
                                .mode("pro")
                                .build())
                        .safetyIdentifier("user-5f2c9a")
                        .parallelToolCalls(false)
                        .addTool(com.openai.models.responses.CustomTool.builder()
                                .name("run_sql")
                                .description("Runs a query")
                                .build())
                        .addTool(com.openai.models.responses.FunctionShellTool.builder()
                                .environment(com.openai.models.responses.ContainerAuto.builder()
                                        .build())
                                .build())
                        .addTool(com.openai.models.responses.ToolSearchTool.builder()
                                .build())
                        .addTool(com.openai.models.responses.WebSearchTool.builder()
                                .type(com.openai.models.responses.WebSearchTool.Type.WEB_SEARCH)
                                .searchContextSize(com.openai.models.responses.WebSearchTool.SearchContextSize.LOW)
                                .build())
                        .build();
        assertFalse(openai.responses().create(params).output().isEmpty());
        RecordedRequest sent = server.requests().getLast();
        assertEquals("pro", sent.json("/reasoning/mode"));
        assertEquals("user-5f2c9a", sent.json("/safety_identifier"));
        assertEquals(false, sent.json("/parallel_tool_calls"));
        assertEquals(
                java.util.Map.of("type", "custom", "name", "run_sql", "description", "Runs a query"),
                sent.json("/tools/0"));
        assertEquals(
                java.util.Map.of("type", "shell", "environment", java.util.Map.of("type", "container_auto")),
                sent.json("/tools/1"));
        assertEquals("tool_search", sent.json("/tools/2/type"));
        assertEquals("low", sent.json("/tools/3/search_context_size"));

        com.openai.errors.BadRequestException e = assertThrows(
                com.openai.errors.BadRequestException.class,
                () -> openai.responses()
                        .create(params.toBuilder()
                                .safetyIdentifier("u".repeat(65))
                                .build()));
        assertEquals(400, e.statusCode());
    }

    /** The shapes Sluice's {@code BuiltInTool} and {@code mediaResolution} write (GeminiRequestFieldsTest). */
    @Test
    void geminiSdk_builtInToolsAndMediaResolution_acceptedInTheShapeSluiceWrites() {
        GenerateContentConfig config = GenerateContentConfig.builder()
                .tools(
                        com.google.genai.types.Tool.builder()
                                .googleSearch(com.google.genai.types.GoogleSearch.builder()
                                        .build())
                                .build(),
                        com.google.genai.types.Tool.builder()
                                .codeExecution(com.google.genai.types.ToolCodeExecution.builder()
                                        .build())
                                .build(),
                        com.google.genai.types.Tool.builder()
                                .urlContext(com.google.genai.types.UrlContext.builder()
                                        .build())
                                .build())
                .mediaResolution(com.google.genai.types.MediaResolution.Known.MEDIA_RESOLUTION_LOW)
                .build();
        assertFalse(gemini.models
                .generateContent("gemini-3.5-flash", "Tell me about the ocean", config)
                .text()
                .isEmpty());
        RecordedRequest sent = server.requests().getLast();
        assertEquals(
                java.util.List.of(
                        java.util.Map.of("googleSearch", java.util.Map.of()),
                        java.util.Map.of("codeExecution", java.util.Map.of()),
                        java.util.Map.of("urlContext", java.util.Map.of())),
                sent.json("/tools"));
        assertEquals("MEDIA_RESOLUTION_LOW", sent.json("/generationConfig/mediaResolution"));
    }
}
