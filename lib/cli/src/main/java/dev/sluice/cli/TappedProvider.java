package dev.sluice.cli;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.ForwardingEventStream;
import dev.sluice.stream.StreamController;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A provider whose streams hand each chunk to a tap as the consumer takes it, for a command that
 * reads the chunks through a layer above them (an object stream) and still reports their figures:
 * deltas, usage, stop reason, failovers. The tap runs on the consuming thread, before the chunk
 * goes on.
 */
record TappedProvider(ChatProvider provider, Consumer<MessageChunk> tap) implements ChatProvider {

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        return new Tapped(provider.stream(request, controller), tap);
    }

    @Override
    public boolean continuesAssistantTurn() {
        return provider.continuesAssistantTurn();
    }

    private static final class Tapped extends ForwardingEventStream<MessageChunk> {
        private final Consumer<MessageChunk> tap;

        Tapped(EventStream<MessageChunk> chunks, Consumer<MessageChunk> tap) {
            super(chunks);
            this.tap = tap;
        }

        @Override
        public Iterator<MessageChunk> iterator() {
            Iterator<MessageChunk> it = delegate().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public MessageChunk next() {
                    MessageChunk chunk = it.next();
                    tap.accept(chunk);
                    return chunk;
                }
            };
        }

        @Override
        public Stream<MessageChunk> stream() {
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
                    false).onClose(this::close);
        }
    }
}
