package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The state rule in a {@link FallbackChain}: each chunk's {@link ProviderState} is stamped with the
 * target that sent it, and a target is sent only the state stamped for it, under failover, hedging
 * and a chain inside a chain.
 */
class FallbackChainStateTest {
    private static final ChunkMetadata META = new ChunkMetadata("m", Instant.EPOCH, Duration.ZERO);
    private static final FinishReason STOP = new FinishReason(FinishReason.Kind.STOP, "end_turn");

    /** What a scripted target does with a request. */
    private enum Act {
        ANSWER,
        OVERLOADED,
        STALL
    }

    /** A target that records its requests and answers with a state of its own ({@code NAME#n}). */
    private static final class Scripted implements ChatProvider {
        final String name;
        final String provider;
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        final Deque<Act> script = new ArrayDeque<>();
        final CountDownLatch stalled = new CountDownLatch(1);

        Scripted(String name, String provider, Act... acts) {
            this.name = name;
            this.provider = provider;
            script.addAll(List.of(acts));
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            requests.add(request);
            int n = requests.size();
            Act act = script.isEmpty() ? Act.ANSWER : script.poll();
            if (act == Act.OVERLOADED) throw new ApiException(529, "overloaded_error", "Overloaded", false, null);
            CountDownLatch cancelled = new CountDownLatch(1);
            controller.onCancel(cancelled::countDown);
            return EventStream.<MessageChunk>builder().controller(controller).generate(out -> {
                if (act == Act.STALL) {
                    stalled.countDown();
                    try {
                        cancelled.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                out.emit(MessageChunk.builder(META).text("from " + name).build());
                out.emit(MessageChunk.builder(META)
                        .providerState(new ProviderState(provider, name + "#" + n))
                        .finishReason(STOP)
                        .build());
            });
        }
    }

    private static ChatRequest turn(List<ChatMessage> history) {
        return ChatRequest.builder().model("unused").messages(history).build();
    }

    private static List<ChatMessage> conversation(ChatResponse answer) {
        List<ChatMessage> h = new ArrayList<>();
        h.add(ChatMessage.user("first"));
        h.add(ChatMessage.assistant(answer));
        h.add(ChatMessage.user("second"));
        return h;
    }

    private static ProviderState stateOf(ChatRequest r) {
        return r.messages().stream()
                .map(ChatMessage::providerState)
                .filter(s -> s != null)
                .findFirst()
                .orElse(null);
    }

    @Test
    void stream_failoverThenAnswer_stateStampedWithTheTargetThatAnswered() {
        Scripted a = new Scripted("a", "anthropic", Act.OVERLOADED);
        Scripted b = new Scripted("b", "gemini");
        FallbackChain chain = FallbackChain.builder()
                .target(a, "model-a")
                .target(b, "model-b")
                .build();

        ChatResponse r = chain.chat(turn(List.of(ChatMessage.user("first"))));

        assertEquals(new ProviderState("gemini", "b#1", List.of("model-b")), r.providerState());
        assertEquals("model-b", r.providerState().target());
        assertEquals("model-b", ChatMessage.assistant(r).providerState().target());
    }

    @Test
    void stream_nextTurnFailsOver_newTargetGetsNoForeignState_thenTheOwnerGetsItsStateVerbatim() {
        Scripted a = new Scripted("a", "anthropic", Act.ANSWER, Act.OVERLOADED, Act.ANSWER);
        Scripted b = new Scripted("b", "anthropic");
        FallbackChain chain = FallbackChain.builder()
                .target("first", a, "m")
                .target("second", b, "m")
                .build();

        ChatResponse one = chain.chat(turn(List.of(ChatMessage.user("first"))));
        assertEquals(List.of("first"), one.providerState().route());
        List<ChatMessage> history = conversation(one);

        ChatResponse two = chain.chat(turn(history)); // a overloaded: b answers, without a's state
        ChatRequest toB = b.requests.getFirst();
        assertNull(stateOf(toB));
        assertEquals("from a", toB.messages().get(1).text()); // the text stays: only the state goes
        assertEquals(List.of("second"), two.providerState().route());

        ChatResponse three = chain.chat(turn(history)); // a answers again: its own state, the stamp taken off
        ProviderState back = stateOf(a.requests.get(2));
        assertEquals(new ProviderState("anthropic", "a#1"), back);
        assertTrue(three.providerState().route().equals(List.of("first")));
    }

    @Test
    void stream_historyWithStatesOfBothTargets_eachGetsOnlyItsOwn() {
        Scripted a = new Scripted("a", "anthropic");
        Scripted b = new Scripted("b", "anthropic");
        FallbackChain chain =
                FallbackChain.builder().target("A", a, "m").target("B", b, "m").build();
        List<ChatMessage> history = List.of(
                ChatMessage.user("q1"),
                new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "x",
                        List.of(),
                        List.of(),
                        new ProviderState("anthropic", "A-state", List.of("A"))),
                ChatMessage.user("q2"),
                new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "",
                        List.of(),
                        List.of(),
                        new ProviderState("anthropic", "B-state", List.of("B"))),
                ChatMessage.user("q3"));

        chain.chat(turn(history));

        List<ChatMessage> sent = a.requests.getFirst().messages();
        assertEquals(4, sent.size()); // B's state-only message left out
        assertEquals(new ProviderState("anthropic", "A-state"), sent.get(1).providerState());
        assertTrue(sent.stream()
                .noneMatch(m ->
                        m.providerState() != null && m.providerState().data().equals("B-state")));
    }

    @Test
    void stream_unstampedState_strippedByAChain() {
        Scripted a = new Scripted("a", "anthropic");
        FallbackChain chain = FallbackChain.builder().target(a, "m").build();
        List<ChatMessage> history = List.of(
                ChatMessage.user("q1"),
                new ChatMessage(
                        ChatMessage.Role.ASSISTANT, "x", List.of(), List.of(), new ProviderState("anthropic", "plain")),
                ChatMessage.user("q2"));

        chain.chat(turn(history));

        assertNull(stateOf(a.requests.getFirst()));
    }

    @Test
    void stream_hedgeWins_hedgeSentNoStateOfTheSlowTarget_andWinnerStamped() throws Exception {
        Scripted a = new Scripted("a", "anthropic", Act.STALL);
        Scripted b = new Scripted("b", "bedrock");
        FallbackChain chain = FallbackChain.builder()
                .target("A", a, "m")
                .target("B", b, "m")
                .hedging(Hedging.after(Duration.ofMillis(20)))
                .build();
        List<ChatMessage> history = List.of(
                ChatMessage.user("q1"),
                new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "x",
                        List.of(),
                        List.of(),
                        new ProviderState("anthropic", "A-state", List.of("A"))),
                ChatMessage.user("q2"));

        ChatResponse r = chain.chat(turn(history));

        assertEquals(new ProviderState("anthropic", "A-state"), stateOf(a.requests.getFirst()));
        assertNull(stateOf(b.requests.getFirst()));
        assertEquals("B", r.metadata().hedge().winner());
        assertEquals(new ProviderState("bedrock", "b#1", List.of("B")), r.providerState());
    }

    @Test
    void stream_chainInsideAChain_routeIsThePath_andEachLevelTakesItsNameOff() {
        Scripted a = new Scripted("a", "anthropic");
        Scripted b = new Scripted("b", "gemini");
        Scripted c = new Scripted("c", "gemini", Act.OVERLOADED);
        FallbackChain inner =
                FallbackChain.builder().target("a", a, "m").target("b", b, "m").build();
        FallbackChain outer = FallbackChain.builder()
                .target("inner", ChatProvider.peeking(inner, x -> {}), "m")
                .target("c", c, "m")
                .build();

        ChatResponse one = outer.chat(turn(List.of(ChatMessage.user("first"))));
        assertEquals(List.of("inner", "a"), one.providerState().route());

        outer.chat(turn(conversation(one)));
        assertEquals(new ProviderState("anthropic", "a#1"), stateOf(a.requests.get(1)));

        // the outer chain's other target gets none of it, the inner chain's other target neither
        FallbackChain other =
                FallbackChain.builder().target("c", c, "m").target("b", b, "m").build();
        other.chat(turn(conversation(one)));
        assertNull(stateOf(c.requests.getFirst()));
        assertNull(stateOf(b.requests.getFirst()));
    }

    @Test
    void stream_toolLoopBegunOnAnotherTarget_continuesThereWithoutThinking_theOwnerKeepsIt() {
        Scripted a = new Scripted("a", "anthropic", Act.OVERLOADED, Act.ANSWER);
        Scripted b = new Scripted("b", "anthropic");
        FallbackChain chain =
                FallbackChain.builder().target("A", a, "m").target("B", b, "m").build();
        ToolCall call = ToolCall.of(0, "c1", "get_weather", "{}");
        List<ChatMessage> loop = List.of(
                ChatMessage.user("Weather?"),
                new ChatMessage(
                        ChatMessage.Role.ASSISTANT,
                        "",
                        List.of(call),
                        List.of(),
                        new ProviderState("anthropic", "A-sig", List.of("A"))),
                ChatMessage.toolResults(List.of(new ToolResult("c1", "18", false))));
        ChatRequest request = ChatRequest.builder()
                .model("unused")
                .messages(loop)
                .maxTokens(4096)
                .thinkingBudget(1024)
                .build();

        chain.chat(request); // A overloaded: B continues the loop
        chain.chat(request); // A answers

        assertNull(b.requests.getFirst().thinkingBudget());
        assertNull(stateOf(b.requests.getFirst()));
        assertEquals(1024, a.requests.get(1).thinkingBudget());
        assertEquals(new ProviderState("anthropic", "A-sig"), stateOf(a.requests.get(1)));
        // a new turn after the loop: thinking on everywhere again
        List<ChatMessage> next = new ArrayList<>(loop);
        next.add(ChatMessage.assistant("18 degrees."));
        next.add(ChatMessage.user("And tomorrow?"));
        chain.chat(request.withMessages(next));
        assertEquals(1024, a.requests.get(2).thinkingBudget());
    }

    @Test
    void aggregator_switch_dropsTheFailedTargetsState() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(MessageChunk.builder(META)
                .text("Hi")
                .providerState(new ProviderState("gemini", "g", List.of("A")))
                .build());
        aggregator.accept(MessageChunk.builder(META)
                .failover(new dev.sluice.client.Failover(
                        "A",
                        "B",
                        dev.sluice.client.Failover.Reason.CONNECTION_LOST,
                        dev.sluice.client.Failover.Mode.CONTINUE,
                        "Hi",
                        0,
                        0))
                .build());
        aggregator.accept(
                MessageChunk.builder(META).text(" there").finishReason(STOP).build());
        assertNull(aggregator.result().providerState());
    }
}
