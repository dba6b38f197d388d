package dev.sluice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.FallbackChain;
import dev.sluice.client.RetryPolicy;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tool runner over a {@link FallbackChain}: a turn cut on one target restarts on the next, the conversation kept. */
class ToolRunnerFailoverTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    @Test
    void run_turnCutAfterItsToolCall_restartsOnTheNextTargetAndRunsOnlyTheNewCall() {
        AtomicInteger anthropicCalls = new AtomicInteger();
        FAKE.server().setDispatcher(r -> {
            if (r.path().equals("/v1/messages")) {
                return anthropicCalls.incrementAndGet() == 1
                        ? FakeResponse.answer()
                                .toolCall("get_weather", "{\"city\":", "\"Paris\"}", " ")
                                .cutAfter(2)
                        : FakeResponse.overloaded();
            }
            boolean answered = r.body().contains("\"role\":\"tool\"");
            return answered
                    ? FakeResponse.answer().text("Sunny in Paris.")
                    : FakeResponse.answer().toolCall("get_weather", "{\"city\":\"Paris\"}");
        });
        List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        AgentTool weather = AgentTool.of("get_weather", "the weather", Map.of("type", "object"), (args, ctx) -> {
            ran.add(String.valueOf(args.get("city")));
            return "sunny";
        });
        try (AnthropicClient anthropic = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .retryPolicy(RetryPolicy.none())
                        .build();
                OpenAiClient openai = OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target(anthropic, "claude-a")
                    .target(openai, "gpt-b")
                    .build();
            ToolRunner runner = ToolRunner.builder(chain).tool(weather).build();
            ChatRequest request = ChatRequest.builder()
                    .model("unused")
                    .addMessage(ChatMessage.user("Weather in Paris?"))
                    .build();
            List<AgentEvent.TurnEnded> turns = new ArrayList<>();
            AgentEvent.RunFinished finished = run(runner, request, turns);

            assertEquals("Sunny in Paris.", finished.text());
            assertEquals(1, turns.getFirst().toolResults().size());
            String callId = turns.getFirst().response().toolCalls().getFirst().id();
            assertEquals(callId, turns.getFirst().toolResults().getFirst().toolCallId());
            assertTrue(ran.size() <= 2 && ran.contains("Paris"), ran.toString());
            assertEquals(4, finished.conversation().size()); // user, assistant call, tool result, answer
        }
    }

    /** Runs to the end, collecting the turns; {@return the run's end} */
    private static AgentEvent.RunFinished run(
            ToolRunner runner, ChatRequest request, List<AgentEvent.TurnEnded> turns) {
        AgentEvent.RunFinished finished = null;
        try (EventStream<AgentEvent> events = runner.run(request)) {
            for (AgentEvent e : events) {
                if (e instanceof AgentEvent.RunFinished f) finished = f;
                if (e instanceof AgentEvent.TurnEnded t) turns.add(t);
            }
        }
        return finished;
    }

    @Test
    void run_hedgedTurns_toolRunnerSeesOnlyTheWinnersAnswerAndNoReset() {
        FAKE.server().setDispatcher(r -> {
            if (r.path().equals("/v1/messages")) { // the first target: its first token a minute away
                return FakeResponse.answer()
                        .text("SLOW")
                        .paced(java.time.Duration.ofSeconds(60), java.time.Duration.ZERO);
            }
            boolean answered = r.body().contains("\"role\":\"tool\"");
            return answered
                    ? FakeResponse.answer().text("Sunny in Paris.")
                    : FakeResponse.answer().toolCall("get_weather", "{\"city\":\"Paris\"}");
        });
        AgentTool weather =
                AgentTool.of("get_weather", "the weather", Map.of("type", "object"), (args, ctx) -> "sunny");
        try (AnthropicClient anthropic = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .retryPolicy(RetryPolicy.none())
                        .build();
                OpenAiClient openai = OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(FAKE.server().baseUrl().toString())
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
            FallbackChain chain = FallbackChain.builder()
                    .target(anthropic, "claude-a")
                    .target(openai, "gpt-b")
                    .hedging(dev.sluice.chat.Hedging.after(java.time.Duration.ofMillis(100)))
                    .build();
            ToolRunner runner = ToolRunner.builder(chain).tool(weather).build();
            ChatRequest request = ChatRequest.builder()
                    .model("unused")
                    .addMessage(ChatMessage.user("Weather in Paris?"))
                    .build();
            List<AgentEvent.TurnEnded> turns = new ArrayList<>();
            AgentEvent.RunFinished finished = run(runner, request, turns);

            assertEquals("Sunny in Paris.", finished.text());
            assertEquals(2, turns.size());
            for (AgentEvent.TurnEnded t : turns) {
                assertEquals("gpt-b", t.response().metadata().hedge().winner());
                assertEquals(List.of(), t.response().metadata().failovers());
            }
            assertEquals(4, finished.conversation().size());
            assertEquals(
                    new FallbackChain.HedgeCounts(2, 2, 0), chain.hedgeCounts().get("gpt-b"));
        }
    }
}
