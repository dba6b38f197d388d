package dev.sluice.objects;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.ObjectException;
import dev.sluice.SluiceException;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one reading of an {@link ObjectStream}'s model stream, shared by its iterator,
 * {@code elements()} and {@code result()}: chunks in, partials out, and at the end the value or the
 * failure. No thread of its own: it reads on the consumer's.
 *
 * <p>Threading: the consumer thread owns the iteration state; {@link #failure} and
 * {@link #closed} are written by it (or, for closed, by any thread closing the stream) and read by any.
 */
final class ObjectCursor<T> implements Iterator<Partial<T>> {
    private final EventStream<MessageChunk> chunks;
    private final PartialReader<T> reader;
    volatile @Nullable SluiceException failure; // what the reading threw, or ends with
    volatile boolean closed; // by the user: what was not read is dropped, whatever the model's stream did

    private @Nullable Iterator<MessageChunk> source;
    private @Nullable Partial<T> next;
    private boolean done;
    private @Nullable T value;

    ObjectCursor(EventStream<MessageChunk> chunks, PartialReader<T> reader) {
        this.chunks = chunks;
        this.reader = reader;
    }

    @Override
    public boolean hasNext() {
        if (next != null) return true;
        if (done) return false;
        if (source == null) source = chunks.iterator();
        try {
            while (source.hasNext()) {
                Partial<T> p = reader.accept(source.next());
                if (p != null) {
                    next = p;
                    return true;
                }
            }
        } catch (SluiceException e) {
            done = true;
            throw fail(e); // a provider's stream has attached its chat response already; a bare one gets the partial
        }
        done = true;
        end();
        return false;
    }

    @Override
    public Partial<T> next() {
        if (!hasNext()) throw new NoSuchElementException();
        Partial<T> p = Objects.requireNonNull(next, "hasNext() announced it");
        next = null;
        return p;
    }

    /** Reads to the end; see {@link ObjectStream#result()}. */
    T result() {
        while (hasNext()) next();
        T v = value;
        if (v != null) return v; // set once, from finish(), which never gives null
        SluiceException f = failure;
        if (f != null) throw f;
        EndReason end = closed ? EndReason.CANCELLED : seenEnd();
        SluiceException e = end == EndReason.CHUNK_LIMIT
                ? new LimitExceededException(
                        "maxChunks",
                        chunks.controller().options().maxChunks().orElse(0),
                        "the object stream reached its chunk limit before the object was complete (latest() has what arrived)")
                : new IncompleteStreamException("the object stream was "
                        + (end == EndReason.CANCELLED
                                ? "cancelled ("
                                        + chunks.controller().cancelReason().orElse("closed") + ")"
                                : "ended (" + end + ")")
                        + " before the object was complete; latest() has what arrived");
        throw e.initContext(chunks.requestId().orElse(null), reader.latest());
    }

    /** The elements of the array at the path as they complete; see {@link ObjectStream#elements}. */
    <E> Iterator<Element<E>> elements(String path, Class<E> type) {
        return new Iterator<>() {
            private final ArrayDeque<Element<E>> ready = new ArrayDeque<>();
            private int handed;
            private int attempt;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && ObjectCursor.this.hasNext()) {
                    Partial<T> p = ObjectCursor.this.next();
                    if (p.attempt() != attempt) {
                        attempt = p.attempt();
                        handed = 0;
                    }
                    List<E> complete = p.list(path, type);
                    for (int i = handed; i < complete.size(); i++)
                        ready.add(new Element<>(i, complete.get(i), attempt));
                    handed = Math.max(handed, complete.size());
                }
                return !ready.isEmpty();
            }

            @Override
            public Element<E> next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.poll();
            }
        };
    }

    /** The model's stream ended without failing: the object's end, if it completed. */
    private void end() {
        if (closed) return; // what the model sent after the close was dropped: result() says so
        EndReason end = seenEnd();
        if (end == EndReason.TOKEN_BUDGET) {
            throw fail(new ObjectException(
                    ObjectException.Kind.TRUNCATED,
                    "the object was cut off by the stream's token " + "budget after "
                            + reader.text().length() + " characters of JSON",
                    null,
                    null,
                    reader.text()));
        }
        if (end != EndReason.COMPLETED) return; // cancelled, or the chunk limit: result() says so
        if (!reader.finished()) {
            throw fail(
                    new IncompleteStreamException("the model's stream ended without saying why the model stopped (no "
                            + "finish reason), so the object may be incomplete; latest() has what arrived"));
        }
        try {
            value = reader.finish();
        } catch (ObjectException e) {
            throw fail(e);
        }
    }

    /**
     * {@return the model's stream's end as this cursor saw it} A stream may end (its finish reason
     * queued) before a cancel drops what was not taken yet: it then reports {@link EndReason#COMPLETED},
     * but the cursor, which never read the finish reason, was cancelled.
     */
    EndReason seenEnd() {
        EndReason end = chunks.endReason().orElse(EndReason.CANCELLED);
        return end == EndReason.COMPLETED
                        && !reader.finished()
                        && chunks.controller().isCancelled()
                ? EndReason.CANCELLED
                : end;
    }

    private SluiceException fail(SluiceException e) {
        e.initContext(chunks.requestId().orElse(null), reader.latest());
        failure = e;
        return e;
    }
}
