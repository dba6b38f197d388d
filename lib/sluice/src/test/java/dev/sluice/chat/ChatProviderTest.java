package dev.sluice.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.stream.EndReason;
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

    /** "Hello" in two chunks, the second with the finish reason and the usage. */
    private static final List<MessageChunk> HELLO = hello();

    private static List<MessageChunk> hello() {
        ChunkMetadata meta = new ChunkMetadata("m", Instant.EPOCH, Duration.ofMillis(5));
        return List.of(
                MessageChunk.builder(meta).id("r1").text("Hel").build(),
                MessageChunk.builder(meta)
                        .text("lo")
                        .finishReason(FinishReason.fromAnthropic("end_turn"))
                        .usage(Usage.of(3, 2))
                        .build());
    }

    private static final ChatRequest HI =
            ChatRequest.builder().model("m").addMessage(ChatMessage.user("hi")).build();

    @Test
    void chat_streamToTheEnd_returnsTheAggregatedFinalResponse() {
        ChatResponse response = new FixedProvider(HELLO).chat(HI);
        assertEquals("r1", response.id());
        assertEquals("Hello", response.text());
        assertEquals(FinishReason.Kind.STOP, response.finishReason().kind());
        assertEquals(Usage.of(3, 2), response.usage());
        assertEquals(2, response.metadata().chunks());
        assertTrue(response.complete());
    }

    @Test
    void chat_cancelledAfterTheStreamEndedButBeforeItsEndWasTaken_saysCancelled() {
        ChatProvider fixed = new FixedProvider(HELLO);
        // the stream has ended (every chunk queued, its end COMPLETED) when its caller cancels it
        ChatProvider ended = new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                EventStream<MessageChunk> s = fixed.stream(request, controller);
                await().atMost(Duration.ofSeconds(10)).until(() -> s.endReason().isPresent());
                assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
                controller.cancel("client left");
                return s;
            }
        };
        IncompleteStreamException e = assertThrows(IncompleteStreamException.class, () -> ended.chat(HI));
        assertTrue(
                e.getMessage().startsWith("the answer to chat() was cut short: its stream was cancelled (client left)"),
                e.getMessage());
    }
}
