package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderStateTest {
    private static final ChunkMetadata META = new ChunkMetadata("m", Instant.EPOCH, Duration.ZERO);
    private static final ProviderState STATE = new ProviderState("anthropic", "[{\"signature\":\"secret-sig\"}]");

    @Test
    void constructor_blankProvider_refused() {
        assertThrows(IllegalArgumentException.class, () -> new ProviderState(" ", "x"));
        assertThrows(NullPointerException.class, () -> new ProviderState("gemini", null));
    }

    @Test
    void toString_leavesTheDataOut() {
        assertEquals("ProviderState[provider=anthropic, 28 chars]", STATE.toString());
        assertFalse(STATE.toString().contains("secret-sig"));
    }

    @Test
    void route_twoArgConstructorHasNone_stampAndTakeOffByName() {
        assertEquals(List.of(), STATE.route());
        assertNull(STATE.target());
        ProviderState stamped = STATE.stampedFor("inner").stampedFor("outer");
        assertEquals(List.of("outer", "inner"), stamped.route());
        assertEquals("outer", stamped.target());
        assertEquals("ProviderState[provider=anthropic, route=outer > inner, 28 chars]", stamped.toString());
        assertEquals(new ProviderState("anthropic", STATE.data(), List.of("inner")), stamped.forTarget("outer"));
        assertEquals(STATE, stamped.forTarget("outer").forTarget("inner"));
        assertNull(stamped.forTarget("inner"));
        assertNull(STATE.forTarget("outer"));
        assertThrows(IllegalArgumentException.class, () -> new ProviderState("gemini", "x", List.of(" ")));
    }

    @Test
    void aggregator_latestStateKept_andCarriedByAssistantMessage() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(MessageChunk.builder(META)
                .text("Hi")
                .providerState(new ProviderState("anthropic", "[]"))
                .build());
        aggregator.accept(MessageChunk.builder(META).text("!").build());
        assertEquals(new ProviderState("anthropic", "[]"), aggregator.snapshot().providerState());
        aggregator.accept(MessageChunk.builder(META)
                .providerState(STATE)
                .finishReason(new FinishReason(FinishReason.Kind.STOP, "end_turn"))
                .build());
        ChatResponse response = aggregator.result();
        assertEquals(STATE, response.providerState());
        assertEquals(STATE, ChatMessage.assistant(response).providerState());
    }

    @Test
    void chatMessage_stateOnUser_refused_stateAloneEnoughForAssistant() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChatMessage(ChatMessage.Role.USER, "q", List.of(), List.of(), STATE));
        assertEquals(
                STATE, new ChatMessage(ChatMessage.Role.ASSISTANT, "", List.of(), List.of(), STATE).providerState());
        assertNull(ChatMessage.assistant("a").providerState());
    }

    @Test
    void chatRequest_thinkingBudget_checkedAndKeptByWithMessages() {
        assertThrows(IllegalArgumentException.class, () -> ChatRequest.builder().thinkingBudget(0));
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("q"))
                .thinkingBudget(2048)
                .build();
        ChatRequest next = request.withMessages(List.of(ChatMessage.user("q2")));
        assertEquals(2048, next.thinkingBudget());
        assertEquals(List.of(ChatMessage.user("q2")), next.messages());
        assertNull(new ChatRequest("m", "", List.of(ChatMessage.user("q")), List.of(), null, null, List.of())
                .thinkingBudget());
    }
}
