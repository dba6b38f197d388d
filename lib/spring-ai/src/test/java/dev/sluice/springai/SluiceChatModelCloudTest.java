package dev.sluice.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.bedrock.BedrockClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.clouds.FakeBedrock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.ai.chat.client.AdvisorParams;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The model over a cloud provider's client (Amazon Bedrock's Converse API), against the test kit's
 * fake Bedrock: the answer and its metadata, tool calls and results in Converse's blocks, and
 * structured output as Bedrock's native {@code outputConfig.textFormat}; and every other cloud's
 * client against its fake. Nothing in the model knows which provider it streams from.
 */
class SluiceChatModelCloudTest {
    private static final String CLAUDE_ON_BEDROCK = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String CONVERSE = "/model/" + CLAUDE_ON_BEDROCK.replace(":", "%3A") + "/converse-stream";

    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    private static BedrockClient bedrock;

    record City(String city) {}

    @BeforeAll
    static void start() {
        bedrock = BedrockClient.builder()
                .baseUrl(fake.server().baseUrl().toString())
                .apiKey(FakeBedrock.API_KEY)
                .build();
    }

    @AfterAll
    static void stop() {
        bedrock.close();
    }

    private static SluiceChatModel model() {
        return SluiceChatModel.builder()
                .provider(bedrock)
                .model(CLAUDE_ON_BEDROCK)
                .build();
    }

    @Test
    void call_bedrock_answerUsageAndFinishReasonThroughConverse() {
        fake.server().enqueue(FakeResponse.answer().text("Hi", " there").usage(12, 3));
        ChatResponse response = model().call(new Prompt(new UserMessage("Hi")));

        assertEquals("Hi there", response.getResult().getOutput().getText());
        assertEquals("STOP", response.getResult().getMetadata().getFinishReason());
        assertEquals("end_turn", response.getResult().getMetadata().get("providerFinishReason"));
        assertEquals(12, response.getMetadata().getUsage().getPromptTokens());
        assertEquals(3, response.getMetadata().getUsage().getCompletionTokens());
        assertNotNull(response.getMetadata().get("requestId"));
        assertEquals(CONVERSE, fake.server().takeRequest().path());
    }

    @Test
    void streamThenCall_bedrockToolCall_goesBackAsConverseToolUseAndToolResult() {
        fake.server()
                .enqueue(
                        FakeResponse.answer().text("Checking.").toolCall("weather", "{\"city\":", "\"Paris\"}"),
                        FakeResponse.answer().text("Mild."));
        SluiceChatModel model = model();
        UserMessage question = new UserMessage("Weather in Paris?");
        List<ChatResponse> streamed =
                model.stream(new Prompt(question)).collectList().block(Duration.ofSeconds(10));
        AssistantMessage call = streamed.getLast().getResult().getOutput();
        assertEquals("TOOL_CALLS", streamed.getLast().getResult().getMetadata().getFinishReason());
        AssistantMessage.ToolCall paris = call.getToolCalls().getFirst();
        assertEquals("weather", paris.name());
        assertEquals("{\"city\":\"Paris\"}", paris.arguments());

        AssistantMessage whole = AssistantMessage.builder()
                .content("Checking.")
                .toolCalls(call.getToolCalls())
                .build();
        ToolResponseMessage result = ToolResponseMessage.builder()
                .responses(List.of(new ToolResponseMessage.ToolResponse(paris.id(), "weather", "{\"temp\":15}")))
                .build();
        assertEquals(
                "Mild.",
                model.call(new Prompt(List.of(question, whole, result)))
                        .getResult()
                        .getOutput()
                        .getText());

        fake.server().takeRequest();
        RecordedRequest second = fake.server().takeRequest();
        assertEquals(CONVERSE, second.path());
        assertEquals(paris.id(), second.json("/messages/1/content/1/toolUse/toolUseId"));
        assertEquals("Paris", second.json("/messages/1/content/1/toolUse/input/city"));
        assertEquals(paris.id(), second.json("/messages/2/content/0/toolResult/toolUseId"));
    }

    /** Every cloud's client, each against the test kit's fake of its cloud: call and stream give the same answer through its API. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("cloudClients")
    void callAndStream_everyCloudsClient_theAnswerThroughItsApi(
            String name, dev.sluice.chat.ChatProvider client, String model, String path) throws Exception {
        try (AutoCloseable closing =
                client instanceof AutoCloseable c ? c : () -> {}) { // Responses: its client is left to the JVM
            SluiceChatModel chat =
                    SluiceChatModel.builder().provider(client).model(model).build();
            String called = chat.call(new Prompt(new UserMessage("Tell me about the ocean")))
                    .getResult()
                    .getOutput()
                    .getText();
            String streamed = String.join(
                    "",
                    chat.stream(new Prompt(new UserMessage("Tell me about the ocean")))
                            .map(r -> r.getResult().getOutput().getText())
                            .collectList()
                            .block(Duration.ofSeconds(10)));

            assertEquals(called, streamed, name);
            assertTrue(!called.isBlank(), name);
            assertTrue(
                    fake.server().requests().stream().allMatch(r -> r.path().equals(path)),
                    name + ": " + fake.server().requests());
        }
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
                        "azure-openai-responses",
                        dev.sluice.openai.OpenAiClient.builder()
                                .azure(azure)
                                .build()
                                .responses(),
                        "gpt-5-mini",
                        "/openai/v1/responses"),
                org.junit.jupiter.params.provider.Arguments.of(
                        "foundry-anthropic",
                        dev.sluice.anthropic.AnthropicClient.builder()
                                .foundry(foundry)
                                .build(),
                        "claude-sonnet-4-5",
                        "/anthropic/v1/messages"));
    }

    @Test
    void chatClientEntity_bedrockClaude_schemaAsOutputConfigTextFormat_theAnswerRead() {
        City city = ChatClient.create(model())
                .prompt()
                .user("Name a city.")
                .advisors(AdvisorParams.ENABLE_NATIVE_STRUCTURED_OUTPUT)
                .call()
                .entity(City.class);

        RecordedRequest r = fake.server().takeRequest();
        assertEquals("json_schema", r.json("/outputConfig/textFormat/type"));
        assertTrue(
                r.json("/outputConfig/textFormat/structure/jsonSchema/schema")
                        .toString()
                        .contains("\"city\""),
                r.body());
        assertTrue(city.city() != null && !city.city().isEmpty(), String.valueOf(city));
    }
}
