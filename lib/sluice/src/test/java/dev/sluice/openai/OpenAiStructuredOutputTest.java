package dev.sluice.openai;

import static dev.sluice.StructuredOutputCases.RECIPE;
import static dev.sluice.StructuredOutputCases.SCHEMA;
import static dev.sluice.StructuredOutputCases.WEATHER;
import static dev.sluice.StructuredOutputCases.choice;
import static dev.sluice.StructuredOutputCases.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ResponseFormat;
import dev.sluice.chat.ToolChoice;
import dev.sluice.client.StructuredOutputMode;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Structured output and tool choice on Chat Completions and the Responses API, as sent (the fake
 * server's recorded requests) and as answered: {@code response_format} / {@code text.format}
 * {@code json_schema} where the model takes it, a forced function call elsewhere, the builder's
 * mode over the model's, and refusals kept out of the text.
 */
class OpenAiStructuredOutputTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    private static OpenAiClient.Builder client() {
        return OpenAiClient.builder().baseUrl(fake.server().baseUrl().toString());
    }

    /** Sends the request through Chat Completions ({@code c -> c}) or the Responses API; {@return what was sent} */
    private static RecordedRequest sent(
            OpenAiClient.Builder builder, Function<OpenAiClient, ChatProvider> api, ChatRequest r) {
        fake.server().enqueue(FakeResponse.answer().text("{}"));
        try (OpenAiClient c = builder.build()) {
            api.apply(c).chat(r);
        }
        return fake.server().takeRequest();
    }

    private static final Function<OpenAiClient, ChatProvider> CHAT = c -> c;
    private static final Function<OpenAiClient, ChatProvider> RESPONSES = OpenAiClient::responses;

    @Test
    void chat_modelWithStructuredOutput_responseFormatJsonSchemaStrict() {
        RecordedRequest sent = sent(
                client(),
                CHAT,
                request("gpt-4o-2024-08-06").responseFormat(RECIPE).build());
        assertEquals(
                Map.of(
                        "type",
                        "json_schema",
                        "json_schema",
                        Map.of("name", "recipe", "schema", SCHEMA, "strict", true)),
                sent.json("/response_format"));
        assertNull(sent.json("/tools"));
        assertNull(sent.json("/tool_choice"));
    }

    @Test
    void chat_notStrict_strictLeftOut() {
        RecordedRequest sent = sent(
                client(),
                CHAT,
                request("gpt-5-mini")
                        .responseFormat(new ResponseFormat("recipe", SCHEMA, false))
                        .build());
        assertEquals(Map.of("name", "recipe", "schema", SCHEMA), sent.json("/response_format/json_schema"));
    }

    @Test
    void chat_modelWithoutStructuredOutput_forcedStrictFunctionAndArgumentsAnswer() {
        fake.server().enqueue(FakeResponse.answer().toolCall("recipe", "{\"title\":", "\"Soup\"}"));
        ChatResponse r;
        try (OpenAiClient c = client().build()) {
            r = c.chat(request("gpt-4-turbo").responseFormat(RECIPE).build());
        }
        RecordedRequest sent = fake.server().takeRequest();
        assertNull(sent.json("/response_format"));
        assertEquals(
                Map.of(
                        "name",
                        "recipe",
                        "description",
                        "Respond with the answer as this tool's input.",
                        "parameters",
                        SCHEMA,
                        "strict",
                        true),
                sent.json("/tools/0/function"));
        assertEquals(Map.of("type", "function", "function", Map.of("name", "recipe")), sent.json("/tool_choice"));
        assertEquals("recipe", r.toolCalls().getFirst().name());
        assertEquals(Map.of("title", "Soup"), r.toolCalls().getFirst().parsedArguments());
    }

    @Test
    void chat_builderMode_overridesTheModelsRule() {
        RecordedRequest tool = sent(
                client().structuredOutput(StructuredOutputMode.TOOL),
                CHAT,
                request("gpt-4.1").responseFormat(RECIPE).build());
        assertNull(tool.json("/response_format"));
        assertEquals("recipe", tool.json("/tool_choice/function/name"));
        RecordedRequest nativeFormat = sent(
                client().structuredOutput(StructuredOutputMode.NATIVE),
                CHAT,
                request("llama3.1").responseFormat(RECIPE).build());
        assertEquals("json_schema", nativeFormat.json("/response_format/type"));
    }

    @ParameterizedTest
    @CsvSource({"auto, auto", "none, none", "required, required"})
    void chatAndResponses_toolChoiceModes_sentAsStrings(String choice, String sent) {
        ToolChoice c = choice(choice);
        assertEquals(
                sent,
                sent(
                                client(),
                                CHAT,
                                request("gpt-4o").addTool(WEATHER).toolChoice(c).build())
                        .json("/tool_choice"));
        assertEquals(
                sent,
                sent(
                                client(),
                                RESPONSES,
                                request("gpt-4o").addTool(WEATHER).toolChoice(c).build())
                        .json("/tool_choice"));
    }

    @Test
    void chatAndResponses_namedToolChoice_eachApisShape() {
        ChatRequest r = request("gpt-4o")
                .addTool(WEATHER)
                .toolChoice(ToolChoice.named("get_weather"))
                .build();
        assertEquals(
                Map.of("type", "function", "function", Map.of("name", "get_weather")),
                sent(client(), CHAT, r).json("/tool_choice"));
        assertEquals(
                Map.of("type", "function", "name", "get_weather"),
                sent(client(), RESPONSES, r).json("/tool_choice"));
    }

    @Test
    void chat_toolChoiceWithoutTools_notSent() {
        assertNull(sent(
                        client(),
                        CHAT,
                        request("gpt-4o").toolChoice(ToolChoice.auto()).build())
                .json("/tool_choice"));
    }

    @Test
    void responses_modelWithStructuredOutputs_textFormatJsonSchema_elseForcedFunction() {
        RecordedRequest sent = sent(
                client(), RESPONSES, request("gpt-4.1").responseFormat(RECIPE).build());
        assertEquals(
                Map.of("format", Map.of("type", "json_schema", "name", "recipe", "schema", SCHEMA, "strict", true)),
                sent.json("/text"));
        assertNull(sent.json("/tools"));
        // the model table lists GPT-4 Turbo without structured outputs: the API answers text.format with a 400
        RecordedRequest old = sent(
                client(),
                RESPONSES,
                request("gpt-4-turbo").responseFormat(RECIPE).build());
        assertNull(old.json("/text"));
        assertEquals("recipe", old.json("/tools/0/name"));
        assertEquals("recipe", old.json("/tool_choice/name"));
    }

    @Test
    void responses_toolMode_forcedFunction() {
        RecordedRequest sent = sent(
                client().structuredOutput(StructuredOutputMode.TOOL),
                RESPONSES,
                request("gpt-5").responseFormat(RECIPE).build());
        assertNull(sent.json("/text"));
        assertEquals("recipe", sent.json("/tools/0/name"));
        assertEquals(true, sent.json("/tools/0/strict"));
        assertEquals(Map.of("type", "function", "name", "recipe"), sent.json("/tool_choice"));
    }

    @ParameterizedTest
    @CsvSource({
        "gpt-4o, true",
        "gpt-4o-mini, true",
        "gpt-4o-2024-08-06, true",
        "gpt-4o-2024-05-13, false",
        "gpt-4.1-nano, true",
        "gpt-4.5-preview, true",
        "gpt-5, true",
        "gpt-5.1-mini, true",
        "o1, true",
        "o1-2024-12-17, true",
        "o3-mini, true",
        "o4-mini, true",
        "o1-mini, false",
        "o1-preview, false",
        "gpt-4-turbo, false",
        "gpt-4, false",
        "gpt-3.5-turbo, false",
        "openai/gpt-4o, true",
        "llama3.1, false",
        "omni-moderation-latest, false"
    })
    void nativeStructuredOutput_byModelName(String model, boolean expected) {
        assertEquals(expected, OpenAiRequests.nativeStructuredOutput(model), model);
    }

    @Test
    void chat_refusalDeltas_notTextButTheRefusalsMessage() {
        String c =
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,";
        fake.server()
                .enqueue(FakeResponse.sse(c
                        + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"},\"finish_reason\":null}]}\n\n"
                        + c + "\"delta\":{\"refusal\":\"I can't\"},\"finish_reason\":null}]}\n\n"
                        + c + "\"delta\":{\"refusal\":\" help with that.\"},\"finish_reason\":null}]}\n\n"
                        + c + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: [DONE]\n\n"));
        StringBuilder text = new StringBuilder();
        FinishReason finish = null;
        try (OpenAiClient client = client().build();
                EventStream<MessageChunk> chunks =
                        client.stream(request("gpt-4o").responseFormat(RECIPE).build())) {
            for (MessageChunk m : chunks) {
                text.append(m.text());
                if (m.finishReason() != null) finish = m.finishReason();
            }
        }
        assertEquals("", text.toString(), "a refusal is not the answer's text");
        assertEquals(new FinishReason(FinishReason.Kind.REFUSAL, "stop", "I can't help with that."), finish);
    }

    @Test
    void responses_refusalDeltas_notTextButTheRefusalsMessage() {
        fake.server().enqueue(FakeResponse.sse("""
                event: response.created
                data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-4o","output":[]}}

                event: response.refusal.delta
                data: {"type":"response.refusal.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"No, "}

                event: response.refusal.delta
                data: {"type":"response.refusal.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"sorry."}

                event: response.completed
                data: {"type":"response.completed","sequence_number":3,"response":{"id":"resp_1","object":"response","status":"completed","model":"gpt-4o","output":[],"usage":{"input_tokens":3,"output_tokens":2,"total_tokens":5}}}

                """));
        ChatResponse r;
        try (OpenAiClient c = client().build()) {
            r = c.responses().chat(request("gpt-4o").responseFormat(RECIPE).build());
        }
        assertEquals("", r.text());
        assertEquals(new FinishReason(FinishReason.Kind.REFUSAL, "completed", "No, sorry."), r.finishReason());
    }

    @Test
    void chatCompletionRequest_rawResponseFormat_writtenAsGivenAndNotAnExtra() {
        ChatCompletionRequest r = ChatCompletionRequest.builder()
                .model("m")
                .addMessage(ChatCompletionMessage.user("x"))
                .responseFormat(Map.of("type", "json_object"))
                .build();
        assertTrue(
                RequestJson.streaming(r).contains("\"response_format\":{\"type\":\"json_object\"}"),
                RequestJson.streaming(r));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> ChatCompletionRequest.builder().extra("response_format", Map.of("type", "text")));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> ChatCompletionRequest.builder().responseFormat(Map.of("json_schema", Map.of())));
    }
}
