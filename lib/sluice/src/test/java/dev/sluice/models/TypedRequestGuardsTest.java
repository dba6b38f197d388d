package dev.sluice.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StructuredOutputCases;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageParam;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.ThinkingConfig;
import dev.sluice.anthropic.ToolChoice;
import dev.sluice.client.RetryPolicy;
import dev.sluice.gemini.Content;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.gemini.GenerateContentRequest;
import dev.sluice.gemini.GenerateContentStream;
import dev.sluice.gemini.GenerationConfig;
import dev.sluice.gemini.Part;
import dev.sluice.openai.ChatCompletionMessage;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ChatCompletionStream;
import dev.sluice.openai.JsonSchemaFormat;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.openai.ResponseRequest;
import dev.sluice.openai.ResponseStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request built with an API's own typed builder (Messages, Responses, Chat Completions,
 * generateContent) meets the model table's guard where it is sent, as a neutral request does: each
 * field a model cannot take is an IllegalArgumentException naming the model and the field before any
 * request reaches the server, and the right form for the same model is sent.
 */
class TypedRequestGuardsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static final Map<String, Object> SCHEMA = StructuredOutputCases.SCHEMA;

    private static AnthropicClient anthropic() {
        return AnthropicClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .build();
    }

    private static OpenAiClient openai() {
        return OpenAiClient.builder()
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .build();
    }

    private static GeminiClient gemini() {
        return GeminiClient.builder()
                .retryPolicy(RetryPolicy.none())
                .apiKey("k")
                .baseUrl(FAKE.server().baseUrl().toString())
                .build();
    }

    /** Asserts the call is refused naming the model and the field, and that nothing was sent. */
    private static void refused(Runnable call, String model, String field) {
        int before = FAKE.server().requestCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(model), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertEquals(before, FAKE.server().requestCount(), "nothing is sent");
    }

    private static MessageRequest.Builder claude(String model) {
        return MessageRequest.builder().model(model).maxTokens(1024).addUserMessage("hi");
    }

    private static void messages(MessageRequest request) {
        try (AnthropicClient c = anthropic();
                MessageStream s = c.messages().stream(request)) {
            s.forEach(e -> {});
        }
    }

    @Test
    void messagesBuilder_fieldsTheModelRefuses_refusedBeforeAnyRequest() {
        refused(
                () -> messages(claude("claude-sonnet-5-5").maxTokens(128001).build()),
                "claude-sonnet-5-5",
                "max_tokens");
        refused(
                () -> messages(claude("claude-haiku-4-5").effort("low").build()),
                "claude-haiku-4-5",
                "output_config.effort");
        refused(
                () -> messages(claude("claude-opus-4-5").effort("max").build()),
                "claude-opus-4-5",
                "output_config.effort max");
        refused(
                () -> messages(claude("claude-opus-4-7")
                        .thinking(ThinkingConfig.enabled(2048))
                        .build()),
                "claude-opus-4-7",
                "thinking.type enabled");
        refused(
                () -> messages(claude("claude-sonnet-5-5")
                        .thinking(ThinkingConfig.disabled())
                        .build()),
                "claude-sonnet-5-5",
                "between_tools");
        refused(
                () -> messages(claude("claude-opus-5")
                        .thinking(ThinkingConfig.betweenTools())
                        .build()),
                "claude-opus-5",
                "thinking.type disabled, not between_tools");
        refused(
                () -> messages(claude("claude-sonnet-5-5")
                        .thinking(ThinkingConfig.betweenTools())
                        .effort("xhigh")
                        .build()),
                "claude-sonnet-5-5",
                "thinking.type between_tools only at effort high or lower, not xhigh");
        refused(
                () -> messages(claude("claude-fable-5")
                        .thinking(ThinkingConfig.disabled())
                        .build()),
                "claude-fable-5",
                "thinking.type disabled");
        refused(
                () -> messages(claude("claude-opus-5-5")
                        .addTool(dev.sluice.anthropic.CustomTool.of("lookup", null, Map.of("type", "object")))
                        .toolChoice(ToolChoice.any())
                        .build()),
                "claude-opus-5-5",
                "tool_choice any");
        refused(
                () -> messages(claude("claude-opus-4-6")
                        .addAssistantMessage("The answer is")
                        .build()),
                "claude-opus-4-6",
                "prefill");
        refused(
                () -> messages(claude("claude-opus-4-1").outputFormat(SCHEMA).build()),
                "claude-opus-4-1",
                "output_config.format");

        FAKE.server().enqueue(FakeResponse.answer().text("ok"));
        messages(claude("claude-sonnet-5-5")
                .thinking(ThinkingConfig.betweenTools())
                .effort("high")
                .build());
        assertEquals("between_tools", FAKE.server().takeRequest().json("/thinking/type"));
    }

    @Test
    void messagesBuilder_systemMessageMidConversation_sentAndAccepted_effortChangeUnderBetweenToolsRefusedFirst() {
        Supplier<MessageRequest.Builder> conversation = () -> claude("claude-sonnet-5-5")
                .addAssistantMessage("1. Export. 2. Import.")
                .addSystemMessage("Answer in one line.")
                .addMessage(MessageParam.systemEffort("low"))
                .addUserMessage("Summarize.")
                .effort("high");
        refused(
                () -> messages(conversation
                        .get()
                        .thinking(ThinkingConfig.betweenTools())
                        .build()),
                "claude-sonnet-5-5",
                "messages.3.output_config.effort low");

        FAKE.server().enqueue(FakeResponse.answer().text("ok"));
        messages(conversation.get().thinking(ThinkingConfig.adaptive()).build());
        RecordedRequest sent = FAKE.server().takeRequest();
        assertEquals("system", sent.json("/messages/2/role"));
        assertEquals("Answer in one line.", sent.json("/messages/2/content/0/text"));
        assertEquals("system", sent.json("/messages/3/role"));
        assertEquals(List.of(), sent.json("/messages/3/content"));
        assertEquals("low", sent.json("/messages/3/output_config/effort"));
        assertEquals("high", sent.json("/output_config/effort"));
        assertEquals("mid-conversation-output-config-2026-07-01", sent.header("anthropic-beta"));
    }

    private static void responses(ResponseRequest request) {
        try (OpenAiClient c = openai();
                ResponseStream s = c.responses().stream(request)) {
            s.forEach(e -> {});
        }
    }

    private static void chat(ChatCompletionRequest request) {
        try (OpenAiClient c = openai();
                ChatCompletionStream s = c.chat().stream(request)) {
            s.forEach(e -> {});
        }
    }

    @Test
    void responsesAndChatBuilders_fieldsTheModelRefuses_refusedBeforeAnyRequest() {
        Supplier<ResponseRequest.Builder> terra =
                () -> ResponseRequest.builder().model("gpt-6.1-terra").addUserMessage("hi");
        refused(() -> responses(terra.get().maxOutputTokens(128001).build()), "gpt-6.1-terra", "max_output_tokens");
        refused(
                () -> responses(ResponseRequest.builder()
                        .model("gpt-6.1-sol")
                        .addUserMessage("hi")
                        .reasoning("minimal", "auto")
                        .build()),
                "gpt-6.1-sol",
                "reasoning.effort minimal");
        refused(
                () -> responses(ResponseRequest.builder()
                        .model("gpt-4-turbo")
                        .addUserMessage("hi")
                        .textFormat(JsonSchemaFormat.strict("facts", SCHEMA))
                        .build()),
                "gpt-4-turbo",
                "text.format");

        Supplier<ChatCompletionRequest.Builder> luna =
                () -> ChatCompletionRequest.builder().model("gpt-6-luna").addMessage(ChatCompletionMessage.user("hi"));
        refused(() -> chat(luna.get().maxCompletionTokens(200000).build()), "gpt-6-luna", "max_completion_tokens");
        refused(
                () -> chat(ChatCompletionRequest.builder()
                        .model("gpt-5-mini")
                        .addMessage(ChatCompletionMessage.user("hi"))
                        .reasoningEffort("none")
                        .build()),
                "gpt-5-mini",
                "reasoning_effort none");
        refused(
                () -> chat(ChatCompletionRequest.builder()
                        .model("gpt-4")
                        .addMessage(ChatCompletionMessage.user("hi"))
                        .responseFormat(JsonSchemaFormat.strict("facts", SCHEMA))
                        .build()),
                "gpt-4",
                "response_format");

        FAKE.server().enqueue(FakeResponse.answer().text("ok"));
        responses(terra.get().maxOutputTokens(128000).reasoning("low", "auto").build());
        assertEquals("low", FAKE.server().takeRequest().json("/reasoning/effort"));
    }

    private static void generate(String model, GenerationConfig config) {
        GenerateContentRequest request = GenerateContentRequest.builder()
                .addContent(Content.user(Part.text("hi")))
                .generationConfig(config)
                .build();
        try (GeminiClient c = gemini();
                GenerateContentStream s = c.streamGenerateContent(model, request)) {
            s.forEach(e -> {});
        }
    }

    @Test
    void generateContentBuilder_fieldsTheModelRefuses_refusedBeforeAnyRequest() {
        refused(
                () -> generate(
                        "gemini-3.5-flash",
                        GenerationConfig.builder().maxOutputTokens(65537).build()),
                "gemini-3.5-flash",
                "generationConfig.maxOutputTokens");
        refused(
                () -> generate(
                        "gemini-3-pro",
                        GenerationConfig.builder().thinkingLevel("MEDIUM").build()),
                "gemini-3-pro",
                "thinkingConfig.thinkingLevel MEDIUM");
        refused(
                () -> generate(
                        "gemini-2.5-flash",
                        GenerationConfig.builder().thinkingLevel("LOW").build()),
                "gemini-2.5-flash",
                "thinkingLevel");
        refused(
                () -> generate(
                        "gemini-2.5-pro",
                        GenerationConfig.builder().thinkingBudget(0).build()),
                "gemini-2.5-pro",
                "thinkingBudget 0");

        FAKE.server().enqueue(FakeResponse.answer().text("ok"));
        generate("gemini-3-pro", GenerationConfig.builder().thinkingLevel("LOW").build());
        assertEquals("LOW", FAKE.server().takeRequest().json("/generationConfig/thinkingConfig/thinkingLevel"));
    }
}
