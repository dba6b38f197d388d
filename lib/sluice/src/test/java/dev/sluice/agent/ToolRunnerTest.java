package dev.sluice.agent;

import static dev.sluice.agent.ScriptedProvider.args;
import static dev.sluice.agent.ScriptedProvider.call;
import static dev.sluice.agent.ScriptedProvider.steps;
import static dev.sluice.agent.ScriptedProvider.stop;
import static dev.sluice.agent.ScriptedProvider.text;
import static dev.sluice.agent.ScriptedProvider.toolCalls;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.agent.AgentEvent.ModelChunk;
import dev.sluice.agent.AgentEvent.RunFinished;
import dev.sluice.agent.AgentEvent.ToolCompleted;
import dev.sluice.agent.AgentEvent.ToolFailed;
import dev.sluice.agent.AgentEvent.ToolProgress;
import dev.sluice.agent.AgentEvent.ToolStarted;
import dev.sluice.agent.AgentEvent.TurnEnded;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ProviderState;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ToolRunnerTest {
    private static final Map<String, Object> CITY_SCHEMA = Map.of(
            "type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"));
    private static final AgentTool WEATHER = AgentTool.of(
            "get_weather",
            "Weather in a city",
            CITY_SCHEMA,
            (arguments, context) -> "{\"city\":\"" + arguments.get("city") + "\",\"celsius\":18}");
    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("m")
            .addMessage(ChatMessage.user("Weather in Paris?"))
            .build();

    private static List<AgentEvent> drain(EventStream<AgentEvent> events) {
        List<AgentEvent> all = new ArrayList<>();
        try (events) {
            for (AgentEvent e : events) all.add(e);
        }
        return all;
    }

    private static List<String> types(List<AgentEvent> events) {
        return events.stream()
                .filter(e -> !(e instanceof ModelChunk))
                .map(AgentEvent::type)
                .toList();
    }

    private static <T extends AgentEvent> List<T> of(List<AgentEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static List<ToolResult> resultsSentIn(ChatRequest request) {
        return request.messages().getLast().toolResults();
    }

    @Test
    void run_oneCall_toolRunsAndItsResultGoesBackWithTheConversation() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(
                        text("Let me check."),
                        call(0, "c1", "get_weather", "{\"city\":"),
                        args(0, "\"Paris\"}"),
                        toolCalls())
                : steps(text("It is 18 degrees in Paris."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(WEATHER).build().run(REQUEST));

        assertEquals(
                List.of(
                        "turn_started",
                        "tool_started",
                        "tool_done",
                        "turn_ended",
                        "turn_started",
                        "turn_ended",
                        "run_finished"),
                types(events));
        ToolCompleted done = of(events, ToolCompleted.class).getFirst();
        assertEquals("{\"city\":\"Paris\",\"celsius\":18}", done.result());
        assertEquals("c1", done.id());
        ChatRequest second = provider.requests.get(1);
        assertEquals(List.of(ToolResult.of("c1", "{\"city\":\"Paris\",\"celsius\":18}")), resultsSentIn(second));
        ChatMessage assistant = second.messages().get(1);
        assertEquals("Let me check.", assistant.text());
        assertEquals(List.of(ToolCall.of(0, "c1", "get_weather", "{\"city\":\"Paris\"}")), assistant.toolCalls());
        assertEquals(
                List.of("get_weather"),
                second.tools().stream().map(t -> t.name()).toList());
        RunFinished end = of(events, RunFinished.class).getFirst();
        assertEquals(RunFinished.StopReason.MODEL_DONE, end.reason());
        assertEquals(2, end.turns());
        assertEquals("It is 18 degrees in Paris.", end.text());
        assertEquals(4, end.conversation().size());
        assertEquals(Usage.of(30, 12), end.usage());
    }

    @Test
    void run_twoCalls_firstStartsWhileTheModelStillStreamsAndResultsGoBackInCallOrder() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch secondCompleted = new CountDownLatch(1); // counted when the consumer sees c2's ToolCompleted
        AtomicBoolean streamedWhileRunning = new AtomicBoolean();
        AgentTool slow = AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> {
            if (arguments.get("city").equals("Paris")) {
                firstStarted.countDown();
                assertTrue(secondCompleted.await(10, TimeUnit.SECONDS)); // finishes after the second call completed
            }
            return "weather in " + arguments.get("city");
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(
                        call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"),
                        (Runnable) () -> {
                            try {
                                streamedWhileRunning.set(firstStarted.await(10, TimeUnit.SECONDS));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        call(1, "c2", "get_weather", "{\"city\":\"Oslo\"}"),
                        toolCalls())
                : steps(text("Done."), stop()));
        List<AgentEvent> events = new ArrayList<>();
        try (EventStream<AgentEvent> stream =
                ToolRunner.builder(provider).tool(slow).build().run(REQUEST)) {
            for (AgentEvent e : stream) {
                events.add(e);
                if (e instanceof ToolCompleted c && c.id().equals("c2")) secondCompleted.countDown();
            }
        }

        assertTrue(streamedWhileRunning.get(), "the first tool started before the model's stream went on");
        assertEquals(
                List.of("c2", "c1"),
                of(events, ToolCompleted.class).stream().map(ToolCompleted::id).toList());
        assertEquals(
                List.of(ToolResult.of("c1", "weather in Paris"), ToolResult.of("c2", "weather in Oslo")),
                resultsSentIn(provider.requests.get(1)));
        assertEquals(
                List.of(ToolResult.of("c1", "weather in Paris"), ToolResult.of("c2", "weather in Oslo")),
                of(events, TurnEnded.class).getFirst().toolResults());
    }

    @Test
    void run_resultLongerThanTheBound_cutForTheModelAndTheEventAndMarked() {
        AgentTool flood = AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> "y".repeat(50_000));
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"), toolCalls())
                : steps(text("Long."), stop()));
        List<AgentEvent> events = drain(ToolRunner.builder(provider)
                .tool(flood)
                .maxResultChars(4096)
                .build()
                .run(REQUEST));

        String result = of(events, ToolCompleted.class).getFirst().result();
        assertTrue(result.length() <= 4096, "length " + result.length());
        assertTrue(
                result.endsWith("[result truncated by sluice: it was 50000 characters; only the first "
                        + result.indexOf('\n') + " characters are above]"),
                result.substring(result.indexOf('\n')));
        assertEquals(List.of(ToolResult.of("c1", result)), resultsSentIn(provider.requests.get(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> ToolRunner.builder(provider).maxResultChars(1023));
    }

    @Test
    void run_handlerThrows_modelReadsTheErrorAndTheRunGoesOn() {
        AgentTool broken = AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> {
            throw new IllegalStateException("the weather service is down");
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"), toolCalls())
                : steps(text("Sorry."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(broken).build().run(REQUEST));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.HANDLER_FAILED, failed.kind());
        assertEquals("the weather service is down", failed.error());
        assertEquals(
                List.of(ToolResult.error("c1", "the weather service is down")),
                resultsSentIn(provider.requests.get(1)));
        assertEquals(
                List.of(
                        "turn_started",
                        "tool_started",
                        "tool_failed",
                        "turn_ended",
                        "turn_started",
                        "turn_ended",
                        "run_finished"),
                types(events));
    }

    @Test
    void run_unknownTool_errorResultNamesTheToolsAndNoHandlerRuns() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_wether", "{\"city\":\"Paris\"}"), toolCalls())
                : steps(text("Oops."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(WEATHER).build().run(REQUEST));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.UNKNOWN_TOOL, failed.kind());
        assertEquals("there is no tool named 'get_wether'; the tools are get_weather", failed.error());
        assertEquals(Duration.ZERO, failed.elapsed());
        assertTrue(of(events, ToolStarted.class).isEmpty());
        assertEquals(List.of(ToolResult.error("c1", failed.error())), resultsSentIn(provider.requests.get(1)));
    }

    @Test
    void run_argumentsNotJson_errorResultAndTheCallRepeatedWithAnEmptyObject() {
        AtomicInteger ran = new AtomicInteger();
        AgentTool counted =
                AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> "x" + ran.incrementAndGet());
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"city\": Paris}"), toolCalls())
                : steps(text("Retrying."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(counted).build().run(REQUEST));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.INVALID_ARGUMENTS, failed.kind());
        assertTrue(failed.error().startsWith("the arguments are not valid JSON ("), failed.error());
        assertEquals(0, ran.get());
        ChatRequest second = provider.requests.get(1);
        assertEquals("{}", second.messages().get(1).toolCalls().getFirst().arguments());
        assertTrue(resultsSentIn(second).getFirst().isError());
    }

    @Test
    void run_requiredArgumentMissing_errorResultNamesIt() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"town\":\"Paris\"}"), toolCalls())
                : steps(text("Retrying."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(WEATHER).build().run(REQUEST));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.INVALID_ARGUMENTS, failed.kind());
        assertEquals("missing required argument: city", failed.error());
    }

    @Test
    void run_argumentsNotAnObject_errorResult() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "[\"Paris\"]"), toolCalls())
                : steps(text("Retrying."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(WEATHER).build().run(REQUEST));
        assertEquals(
                "the arguments must be a JSON object, not [\"Paris\"]",
                of(events, ToolFailed.class).getFirst().error());
    }

    @Test
    void run_progress_reportedWithMessageAndPercentInOrder() {
        AgentTool counter = AgentTool.of("count_slowly", "", Map.of("type", "object"), (arguments, context) -> {
            context.progress("warming up");
            for (int i = 1; i <= 4; i++) context.progress("counted " + i, i * 25);
            return "4";
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) ->
                turn == 1 ? steps(call(0, "c1", "count_slowly", "{}"), toolCalls()) : steps(text("Counted."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(counter).build().run(REQUEST));

        List<ToolProgress> progress = of(events, ToolProgress.class);
        assertEquals(
                List.of("warming up", "counted 1", "counted 2", "counted 3", "counted 4"),
                progress.stream().map(ToolProgress::message).toList());
        assertNull(progress.getFirst().percent());
        assertEquals(100.0, progress.getLast().percent());
        assertEquals(
                List.of(
                        "turn_started",
                        "tool_started",
                        "tool_progress",
                        "tool_progress",
                        "tool_progress",
                        "tool_progress",
                        "tool_progress",
                        "tool_done",
                        "turn_ended",
                        "turn_started",
                        "turn_ended",
                        "run_finished"),
                types(events));
    }

    @Test
    void progress_percentOutOfRange_throwsToTheHandlerWhichFails() {
        AgentTool bad = AgentTool.of("count_slowly", "", Map.of("type", "object"), (arguments, context) -> {
            context.progress("too far", 101);
            return "never";
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) ->
                turn == 1 ? steps(call(0, "c1", "count_slowly", "{}"), toolCalls()) : steps(text("Hm."), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(bad).build().run(REQUEST));
        assertEquals(
                "percent must be within 0 to 100: 101.0",
                of(events, ToolFailed.class).getFirst().error());
    }

    @Test
    void run_toolPastItsTimeout_cancelledInterruptedAndTheModelReadsThatItTimedOut() {
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean sawDeadline = new AtomicBoolean();
        AgentTool stuck = AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> {
            sawDeadline.set(context.deadline().isPresent()
                    && context.remaining().orElseThrow().compareTo(Duration.ofMillis(200)) <= 0);
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                interrupted.set(context.isCancelled());
                throw e;
            }
            return "late";
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"), toolCalls())
                : steps(text("It timed out."), stop()));
        List<AgentEvent> events = drain(ToolRunner.builder(provider)
                .tool(stuck)
                .toolTimeout(Duration.ofMillis(200))
                .build()
                .run(REQUEST));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.TIMED_OUT, failed.kind());
        assertEquals("the tool did not finish within 0.2 s and was stopped", failed.error());
        assertTrue(failed.elapsed().toMillis() >= 200, failed.elapsed().toString());
        assertTrue(sawDeadline.get());
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
        assertEquals(1, of(events, ToolFailed.class).size(), "the late outcome is not reported");
    }

    /** A tool that reports progress every {@code every} for {@code steps} steps (each form of report in turn), then parks for {@code silence}. */
    private static AgentTool reporting(int steps, Duration every, Duration silence) {
        return AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> {
            for (int i = 1; i <= steps; i++) {
                Thread.sleep(every);
                switch (i % 3) {
                    case 0 -> context.progress("step " + i);
                    case 1 -> context.progress("step " + i, 100.0 * i / steps);
                    default -> context.progress("step " + i, i, (double) steps);
                }
            }
            Thread.sleep(silence);
            return "done after " + steps + " steps";
        });
    }

    @Test
    void run_toolReportingProgress_outlivesItsTimeout() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"), toolCalls())
                : steps(text("Done."), stop()));
        // 12 reports 50 ms apart: 600 ms in all, twice the timeout, never 300 ms without progress
        List<AgentEvent> events = drain(ToolRunner.builder(provider)
                .tool(reporting(12, Duration.ofMillis(50), Duration.ZERO))
                .toolTimeout(Duration.ofMillis(300))
                .build()
                .run(REQUEST));

        assertEquals(List.of(), of(events, ToolFailed.class));
        ToolCompleted done = of(events, ToolCompleted.class).getFirst();
        assertEquals("done after 12 steps", done.result());
        assertTrue(done.elapsed().toMillis() >= 600, done.elapsed().toString());
        assertEquals(12, of(events, ToolProgress.class).size());
    }

    @Test
    void run_toolSilentAfterProgress_timedOutATimeoutAfterItsLastReport() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"), toolCalls())
                : steps(text("It timed out."), stop()));
        // 8 reports 50 ms apart (400 ms, past the 200 ms timeout), then silence
        List<AgentEvent> events = drain(ToolRunner.builder(provider)
                .tool(reporting(8, Duration.ofMillis(50), Duration.ofMinutes(1)))
                .toolTimeout(Duration.ofMillis(200))
                .build()
                .run(REQUEST));

        ToolFailed failed = of(events, ToolFailed.class).getFirst();
        assertEquals(ToolFailed.Kind.TIMED_OUT, failed.kind());
        assertEquals("the tool did not finish within 0.2 s and was stopped", failed.error());
        assertTrue(failed.elapsed().toMillis() >= 600, failed.elapsed().toString());
        assertEquals(8, of(events, ToolProgress.class).size());
    }

    @Test
    void context_progress_movesTheDeadline() {
        List<Duration> remaining = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<java.time.Instant> deadlines = new java.util.concurrent.CopyOnWriteArrayList<>();
        AgentTool tool = AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> {
            deadlines.add(context.deadline().orElseThrow());
            Thread.sleep(Duration.ofMillis(300));
            context.progress("half way", 50);
            remaining.add(context.remaining().orElseThrow());
            deadlines.add(context.deadline().orElseThrow());
            return "ok";
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"), toolCalls())
                : steps(text("Done."), stop()));
        List<AgentEvent> events = drain(ToolRunner.builder(provider)
                .tool(tool)
                .toolTimeout(Duration.ofSeconds(10))
                .build()
                .run(REQUEST));

        assertEquals("ok", of(events, ToolCompleted.class).getFirst().result());
        assertTrue(remaining.getFirst().compareTo(Duration.ofMillis(9_900)) > 0, remaining.toString());
        assertTrue(Duration.between(deadlines.get(0), deadlines.get(1)).toMillis() >= 300, deadlines.toString());
    }

    @Test
    void run_cancelledWhileAToolRuns_toolInterruptedAndTheRunEndsCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean cancelledFlag = new AtomicBoolean();
        AgentTool stuck = AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                cancelledFlag.set(context.isCancelled());
                interrupted.set(true);
                throw e;
            }
            return "never";
        });
        ScriptedProvider provider = new ScriptedProvider(
                (turn, request) -> steps(call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"), toolCalls()));
        List<AgentEvent> seen = new ArrayList<>();
        EventStream<AgentEvent> events =
                ToolRunner.builder(provider).tool(stuck).build().run(REQUEST);
        try (events) {
            for (AgentEvent e : events) {
                seen.add(e);
                if (e instanceof ToolStarted) {
                    assertTrue(started.await(5, TimeUnit.SECONDS));
                    events.controller().cancel("the user pressed stop");
                }
            }
        }
        assertEquals(EndReason.CANCELLED, events.endReason().orElseThrow());
        await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
        assertTrue(cancelledFlag.get());
        assertTrue(of(seen, RunFinished.class).isEmpty());
        assertEquals(1, provider.requests.size());
    }

    @Test
    void run_cancelledWhileTheModelStreams_modelStreamCancelled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean modelStreamSawCancel = new AtomicBoolean();
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> steps(
                text("Thinking"),
                (Runnable) () -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        modelStreamSawCancel.set(true);
                        Thread.currentThread().interrupt();
                    }
                },
                text(" more"),
                stop()));
        EventStream<AgentEvent> events = ToolRunner.builder(provider).build().run(REQUEST);
        try (events) {
            for (AgentEvent e : events) {
                if (e instanceof ModelChunk) events.controller().cancel();
            }
        }
        assertEquals(EndReason.CANCELLED, events.endReason().orElseThrow());
        await().atMost(Duration.ofSeconds(5)).untilTrue(modelStreamSawCancel);
    }

    @Test
    void run_turnLimit_lastTurnsToolsRunAndTheRunStopsSayingSo() {
        ScriptedProvider provider = new ScriptedProvider(
                (turn, request) -> steps(call(0, "c" + turn, "get_weather", "{\"city\":\"Paris\"}"), toolCalls()));
        List<AgentEvent> events = drain(
                ToolRunner.builder(provider).tool(WEATHER).maxTurns(2).build().run(REQUEST));

        RunFinished end = of(events, RunFinished.class).getFirst();
        assertEquals(RunFinished.StopReason.TURN_LIMIT, end.reason());
        assertEquals(2, end.turns());
        assertEquals(2, provider.requests.size());
        assertEquals(
                List.of(ToolResult.of("c2", "{\"city\":\"Paris\",\"celsius\":18}")),
                end.conversation().getLast().toolResults());
        assertEquals(Usage.of(20, 10), end.usage());
    }

    @Test
    void run_maxParallelToolsOne_neverTwoHandlersAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AgentTool tool = AgentTool.of("get_weather", "", CITY_SCHEMA, (arguments, context) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(20);
            running.decrementAndGet();
            return "ok";
        });
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(
                        call(0, "a", "get_weather", "{\"city\":\"A\"}"),
                                call(1, "b", "get_weather", "{\"city\":\"B\"}"),
                        call(2, "c", "get_weather", "{\"city\":\"C\"}"), toolCalls())
                : steps(text("ok"), stop()));
        List<AgentEvent> events = drain(ToolRunner.builder(provider)
                .tool(tool)
                .maxParallelTools(1)
                .build()
                .run(REQUEST));
        assertEquals(3, of(events, ToolCompleted.class).size());
        assertEquals(1, most.get());
    }

    @Test
    void run_modelStreamFails_failureThrownAfterTheEventsBeforeIt() {
        ScriptedProvider provider =
                new ScriptedProvider((turn, request) -> steps(text("Half an ans"), (Runnable) () -> {
                    throw new ApiException(200, "overloaded_error", "Overloaded", true, null);
                }));
        List<AgentEvent> seen = new ArrayList<>();
        EventStream<AgentEvent> events = ToolRunner.builder(provider).build().run(REQUEST);
        SluiceException e;
        try (events) {
            e = assertThrows(SluiceException.class, () -> {
                for (AgentEvent event : events) seen.add(event);
            });
        }
        assertInstanceOf(ApiException.class, e);
        assertEquals(
                List.of("turn_started", "chunk"),
                seen.stream().map(AgentEvent::type).toList());
        assertEquals(EndReason.FAILED, events.endReason().orElseThrow());
    }

    @Test
    void run_providerStateOfATurn_sentBackWithTheAssistantMessage() {
        ProviderState state =
                new ProviderState("anthropic", "[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\"}]");
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> turn == 1
                ? steps(
                        call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"),
                        MessageChunk.builder(ScriptedProvider.META)
                                .finishReason(new FinishReason(FinishReason.Kind.TOOL_CALLS, "tool_use"))
                                .providerState(state)
                                .build())
                : steps(text("ok"), stop()));
        drain(ToolRunner.builder(provider).tool(WEATHER).build().run(REQUEST));
        assertEquals(state, provider.requests.get(1).messages().get(1).providerState());
    }

    @Test
    void run_noToolCalls_oneTurnAndTheAnswer() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> steps(text("Hello"), text("!"), stop()));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(WEATHER).build().run(REQUEST));
        assertEquals(
                List.of("turn_started", "chunk", "chunk", "chunk", "turn_ended", "run_finished"),
                events.stream().map(AgentEvent::type).toList());
        RunFinished end = of(events, RunFinished.class).getFirst();
        assertEquals("Hello!", end.text());
        assertEquals(ChatMessage.assistant("Hello!"), end.conversation().getLast());
    }

    @Test
    void run_requestAlreadyDeclaresTheTool_refused() {
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .addTool(WEATHER.definition())
                .build();
        ToolRunner runner = ToolRunner.builder(new ScriptedProvider((t, r) -> steps(stop())))
                .tool(WEATHER)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.run(request));
        assertTrue(e.getMessage().contains("get_weather"), e.getMessage());
    }

    @Test
    void builder_badArguments_refusedNamingThem() {
        ToolRunner.Builder b = ToolRunner.builder(new ScriptedProvider((t, r) -> steps(stop())));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxTurns(0))
                .getMessage()
                .contains("maxTurns"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxParallelTools(0))
                .getMessage()
                .contains("maxParallelTools"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.toolTimeout(Duration.ZERO))
                .getMessage()
                .contains("toolTimeout"));
        b.tool(WEATHER);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.tool(WEATHER))
                .getMessage()
                .contains("get_weather"));
        assertFalse(b.build().toString().isEmpty());
    }

    @Test
    void run_turnCutShortWithACall_runEndsAndTheCallIsNotRepeated() {
        ScriptedProvider provider = new ScriptedProvider((turn, request) -> steps(
                text("Let me"),
                call(0, "c1", "get_weather", "{\"city\":\"Paris\"}"),
                ScriptedProvider.finish("max_tokens", FinishReason.Kind.LENGTH, 5, 5)));
        List<AgentEvent> events =
                drain(ToolRunner.builder(provider).tool(WEATHER).build().run(REQUEST));

        RunFinished end = of(events, RunFinished.class).getFirst();
        assertEquals(RunFinished.StopReason.MODEL_DONE, end.reason());
        assertEquals("max_tokens", end.lastResponse().finishReason().raw());
        assertEquals(
                new ChatMessage(ChatMessage.Role.ASSISTANT, "Let me", List.of(), List.of()),
                end.conversation().getLast());
        assertTrue(of(events, TurnEnded.class).getFirst().toolResults().isEmpty());
        assertEquals(1, provider.requests.size());
    }
}
