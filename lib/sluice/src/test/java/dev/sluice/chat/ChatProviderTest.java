package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatProviderTest {

    /** A provider that streams fixed chunks through the real engine. */
    private static final class FixedProvider implements ChatProvider {
        private final List<MessageChunk> chunks;

        FixedProvider(List<MessageChunk> chunks) {
            this.chunks = chunks;
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return stream(request, StreamController.create());
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            return EventStream.<MessageChunk>builder().controller(controller).generate(emitter -> {
                for (MessageChunk chunk : chunks) {
                    if (!emitter.emit(chunk)) return;
                }
            });
        }
    }

    @Test
    void chat_streamToTheEnd_returnsTheAggregatedFinalResponse() {
        ChunkMetadata meta = new ChunkMetadata("m", Instant.EPOCH, Duration.ofMillis(5));
        ChatProvider provider = new FixedProvider(List.of(
                MessageChunk.builder(meta).id("r1").text("Hel").build(),
                MessageChunk.builder(meta)
                        .text("lo")
                        .finishReason(FinishReason.fromAnthropic("end_turn"))
                        .usage(Usage.of(3, 2))
                        .build()));
        ChatResponse response = provider.chat(ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("hi"))
                .build());
        assertEquals("r1", response.id());
        assertEquals("Hello", response.text());
        assertEquals(FinishReason.Kind.STOP, response.finishReason().kind());
        assertEquals(Usage.of(3, 2), response.usage());
        assertEquals(2, response.metadata().chunks());
        assertTrue(response.complete());
    }
}
