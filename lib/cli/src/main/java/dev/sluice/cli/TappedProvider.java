package dev.sluice.cli;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import dev.sluice.stream.StreamController;
import java.util.function.Consumer;

/**
 * A provider whose streams hand each chunk to a tap as the consumer takes it, for a command that
 * reads the chunks through a layer above them (an object stream) and still reports their figures:
 * deltas, usage, stop reason, failovers. The tap runs on the consuming thread, before the chunk
 * goes on.
 */
record TappedProvider(ChatProvider provider, Consumer<MessageChunk> tap) implements ChatProvider {

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return ForwardingEventStream.peeking(provider.stream(request, controller), tap);
    }

    @Override
    public boolean continuesAssistantTurn() {
        return provider.continuesAssistantTurn();
    }
}
