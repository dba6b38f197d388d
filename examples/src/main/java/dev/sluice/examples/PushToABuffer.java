package dev.sluice.examples;

import dev.sluice.SluiceException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import org.jspecify.annotations.Nullable;

/**
 * docs/integrations.md: a stream's chunks handed to a buffer on the producer's own thread
 * ({@link EventStream#pushTo}), so that the consumer needs no thread while the model is silent.
 */
public final class PushToABuffer {
    private PushToABuffer() {}

    /** Where the chunks go: a buffer that readers take from, as the relay's replay buffer is. */
    interface Buffer {
        void put(String text);

        void finish(EndReason reason, @Nullable SluiceException failure);
    }

    /** {@return whether the stream pushes; false: iterate it instead} */
    static boolean push(ChatProvider provider, ChatRequest request, Buffer buffer) {
        EventStream<MessageChunk> chunks = provider.stream(request);
        boolean pushing = chunks.pushTo(new EventStream.Sink<>() {
            @Override
            public void accept(MessageChunk chunk) {
                buffer.put(chunk.text());
            } // may block: backpressure

            @Override
            public void end(EndReason reason, @Nullable SluiceException failure) {
                buffer.finish(reason, failure);
            }
        });
        if (!pushing) chunks.close();
        return pushing;
    }
}
