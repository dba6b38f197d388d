package dev.sluice.stream;

import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The user-facing {@link EventStream}: the consumer's side of a {@link StreamCore}. It holds the
 * core; nothing the producer thread or the Cleaner holds refers back to it (but the receiver of a
 * stream that {@linkplain #pushTo pushes}, which must run to its end), so when the user drops it
 * unclosed, the Cleaner cancels the core. The iterator refers to this object, so a
 * {@code for} loop that holds only the iterator keeps the stream alive.
 */
final class QueueBackedEventStream<T> implements EventStream<T> {
    // Threading: core, hooks and cleanable are final. iteratorTaken: CAS by any thread.
    // The iterator's fields (next, done) are owned by the consumer thread.

    // A virtual thread: the Cleaner's thread lives as long as the class and ignores interrupts, so a
    // platform thread would sit in the thread group of whichever application first opened a stream,
    // where exec:java and servlet containers wait for it on shutdown and then blame that code. A
    // virtual thread belongs to no application's group, never keeps the JVM alive, and costs nothing
    // while it waits.
    private static final Cleaner CLEANER = Cleaner.create(Thread.ofVirtual()
            .name("sluice-stream-cleaner")
            .inheritInheritableThreadLocals(false)
            .factory());

    private final StreamCore<T> core;
    private final StreamController controller;
    private final @Nullable Consumer<? super T> onItem;
    private final @Nullable Supplier<? extends @Nullable String> requestId;
    private final @Nullable Supplier<?> partial;
    private final Cleaner.Cleanable cleanable;
    private final AtomicBoolean iteratorTaken = new AtomicBoolean();

    private QueueBackedEventStream(
            StreamCore<T> core,
            StreamController controller,
            @Nullable Consumer<? super T> onItem,
            @Nullable Supplier<? extends @Nullable String> requestId,
            @Nullable Supplier<?> partial) {
        this.core = core;
        this.controller = controller;
        this.onItem = onItem;
        this.requestId = requestId;
        this.partial = partial;
        this.cleanable = CLEANER.register(this, new Abandon(core));
    }

    static <T> EventStream<T> start(
            Producer<T> producer,
            StreamController controller,
            int capacity,
            String threadName,
            @Nullable Consumer<? super T> onItem,
            @Nullable Supplier<? extends @Nullable String> requestId,
            @Nullable Supplier<?> partial,
            @Nullable Runnable onEnd) {
        StreamCore<T> core = new StreamCore<>(controller, capacity, onEnd);
        controller.bind(core); // first: a controller already in use must fail before anything is registered
        QueueBackedEventStream<T> stream = new QueueBackedEventStream<>(core, controller, onItem, requestId, partial);
        core.start(producer, threadName);
        return stream;
    }

    /** The Cleaner's action; a static class so that it cannot capture the stream. */
    private record Abandon(StreamCore<?> core) implements Runnable {
        @Override
        public void run() {
            core.abandon();
        }
    }

    @Override
    public Iterator<T> iterator() {
        if (!iteratorTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("an EventStream has one iterator, and it was already taken "
                    + "(by iterator(), stream(), pushTo() or a for loop)");
        }
        return new Items();
    }

    @Override
    public boolean pushTo(Sink<? super T> sink) {
        Objects.requireNonNull(sink, "sink");
        if (!iteratorTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("an EventStream has one iterator, and it was already taken "
                    + "(by iterator(), stream(), pushTo() or a for loop)");
        }
        core.pushTo(new Pushed<>(this, sink));
        return true;
    }

    /**
     * The receiving side of a pushing stream, on the producer's thread: the item hook, then the
     * sink; the failure context on the end. It holds the stream, so that a pushing stream is not
     * cleaned up under its producer: it runs to its end.
     */
    private record Pushed<T>(QueueBackedEventStream<T> stream, Sink<? super T> sink)
            implements PushDelivery.Receiver<T> {
        @Override
        public void accept(T item) {
            try {
                Consumer<? super T> hook = stream.onItem;
                if (hook != null) hook.accept(item);
                sink.accept(item);
            } catch (SluiceException e) {
                stream.core.consumerFailed(e);
            } catch (RuntimeException | Error e) {
                stream.core.consumerFailed(
                        StreamCore.translate(e)); // an Error too: it never escapes the producer thread
            }
        }

        @Override
        public void flush() {
            try {
                sink.flush();
            } catch (SluiceException e) {
                stream.core.consumerFailed(e);
            } catch (RuntimeException | Error e) {
                stream.core.consumerFailed(StreamCore.translate(e));
            }
        }

        @Override
        public void end(StreamCore.Ending ending) {
            SluiceException failure = ending.failure();
            try {
                sink.end(ending.reason(), failure == null ? null : stream.withContext(failure));
            } catch (RuntimeException | Error e) {
                System.getLogger(EventStream.class.getName())
                        .log(System.Logger.Level.WARNING, "an EventStream sink's end threw; ignored", e);
            }
        }
    }

    @Override
    public Stream<T> stream() {
        Spliterator<T> items =
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(items, false).onClose(this::close);
    }

    @Override
    public StreamController controller() {
        return controller;
    }

    @Override
    public StreamMetrics metrics() {
        return core.metrics();
    }

    @Override
    public Optional<EndReason> endReason() {
        StreamCore.Ending e = core.ending();
        return e == null ? Optional.empty() : Optional.of(e.reason());
    }

    @Override
    public Optional<SluiceException> failure() {
        StreamCore.Ending e = core.ending();
        return e == null ? Optional.empty() : Optional.ofNullable(e.failure());
    }

    @Override
    public Optional<String> requestId() {
        return requestId == null ? Optional.empty() : Optional.ofNullable(requestId.get());
    }

    @Override
    public void close() {
        controller.cancel("closed");
        cleanable.clean(); // deregisters; the action finds the stream over and does nothing more
    }

    @Override
    public String toString() {
        return "EventStream[" + endReason().map(r -> "ended " + r).orElse("running") + ", " + controller + "]";
    }

    /**
     * Attaches the request id and the partial result. Whatever goes wrong while building them
     * (a bug, even an Error such as a StackOverflowError in a partial's snapshot) is only
     * attached as suppressed: it must never replace the stream's own failure.
     */
    private SluiceException withContext(SluiceException e) {
        Supplier<? extends @Nullable String> id = requestId;
        Supplier<?> p = partial;
        if (id == null || p == null) return e; // set together, by failureContext
        try {
            e.initContext(id.get(), p.get());
        } catch (RuntimeException | Error x) {
            e.addSuppressed(x);
        }
        return e;
    }

    /** The one iterator; its fields belong to the consumer thread. */
    private final class Items implements Iterator<T> {
        private @Nullable Object next;
        private boolean done;

        @Override
        public boolean hasNext() {
            try {
                if (core.discarded()) {
                    next = null;
                    done = true;
                }
                if (next != null) return true;
                if (done) return false;
                Object item = take();
                if (item == null) {
                    done = true;
                    return false;
                }
                next = item;
                return true;
            } finally {
                Reference.reachabilityFence(QueueBackedEventStream.this);
            }
        }

        /**
         * The item {@code hasNext()} announced, even if the stream was closed since (from another
         * thread): read-ahead, as {@link java.nio.file.DirectoryStream}'s iterator allows. Only a
         * later {@code hasNext()} sees the close and drops what was read ahead.
         */
        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next == null && !hasNext()) throw new NoSuchElementException("the stream has ended");
            T item = (T) Objects.requireNonNull(next, "hasNext() read it ahead");
            next = null;
            Consumer<? super T> hook = onItem;
            if (hook != null) runHook(hook, item);
            return item;
        }

        /**
         * Runs the item hook. The item was taken but is not handed out when the hook throws, so the
         * stream cannot go on: a {@link SluiceException} (an accumulator that found the events in an
         * impossible order, a mapping that failed) ends it as failed with that exception, which
         * gets the request id and the partial result and is thrown; anything else cancels it and
         * is thrown as it is.
         */
        private void runHook(Consumer<? super T> hook, T item) {
            try {
                hook.accept(item);
            } catch (SluiceException e) {
                done = true;
                core.consumerFailed(e);
                throw withContext(e);
            } catch (RuntimeException | Error e) {
                done = true;
                controller.cancel("the stream's item hook threw " + e.getClass().getName());
                throw e;
            }
        }

        /** The next item, or null at a normal end; throws the failure once. */
        private @Nullable Object take() {
            long sliceCap = controller.options().usesSystemClock() ? Long.MAX_VALUE : StreamCore.SLICE_NANOS;
            boolean spun = false; // one spin per wait, then the timeouts are checked and it parks
            for (; ; ) {
                StreamCore.Ending ending = core.ending(); // read before polling: see StreamCore
                Object item = core.poll();
                if (item != null) return item;
                if (core.discarded()) return null;
                if (ending != null) {
                    SluiceException failure = ending.failure();
                    if (failure == null) return null;
                    done = true;
                    throw withContext(failure);
                }
                if (!spun && core.spinForItem()) {
                    spun = true;
                    continue;
                }
                spun = false;
                long now = controller.clock().getAsLong();
                StreamTimeoutException expired = controller.expired(now);
                if (expired != null) {
                    core.timeOut(expired); // if the producer ended first, the loop reports its end
                    continue;
                }
                try {
                    long parked = System.nanoTime(); // the real clock: the spin is about real time
                    core.awaitItem(controller.nanosToNextDeadline(now, sliceCap));
                    core.waited(System.nanoTime() - parked);
                } catch (InterruptedException e) {
                    controller.cancel("the consumer thread was interrupted");
                    Thread.currentThread().interrupt();
                    done = true;
                    throw withContext(new StreamInterruptedException(e));
                }
            }
        }
    }
}
