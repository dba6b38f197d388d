package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link ChatProvider#withEffort} asks the wrapped provider's own {@link ChatProvider#answer} (one call
 * not streamed, where it has one) with the effort set; {@link ChatProvider#peeking} streams and gathers,
 * so that its peek sees every chunk.
 */
class ChatProviderWithEffortTest {
    private static final ChunkMetadata META = new ChunkMetadata("m", java.time.Instant.EPOCH, java.time.Duration.ZERO);
    private static final ChatRequest REQUEST =
            ChatRequest.builder().model("m").addMessage(ChatMessage.user("hi")).build();

    /** A provider that answers whole in one call, and says which way it was asked. */
    private static final class Answering implements ChatProvider {
        final List<String> asked = new ArrayList<>();

        @Nullable
        Effort effort;

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            asked.add("stream");
            return EventStream.<MessageChunk>builder()
                    .controller(controller)
                    .generate(out -> out.emit(MessageChunk.builder(META)
                            .text("streamed")
                            .finishReason(FinishReason.fromAnthropic("end_turn"))
                            .build()));
        }

        @Override
        public ChatResponse answer(ChatRequest request, StreamController controller, long maxBytes) {
            asked.add("answer");
            effort = request.effort();
            ChunkAggregator whole = new ChunkAggregator();
            whole.accept(MessageChunk.builder(META)
                    .text("whole")
                    .finishReason(FinishReason.fromAnthropic("end_turn"))
                    .build());
            return whole.result();
        }
    }

    @Test
    void withEffort_answer_theWrappedProvidersOwnAnswerAtTheEffort() {
        Answering inner = new Answering();
        ChatProvider high = ChatProvider.withEffort(inner, Effort.HIGH);
        assertEquals(
                "whole", high.answer(REQUEST, StreamController.create(), 1000).text());
        assertSame(Effort.HIGH, inner.effort);
        high.answer(REQUEST.withEffort(Effort.LOW), StreamController.create(), 1000);
        assertSame(Effort.LOW, inner.effort, "a request's own effort is kept");
        assertEquals(List.of("answer", "answer"), inner.asked, "not streamed and gathered");
    }

    @Test
    void peeking_answer_streamedAndGatheredSoThePeekSeesEachChunk() {
        Answering inner = new Answering();
        List<String> peeked = new ArrayList<>();
        ChatProvider peeking = ChatProvider.peeking(inner, c -> peeked.add(c.text()));
        assertEquals(
                "streamed",
                peeking.answer(REQUEST, StreamController.create(), 1000).text());
        assertEquals(List.of("stream"), inner.asked);
        assertEquals(List.of("streamed"), peeked);
    }
}
