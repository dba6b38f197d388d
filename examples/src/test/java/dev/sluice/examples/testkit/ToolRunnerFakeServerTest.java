package dev.sluice.examples.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.AgentEvent.RunFinished;
import dev.sluice.agent.AgentEvent.ToolCompleted;
import dev.sluice.agent.AgentEvent.ToolFailed;
import dev.sluice.agent.AgentEvent.ToolStarted;
import dev.sluice.agent.AgentEvent.TurnEnded;
import dev.sluice.agent.AgentTool;
import dev.sluice.agent.ToolRunner;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.client.RetryPolicy;
import dev.sluice.examples.RunTools;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.server.suite.FakeWords;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tool runner on all three APIs, through the embedded fake server (unpaced), which checks every follow-up. */
class ToolRunnerFakeServerTest {
    private static FakeLlmServer server;
    private static final Map<String, Object> CITY = Map.of(
            "type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"));

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ChatProvider provider(String name) {
        String base = server.baseUrl().toString();
        return switch (name) {
            case "anthropic" ->
                AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build();
            case "openai" ->
                OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build();
            case "openai-responses" ->
                OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build()
                        .responses();
            case "gemini" ->
                GeminiClient.builder()
                        .apiKey("k")
                        .baseUrl(base)
                        .retryPolicy(RetryPolicy.none())
                        .build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static ChatRequest ask(String prompt) {
        return ChatRequest.builder()
                .model("m")
                .maxTokens(2048)
                .addMessage(ChatMessage.user(prompt))
                .build();
    }

    private static List<AgentEvent> run(ToolRunner runner, ChatRequest request) {
        List<AgentEvent> events = new ArrayList<>();
        try (EventStream<AgentEvent> stream = runner.run(request)) {
            for (AgentEvent e : stream) events.add(e);
        }
        return events;
    }

    private static <T extends AgentEvent> List<T> of(List<AgentEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static RunFinished finished(List<AgentEvent> events) {
        return of(events, RunFinished.class).getFirst();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void run_oneCall_modelAnswersWithTheToolsResult(String name) {
        ChatProvider provider = provider(name);
        List<AgentEvent> events =
                run(ToolRunner.builder(provider).tool(RunTools.weather()).build(), ask("What's the weather in Paris?"));

        assertEquals(1, of(events, ToolStarted.class).size());
        ToolCompleted done = of(events, ToolCompleted.class).getFirst();
        assertEquals(RunTools.weatherIn("Paris"), done.result());
        RunFinished end = finished(events);
        assertEquals(RunFinished.StopReason.MODEL_DONE, end.reason());
        assertEquals(2, end.turns());
        assertEquals("In Paris it is " + FakeWords.weather(RunTools.weatherIn("Paris")), end.text());
        assertTrue(
                end.usage().inputTokens() > 0 && end.usage().outputTokens() > 0,
                end.usage().toString());
        assertEquals(4, end.conversation().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void run_twoParallelCalls_bothResultsInOneMessageInCallOrder(String name) {
        List<AgentEvent> events = run(
                ToolRunner.builder(provider(name)).tool(RunTools.weather()).build(),
                ask("What's the weather in Paris and Tokyo?"));

        TurnEnded first = of(events, TurnEnded.class).getFirst();
        List<String> callIds =
                first.response().toolCalls().stream().map(ToolCall::id).toList();
        assertEquals(2, callIds.size());
        assertEquals(
                callIds,
                first.toolResults().stream().map(ToolResult::toolCallId).toList());
        assertEquals(
                List.of(RunTools.weatherIn("Paris"), RunTools.weatherIn("Tokyo")),
                first.toolResults().stream().map(ToolResult::content).toList());
        RunFinished end = finished(events);
        assertEquals(
                "In Paris it is " + FakeWords.weather(RunTools.weatherIn("Paris")) + " In Tokyo it is "
                        + FakeWords.weather(RunTools.weatherIn("Tokyo")),
                end.text());
        assertEquals(2, end.conversation().get(2).toolResults().size(), "one message carries both results");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void run_failingHandler_modelReadsTheErrorAndAnswers(String name) {
        AgentTool broken = AgentTool.of("get_weather", "", CITY, (arguments, context) -> {
            throw new IllegalStateException("weather service unreachable");
        });
        List<AgentEvent> events =
                run(ToolRunner.builder(provider(name)).tool(broken).build(), ask("What's the weather in Oslo?"));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.HANDLER_FAILED, failed.kind());
        assertTrue(
                finished(events).text().toLowerCase().contains("error: weather service unreachable"),
                finished(events).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void run_unknownTool_errorResultAcceptedByTheApi(String name) {
        List<AgentEvent> events = run(
                ToolRunner.builder(provider(name)).tool(RunTools.weather()).build(),
                ask("Use this: [[call get_forecast {\"city\":\"Oslo\"}]]"));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.UNKNOWN_TOOL, failed.kind());
        assertEquals("get_forecast", failed.name());
        assertTrue(
                finished(events).text().contains("there is no tool named 'get_forecast'"),
                finished(events).text());
        assertEquals(2, finished(events).turns());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void run_requiredArgumentMissing_errorResultAndNoHandlerRun(String name) {
        AtomicBoolean ran = new AtomicBoolean();
        AgentTool tool = AgentTool.of("get_weather", "", CITY, (arguments, context) -> {
            ran.set(true);
            return "sunny";
        });
        List<AgentEvent> events = run(
                ToolRunner.builder(provider(name)).tool(tool).build(),
                ask("Use this: [[call get_weather {\"town\":\"Oslo\"}]]"));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.INVALID_ARGUMENTS, failed.kind());
        assertEquals("missing required argument: city", failed.error());
        assertFalse(ran.get());
        assertEquals(RunFinished.StopReason.MODEL_DONE, finished(events).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses"})
    void run_argumentsNotValidJson_errorResultAndTheCallRepeatedAsAnObject(String name) {
        List<AgentEvent> events = run(
                ToolRunner.builder(provider(name)).tool(RunTools.weather()).build(),
                ask("Use this: [[call get_weather {\"city\": Oslo]]"));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.INVALID_ARGUMENTS, failed.kind());
        assertTrue(failed.error().startsWith("the arguments are not valid JSON"), failed.error());
        assertEquals(2, finished(events).turns(), "the API took the repeated call and the error result");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void run_cancelledDuringARunningTool_toolInterruptedAndRunCancelled(String name) {
        AtomicBoolean interrupted = new AtomicBoolean();
        AgentTool slow = AgentTool.of(
                "count_slowly",
                "",
                Map.of("type", "object", "properties", Map.of("n", Map.of("type", "integer"))),
                (arguments, context) -> {
                    try {
                        Thread.sleep(Duration.ofMinutes(1));
                    } catch (InterruptedException e) {
                        interrupted.set(context.isCancelled());
                        throw e;
                    }
                    return "never";
                });
        EventStream<AgentEvent> events =
                ToolRunner.builder(provider(name)).tool(slow).build().run(ask("Please count to 5"));
        List<AgentEvent> seen = new ArrayList<>();
        try (events) {
            for (AgentEvent e : events) {
                seen.add(e);
                if (e instanceof ToolStarted) events.controller().cancel("stop pressed");
            }
        }
        assertEquals(EndReason.CANCELLED, events.endReason().orElseThrow());
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
        assertTrue(of(seen, RunFinished.class).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "openai-responses", "gemini"})
    void run_turnLimitReached_endsWithTheReasonAndTheResults(String name) {
        List<AgentEvent> events = run(
                ToolRunner.builder(provider(name))
                        .tool(RunTools.weather())
                        .maxTurns(1)
                        .build(),
                ask("What's the weather in Paris?"));

        RunFinished end = finished(events);
        assertEquals(RunFinished.StopReason.TURN_LIMIT, end.reason());
        assertEquals(1, end.turns());
        assertEquals(
                List.of(RunTools.weatherIn("Paris")),
                end.conversation().getLast().toolResults().stream()
                        .map(ToolResult::content)
                        .toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini", "openai-responses"})
    void run_thinkingAndTools_signaturesSentBackIntactAndAccepted(String name) {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .maxTokens(4096)
                .thinkingBudget(1024)
                .addMessage(ChatMessage.user("What's the weather in Paris and Tokyo?"))
                .build();
        List<AgentEvent> events =
                run(ToolRunner.builder(provider(name)).tool(RunTools.weather()).build(), request);

        TurnEnded first = of(events, TurnEnded.class).getFirst();
        assertFalse(first.response().thinking().isEmpty());
        assertTrue(first.response().providerState() != null, "the response carries its signatures");
        assertEquals(RunFinished.StopReason.MODEL_DONE, finished(events).reason());
        assertEquals(2, finished(events).turns(), "the fake checked the signatures of the repeated turn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini"})
    void followUp_thinkingSignatureLost_refusedWith400(String name) {
        ChatProvider provider = provider(name);
        ChatRequest first = ChatRequest.builder()
                .model("m")
                .maxTokens(4096)
                .thinkingBudget(1024)
                .addTool(RunTools.weather().definition())
                .addMessage(ChatMessage.user("What's the weather in Paris?"))
                .build();
        ChatResponse response = provider.chat(first);
        ChatMessage withoutState =
                new ChatMessage(ChatMessage.Role.ASSISTANT, response.text(), response.toolCalls(), List.of());
        ChatRequest next = first.withMessages(List.of(
                first.messages().getFirst(),
                withoutState,
                ChatMessage.toolResults(
                        List.of(ToolResult.of(response.toolCalls().getFirst().id(), "sunny")))));
        ApiException e = assertThrows(ApiException.class, () -> provider.chat(next));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("signature") || e.getMessage().contains("thinking"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai", "gemini"})
    void followUp_resultsInTheWrongOrderOrMissing_refusedWith400(String name) {
        ChatProvider provider = provider(name);
        ChatRequest first = ChatRequest.builder()
                .model("m")
                .maxTokens(1024)
                .addTool(RunTools.weather().definition())
                .addTool(RunTools.countSlowly(Duration.ZERO).definition())
                .addMessage(ChatMessage.user("What's the weather in Paris? Then count to 2"))
                .build();
        ChatResponse response = provider.chat(first);
        List<ToolCall> calls = response.toolCalls();
        assertEquals(
                List.of("get_weather", "count_slowly"),
                calls.stream().map(ToolCall::name).toList());
        ToolResult a = ToolResult.of(calls.get(0).id(), "sunny");
        ToolResult b = ToolResult.of(calls.get(1).id(), "2");
        for (List<ToolResult> wrong : List.of(List.of(b, a), List.of(a))) {
            ChatRequest next = first.withMessages(List.of(
                    first.messages().getFirst(), ChatMessage.assistant(response), ChatMessage.toolResults(wrong)));
            ApiException e = assertThrows(ApiException.class, () -> provider.chat(next), wrong.toString());
            assertEquals(400, e.statusCode(), e.getMessage());
        }
        ChatRequest right = first.withMessages(List.of(
                first.messages().getFirst(), ChatMessage.assistant(response), ChatMessage.toolResults(List.of(a, b))));
        assertEquals(
                "The tools answered: sunny; 2. That is all I know.",
                provider.chat(right).text());
    }

    @Test
    void followUp_resultForACallNeverMade_refusedWith400() {
        ChatProvider provider = provider("openai");
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addTool(RunTools.weather().definition())
                .addMessage(ChatMessage.user("Weather in Rome?"))
                .addMessage(new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "",
                        List.of(ToolCall.of(0, "call_1", "get_weather", "{}")),
                        List.of()))
                .addMessage(ChatMessage.toolResults(List.of(ToolResult.of("call_2", "sunny"))))
                .build();
        ApiException e = assertThrows(ApiException.class, () -> provider.chat(request));
        assertEquals(400, e.statusCode());
    }
}
