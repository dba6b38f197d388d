package dev.sluice.stream;

import dev.sluice.StreamTimeoutException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The push delivery of an {@link EventStream} ({@link EventStream#pushTo}): hands the items to a
 * {@link Receiver} on the producer's thread, delivers the end once, and checks the timeouts on a
 * shared timer while no consumer waits to check them. Its {@link StreamCore} is the pull delivery
 * (the ring a consumer takes from); the core passes its side of the ring to this one (see
 * {@link StreamCore#pushTo}) and delivers through it from then on.
 */
final class PushDelivery<T> {
    // Threading: the lock guards ended, and the hand-over of the ring's consumer side (the core's
    // head) from the thread that called pushTo to the producer. producerOwnsRing: the producer's.
    // inSink: the producer's (or pushTo's while it drains), read by the timer. timer: written by the
    // timer's thread and by pushTo, cancelled by whoever delivers the end.

    /**
     * Where a pushing stream's items go: the user-facing stream's adapter (the item hook, then the
     * sink). What {@code accept} throws, it handles itself.
     */
    interface Receiver<T> {
        void accept(T item);

        /** The items accepted so far are all there is for now ({@link EventStream.Sink#flush}). */
        void flush();

        void end(StreamCore.Ending ending);
    }

    /** How often a timer checks the total timeout of a stream whose receiver holds an item. */
    static final long HELD_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final StreamCore<T> core;
    private final Receiver<T> receiver;
    private final LongSupplier clock;
    final ReentrantLock lock = new ReentrantLock();
    private boolean ended; // guarded by lock
    boolean producerOwnsRing; // the producer's
    private volatile boolean inSink;
    private boolean unflushed; // an item was delivered since the receiver's last flush: the producer's (or pushTo's)
    private volatile @Nullable Future<?> timer;

    PushDelivery(StreamCore<T> core, Receiver<T> receiver, LongSupplier clock) {
        this.core = core;
        this.receiver = receiver;
        this.clock = clock;
    }

    /** Delivers what the core's ring holds (dropping it after a cancel, as the consumer would). Holding the lock. */
    void drain() {
        for (Object item; (item = core.poll()) != null; ) {
            if (!core.discarded()) deliver(item);
        }
    }

    /**
     * Hands an item to the receiver. While the receiver holds it (waits for room in its own
     * buffer), the first-event and idle timeouts wait: a slow consumer is not a silent source.
     */
    @SuppressWarnings("unchecked")
    void deliver(Object item) {
        inSink = true;
        unflushed = true;
        try {
            receiver.accept((T) item);
        } finally {
            inSink = false;
            core.idleFrom(clock.getAsLong());
        }
    }

    /**
     * Tells the receiver that the items delivered so far are all there is for now, if any was
     * delivered since it was last told: the producer has published a read's items (or an item
     * outside a batch) and may wait for its source next. A flush that blocks holds the timeouts as
     * an item does. Holding the lock, or on the producer's thread once it owns the ring.
     */
    void flush() {
        if (!unflushed) return;
        unflushed = false;
        inSink = true;
        try {
            receiver.flush();
        } finally {
            inSink = false;
            core.idleFrom(clock.getAsLong());
        }
    }

    /** {@return true the first time only: the end is delivered once} Holding the lock. */
    boolean markEnded() {
        if (ended) return false;
        ended = true;
        return true;
    }

    /** Delivers the end (after {@link #markEnded}), and stops the timer. */
    void end(StreamCore.Ending ending) {
        Future<?> t = timer;
        if (t != null) t.cancel(false);
        receiver.end(ending);
    }

    /**
     * Checks the timeouts of a pushing stream, as a waiting consumer would, and schedules the
     * next check at the nearest deadline. A stream without timeouts is never scheduled; one with
     * only an idle timeout is checked an idle timeout apart until its first item starts the timer.
     */
    void watch() {
        if (core.isOver()) return;
        StreamController controller = core.controller();
        long now = clock.getAsLong();
        boolean held = inSink;
        StreamTimeoutException expired = held ? controller.totalExpired(now) : controller.expired(now);
        if (expired != null) {
            core.timeOut(expired);
            return;
        }
        StreamOptions o = controller.options();
        long cap = !o.usesSystemClock() ? StreamCore.SLICE_NANOS : o.idleNanos > 0 ? o.idleNanos : Long.MAX_VALUE;
        long next = held ? Math.min(cap, HELD_RECHECK_NANOS) : controller.nanosToNextDeadline(now, cap);
        if (next == Long.MAX_VALUE) return;
        Future<?> t = Timer.EXECUTOR.schedule(this::watch, Math.max(next, 1), TimeUnit.NANOSECONDS);
        timer = t;
        if (core.isOver()) t.cancel(false); // ended while scheduling: the end cancelled the previous one
    }

    /** The timer of pushing streams, started with the first; on a virtual thread, as the Cleaner's (see QueueBackedEventStream). */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            var e = new ScheduledThreadPoolExecutor(
                    1,
                    Thread.ofVirtual()
                            .name("sluice-stream-timer")
                            .inheritInheritableThreadLocals(false)
                            .factory());
            e.setRemoveOnCancelPolicy(
                    true); // an ended stream's check leaves the queue at once, and lets go of the stream
            return e;
        }
    }
}
