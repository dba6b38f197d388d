package dev.sluice.relay;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.objects.ObjectSchema;
import dev.sluice.objects.ObjectStream;
import dev.sluice.objects.Partial;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link RelaySource#object}: a typed object's stream as relay events: {@code start}, then one
 * {@code object} event with the JSON text that arrived since the last, each time the object shows
 * more, the last with the text after the object's last change (closing brackets, spaces); then
 * {@code done}, from the model's chunks as {@link ChunkEvents} counts them, once the object is valid
 * against its schema, or {@code error} (an {@link dev.sluice.ObjectException}'s kind) when it is not.
 */
final class ObjectRelaySource implements RelaySource {
    // Threading: the pump thread (next()) owns every field but stream, which is safe from any thread;
    // chunks is fed on the pump thread too, as the object stream reads the model's chunks.
    private final String provider;
    private final String model;
    private final ObjectStream<?> stream;
    private final ChunkEvents chunks;
    private final ArrayDeque<RelayEvent> pending = new ArrayDeque<>();
    private @Nullable Iterator<? extends Partial<?>> iterator;
    private int sent; // characters of the current answer's JSON text sent
    private boolean started;
    private boolean ended;

    private ObjectRelaySource(String provider, String model, ObjectStream<?> stream, ChunkEvents chunks) {
        this.provider = provider;
        this.model = model;
        this.stream = stream;
        this.chunks = chunks;
    }

    /** {@return the source of an object stream of the schema, asked of the client with the request} */
    static ObjectRelaySource open(
            String provider,
            String model,
            ChatProvider client,
            ChatRequest request,
            ObjectSchema<?> schema,
            StreamController controller) {
        ChunkEvents chunks = new ChunkEvents();
        ChatProvider counted = ChatProvider.peeking(client, chunks::map);
        return new ObjectRelaySource(provider, model, ObjectStream.of(counted, request, schema, controller), chunks);
    }

    @Override
    public Optional<RelayEvent> next() {
        if (!started) {
            started = true;
            return Optional.of(new RelayEvent.Start(provider, model));
        }
        if (!pending.isEmpty()) return Optional.of(pending.poll());
        if (ended) return Optional.empty();
        if (iterator == null) iterator = stream.iterator();
        if (iterator.hasNext()) { // throws the stream's failure, or the object's at its end
            Partial<?> p = iterator.next();
            if (p.isReset()) sent = 0;
            return Optional.of(piece(p.json(), p.isReset()));
        }
        ended = true;
        if (stream.endReason().orElse(EndReason.CANCELLED) == EndReason.CANCELLED) return Optional.empty();
        if (stream.endReason().get() == EndReason.CHUNK_LIMIT) chunks.finishReasonIfNone("length");
        CharSequence json = stream.latest().json();
        if (json.length() > sent) pending.add(piece(json, false));
        pending.add(chunks.done());
        return Optional.of(pending.poll());
    }

    private RelayEvent.ObjectDelta piece(CharSequence json, boolean reset) {
        String piece = json.subSequence(sent, json.length()).toString();
        sent = json.length();
        return new RelayEvent.ObjectDelta(piece, reset);
    }

    @Override
    public void cancel(String reason) {
        stream.controller().cancel(reason);
    }

    @Override
    public void close() {
        stream.close();
    }
}
