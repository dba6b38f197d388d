package dev.sluice.relay;

import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;

/** {@link RelaySource#chat}: a model's chunks mapped to relay events, {@code start} first and {@code done} last. */
final class ChatRelaySource implements RelaySource {
    // Threading: the pump thread (next()) owns every field but chunks, which is safe from any thread.
    private final String provider;
    private final String model;
    private final EventStream<MessageChunk> chunks;
    private final ArrayDeque<RelayEvent> pending = new ArrayDeque<>();
    private final ChunkEvents mapping = new ChunkEvents();
    private Iterator<MessageChunk> iterator;
    private boolean started;
    private boolean ended;

    ChatRelaySource(String provider, String model, EventStream<MessageChunk> chunks) {
        this.provider = provider;
        this.model = model;
        this.chunks = chunks;
    }

    @Override
    public Optional<RelayEvent> next() {
        if (!started) {
            started = true;
            iterator = chunks.iterator();
            return Optional.of(new RelayEvent.Start(provider, model));
        }
        while (pending.isEmpty()) {
            if (ended) return Optional.empty();
            if (!iterator.hasNext()) { // throws the stream's failure
                ended = true;
                EndReason why = chunks.endReason().orElse(EndReason.COMPLETED);
                if (why == EndReason.CANCELLED) return Optional.empty();
                if (why == EndReason.CHUNK_LIMIT) mapping.finishReasonIfNone("length");
                return Optional.of(mapping.done());
            }
            pending.addAll(mapping.map(iterator.next()));
        }
        return Optional.of(pending.poll());
    }

    @Override
    public void cancel(String reason) {
        chunks.controller().cancel(reason);
    }

    @Override
    public void close() {
        chunks.close();
    }
}
