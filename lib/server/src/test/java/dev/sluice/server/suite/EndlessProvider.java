package dev.sluice.server.suite;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A model that writes 1,000-character deltas as fast as they are taken, until cancelled; counts them. */
public final class EndlessProvider implements ChatProvider {
    public final AtomicLong produced = new AtomicLong();

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request) {
        return stream(request, StreamController.create());
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        String text = "x".repeat(999) + "\n";
        return EventStream.<MessageChunk>builder().controller(controller).generate(emitter -> {
            while (emitter.emit(MessageChunk.builder(new ChunkMetadata("endless", Instant.now(), Duration.ZERO))
                    .text(text)
                    .build())) {
                produced.incrementAndGet();
            }
        });
    }
}
