package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.RateLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ChatProvider#peeking}: each chunk reaches the peek as it is read; the rest is the wrapped provider's. */
class ChatProviderPeekingTest {
    private static final ChunkMetadata META = new ChunkMetadata("m", java.time.Instant.EPOCH, java.time.Duration.ZERO);

    @Test
    void peeking_seesEveryChunkRead_andForwardsWhatTheProviderSays() {
        ChatProvider inner = new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                return EventStream.<MessageChunk>builder()
                        .controller(controller)
                        .generate(out -> {
                            out.emit(MessageChunk.builder(META).text("a").build());
                            out.emit(MessageChunk.builder(META).text("b").build());
                        });
            }

            @Override
            public boolean continuesAssistantTurn() {
                return true;
            }
        };
        List<String> peeked = new ArrayList<>();
        ChatProvider peeking = ChatProvider.peeking(inner, c -> peeked.add(c.text()));
        ChatRequest request = ChatRequest.builder()
                .model("m")
                .addMessage(ChatMessage.user("hi"))
                .build();
        StringBuilder read = new StringBuilder();
        try (EventStream<MessageChunk> chunks = peeking.stream(request)) {
            for (MessageChunk c : chunks) read.append(c.text());
        }
        assertEquals("ab", read.toString());
        assertEquals(List.of("a", "b"), peeked);
        assertTrue(peeking.continuesAssistantTurn());
        assertEquals(Optional.<RateLimits>empty(), peeking.rateLimits());
    }
}
