package dev.sluice.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.message.VideoContent;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.sluice.ApiException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatProvider;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What each LangChain4j message and parameter becomes on each provider's wire, read from the fake's recorded requests. */
class RequestMappingTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    private static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("getWeather")
            .description("The weather")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("city")
                    .required("city")
                    .build())
            .build();
    private static final ResponseFormat ANSWER = ResponseFormat.builder()
            .type(ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder()
                    .name("Answer")
                    .rootElement(JsonObjectSchema.builder()
                            .addStringProperty("city")
                            .required("city")
                            .build())
                    .build())
            .build();

    @AutoClose
    private final FakeClients clients = FakeClients.of(fake.server());

    private final AnthropicClient anthropic = clients.anthropic();
    private final OpenAiClient openai = clients.openai();

    private static ChatModel model(ChatProvider provider, String name) {
        return SluiceChatModel.builder().provider(provider).model(name).build();
    }

    /** A tool loop's second turn, with every common parameter Sluice sends. */
    private static ChatRequest everything() {
        ToolExecutionRequest call = ToolExecutionRequest.builder()
                .id("call_1")
                .name("getWeather")
                .arguments("{\"city\":\"Munich\"}")
                .build();
        return ChatRequest.builder()
                .messages(
                        SystemMessage.from("Be brief."),
                        UserMessage.from("What is the weather in Munich?"),
                        AiMessage.from(call),
                        ToolExecutionResultMessage.from(call, "sunny"),
                        UserMessage.from("Thanks"))
                .parameters(ChatRequestParameters.builder()
                        .temperature(0.3)
                        .maxOutputTokens(300)
                        .stopSequences("END")
                        .toolSpecifications(WEATHER)
                        .toolChoice(ToolChoice.REQUIRED)
                        .responseFormat(ANSWER)
                        .build())
                .build();
    }

    private RecordedRequest sent(ChatProvider provider, String model, ChatRequest request) {
        fake.server().enqueue(FakeResponse.answer().text("ok"));
        model(provider, model).chat(request);
        return fake.server().takeRequest();
    }

    @Test
    void anthropic_everyMessageAndParameter_inTheMessagesApiForm() {
        RecordedRequest r = sent(anthropic, "claude-sonnet-4-5", everything());

        assertEquals("claude-sonnet-4-5", r.json("/model"));
        assertEquals("Be brief.", r.json("/system"));
        assertEquals(0.3, r.json("/temperature"));
        assertEquals(300, r.json("/max_tokens"));
        assertEquals(List.of("END"), r.json("/stop_sequences"));
        assertEquals(
                Map.of(
                        "name",
                        "getWeather",
                        "description",
                        "The weather",
                        "input_schema",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of("city", Map.of("type", "string")),
                                "required",
                                List.of("city"))),
                r.json("/tools/0"));
        assertEquals(Map.of("type", "any"), r.json("/tool_choice"));
        assertEquals(Map.of("type", "string"), r.json("/output_config/format/schema/properties/city"));
        assertEquals("What is the weather in Munich?", r.json("/messages/0/content/0/text"));
        assertEquals(
                Map.of("type", "tool_use", "id", "call_1", "name", "getWeather", "input", Map.of("city", "Munich")),
                r.json("/messages/1/content/0"));
        assertEquals("tool_result", r.json("/messages/2/content/0/type"));
        assertEquals("call_1", r.json("/messages/2/content/0/tool_use_id"));
        assertEquals("sunny", r.json("/messages/2/content/0/content"));
        // the user's next words join the tool result's turn (Anthropic takes consecutive turns of one role as one)
        assertEquals("Thanks", r.json("/messages/2/content/1/text"));
    }

    @Test
    void openAi_everyMessageAndParameter_inTheChatCompletionsForm() {
        RecordedRequest r = sent(openai, "gpt-4o-mini", everything());

        assertEquals("gpt-4o-mini", r.json("/model"));
        assertEquals(Map.of("role", "system", "content", "Be brief."), r.json("/messages/0"));
        assertEquals(0.3, r.json("/temperature"));
        assertEquals(300, r.json("/max_completion_tokens"));
        assertEquals(List.of("END"), r.json("/stop"));
        assertEquals("getWeather", r.json("/tools/0/function/name"));
        assertEquals(
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("city", Map.of("type", "string")),
                        "required",
                        List.of("city")),
                r.json("/tools/0/function/parameters"));
        assertEquals("required", r.json("/tool_choice"));
        assertEquals("json_schema", r.json("/response_format/type"));
        assertEquals("Answer", r.json("/response_format/json_schema/name"));
        assertEquals(List.of("city"), r.json("/response_format/json_schema/schema/required"));
        assertEquals("call_1", r.json("/messages/2/tool_calls/0/id"));
        assertEquals("{\"city\":\"Munich\"}", r.json("/messages/2/tool_calls/0/function/arguments"));
        assertEquals(Map.of("role", "tool", "tool_call_id", "call_1", "content", "sunny"), r.json("/messages/3"));
        assertEquals("Thanks", r.json("/messages/4/content"));
    }

    @Test
    void modelName_ofTheRequest_overridesTheBuildersModel() {
        RecordedRequest r = sent(
                openai,
                "gpt-4o-mini",
                ChatRequest.builder()
                        .messages(UserMessage.from("Hi"))
                        .parameters(ChatRequestParameters.builder()
                                .modelName("gpt-4.1")
                                .build())
                        .build());
        assertEquals("gpt-4.1", r.json("/model"));
    }

    @Test
    void thinkingBudget_isSentAndTheSignedThinkingGoesBackInTheNextTurn() {
        ChatModel model = SluiceChatModel.builder()
                .provider(anthropic)
                .model("claude-sonnet-4-5")
                .thinkingBudget(1024)
                .build();
        fake.server().enqueue(FakeResponse.answer().thinking("Let me think.").text("Hello."));
        UserMessage hi = UserMessage.from("Hi");
        AiMessage answer =
                model.chat(ChatRequest.builder().messages(hi).build()).aiMessage();
        RecordedRequest first = fake.server().takeRequest();
        assertEquals(Map.of("type", "enabled", "budget_tokens", 1024), first.json("/thinking"));
        assertEquals("Let me think.", answer.thinking());

        fake.server().enqueue(FakeResponse.answer().text("Fine."));
        model.chat(ChatRequest.builder()
                .messages(hi, answer, UserMessage.from("And now?"))
                .build());

        RecordedRequest second = fake.server().takeRequest();
        assertEquals("thinking", second.json("/messages/1/content/0/type"));
        assertEquals("Let me think.", second.json("/messages/1/content/0/thinking"));
        assertFalse(((String) second.json("/messages/1/content/0/signature")).isEmpty());
        assertEquals("Hello.", second.json("/messages/1/content/1/text"));
    }

    @Test
    void userFiles_imagePdfAndAudio_inEachProvidersOwnShape() {
        RecordedRequest claude = sent(
                anthropic,
                "claude-sonnet-5-5",
                ChatRequest.builder()
                        .messages(UserMessage.from(
                                TextContent.from("What is in these?"),
                                ImageContent.from("iVBORw0KGgo=", "image/png"),
                                PdfFileContent.from("JVBERi0=", "application/pdf")))
                        .build());
        assertEquals("document", claude.json("/messages/0/content/0/type"), claude.body());
        assertEquals("JVBERi0=", claude.json("/messages/0/content/0/source/data"), claude.body());
        assertEquals("image", claude.json("/messages/0/content/1/type"), claude.body());
        assertEquals("What is in these?", claude.json("/messages/0/content/2/text"), claude.body());

        RecordedRequest gpt = sent(
                openai,
                "gpt-audio",
                ChatRequest.builder()
                        .messages(UserMessage.from(
                                TextContent.from("What is said?"), AudioContent.from("UklGRg==", "audio/wav")))
                        .build());
        assertEquals("input_audio", gpt.json("/messages/0/content/0/type"), gpt.body());
        assertEquals("wav", gpt.json("/messages/0/content/0/input_audio/format"), gpt.body());
    }

    @Test
    void unsupported_contentOrParameters_areRefusedByNameBeforeAnythingIsSent() {
        ChatModel model = model(anthropic, "claude-sonnet-4-5");
        UnsupportedFeatureException video = assertThrows(
                UnsupportedFeatureException.class,
                () -> model.chat(ChatRequest.builder()
                        .messages(UserMessage.from(
                                TextContent.from("What is this?"), VideoContent.from("https://example.com/cat.mp4")))
                        .build()));
        assertTrue(video.getMessage().contains("video content"), video.getMessage());
        UnsupportedFeatureException pdfByUrl = assertThrows(
                UnsupportedFeatureException.class,
                () -> model.chat(ChatRequest.builder()
                        .messages(UserMessage.from(
                                TextContent.from("Summarize"), PdfFileContent.from("https://example.com/a.pdf")))
                        .build()));
        assertTrue(pdfByUrl.getMessage().contains("not by URL"), pdfByUrl.getMessage());
        UnsupportedFeatureException topP = assertThrows(
                UnsupportedFeatureException.class,
                () -> model.chat(ChatRequest.builder()
                        .messages(UserMessage.from("Hi"))
                        .parameters(ChatRequestParameters.builder().topP(0.9).build())
                        .build()));
        assertTrue(topP.getMessage().contains("topP"), topP.getMessage());
        UnsupportedFeatureException json = assertThrows(
                UnsupportedFeatureException.class,
                () -> model.chat(ChatRequest.builder()
                        .messages(UserMessage.from("Hi"))
                        .parameters(ChatRequestParameters.builder()
                                .responseFormat(ResponseFormat.JSON)
                                .build())
                        .build()));
        assertTrue(json.getMessage().contains("JSON response format"), json.getMessage());
        assertThrows(
                UnsupportedFeatureException.class,
                () -> SluiceChatModel.builder()
                        .provider(anthropic)
                        .defaultRequestParameters(
                                ChatRequestParameters.builder().topK(3).build()));
        assertEquals(0, fake.server().requestCount());
    }

    @Test
    void chatModel_failure_isThrownAsTheSluiceExceptionWithThePartialAndRequestId() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> model(anthropic, "fake-error-mid-stream").chat("Tell me about rivers"));
        assertTrue(e.requestId().orElseThrow().startsWith("req_fake_"));
        assertFalse(e.partial(dev.sluice.chat.ChatResponse.class)
                .orElseThrow()
                .text()
                .isEmpty());
    }
}
