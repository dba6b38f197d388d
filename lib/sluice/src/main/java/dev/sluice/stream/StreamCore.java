package dev.sluice.stream;

import dev.sluice.LimitExceededException;
import dev.sluice.LocalFailureException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The state an {@link EventStream} shares between its producer thread, its consumer and whoever
 * cancels it: a bounded ring of items (the queue), the one-time end, the attached source and the
 * producer thread. It is also the producer's {@link Emitter}, and the pull delivery: the consumer
 * (the iterator) takes the items from its ring. The push delivery ({@link EventStream#pushTo}) is
 * {@link PushDelivery}'s: the core hands its side of the ring over to it (see {@link #pushTo}).
 *
 * <p>It never refers to the user-facing {@link QueueBackedEventStream}, so that object can become
 * unreachable while the producer runs, and the {@link java.lang.ref.Cleaner} can end the stream;
 * only a stream that {@linkplain #pushTo pushes} is held through its receiver, until its end.
 *
 * <p>The queue is a bounded single-producer/single-consumer ring: items go in as they are (no
 * wrapper, no allocation), the producer publishes them by advancing {@code tail} (per item, or
 * per batch: {@link SseSource#pump} publishes the events of one read together), the consumer
 * takes them by advancing {@code head}; neither takes a lock while items flow. A side that must
 * wait (consumer on empty, producer on full) raises its waiting flag and parks on a condition
 * under {@code lock}; the other side signals only when it sees the flag (flag and index are
 * volatile, so one of the two always sees the other: no lost wake-up), and clears the flag as it
 * signals, so each wait is woken once. The consumer wakes a producer blocked on a full ring only
 * once the ring has drained to half, so each side parks at most once per half-queue. The end
 * signals (End and Failure) are not queued but kept in {@link #ending}, which the consumer acts on
 * only once the ring is empty: every item produced before a failure is delivered before it, and an
 * end never waits for room in a full queue.
 *
 * <p>Why this file is long: the ring, the end and the producer thread are the state the producer, the
 * consumer and a canceller share under one lock; the push side is {@link PushDelivery}'s.
 */
final class StreamCore<T> implements Emitter<T> {
    // Threading, per field:
    //  ring slots: written by the producer before it publishes tail, cleared by the consumer
    //  before it publishes head. tail, localTail, batching, batchNow, tailIndex, headCache: the
    //  producer's. head, headIndex, tailCache: the consumer's. tail and head are volatile and read
    //  by the other side.
    //  consumerWaiting, producerWaiting: volatile, set under lock by the waiting side before each
    //  check of the index it waits on, cleared under lock by it when it stops waiting or by the
    //  other side when that wakes it (wake).
    //  consumerSpins: the consumer's. batchedProducer: volatile, written by the producer at
    //  startBatch/endBatch, read by the consumer.
    //  idleSince: written (release) by the producer at each counted item and by the consumer when
    //  it wakes a producer blocked on the full ring; read (acquire) by the consumer. The counted
    //  items are StreamMetrics.items, written after it by the producer.
    //  ending: set once by CAS from any thread (producer, consumer, canceller, Cleaner); replaced
    //  at most once more, by the consumer, when its item hook fails (consumerFailed).
    //  discarded: set once (volatile) by close/cancel from any thread; the consumer drops items then.
    //  source: the attached Closeable, swapped by the producer, closed by any thread.
    //  producerThread: written once by start() before the thread runs.
    //  push: set once by pushTo, on the consumer's thread, holding the PushDelivery's lock; from then
    //  on the consumer's fields (head, headIndex, tailCache) are used only holding that lock: by
    //  pushTo, then by the producer, which takes the ring over (PushDelivery.producerOwnsRing) and
    //  then drops it (ring = null).
    //  noMoreItems: set by the producer once it will emit no more (it returns, or had its terminal
    //  event), read by pushTo.

    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());

    /** How a stream ended: the reason and, for FAILED/TIMED_OUT, the failure to throw. */
    record Ending(EndReason reason, @Nullable SluiceException failure) {}

    private final StreamController controller;
    private final LongSupplier clock;
    private final StreamMetrics metrics;
    private final @Nullable Runnable onEnd;
    private final long maxChunks;
    private final long maxBytes;

    final ReentrantLock lock = new ReentrantLock(); // package-private for tests only
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private @Nullable Object @Nullable [] ring; // null once a pushing producer has taken it over (see push)
    private final int capacity;
    private volatile long tail;
    private long localTail; // the producer's tail: ahead of tail while a batch is open
    private boolean batching;
    private long batchNow; // the clock at the batch's latest read: the time of its items
    private int tailIndex;
    private long headCache;
    private volatile long head;
    private int headIndex;
    private long tailCache;
    private volatile boolean consumerWaiting;
    private volatile boolean producerWaiting;
    private int wakeCalls; // guarded by lock: calls of wake, for tests
    private int consumerSpins = SPINS; // the consumer's
    private volatile boolean batchedProducer; // a batch is open: items come a read at a time

    private long idleSince; // accessed through IDLE_SINCE: release on write, acquire on read
    private static final VarHandle IDLE_SINCE;

    static {
        try {
            IDLE_SINCE = MethodHandles.lookup().findVarHandle(StreamCore.class, "idleSince", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile boolean discarded;
    private final AtomicReference<@Nullable Ending> ending = new AtomicReference<>();
    private final AtomicReference<@Nullable Closeable> source = new AtomicReference<>();
    private volatile @Nullable Thread producerThread;
    private volatile @Nullable PushDelivery<T> push;
    private volatile boolean noMoreItems;

    StreamCore(StreamController controller, int capacity, @Nullable Runnable onEnd) {
        this.controller = controller;
        this.clock = controller.clock(); // fixed once the controller is started, before the stream is built
        this.metrics = new StreamMetrics(controller);
        this.onEnd = onEnd;
        this.maxChunks = controller.options().maxChunksOrZero();
        this.maxBytes = controller.options().maxBytesOrZero();
        this.ring = new Object[capacity];
        this.capacity = capacity;
    }

    /** Starts the producer on its named virtual thread: the one place it starts. The controller is started and bound already. */
    void start(Producer<T> producer, String threadName) {
        Thread t = Thread.ofVirtual().name(threadName).unstarted(() -> run(producer));
        producerThread = t;
        controller.onCancel(this::cancelled); // runs at once if cancelled before the stream opened
        t.start();
    }

    StreamMetrics metrics() {
        return metrics;
    }

    long countedItems() {
        return metrics.items();
    }

    long idleSince() {
        return (long) IDLE_SINCE.getAcquire(this);
    }

    @Nullable
    Ending ending() {
        return ending.get();
    }

    boolean discarded() {
        return discarded;
    }

    // ---------------------------------------------------------------- producer thread

    private void run(Producer<T> producer) {
        try {
            producer.produce(this);
            end(new Ending(EndReason.COMPLETED, null));
        } catch (Throwable t) {
            if (isOver()) {
                if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                    LOG.log(System.Logger.Level.DEBUG, "producer ended after the stream was over: " + t);
                }
            } else {
                SluiceException failure = translate(t);
                end(new Ending(
                        failure instanceof StreamTimeoutException ? EndReason.TIMED_OUT : EndReason.FAILED, failure));
            }
            // never rethrown: the stream ends with it (its LocalFailureException's cause), and it is logged,
            // not printed as an uncaught exception of the producer thread
            if (t instanceof VirtualMachineError e) LOG.log(System.Logger.Level.ERROR, "a stream's producer failed", e);
        } finally {
            closeSource();
            noMoreItems = true;
            pushEndNow();
        }
    }

    /**
     * {@return the failure a producer's throwable ends the stream with} What the server sent is
     * reported by the decoders as a SluiceException ({@link ProtocolException}, ApiException...); anything
     * else that is not I/O or an interrupt failed on this side — the JVM ran out of something (run
     * logs a VirtualMachineError, never rethrows it), or a bug — and is reported as such,
     * never as the server's fault.
     */
    static SluiceException translate(Throwable t) {
        if (t instanceof SluiceException e) return e;
        if (t instanceof IOException e) {
            return new TransportException("connection lost while reading the stream: " + e, e);
        }
        if (t instanceof InterruptedException e) return new StreamInterruptedException(e);
        if (t instanceof VirtualMachineError) {
            return new LocalFailureException(
                    "the stream failed on this side, not the server's: the JVM "
                            + "ran out of resources while producing it (" + t + ")",
                    t);
        }
        return new LocalFailureException(
                "the stream's producer failed on this side, not because of "
                        + "anything the server sent: " + t
                        + "; unless the stack trace (getCause()) is in your own code, "
                        + "this is a bug in Sluice: please report it",
                t);
    }

    @Override
    public boolean emit(T item) {
        Objects.requireNonNull(item, "item");
        long now = batching ? batchNow : clock.getAsLong();
        StreamTimeoutException late = controller.totalExpired(now);
        if (late != null) {
            publish();
            end(new Ending(EndReason.TIMED_OUT, late));
            throw late;
        }
        // idleSince is set before the item waits for room (the consumer sets it later when it makes
        // room: the wait for a slow consumer is not the source's silence); the item is counted
        // only once the ring took it (one refused because the stream is over is not); both before
        // the item is published, so a consumer that takes it never sees a stale first-event or idle
        // clock: the item count, written last, publishes them.
        IDLE_SINCE.setRelease(this, now);
        if (!store(item)) return false;
        metrics.recordItem(now);
        if (!batching) publish();
        if (maxChunks > 0 && metrics.items() >= maxChunks) {
            publish();
            end(new Ending(EndReason.CHUNK_LIMIT, null));
            return false;
        }
        return true;
    }

    @Override
    public boolean end(EndReason reason) {
        if (reason != EndReason.TOKEN_BUDGET && reason != EndReason.CHUNK_LIMIT) {
            throw new IllegalArgumentException("a producer ends a stream early with TOKEN_BUDGET or CHUNK_LIMIT, not "
                    + reason + " (to complete it, return from produce)");
        }
        publish();
        end(new Ending(reason, null));
        return false;
    }

    @Override
    public boolean emitUncounted(T item) {
        Objects.requireNonNull(item, "item");
        if (!store(item)) return false;
        if (!batching) publish();
        return true;
    }

    @Override
    public void bytesRead(long n) {
        if (n < 0) throw new IllegalArgumentException("n must not be negative: " + n);
        long now = clock.getAsLong();
        if (batching) batchNow = now; // the items of this read arrived now
        metrics.recordBytes(n, now);
        if (maxBytes > 0 && metrics.bytes() > maxBytes) {
            throw new LimitExceededException("maxBytes", maxBytes, "the stream read " + metrics.bytes() + " bytes");
        }
    }

    @Override
    public void attach(Closeable s) {
        Objects.requireNonNull(s, "source");
        source.set(s);
        if (isOver()) closeQuietly(s);
    }

    @Override
    public boolean isOver() {
        return ending.get() != null;
    }

    @Override
    public StreamController controller() {
        return controller;
    }

    /**
     * How long a consumer facing an empty ring spins before parking (see {@link #spinForItem}).
     * A producer facing a full ring parks at once, to be woken when the ring has drained to half:
     * a spin there waits for one slot, and a ring kept full by a slower consumer then had the
     * producer spinning for every slot it freed (a core burnt in lockstep with the consumer), or
     * spinning in vain while the consumer was descheduled (on 2 cores shared by the producer, the
     * consumer and the HTTP client's selector, {@code RealContentRun}'s realtext: 5 % of the
     * producer's CPU samples in the spin).
     */
    private static final int SPINS = 256;

    /**
     * Puts an item in the ring, waiting for room, without publishing it (the caller publishes it
     * unless a batch is open); false when the stream is over, and the item was not taken.
     */
    private boolean store(Object item) {
        PushDelivery<T> p = push;
        if (p != null) {
            if (!p.producerOwnsRing) takeOver(p);
            if (ending.get() != null) return false;
            p.deliver(item);
            return true;
        }
        long t = localTail;
        if (t - headCache == capacity) {
            headCache = head;
            if (t - headCache == capacity) {
                publish(); // the consumer must see the full ring to drain it
                if (!awaitRoom(t)) return false;
                if (batching) batchNow = clock.getAsLong(); // waited: the items are later than the read
            }
        }
        @Nullable Object[] r = ring;
        if (ending.get() != null || r == null) return false; // no ring: a pushing producer took it over, and ended
        int i = tailIndex;
        r[i] = item;
        tailIndex = i + 1 == capacity ? 0 : i + 1;
        localTail = t + 1;
        return true;
    }

    /**
     * Opens a batch: items put from now on are published together by {@link #publish()} (or when
     * the ring fills, or at {@link #endBatch()}), so that the consumer is woken once per batch
     * rather than once per item. {@link SseSource#pump} batches the events of each read. While a
     * batch is open, counted items take the time of the latest {@link #bytesRead} (the read they
     * came in) rather than reading the clock each: items of one read arrived together. Producer
     * thread only.
     */
    void startBatch() {
        batching = true;
        batchedProducer = true;
        batchNow = clock.getAsLong();
    }

    /**
     * Ends the stream as completed before the producer returns: it has had its terminal event
     * and has only the body's end to wait for ({@link SseSource#pump}), which the consumer need
     * not wait for. Producer thread only.
     */
    void completeAtTerminal() {
        publish();
        end(new Ending(EndReason.COMPLETED, null));
        noMoreItems = true;
        pushEndNow(); // a pushing stream's receiver need not wait for the body's end either
    }

    /** Publishes what was put so far and closes the batch. Producer thread only. */
    void endBatch() {
        batching = false;
        batchedProducer = false;
        publish();
    }

    /** Makes every item put so far visible to the consumer, waking it if it waits. Producer thread only. */
    void publish() {
        long t = localTail;
        boolean published = tail != t;
        if (published) {
            tail = t;
            if (consumerWaiting) wake(notEmpty);
        }
        PushDelivery<T> p = push; // read after tail is written (see pushTo)
        if (p == null) return;
        if (published && !p.producerOwnsRing) takeOver(p);
        // a pushing stream's receiver writes out what it was handed: the producer may wait next
        if (p.producerOwnsRing) p.flush();
    }

    // ---------------------------------------------------------------- pushing (EventStream#pushTo)

    /**
     * Pushes the items to {@code receiver} from now on: hands over what the ring holds (on the
     * calling thread, the consumer's), then lets the producer deliver its items itself; the end
     * is delivered once the producer has returned (here, if it already has). The caller has taken
     * the consumer's role (the one iterator) and gives it up here. The timeouts, which a waiting
     * consumer checked, are checked by a shared timer from now on.
     *
     * <p>The hand-over: this thread publishes {@code push} and drains the ring holding the Push's
     * lock; a producer that finds {@code push} set (at its next item, or when it publishes) takes
     * that lock and drains what is left before it delivers anything itself. Both {@code push} and
     * {@code tail} are volatile, written before the other is read: an item the producer published
     * without seeing {@code push} is seen by this drain, or the producer sees {@code push} and
     * drains it.
     */
    void pushTo(PushDelivery.Receiver<T> receiver) {
        PushDelivery<T> p = new PushDelivery<>(this, receiver, clock);
        p.lock.lock();
        try {
            push = p;
            p.drain();
            if (noMoreItems) {
                pushEnd(p);
                return;
            }
            p.flush(); // what was queued goes out now: the producer may be waiting for its source
        } finally {
            p.lock.unlock();
        }
        p.watch();
    }

    /** The producer takes the consumer's side of the ring over, delivering what it holds, and drops it. Producer thread. */
    private void takeOver(PushDelivery<T> p) {
        tail = localTail; // items of an open batch too: no one waits for them but the producer itself
        p.lock.lock();
        try {
            p.drain();
        } finally {
            p.lock.unlock();
        }
        p.producerOwnsRing = true;
        ring = null;
    }

    /**
     * Delivers what is left and the end to a receiver there is, once the producer will emit no more:
     * it has returned, or had its terminal event. Producer thread.
     */
    private void pushEndNow() {
        PushDelivery<T> p = push;
        if (p == null) return;
        p.lock.lock();
        try {
            if (!p.producerOwnsRing) tail = localTail;
            p.drain();
            pushEnd(p);
        } finally {
            p.lock.unlock();
        }
    }

    /**
     * Delivers the end once, and lets go of the receiver: the controller, which outlives the stream
     * in whoever made it, refers to this core, and must not keep the consumer's side alive.
     * Holding the push's lock, once the producer emits no more.
     */
    private void pushEnd(PushDelivery<T> p) {
        if (!p.markEnded()) return;
        push = null;
        p.end(Objects.requireNonNull(ending.get(), "the end is pushed once the stream has ended"));
    }

    /** Marks the source as heard from at {@code now}: a pushed item's receiver has let it go. */
    void idleFrom(long now) {
        IDLE_SINCE.setRelease(this, now);
    }

    /** Parks the producer until the ring has room; false when the stream is over instead. */
    private boolean awaitRoom(long t) {
        lock.lock();
        try {
            for (; ; ) {
                producerWaiting = true; // before reading head: see wake
                if (t - head != capacity || ending.get() != null) break;
                notFull.await();
            }
        } catch (InterruptedException e) {
            if (ending.get() != null) return false;
            Thread.currentThread().interrupt();
            throw new StreamInterruptedException(e);
        } finally {
            producerWaiting = false;
            lock.unlock();
        }
        headCache = head;
        return ending.get() == null;
    }

    /**
     * Wakes the other side, parked on {@code c} (or about to park: it holds the lock until it
     * does), and clears its waiting flag, so that the items or the room that follow until it runs
     * again signal nothing more. Without the clearing, every item published or taken between the
     * signal and the woken thread's return to its loop signalled again, each a lock hand-off to a
     * thread not yet running: a consumer draining a full ring of 256 signalled the producer once
     * every 7 items, not once per half ring ({@code RealContentRun} realtext, 10,000,400 items:
     * 1,368,926 signals for 12,609 parks). The waiting side sets its flag again each time round
     * its loop, before it reads the index it waits on, so a flag cleared here cannot hide a later
     * wait.
     */
    @SuppressWarnings("ReferenceEquality") // identity: which of the two conditions
    private void wake(Condition c) {
        lock.lock();
        try {
            wakeCalls++;
            if (c == notFull) {
                if (!producerWaiting) return;
                producerWaiting = false;
            } else {
                if (!consumerWaiting) return;
                consumerWaiting = false;
            }
            c.signal();
        } finally {
            lock.unlock();
        }
    }

    /** {@return how often either side has taken the lock to wake the other; for tests, holding the lock} */
    int wakeCalls() {
        if (!lock.isHeldByCurrentThread()) throw new IllegalStateException("read wakeCalls holding the lock");
        return wakeCalls;
    }

    // ---------------------------------------------------------------- consumer thread

    /** The next item, or null when the ring is empty. */
    @Nullable
    Object poll() {
        @Nullable Object[] r = ring;
        if (r == null) return null; // a pushing producer took the ring over and emptied it
        long h = head;
        if (h == tailCache) {
            tailCache = tail;
            if (h == tailCache) return null;
        }
        int i = headIndex;
        Object item = r[i];
        r[i] = null;
        headIndex = i + 1 == capacity ? 0 : i + 1;
        head = h + 1;
        if (producerWaiting && tailCache - (h + 1) <= capacity / 2) {
            // The idle timeout waits on the source, not on a slow consumer: a producer that was
            // blocked on the full ring is reading again from now on.
            IDLE_SINCE.setRelease(this, clock.getAsLong());
            wake(notFull);
        }
        return item;
    }

    /**
     * Spins briefly for an item or the end, before the consumer parks: while a producer publishes
     * item by item and fast, the next item is usually well under a microsecond away, and a park
     * costs both sides several (the producer's signal, the wake-up). The spin is adaptive (see
     * {@link #waited}): a stream whose items come far apart does not spin at all, so thousands of
     * slow streams do not burn the cores they share. Nor does a consumer spin while the producer
     * publishes a read at a time ({@link #startBatch}): once it has taken a read's items, the next
     * ones are a whole read and parse away, a spin would almost always give up, and the cores it
     * burns are the ones the producer and the HTTP client need (issue #7: one fast stream on
     * 2 cores read ~0.83 of the raw HttpClient's events per second with the spin, ~0.95 without).
     * {@return whether an item or the end may be there}
     */
    boolean spinForItem() {
        int spins = consumerSpins();
        long h = head;
        for (int i = 0; ; i++) {
            if (tail != h || ending.get() != null || discarded) return true;
            if (i == spins) return false;
            Thread.onSpinWait();
        }
    }

    /** {@return how many times the consumer's next spin may wait: none while a batch is open} */
    int consumerSpins() {
        return batchedProducer ? 0 : consumerSpins;
    }

    /**
     * Tells the spin how long the consumer just waited after spinning in vain: a short wait (the
     * item came soon after the spin gave up) keeps the spin, a long one (a slow stream) turns it
     * off until a wait is short again.
     */
    void waited(long nanos) {
        consumerSpins = nanos < SHORT_WAIT_NANOS ? SPINS : 0;
    }

    /** A wait this short means that spinning a little longer would have found the item (256 spins take about 7 us). */
    static final long SHORT_WAIT_NANOS = 50_000;

    /** Waits up to {@code nanos} for an item or the end. */
    void awaitItem(long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (nanos > 0) {
                consumerWaiting = true; // before reading tail: see wake
                if (head != tail || ending.get() != null || discarded) break;
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

    /** Makes the consumer drop what is queued; the ring's slots are freed with the stream. */
    private void discard() {
        discarded = true;
        lock.lock();
        try {
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The consumer failed on an item it had taken: its item hook threw (an accumulator that found
     * the events in an impossible order, a mapping that failed). The stream fails with that
     * failure, also when an end had been decided before (completed, a limit, even a failure):
     * the consumer had not reached it, and {@code endReason()} and {@code failure()} must say what
     * the consumer saw. The source is closed, the producer ends, queued items are dropped.
     * Consumer thread.
     */
    void consumerFailed(SluiceException failure) {
        Ending failed =
                new Ending(failure instanceof StreamTimeoutException ? EndReason.TIMED_OUT : EndReason.FAILED, failure);
        if (!end(failed)) {
            ending.set(failed); // the one replacement of an end: see the field's comment
            metrics.recordEnd(failed.reason(), clock.getAsLong());
            closeSource();
            Thread producer = producerThread;
            if (producer != null && producer != Thread.currentThread()) producer.interrupt();
        }
        discard();
    }

    /** The one transition to the end; the first caller wins. */
    private boolean end(Ending e) {
        if (!ending.compareAndSet(null, e)) return false;
        metrics.recordEnd(e.reason(), clock.getAsLong());
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
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "closing the stream's source failed: " + e);
            }
        }
    }
}
