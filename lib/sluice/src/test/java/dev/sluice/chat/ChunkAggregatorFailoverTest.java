package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.client.Failover;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ChunkAggregator} applies a fallback chain's switches: a reset drops the answer so far, a continue keeps it. */
class ChunkAggregatorFailoverTest {
    private static ChunkMetadata at(String model, long millis) {
        return new ChunkMetadata(model, Instant.EPOCH, Duration.ofMillis(millis));
    }

    private static MessageChunk text(String model, String text) {
        return MessageChunk.builder(at(model, 10)).id("id-" + model).text(text).build();
    }

    private static MessageChunk switched(Failover f, String model) {
        return MessageChunk.builder(at(model, 20))
                .failover(f)
                .usage(Usage.of(5, 2))
                .build();
    }

    @Test
    void accept_resetFailover_responseIsTheFinishingTargetsAnswerAlone() {
        ChunkAggregator a = new ChunkAggregator();
        a.accept(text("a", "Half an"));
        a.accept(MessageChunk.builder(at("a", 12))
                .thinking("hmm")
                .toolCall(new ToolCallDelta(0, "c1", "f", "{\"x\":"))
                .build());
        Failover f = new Failover("a", "b", Failover.Reason.TIMEOUT, Failover.Mode.RESTART, "", 5, 2);
        a.accept(switched(f, "b"));
        a.accept(text("b", "Whole."));
        a.accept(MessageChunk.builder(at("b", 30))
                .finishReason(FinishReason.fromAnthropic("end_turn"))
                .usage(Usage.of(9, 4))
                .build());

        ChatResponse r = a.result();

        assertEquals("Whole.", r.text());
        assertEquals("", r.thinking());
        assertEquals(List.of(), r.toolCalls());
        assertEquals("id-b", r.id());
        assertEquals("b", r.metadata().model());
        assertEquals(List.of(f), r.metadata().failovers());
        assertEquals(Usage.of(9, 4), r.usage());
        assertEquals(Duration.ofMillis(10), r.metadata().timeToFirstChunk());
    }

    @Test
    void accept_continueFailover_responseIsTheKeptTextAndItsContinuation() {
        ChunkAggregator a = new ChunkAggregator();
        a.accept(text("a", "The sky is "));
        Failover f =
                new Failover("a", "b", Failover.Reason.CONNECTION_LOST, Failover.Mode.CONTINUE, "The sky is ", 5, 2);
        a.accept(switched(f, "b"));
        a.accept(text("b", "blue."));
        a.accept(MessageChunk.builder(at("b", 30))
                .finishReason(FinishReason.fromAnthropic("end_turn"))
                .build());

        ChatResponse r = a.result();

        assertEquals("The sky is blue.", r.text());
        assertEquals("id-a", r.id());
        assertEquals("b", r.metadata().model());
        assertEquals(List.of(f), r.metadata().failovers());
    }
}
