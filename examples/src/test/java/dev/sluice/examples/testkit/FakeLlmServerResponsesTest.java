package dev.sluice.examples.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.Tool;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.openai.Response;
import dev.sluice.openai.ResponseOutputItem;
import dev.sluice.openai.ResponseRequest;
import dev.sluice.openai.ResponseStream;
import dev.sluice.openai.ResponseStreamEvent;
import dev.sluice.testkit.FakeLlmServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/responses}: the Responses API's wire format over the shared scenario, read by the library's client. */
class FakeLlmServerResponsesTest {
    private FakeLlmServer server;
    private OpenAiClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
        client = OpenAiClient.builder()
                .apiKey("fake")
                .baseUrl(server.baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ResponseRequest request(String model) {
        return ResponseRequest.builder()
                .model(model)
                .addUserMessage("Tell me about the ocean")
                .build();
    }

    @Test
    void stream_textAnswer_numberedEventsEndingCompleted() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        Response response;
        try (ResponseStream stream = client.responses().stream(request("gpt-6.1-terra"))) {
            for (ResponseStreamEvent e : stream) events.add(e);
            response = stream.result();
        }
        assertEquals("response.created", events.getFirst().type());
        assertEquals("response.completed", events.getLast().type());
        for (int i = 0; i < events.size(); i++) assertEquals(i, events.get(i).sequenceNumber());
        assertFalse(events.stream().anyMatch(ResponseStreamEvent.Unknown.class::isInstance), "every event typed");
        assertFalse(response.outputText().isEmpty());
        assertTrue(response.id().startsWith("resp_fake_"));
        assertTrue(response.usage().outputTokens() > 0);
    }

    @Test
    void chatProvider_withTools_callsTheFirstToolWithSchemaArguments() {
        ChatResponse r = client.responses()
                .chat(ChatRequest.builder()
                        .model("gpt-6.1-terra")
                        .addMessage(ChatMessage.user("Weather in Paris?"))
                        .addTool(new Tool(
                                "get_weather",
                                "",
                                Map.of(
                                        "type",
                                        "object",
                                        "properties",
                                        Map.of("location", Map.of("type", "string")),
                                        "required",
                                        List.of("location"))))
                        .build());
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        assertEquals("get_weather", r.toolCalls().getFirst().name());
        assertTrue(r.toolCalls().getFirst().id().startsWith("call_fake_"));
        assertNull(r.toolCalls().getFirst().argumentsError());
        assertTrue(((Map<?, ?>) r.toolCalls().getFirst().parsedArguments()).containsKey("location"));
    }

    @Test
    void stream_functionCall_itemDoneCarriesWholeArguments() {
        ResponseRequest request = ResponseRequest.builder()
                .model("gpt-6.1-terra")
                .addUserMessage("Weather in Paris?")
                .addTool(dev.sluice.openai.FunctionTool.of(
                        "get_weather",
                        "",
                        Map.of(
                                "type",
                                "object",
                                "properties",
                                Map.of("location", Map.of("type", "string")),
                                "required",
                                List.of("location"))))
                .build();
        try (ResponseStream stream = client.responses().stream(request)) {
            ResponseOutputItem.FunctionCall call =
                    stream.result().functionCalls().getFirst();
            assertEquals("get_weather", call.name());
            assertInstanceOf(Map.class, call.parsedArguments());
        }
    }

    @Test
    void errorMidStream_errorEventAfterText() {
        try (ResponseStream stream = client.responses().stream(request("fake-error-mid-stream"))) {
            ApiException e = assertThrows(ApiException.class, stream::result);
            assertTrue(e.inStream());
            assertEquals("server_error", e.errorType());
            assertFalse(e.partial(Response.class).orElseThrow().outputText().isEmpty());
        }
    }

    @Test
    void followUp_functionCallWithoutOutput_refusedWith400() {
        ResponseRequest request = ResponseRequest.builder()
                .model("gpt-6.1-terra")
                .addUserMessage("Weather in Paris?")
                .addFunctionCall("call_1", "get_weather", "{}")
                .addFunctionCall("call_2", "get_weather", "{}")
                .addFunctionCallOutput("call_1", "sunny")
                .build();
        ApiException e = assertThrows(ApiException.class, () -> client.responses().stream(request));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("call_2"), e.getMessage());
    }

    @Test
    void missingInput_400NamesTheField() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> client.responses().stream(ResponseRequest.builder()
                        .model("gpt-6.1-terra")
                        .previousResponseId("resp_x")
                        .build()));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("'input'"), e.getMessage());
    }
}
