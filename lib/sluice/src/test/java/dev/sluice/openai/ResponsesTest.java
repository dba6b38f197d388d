package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.Tool;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamListener;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.sse.SseParser;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Responses API over loopback: captured streams written from OpenAI's published event reference. */
class ResponsesTest {
    private static final String KEY = "sk-test-SECRET-responses";
    private static final String HAIKU = "Silent river bends,\nmoonlight threads the reeds—\na heron waits.";

    private ResponsesReplay server;
    private OpenAiClient client;

    @BeforeEach
    void start() {
        server = new ResponsesReplay();
        client = OpenAiClient.builder()
                .apiKey(KEY)
                .baseUrl(server.baseUrl())
                .retryPolicy(RetryPolicy.defaults()
                        .withInitialBackoff(Duration.ofMillis(1))
                        .withMaxBackoff(Duration.ofMillis(5)))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ResponseRequest request(boolean background) {
        return ResponseRequest.builder()
                .model("gpt-5-mini")
                .instructions("Be terse.")
                .addUserMessage("A haiku, please")
                .background(background)
                .store(true)
                .build();
    }

    /** The events of a captured stream, decoded as the client decodes them. */
    static List<ResponseStreamEvent> decodeAll(String fixture) {
        List<ResponseStreamEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(SseLimits.defaults(), (SseEvent e) -> events.add(ResponsesJson.decode(e)));
        byte[] body = OpenAiFixtures.resource("openai-responses/" + fixture + ".sse");
        parser.feed(body, 0, body.length);
        parser.finish();
        return events;
    }

    @Test
    void stream_textCapture_buildsResponseAndIgnoresEventsAfterTerminal() {
        server.serve("text");
        List<ResponseStreamEvent> events = new ArrayList<>();
        Response response;
        try (ResponseStream stream = client.responses().stream(request(false))) {
            for (ResponseStreamEvent e : stream) events.add(e);
            response = stream.result();
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            assertEquals("req_1", stream.requestId().orElseThrow());
        }
        assertEquals(22, events.size(), "the delta after response.completed is never delivered");
        ResponseStreamEvent.Lifecycle last = assertInstanceOf(ResponseStreamEvent.Lifecycle.class, events.getLast());
        assertTrue(last.isTerminal());
        for (int i = 0; i < events.size(); i++) assertEquals(i, events.get(i).sequenceNumber());
        assertEquals(HAIKU, response.outputText());
        assertEquals("completed", response.status());
        assertEquals("resp_68af01", response.id());
        assertEquals(new ResponseUsage(37, 5, 19, 0, 56), response.usage());
        RecordedRequest sent = server.requests().getFirst();
        assertEquals("POST", sent.method());
        assertEquals("/v1/responses", sent.target());
        Map<?, ?> body = (Map<?, ?>) PartialJson.parse(sent.body()).value();
        assertEquals(true, body.get("stream"));
        assertEquals("gpt-5-mini", body.get("model"));
        assertEquals("Be terse.", body.get("instructions"));
        assertEquals(List.of(Map.of("role", "user", "content", "A haiku, please")), body.get("input"));
    }

    @Test
    void accumulator_eventsAfterTerminal_ignoredNotFatal() {
        ResponseAccumulator acc = new ResponseAccumulator();
        for (ResponseStreamEvent e : decodeAll("text")) acc.accept(e); // the capture ends with a delta after completed
        assertEquals(HAIKU, acc.result().outputText());
        assertEquals(21, acc.lastSequenceNumber());
    }

    @Test
    void accumulator_textDeltas_snapshotGrowsBeforeDone() {
        ResponseAccumulator acc = new ResponseAccumulator();
        List<ResponseStreamEvent> events = decodeAll("text");
        for (int i = 0; i < 7; i++) acc.accept(events.get(i)); // created .. the third delta
        assertEquals("Silent river bends", acc.snapshot().outputText());
        assertEquals("in_progress", acc.snapshot().status());
    }

    @Test
    void stream_functionCallCapture_argumentsParsedAndSummaryKept() {
        server.serve("function-call");
        Response response;
        try (ResponseStream stream = client.responses().stream(request(false))) {
            response = stream.result();
        }
        ResponseOutputItem.Reasoning reasoning = assertInstanceOf(
                ResponseOutputItem.Reasoning.class, response.output().get(0));
        assertEquals(
                List.of("**Checking the weather**\n\nThe user asks about Paris; I should call get_weather."),
                reasoning.summary());
        ResponseOutputItem.FunctionCall call = response.functionCalls().getFirst();
        assertEquals("call_Wx9", call.callId());
        assertEquals("get_weather", call.name());
        assertEquals(Map.of("location", "Paris, France", "unit", "c"), call.parsedArguments());
        assertNull(call.argumentsError());
        assertEquals(20, response.usage().reasoningTokens());
    }

    /** A terminal event whose response has no output of its own: the result is the output the deltas built. */
    private static ResponseStreamEvent incomplete(long sequenceNumber) {
        return new ResponseStreamEvent.Lifecycle(
                "response.incomplete",
                sequenceNumber,
                new Response("resp_1", "m", "incomplete", 0, false, List.of(), null, null, null));
    }

    @Test
    void accumulator_argumentsCutOff_bestEffortValueAndProblemNeverThrows() {
        ResponseAccumulator acc = new ResponseAccumulator();
        List<ResponseStreamEvent> events = decodeAll("function-call");
        for (ResponseStreamEvent e : events) {
            if (e instanceof ResponseStreamEvent.FunctionCallArgumentsDelta d
                    && d.delta().equals(", France")) break;
            acc.accept(e);
        }
        ResponseOutputItem.FunctionCall live = acc.snapshot().functionCalls().getFirst();
        assertEquals("{\"location\":\"Paris", live.arguments());
        assertEquals(Map.of("location", "Paris"), live.parsedArguments());
        acc.accept(incomplete(99));
        ResponseOutputItem.FunctionCall last = acc.result().functionCalls().getFirst();
        assertNotNull(last.argumentsError(), "cut-off arguments are reported");
        assertEquals(Map.of("location", "Paris"), last.parsedArguments());
    }

    @Test
    void accumulator_malformedArguments_reportedNotThrown() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(new ResponseStreamEvent.OutputItemAdded(
                0, 0, new ResponseOutputItem.FunctionCall("fc_1", "call_1", "f", "", "in_progress", null, null)));
        acc.accept(new ResponseStreamEvent.FunctionCallArgumentsDelta(1, "fc_1", 0, "{\"a\": tru}"));
        acc.accept(incomplete(2));
        ResponseOutputItem.FunctionCall call = acc.result().functionCalls().getFirst();
        assertNotNull(call.argumentsError());
        assertEquals("{\"a\": tru}", call.arguments());
    }

    @Test
    void stream_refusalCapture_refusalTextAndNeutralRefusalWithItsMessageNotText() {
        server.serve("refusal");
        try (ResponseStream stream = client.responses().stream(request(false))) {
            ResponseOutputItem.Message m =
                    (ResponseOutputItem.Message) stream.result().output().getFirst();
            assertEquals("I'm sorry, but I can't help with that.", m.refusal());
            assertTrue(m.content().getFirst().isRefusal());
        }
        ChatResponse neutral = client.responses().chat(chatRequest());
        assertEquals(FinishReason.Kind.REFUSAL, neutral.finishReason().kind());
        assertEquals(
                "I'm sorry, but I can't help with that.", neutral.finishReason().message());
        assertEquals("", neutral.text(), "a refusal is not the answer's text");
    }

    @Test
    void stream_incompleteCapture_reasonKeptAndNeutralLength() {
        server.serve("incomplete");
        try (ResponseStream stream = client.responses().stream(request(false))) {
            Response r = stream.result();
            assertEquals("incomplete", r.status());
            assertEquals("max_output_tokens", r.incompleteReason());
            assertEquals("Once upon a", r.outputText());
        }
        ChatResponse neutral = client.responses().chat(chatRequest());
        assertEquals(new FinishReason(FinishReason.Kind.LENGTH, "max_output_tokens"), neutral.finishReason());
    }

    @Test
    void stream_failedCapture_typedDeliversNeutralThrowsWithPartial() {
        server.serve("failed");
        try (ResponseStream stream = client.responses().stream(request(false))) {
            Response r = stream.result();
            assertEquals("failed", r.status());
            assertEquals(
                    new Response.ResponseError("server_error", "The model failed to generate a response."), r.error());
        }
        SluiceException e =
                assertThrows(SluiceException.class, () -> client.responses().chat(chatRequest()));
        ApiException api = assertInstanceOf(ApiException.class, e);
        assertEquals("server_error", api.errorType());
        assertEquals("Par", api.partial(ChatResponse.class).orElseThrow().text());
    }

    @Test
    void stream_errorEventAfterText_apiExceptionWithPartialResponse() {
        server.serve("error");
        try (ResponseStream stream = client.responses().stream(request(false))) {
            ApiException e = assertThrows(ApiException.class, stream::result);
            assertEquals("rate_limit_exceeded", e.errorType());
            assertTrue(e.inStream());
            assertEquals("Hello", e.partial(Response.class).orElseThrow().outputText());
            assertEquals(1, server.requests().size(), "text was delivered: no retry");
        }
    }

    @Test
    void stream_serverErrorBeforeOutput_retriedUnseen() {
        server.serveInTurn("error-before-output", "text");
        List<Long> seqs = new ArrayList<>();
        try (ResponseStream stream = client.responses().stream(request(false))) {
            for (ResponseStreamEvent e : stream) seqs.add(e.sequenceNumber());
            assertEquals(HAIKU, stream.result().outputText());
        }
        assertEquals(2, server.requests().size(), "the error came before anything of substance: sent again");
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 22; i++) expected.add(i);
        assertEquals(expected, seqs, "the first attempt's opening events were never shown");
    }

    @Test
    void stream_backgroundServerErrorAfterCreated_notSentAgain() {
        server.serveInTurn("error-before-output", "text");
        try (ResponseStream stream = client.responses().stream(request(true))) {
            ApiException e = assertThrows(ApiException.class, stream::result);
            assertEquals("server_error", e.errorType());
            assertEquals("resp_68af01", stream.responseId().orElseThrow(), "the background response exists: resume it");
        }
        assertEquals(1, server.requests().size(), "a created background response is never created twice");
    }

    @Test
    void stream_unknownEvents_keptAndHarmless() {
        server.serve("unknown-events");
        List<ResponseStreamEvent.Unknown> unknown = new ArrayList<>();
        try (ResponseStream stream = client.responses().stream(request(false))) {
            for (ResponseStreamEvent e : stream) if (e instanceof ResponseStreamEvent.Unknown u) unknown.add(u);
            assertEquals("Per the docs.", stream.result().outputText());
        }
        assertEquals(
                List.of(
                        "response.web_search_call.in_progress",
                        "response.future_feature.delta",
                        "response.output_text.annotation.added"),
                unknown.stream().map(ResponseStreamEvent.Unknown::type).toList());
        assertEquals(3, unknown.get(1).sequenceNumber());
        assertTrue(unknown.get(1).data().contains("\"nested\""));
    }

    @Test
    void decode_notJson_protocolExceptionNamesEvent() {
        SluiceException e = assertThrows(
                SluiceException.class,
                () -> ResponsesJson.decode(new SseEvent("response.output_text.delta", "{not json", null)));
        assertTrue(e.getMessage().contains("response.output_text.delta"), e.getMessage());
    }

    @Test
    void listen_textCapture_callbacksInOrder() {
        server.serve("text");
        StringBuilder seen = new StringBuilder();
        List<String> order = new ArrayList<>();
        try (ResponseStream stream = client.responses().stream(request(false))) {
            Response r = stream.listen(new StreamListener<ResponseStreamEvent, Response>() {
                @Override
                public void onText(String delta, CharSequence soFar) {
                    seen.append(delta);
                }

                @Override
                public void onResult(Response response) {
                    order.add("response:" + response.status());
                }

                @Override
                public void onEnd() {
                    order.add("end");
                }
            });
            assertEquals(HAIKU, r.outputText());
        }
        assertEquals(HAIKU, seen.toString());
        assertEquals(List.of("response:completed", "end"), order);
    }

    // ---- resume

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 9, 14, 20})
    void resume_cutOffBackgroundStream_continuesWithoutGap(int cut) {
        server.serve("background-text");
        server.cutAfter = cut; // the POST's body ends after `cut` events
        List<Long> sequence = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        ResponseStream first = client.responses().stream(request(true));
        assertThrows(IncompleteStreamException.class, () -> {
            for (ResponseStreamEvent e : first) {
                sequence.add(e.sequenceNumber());
                if (e instanceof ResponseStreamEvent.OutputTextDelta d) text.append(d.delta());
            }
        });
        assertEquals(cut - 1, first.lastSequenceNumber());
        Response response;
        try (ResponseStream rest = client.responses().resume(first)) {
            for (ResponseStreamEvent e : rest) {
                sequence.add(e.sequenceNumber());
                if (e instanceof ResponseStreamEvent.OutputTextDelta d) text.append(d.delta());
            }
            response = rest.result();
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < server.events.size(); i++) expected.add(i);
        assertEquals(expected, sequence, "every event once, in order");
        assertEquals(HAIKU, text.toString());
        assertEquals(HAIKU, response.outputText());
        RecordedRequest get = server.requests().get(1);
        assertEquals("GET", get.method());
        assertEquals("/v1/responses/resp_68af01?stream=true&starting_after=" + (cut - 1), get.target());
    }

    @Test
    void resume_serverRepeatsEvents_repeatsDropped() {
        server.serve("background-text");
        server.cutAfter = 8;
        server.repeat = 3; // the GET sends events 5, 6, 7 again
        ResponseStream first = client.responses().stream(request(true));
        assertThrows(IncompleteStreamException.class, first::result);
        List<Long> seqs = new ArrayList<>();
        try (ResponseStream rest = client.responses().resume(first)) {
            for (ResponseStreamEvent e : rest) seqs.add(e.sequenceNumber());
            assertEquals(HAIKU, rest.result().outputText());
        }
        assertEquals(8L, seqs.getFirst());
    }

    @Test
    void resume_byIdAndSequenceNumber_readsTheRest() {
        server.serve("background-text");
        try (ResponseStream rest = client.responses().resume("resp_68af01", 10)) {
            List<ResponseStreamEvent> events = new ArrayList<>();
            for (ResponseStreamEvent e : rest) events.add(e);
            assertEquals(11, events.getFirst().sequenceNumber());
            assertEquals("completed", rest.result().status());
        }
        assertEquals(
                "/v1/responses/resp_68af01?stream=true&starting_after=10",
                server.requests().getFirst().target());
        assertEquals("GET", server.requests().getFirst().method());
    }

    @Test
    void resume_foregroundStream_refused() {
        server.serve("text");
        server.cutAfter = 6;
        ResponseStream first = client.responses().stream(request(false));
        assertThrows(IncompleteStreamException.class, first::result);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> client.responses().resume(first));
        assertTrue(e.getMessage().contains("background"), e.getMessage());
    }

    @Test
    void resume_cutBeforeCreated_refusedIdUnknown() {
        server.serve("background-text");
        server.cutAfter = 0; // nothing: every attempt ends empty
        ResponseStream first = client.responses().stream(request(true));
        assertThrows(IncompleteStreamException.class, first::result);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> client.responses().resume(first));
        assertTrue(e.getMessage().contains("response id is unknown"), e.getMessage());
    }

    @Test
    void resume_responseIdNotPlain_refused() {
        assertThrows(IllegalArgumentException.class, () -> client.responses().resume("../chat/completions", 3));
    }

    // ---- provider-neutral view

    private static ChatRequest chatRequest() {
        return ChatRequest.builder()
                .model("gpt-5-mini")
                .system("Be terse.")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .addTool(new Tool("get_weather", "The weather", Map.of("type", "object")))
                .maxTokens(200)
                .build();
    }

    @Test
    void chat_functionCallCapture_toolCallUsageThinkingAndRequestMapped() {
        server.serve("function-call");
        ChatResponse r = client.responses().chat(chatRequest());
        assertEquals(FinishReason.Kind.TOOL_CALLS, r.finishReason().kind());
        ToolCall call = r.toolCalls().getFirst();
        assertEquals("call_Wx9", call.id());
        assertEquals("get_weather", call.name());
        assertEquals(Map.of("location", "Paris, France", "unit", "c"), call.parsedArguments());
        assertEquals(new Usage(80, 40, 0, 0), r.usage());
        assertTrue(r.thinking().contains("I should call get_weather"));
        assertEquals("resp_68af01", r.id());
        Map<?, ?> body = (Map<?, ?>)
                PartialJson.parse(server.requests().getFirst().body()).value();
        assertEquals("Be terse.", body.get("instructions"));
        assertEquals(200L, body.get("max_output_tokens"));
        assertEquals(false, body.get("store"));
        assertEquals(
                List.of(Map.of(
                        "type",
                        "function",
                        "name",
                        "get_weather",
                        "description",
                        "The weather",
                        "parameters",
                        Map.of("type", "object"))),
                body.get("tools"));
    }

    @Test
    void chat_toolResultsTurn_sentAsFunctionCallItems() {
        server.serve("text");
        ChatRequest request = chatRequest()
                .withMessages(List.of(
                        ChatMessage.user("Weather in Paris?"),
                        new ChatMessage(
                                ChatMessage.Role.ASSISTANT,
                                "",
                                List.of(ToolCall.of(0, "call_Wx9", "get_weather", "{\"location\":\"Paris\"}")),
                                List.of()),
                        ChatMessage.toolResults(
                                List.of(ToolResult.of("call_Wx9", "18°C"), ToolResult.error("call_x", "boom")))));
        assertEquals(HAIKU, client.responses().chat(request).text());
        Map<?, ?> body = (Map<?, ?>)
                PartialJson.parse(server.requests().getFirst().body()).value();
        assertEquals(
                List.of(
                        Map.of("role", "user", "content", "Weather in Paris?"),
                        Map.of(
                                "type",
                                "function_call",
                                "call_id",
                                "call_Wx9",
                                "name",
                                "get_weather",
                                "arguments",
                                "{\"location\":\"Paris\"}"),
                        Map.of("type", "function_call_output", "call_id", "call_Wx9", "output", "18°C"),
                        Map.of("type", "function_call_output", "call_id", "call_x", "output", "Error: boom")),
                body.get("input"));
    }

    @Test
    void chat_stopSequences_refusedBeforeSending() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("hi"))
                .addStopSequence("END")
                .build();
        assertThrows(IllegalArgumentException.class, () -> client.responses().stream(request));
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void toolRunner_overResponses_runsToolAndFinishes() {
        server.serveInTurn("function-call", "text");
        ToolRunner runner = ToolRunner.builder(client.responses())
                .tool(AgentTool.of(
                        "get_weather",
                        "The weather",
                        Map.of("type", "object"),
                        (args, ctx) -> "18°C in " + args.get("location")))
                .build();
        AgentEvent.RunFinished finished = null;
        ChatRequest request = ChatRequest.builder()
                .model("gpt-5-mini")
                .addMessage(ChatMessage.user("Weather in Paris?"))
                .build();
        try (EventStream<AgentEvent> run = runner.run(request)) {
            for (AgentEvent e : run) if (e instanceof AgentEvent.RunFinished f) finished = f;
        }
        assertNotNull(finished);
        assertEquals(AgentEvent.RunFinished.StopReason.MODEL_DONE, finished.reason());
        assertEquals(HAIKU, finished.lastResponse().text());
        Map<?, ?> second =
                (Map<?, ?>) PartialJson.parse(server.requests().get(1).body()).value();
        List<?> input = (List<?>) second.get("input");
        assertEquals(
                Map.of("type", "function_call_output", "call_id", "call_Wx9", "output", "18°C in Paris, France"),
                input.getLast());
    }

    @Test
    void chat_streamedChunks_textArrivesPieceByPiece() {
        server.serve("text");
        List<String> pieces = new ArrayList<>();
        try (EventStream<MessageChunk> s = client.responses().stream(chatRequest())) {
            for (MessageChunk c : s) if (!c.text().isEmpty()) pieces.add(c.text());
        }
        assertEquals(14, pieces.size());
        assertEquals(HAIKU, String.join("", pieces));
        assertFalse(server.requests().getFirst().body().contains(KEY));
    }
}
