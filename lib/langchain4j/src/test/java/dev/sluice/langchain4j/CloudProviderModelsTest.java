package dev.sluice.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.sluice.bedrock.BedrockClient;
import dev.sluice.providers.ProviderCatalog;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both models over a cloud provider's client (Amazon Bedrock's Converse API), against the test
 * kit's fake Bedrock: streaming callbacks, tool execution requests and results in Converse's
 * blocks, a JSON schema response format as Bedrock's native {@code outputConfig.textFormat}, and the
 * provider named as LangChain4j names it; and every other cloud's client against its fake.
 */
class CloudProviderModelsTest {
    private static final String CLAUDE_ON_BEDROCK = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String CONVERSE = "/model/" + CLAUDE_ON_BEDROCK.replace(":", "%3A") + "/converse-stream";

    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    @AutoClose
    private final BedrockClient bedrock = BedrockClient.builder()
            .baseUrl(fake.server().baseUrl().toString())
            .apiKey(FakeBedrock.API_KEY)
            .build();

    private static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("getWeather")
            .description("The weather")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("city")
                    .required("city")
                    .build())
            .build();

    @Test
    void streamingModel_bedrock_textToolCallsUsageAndFinishReasonReachTheHandler() throws Exception {
        fake.server()
                .enqueue(FakeResponse.answer()
                        .text("Checking", " the weather.")
                        .toolCall("getWeather", "{\"city\":", "\"Munich\"}")
                        .usage(21, 9));
        RecordingHandler handler = new RecordingHandler();
        SluiceStreamingChatModel.builder()
                .provider(bedrock)
                .model(CLAUDE_ON_BEDROCK)
                .build()
                .chat(
                        ChatRequest.builder()
                                .messages(UserMessage.from("What is the weather in Munich?"))
                                .parameters(ChatRequestParameters.builder()
                                        .toolSpecifications(WEATHER)
                                        .build())
                                .build(),
                        handler);

        ChatResponse response = handler.awaitResponse();
        assertEquals(
                List.of(
                        "text: Checking",
                        "text:  the weather.",
                        "partial call: 0 getWeather {\"city\":",
                        "partial call: 0 getWeather \"Munich\"}",
                        "call: 0 getWeather {\"city\":\"Munich\"}",
                        "complete"),
                handler.events);
        assertEquals("Checking the weather.", response.aiMessage().text());
        assertEquals(FinishReason.TOOL_EXECUTION, response.finishReason());
        assertEquals(21, response.tokenUsage().inputTokenCount());
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals(CONVERSE, sent.path());
        assertEquals("getWeather", sent.json("/toolConfig/tools/0/toolSpec/name"));
    }

    @Test
    void chatModel_bedrockToolResult_goesBackAsConverseToolResult() {
        fake.server()
                .enqueue(
                        FakeResponse.answer().toolCall("getWeather", "{\"city\":\"Munich\"}"),
                        FakeResponse.answer().text("Sunny."));
        SluiceChatModel model = SluiceChatModel.builder()
                .provider(bedrock)
                .model(CLAUDE_ON_BEDROCK)
                .build();
        UserMessage question = UserMessage.from("What is the weather in Munich?");
        ChatRequestParameters tools =
                ChatRequestParameters.builder().toolSpecifications(WEATHER).build();
        AiMessage call = model.chat(ChatRequest.builder()
                        .messages(question)
                        .parameters(tools)
                        .build())
                .aiMessage();
        ToolExecutionRequest request = call.toolExecutionRequests().getFirst();

        ChatResponse answer = model.chat(ChatRequest.builder()
                .messages(question, call, ToolExecutionResultMessage.from(request, "{\"weather\":\"sunny\"}"))
                .parameters(tools)
                .build());

        assertEquals("Sunny.", answer.aiMessage().text());
        fake.server().takeRequest();
        RecordedRequest second = fake.server().takeRequest();
        assertEquals(request.id(), second.json("/messages/1/content/0/toolUse/toolUseId"));
        assertEquals(request.id(), second.json("/messages/2/content/0/toolResult/toolUseId"));
    }

    @Test
    void chatModel_bedrockClaudeJsonSchema_sentAsOutputConfigTextFormat_theJsonAsText() {
        ResponseFormat format = ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder()
                        .name("Answer")
                        .rootElement(JsonObjectSchema.builder()
                                .addStringProperty("city")
                                .required("city")
                                .build())
                        .build())
                .build();
        ChatResponse response = SluiceChatModel.builder()
                .provider(bedrock)
                .model(CLAUDE_ON_BEDROCK)
                .build()
                .chat(ChatRequest.builder()
                        .messages(UserMessage.from("Capital of Germany?"))
                        .parameters(ChatRequestParameters.builder()
                                .responseFormat(format)
                                .build())
                        .build());

        RecordedRequest sent = fake.server().takeRequest();
        assertEquals("json_schema", sent.json("/outputConfig/textFormat/type"));
        assertEquals("Answer", sent.json("/outputConfig/textFormat/structure/jsonSchema/name"));
        assertTrue(
                response.aiMessage().text().startsWith("{\"city\":"),
                response.aiMessage().text());
        assertEquals(List.of(), response.aiMessage().toolExecutionRequests());
    }

    /** Converse names no response: both models give the request id (x-amzn-RequestId) as the response's id. */
    @Test
    void bothModels_bedrockAnswer_theResponseIdIsTheRequestId() throws Exception {
        ChatResponse whole = SluiceChatModel.builder()
                .provider(bedrock)
                .model(CLAUDE_ON_BEDROCK)
                .build()
                .chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build());
        RecordingHandler handler = new RecordingHandler();
        SluiceStreamingChatModel.builder()
                .provider(bedrock)
                .model(CLAUDE_ON_BEDROCK)
                .build()
                .chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build(), handler);
        ChatResponse streamed = handler.awaitResponse();

        assertTrue(whole.metadata().id() != null && !whole.metadata().id().isBlank(), String.valueOf(whole.metadata()));
        assertTrue(
                streamed.metadata().id() != null && !streamed.metadata().id().isBlank(),
                String.valueOf(streamed.metadata()));
        assertTrue(!whole.metadata().id().equals(streamed.metadata().id()), "each stream's own");
    }

    /** Every cloud's client, each against the test kit's fake of its cloud: both models stream the answer and name the model. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("cloudClients")
    void bothModels_everyCloudsClient_theAnswerThroughItsApi(
            String name, dev.sluice.chat.ChatProvider client, String model, String path) throws Exception {
        try (AutoCloseable closing = (AutoCloseable) client) {
            ChatResponse whole = SluiceChatModel.builder()
                    .provider(client)
                    .model(model)
                    .build()
                    .chat(ChatRequest.builder()
                            .messages(UserMessage.from("Tell me about the ocean"))
                            .build());
            RecordingHandler handler = new RecordingHandler();
            SluiceStreamingChatModel.builder()
                    .provider(client)
                    .model(model)
                    .build()
                    .chat(
                            ChatRequest.builder()
                                    .messages(UserMessage.from("Tell me about the ocean"))
                                    .build(),
                            handler);
            ChatResponse streamed = handler.awaitResponse();

            assertEquals(whole.aiMessage().text(), streamed.aiMessage().text(), name);
            assertEquals(FinishReason.STOP, streamed.finishReason(), name);
            assertEquals(model, streamed.metadata().modelName(), name);
            assertTrue(
                    fake.server().requests().stream()
                            .allMatch(r -> r.path().equals(path) || r.path().equals("/token")),
                    name + ": " + fake.server().requests());
        }
    }

    /**
     * Every cloud's client is named by the cloud's own {@link ModelProvider} value, as LangChain4j's
     * own modules for those clouds name themselves (Azure OpenAI {@code MICROSOFT_FOUNDRY}, as its
     * OpenAI module names an Azure endpoint: {@code AZURE_OPEN_AI} is deprecated), not by the API the
     * model speaks there.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("cloudClients")
    void provider_everyCloudsClient_theCloudsOwnModelProvider(
            String name, dev.sluice.chat.ChatProvider client, String model, String path) throws Exception {
        ModelProvider expected = switch (name) {
            case "bedrock-anthropic", "bedrock-openai", "bedrock-openai-responses", "bedrock-mantle-anthropic" ->
                ModelProvider.AMAZON_BEDROCK;
            case "vertex" -> ModelProvider.GOOGLE_VERTEX_AI_GEMINI;
            case "vertex-anthropic" -> ModelProvider.GOOGLE_VERTEX_AI_ANTHROPIC;
            case "azure-openai" -> ModelProvider.MICROSOFT_FOUNDRY; // AZURE_OPEN_AI is deprecated
            case "foundry-anthropic" -> ModelProvider.MICROSOFT_FOUNDRY;
            default -> throw new AssertionError("a cloud without an expected value: " + name);
        };
        try (AutoCloseable closing = (AutoCloseable) client) {
            assertEquals(
                    expected,
                    SluiceStreamingChatModel.builder()
                            .provider(client)
                            .model(model)
                            .build()
                            .provider(),
                    name);
            assertEquals(
                    expected,
                    SluiceChatModel.builder()
                            .provider(client)
                            .model(model)
                            .build()
                            .provider(),
                    name);
        }
    }

    @Test
    void provider_azureResponsesAndTheDirectApis_microsoftFoundryAndTheirOwn() {
        var azure = dev.sluice.azure.AzureAccess.builder()
                .endpoint(fake.server().baseUrl().toString())
                .apiKey(dev.sluice.testkit.clouds.FakeAzure.API_KEY)
                .build();
        String base = fake.server().baseUrl().toString();
        try (var onAzure = dev.sluice.openai.OpenAiClient.builder().azure(azure).build();
                var openAi = dev.sluice.openai.OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .build();
                var gemini = dev.sluice.gemini.GeminiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .build();
                var anthropic = dev.sluice.anthropic.AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .build()) {
            assertEquals(ModelProvider.MICROSOFT_FOUNDRY, providerOf(onAzure.responses()));
            assertEquals(ModelProvider.OPEN_AI, providerOf(openAi.responses()));
            assertEquals(ModelProvider.OPEN_AI, providerOf(openAi));
            assertEquals(ModelProvider.GOOGLE_AI_GEMINI, providerOf(gemini));
            assertEquals(ModelProvider.ANTHROPIC, providerOf(anthropic));
        }
    }

    private static ModelProvider providerOf(dev.sluice.chat.ChatProvider client) {
        return SluiceStreamingChatModel.builder()
                .provider(client)
                .model("m")
                .build()
                .provider();
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cloudClients() {
        String base = fake.server().baseUrl().toString();
        var aws = dev.sluice.aws.AwsAccess.builder()
                .endpoint(base)
                .apiKey(FakeBedrock.API_KEY)
                .build();
        var vertex = dev.sluice.vertex.VertexAccess.builder()
                .project(dev.sluice.testkit.clouds.FakeVertex.PROJECT)
                .endpoint(base)
                .tokenProvider(() -> new dev.sluice.client.AccessTokenProvider.Token(
                        dev.sluice.testkit.clouds.FakeVertex.ACCESS_TOKEN,
                        java.time.Instant.now().plusSeconds(3600)))
                .build();
        var azure = dev.sluice.azure.AzureAccess.builder()
                .endpoint(base)
                .apiKey(dev.sluice.testkit.clouds.FakeAzure.API_KEY)
                .build();
        var foundry = dev.sluice.azure.AzureAccess.builder()
                .endpoint(base + "/anthropic")
                .apiKey(dev.sluice.testkit.clouds.FakeAzure.API_KEY)
                .build();
        String vertexAt =
                "/v1/projects/" + dev.sluice.testkit.clouds.FakeVertex.PROJECT + "/locations/global/publishers/";
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(
                        "bedrock-anthropic",
                        dev.sluice.anthropic.AnthropicClient.builder()
                                .bedrock(aws)
                                .build(),
                        CLAUDE_ON_BEDROCK,
                        "/model/" + CLAUDE_ON_BEDROCK.replace(":", "%3A") + "/invoke-with-response-stream"),
                // Bedrock's OpenAI-compatible and mantle endpoints, each connected by the catalog
                org.junit.jupiter.params.provider.Arguments.of(
                        "bedrock-openai",
                        catalog(ProviderCatalog.BEDROCK_OPENAI, base),
                        "us.openai.gpt-6-sol",
                        "/openai/v1/chat/completions"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "bedrock-openai-responses",
                        catalog(ProviderCatalog.BEDROCK_OPENAI_RESPONSES, base + FakeBedrock.MANTLE_PATH),
                        "openai.gpt-5.6-terra",
                        "/mantle/openai/v1/responses"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "bedrock-mantle-anthropic",
                        catalog(ProviderCatalog.BEDROCK_MANTLE_ANTHROPIC, base + FakeBedrock.MANTLE_PATH),
                        "anthropic.claude-opus-4-8",
                        "/mantle/anthropic/v1/messages"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "vertex",
                        dev.sluice.gemini.GeminiClient.builder().vertex(vertex).build(),
                        "gemini-2.5-flash",
                        vertexAt + "google/models/gemini-2.5-flash:streamGenerateContent"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "vertex-anthropic",
                        dev.sluice.anthropic.AnthropicClient.builder()
                                .vertex(vertex)
                                .build(),
                        "claude-sonnet-4-5@20250929",
                        vertexAt + "anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "azure-openai",
                        dev.sluice.openai.OpenAiClient.builder().azure(azure).build(),
                        "gpt-4o-mini",
                        "/openai/v1/chat/completions"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "foundry-anthropic",
                        dev.sluice.anthropic.AnthropicClient.builder()
                                .foundry(foundry)
                                .build(),
                        "claude-sonnet-4-5",
                        "/anthropic/v1/messages"));
    }

    /** The catalog's client of a cloud provider, at the fake's endpoint with its test key (no environment). */
    private static dev.sluice.chat.ProviderClient catalog(ProviderCatalog provider, String endpoint) {
        return provider.connect(
                dev.sluice.client.ClientOptions.builder()
                        .baseUrl(endpoint)
                        .apiKey(FakeBedrock.API_KEY)
                        .build(),
                java.util.Map.of());
    }

    @Test
    void provider_bedrockClient_isAmazonBedrockAsLangChain4jNamesIt() {
        assertEquals(
                ModelProvider.AMAZON_BEDROCK,
                SluiceStreamingChatModel.builder()
                        .provider(bedrock)
                        .model(CLAUDE_ON_BEDROCK)
                        .build()
                        .provider());
        assertEquals(
                ModelProvider.AMAZON_BEDROCK,
                SluiceChatModel.builder()
                        .provider(bedrock)
                        .model(CLAUDE_ON_BEDROCK)
                        .build()
                        .provider());
    }
}
