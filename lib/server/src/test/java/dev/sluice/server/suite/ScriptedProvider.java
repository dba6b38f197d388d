package dev.sluice.server.suite;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.Producer;
import dev.sluice.stream.StreamController;

/**
 * A model whose every stream is the given script, for tests that need an odd one: an answer that
 * tries to run code, a source that runs out of memory.
 *
 * @param script produces each stream's chunks
 */
public record ScriptedProvider(Producer<MessageChunk> script) implements ChatProvider {
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request) {
        return stream(request, StreamController.create());
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return EventStream.<MessageChunk>builder().controller(controller).generate(script);
    }
}
