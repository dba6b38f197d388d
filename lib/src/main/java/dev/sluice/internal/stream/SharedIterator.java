package dev.sluice.internal.stream;

import dev.sluice.SluiceException;
import dev.sluice.stream.EventStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The one engine iterator of a provider's stream, shared by the user's loop (handed out once) and
 * the stream's "read to the end and give me the final result" method, which continues from where
 * the user's loop stopped. Used by {@code MessageStream} and {@code ChatCompletionStream}.
 *
 * <p>Threading: the engine iterator is created once under {@code lock}; from then on it belongs to
 * the consuming thread, like any {@link EventStream} iterator.
 *
 * @param <E> the event type
 */
public final class SharedIterator<E> {
    private final EventStream<E> events;
    private final String owner;
    private final AtomicBoolean userTaken = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private Iterator<E> shared;

    /**
     * @param events the stream whose iterator is shared
     * @param owner the public type's simple name, for the second-iterator message
     */
    public SharedIterator(EventStream<E> events, String owner) {
        this.events = Objects.requireNonNull(events, "events");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    private Iterator<E> shared() {
        lock.lock();
        try {
            if (shared == null) shared = events.iterator();
            return shared;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return the iterator, for the user}
     *
     * @throws IllegalStateException if it was already handed out
     */
    public Iterator<E> forUser() {
        if (!userTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("a " + owner + " has one iterator, and it was already taken "
                    + "(by iterator(), stream(), text() or a for loop)");
        }
        return shared();
    }

    /**
     * {@return a sequential stream over the user's iterator, whose {@code close()} runs {@code onClose}}
     *
     * @throws IllegalStateException if the iterator was already handed out
     */
    public Stream<E> forUserAsStream(Runnable onClose) {
        Spliterator<E> items = Spliterators.spliteratorUnknownSize(forUser(), Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(items, false).onClose(onClose);
    }

    /**
     * Reads the rest of the stream through the shared iterator (nothing, if it has ended). The
     * caller then checks its stream's {@code failure()}: a failure is thrown from the iterator
     * only once.
     *
     * @throws SluiceException the stream's failure, if it happens during this drain
     */
    public void drain() {
        Iterator<E> it = shared();
        while (it.hasNext()) it.next();
    }
}
