package dev.sluice.stream;

import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state an {@link EventStream} shares between its producer thread, its consumer and whoever
 * cancels it: a bounded ring of items (the queue), the one-time end, the attached source and the
 * producer thread. It is also the producer's {@link Emitter}.
 *
 * <p>It never refers to the user-facing {@link QueueBackedEventStream}, so that object can become
 * unreachable while the producer runs, and the {@link java.lang.ref.Cleaner} can end the stream.
 *
 * <p>The queue: items go in the ring as they are (no wrapper); the end signals (End and Failure)
 * are not queued but kept in {@link #ending}, which the consumer reads only once the ring is
 * empty, so every item produced before a failure is delivered before it and an end never waits
 * for room in a full queue. Wake-ups are rationed: the producer signals only a consumer that is
 * waiting, and the consumer wakes a producer blocked on a full ring only once the ring has
 * drained to half, so each side parks about once per half-queue instead of once per item.
 */
final class StreamCore<T> implements Emitter<T> {
    // Threading, per field:
    //  ring, head, count, consumerWaiting, producerWaiting: guarded by lock (producer and consumer).
    //  idleSince: written by the producer thread only, read by the consumer (volatile); the counted
    //  items are StreamMetrics.items, written after it.
    //  ending: set once by CAS from any thread (producer, consumer, canceller, Cleaner).
    //  discarded: set once (volatile) by close/cancel from any thread; the consumer drops items then.
    //  source: the attached Closeable, swapped by the producer, closed by any thread.
    //  producerThread: written once by start() before the thread runs.

    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());

    /** How a stream ended: the reason and, for FAILED/TIMED_OUT, the failure to throw. */
    record Ending(EndReason reason, SluiceException failure) {}

    private final StreamController controller;
    private final StreamMetrics metrics;
    private final Runnable onEnd;
    private final long maxChunks;
    private final long maxBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Object[] ring;
    private int head;
    private int count;
    private boolean consumerWaiting;
    private boolean producerWaiting;

    private volatile long idleSince;
    private volatile boolean discarded;
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final AtomicReference<Closeable> source = new AtomicReference<>();
    private volatile Thread producerThread;

    StreamCore(StreamController controller, int capacity, Runnable onEnd) {
        this.controller = controller;
        this.metrics = new StreamMetrics(controller);
        this.onEnd = onEnd;
        this.maxChunks = controller.maxChunksOrZero();
        this.maxBytes = controller.maxBytesOrZero();
        this.ring = new Object[capacity];
    }

    /** Binds the controller, then starts the producer on its named virtual thread: the one place it starts. */
    void start(Producer<T> producer, String threadName) {
        controller.bind(this);
        controller.start();
        Thread t = Thread.ofVirtual().name(threadName).unstarted(() -> run(producer));
        producerThread = t;
        controller.onCancel(this::cancelled); // runs at once if cancelled before the stream opened
        t.start();
    }

    StreamMetrics metrics() { return metrics; }

    long countedItems() { return metrics.items(); }

    long idleSince() { return idleSince; }

    Ending ending() { return ending.get(); }

    boolean discarded() { return discarded; }

    // ---------------------------------------------------------------- producer thread

    private void run(Producer<T> producer) {
        try {
            producer.produce(this);
            end(new Ending(EndReason.COMPLETED, null));
        } catch (Throwable t) {
            if (isOver()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "producer ended after the stream was over: " + t);
            } else {
                SluiceException failure = translate(t);
                end(new Ending(failure instanceof StreamTimeoutException ? EndReason.TIMED_OUT : EndReason.FAILED, failure));
            }
            if (t instanceof VirtualMachineError e) throw e;
        } finally {
            closeSource();
        }
    }

    private static SluiceException translate(Throwable t) {
        if (t instanceof SluiceException e) return e;
        if (t instanceof IOException e) {
            return new TransportException("connection lost while reading the stream: " + e, e);
        }
        if (t instanceof InterruptedException e) return new StreamInterruptedException(e);
        return new ProtocolException("the stream's producer failed: " + t, t);
    }

    @Override
    public boolean emit(T item) {
        Objects.requireNonNull(item, "item");
        long now = controller.nanoTime().getAsLong();
        StreamTimeoutException late = controller.totalExpired(now);
        if (late != null) {
            end(new Ending(EndReason.TIMED_OUT, late));
            throw late;
        }
        int put = put(item);
        if (put == REJECTED) return false;
        // The idle timeout waits on the source, not on a slow consumer: after blocking on a full
        // queue it restarts from when the producer could read again. Written before the item
        // count, which publishes it (readers read the count first).
        idleSince = put == WAITED ? controller.nanoTime().getAsLong() : now;
        metrics.recordItem(now);
        if (maxChunks > 0 && metrics.items() >= maxChunks) {
            end(new Ending(EndReason.CHUNK_LIMIT, null));
            return false;
        }
        return true;
    }

    @Override
    public boolean emitUncounted(T item) {
        Objects.requireNonNull(item, "item");
        return put(item) != REJECTED;
    }

    @Override
    public void bytesRead(long n) {
        if (n < 0) throw new IllegalArgumentException("n must not be negative: " + n);
        metrics.recordBytes(n, controller.nanoTime().getAsLong());
        if (maxBytes > 0 && metrics.bytes() > maxBytes) {
            throw new dev.sluice.LimitExceededException("maxBytes", maxBytes,
                    "the stream read " + metrics.bytes() + " bytes");
        }
    }

    @Override
    public void attach(Closeable s) {
        Objects.requireNonNull(s, "source");
        source.set(s);
        if (isOver()) closeQuietly(s);
    }

    @Override
    public boolean isOver() { return ending.get() != null; }

    @Override
    public StreamController controller() { return controller; }

    private static final int PUT = 0, WAITED = 1, REJECTED = 2;

    private int put(Object item) {
        int result = PUT;
        lock.lock();
        try {
            while (count == ring.length && ending.get() == null) {
                result = WAITED;
                producerWaiting = true;
                try {
                    notFull.await();
                } catch (InterruptedException e) {
                    if (ending.get() != null) return REJECTED;
                    Thread.currentThread().interrupt();
                    throw new StreamInterruptedException(e);
                } finally {
                    producerWaiting = false;
                }
            }
            if (ending.get() != null) return REJECTED;
            int tail = head + count;
            if (tail >= ring.length) tail -= ring.length;
            ring[tail] = item;
            count++;
            if (consumerWaiting) notEmpty.signal();
            return result;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- consumer thread

    /** The next item, or null when the ring is empty. */
    Object poll() {
        lock.lock();
        try {
            if (count == 0) return null;
            Object item = ring[head];
            ring[head] = null;
            if (++head == ring.length) head = 0;
            count--;
            if (producerWaiting && count <= ring.length / 2) notFull.signal();
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} for an item or the end. */
    void awaitItem(long nanos) throws InterruptedException {
        lock.lock();
        try {
            consumerWaiting = true;
            while (count == 0 && ending.get() == null && !discarded && nanos > 0) {
                nanos = notEmpty.awaitNanos(nanos);
            }
        } finally {
            consumerWaiting = false;
            lock.unlock();
        }
    }

    /** Ends the stream on a timeout seen by the consumer; false when it had already ended. */
    boolean timeOut(StreamTimeoutException e) {
        return end(new Ending(EndReason.TIMED_OUT, e));
    }

    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    // ---------------------------------------------------------------- any thread

    /** The controller's cancel listener: ends the stream as CANCELLED and drops queued items. */
    private void cancelled() {
        end(new Ending(EndReason.CANCELLED, null));
        discard();
    }

    /** The Cleaner's action: the user-facing stream became unreachable (or was closed). */
    void abandon() {
        if (!isOver()) {
            LOG.log(System.Logger.Level.DEBUG, "an EventStream became unreachable without close(); cancelling it");
        }
        controller.cancel("the EventStream became unreachable without being closed");
    }

    private void discard() {
        discarded = true;
        lock.lock();
        try {
            Arrays.fill(ring, null);
            head = 0;
            count = 0;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The one transition to the end; the first caller wins. */
    private boolean end(Ending e) {
        if (!ending.compareAndSet(null, e)) return false;
        metrics.recordEnd(e.reason(), controller.nanoTime().getAsLong());
        lock.lock();
        try {
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        Thread producer = producerThread;
        if (e.reason() != EndReason.COMPLETED) {
            closeSource();
            if (producer != null && producer != Thread.currentThread()) producer.interrupt();
        }
        if (onEnd != null) {
            try {
                onEnd.run();
            } catch (RuntimeException | Error x) {
                LOG.log(System.Logger.Level.WARNING, "an EventStream onEnd hook threw; ignored", x);
            }
        }
        return true;
    }

    private void closeSource() {
        Closeable s = source.get();
        if (s != null) closeQuietly(s);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "closing the stream's source failed: " + e);
        }
    }
}
