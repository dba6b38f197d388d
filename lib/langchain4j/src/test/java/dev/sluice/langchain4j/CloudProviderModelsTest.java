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
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import dev.sluice.testkit.bedrock.FakeBedrock;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both models over a cloud provider's client (Amazon Bedrock's Converse API), against the test
 * kit's fake Bedrock: streaming callbacks, tool execution requests and results in Converse's
 * blocks, a JSON schema response format as Bedrock's native {@code outputConfig.textFormat}, and the
 * provider named as LangChain4j names it.
 */
class CloudProviderModelsTest {
    private static final String CLAUDE_ON_BEDROCK = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String CONVERSE = "/model/" + CLAUDE_ON_BEDROCK.replace(":", "%3A") + "/converse-stream";

    @RegisterExtension
    static final FakeLlmExtension fake = new FakeLlmExtension();
    @AutoClose
    private final BedrockClient bedrock = BedrockClient.builder().baseUrl(fake.server().baseUrl().toString())
            .apiKey(FakeBedrock.API_KEY).build();

    private static final ToolSpecification WEATHER = ToolSpecification.builder().name("getWeather").description("The weather")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

    @Test
    void streamingModel_bedrock_textToolCallsUsageAndFinishReasonReachTheHandler() throws Exception {
        fake.server().enqueue(FakeResponse.answer().text("Checking", " the weather.").toolCall("getWeather", "{\"city\":", "\"Munich\"}")
                .usage(21, 9));
        RecordingHandler handler = new RecordingHandler();
        SluiceStreamingChatModel.builder().provider(bedrock).model(CLAUDE_ON_BEDROCK).build().chat(ChatRequest.builder()
                .messages(UserMessage.from("What is the weather in Munich?"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(WEATHER).build()).build(), handler);

        ChatResponse response = handler.awaitResponse();
        assertEquals(List.of("text: Checking", "text:  the weather.", "partial call: 0 getWeather {\"city\":",
                "partial call: 0 getWeather \"Munich\"}", "call: 0 getWeather {\"city\":\"Munich\"}", "complete"), handler.events);
        assertEquals("Checking the weather.", response.aiMessage().text());
        assertEquals(FinishReason.TOOL_EXECUTION, response.finishReason());
        assertEquals(21, response.tokenUsage().inputTokenCount());
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals(CONVERSE, sent.path());
        assertEquals("getWeather", sent.json("/toolConfig/tools/0/toolSpec/name"));
    }

    @Test
    void chatModel_bedrockToolResult_goesBackAsConverseToolResult() {
        fake.server().enqueue(FakeResponse.answer().toolCall("getWeather", "{\"city\":\"Munich\"}"), FakeResponse.answer().text("Sunny."));
        SluiceChatModel model = SluiceChatModel.builder().provider(bedrock).model(CLAUDE_ON_BEDROCK).build();
        UserMessage question = UserMessage.from("What is the weather in Munich?");
        ChatRequestParameters tools = ChatRequestParameters.builder().toolSpecifications(WEATHER).build();
        AiMessage call = model.chat(ChatRequest.builder().messages(question).parameters(tools).build()).aiMessage();
        ToolExecutionRequest request = call.toolExecutionRequests().getFirst();

        ChatResponse answer = model.chat(ChatRequest.builder().messages(question, call,
                ToolExecutionResultMessage.from(request, "{\"weather\":\"sunny\"}")).parameters(tools).build());

        assertEquals("Sunny.", answer.aiMessage().text());
        fake.server().takeRequest();
        RecordedRequest second = fake.server().takeRequest();
        assertEquals(request.id(), second.json("/messages/1/content/0/toolUse/toolUseId"));
        assertEquals(request.id(), second.json("/messages/2/content/0/toolResult/toolUseId"));
    }

    @Test
    void chatModel_bedrockClaudeJsonSchema_sentAsOutputConfigTextFormat_theJsonAsText() {
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder()
                .name("Answer").rootElement(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build()).build();
        ChatResponse response = SluiceChatModel.builder().provider(bedrock).model(CLAUDE_ON_BEDROCK).build().chat(ChatRequest.builder()
                .messages(UserMessage.from("Capital of Germany?")).parameters(ChatRequestParameters.builder().responseFormat(format).build())
                .build());

        RecordedRequest sent = fake.server().takeRequest();
        assertEquals("json_schema", sent.json("/outputConfig/textFormat/type"));
        assertEquals("Answer", sent.json("/outputConfig/textFormat/structure/jsonSchema/name"));
        assertTrue(response.aiMessage().text().startsWith("{\"city\":"), response.aiMessage().text());
        assertEquals(List.of(), response.aiMessage().toolExecutionRequests());
    }

    /** Converse names no response: both models give the request id (x-amzn-RequestId) as the response's id. */
    @Test
    void bothModels_bedrockAnswer_theResponseIdIsTheRequestId() throws Exception {
        ChatResponse whole = SluiceChatModel.builder().provider(bedrock).model(CLAUDE_ON_BEDROCK).build().chat(ChatRequest.builder()
                .messages(UserMessage.from("Hi")).build());
        RecordingHandler handler = new RecordingHandler();
        SluiceStreamingChatModel.builder().provider(bedrock).model(CLAUDE_ON_BEDROCK).build().chat(ChatRequest.builder()
                .messages(UserMessage.from("Hi")).build(), handler);
        ChatResponse streamed = handler.awaitResponse();

        assertTrue(whole.metadata().id() != null && !whole.metadata().id().isBlank(), String.valueOf(whole.metadata()));
        assertTrue(streamed.metadata().id() != null && !streamed.metadata().id().isBlank(), String.valueOf(streamed.metadata()));
        assertTrue(!whole.metadata().id().equals(streamed.metadata().id()), "each stream's own");
    }

    @Test
    void provider_bedrockClient_isAmazonBedrockAsLangChain4jNamesIt() {
        assertEquals(ModelProvider.AMAZON_BEDROCK,
                SluiceStreamingChatModel.builder().provider(bedrock).model(CLAUDE_ON_BEDROCK).build().provider());
        assertEquals(ModelProvider.AMAZON_BEDROCK, SluiceChatModel.builder().provider(bedrock).model(CLAUDE_ON_BEDROCK).build().provider());
    }
}
