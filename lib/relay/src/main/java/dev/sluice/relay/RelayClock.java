package dev.sluice.relay;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The relay's time: the clock its deadlines read, and one daemon timer thread
 * ({@code sluice-relay-timer}) that runs its timeouts. On the system clock a timeout is the
 * executor's own delayed task and a wait is the condition's own. On another clock (a test's fake
 * one) the timer thread ticks every {@value #SLICE_MILLIS} ms of real time and runs the tasks due
 * by that clock, and a wait lasts at most a tick before the caller reads the clock again.
 *
 * <p>Threading: every method is safe from any thread. {@code nanoTime} and the executor are
 * final and thread-safe; {@code due} is guarded by {@code dueLock} (any thread schedules and
 * cancels, the timer thread takes what is due and runs it outside the lock).
 */
final class RelayClock {
    /** The default clock, one instance so that the relay knows it for the system's. */
    static final LongSupplier SYSTEM = System::nanoTime;

    static final long SLICE_MILLIS = 10;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);

    private final LongSupplier nanoTime;
    private final boolean system;
    private final ScheduledThreadPoolExecutor timer;
    private final ReentrantLock dueLock = new ReentrantLock();
    private final PriorityQueue<Due> due = new PriorityQueue<>(); // with another clock only
    private long nextOrder; // guarded by dueLock: orders tasks due at the same time

    @SuppressWarnings("ReferenceEquality") // identity: SYSTEM is the one supplier that means the system's clock
    RelayClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.system = nanoTime == SYSTEM;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sluice-relay-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.prestartCoreThread(); // the relay's one timer thread from its start, not from its first timeout
        if (!system) {
            Future<?> unused =
                    timer.scheduleWithFixedDelay(this::runDue, SLICE_MILLIS, SLICE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** {@return the time in nanoseconds, for deadlines and intervals only} */
    long now() {
        return system ? System.nanoTime() : nanoTime.getAsLong();
    }

    /**
     * Runs a task on the timer thread once {@code delay} has passed by this clock.
     * {@return its handle, to cancel it; null once the relay is closed}
     */
    @Nullable
    Future<?> schedule(Runnable task, Duration delay) {
        try {
            if (system) return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            if (timer.isShutdown()) return null;
            dueLock.lock();
            try {
                Due d = new Due(task, now() + delay.toNanos(), nextOrder++);
                due.add(d);
                return d;
            } finally {
                dueLock.unlock();
            }
        } catch (RejectedExecutionException e) { // closing: nothing left to time
            return null;
        }
    }

    /**
     * Waits on {@code condition}, whose lock the caller holds, for at most {@code nanos} by this
     * clock; on another clock than the system's, for at most a tick of real time.
     * {@return an estimate of the time left, as {@link Condition#awaitNanos}'s}
     */
    @SuppressWarnings("WaitNotInLoop") // as Condition.awaitNanos: the callers loop on their own state
    long awaitNanos(Condition condition, long nanos) throws InterruptedException {
        if (system) return condition.awaitNanos(nanos);
        long start = nanoTime.getAsLong();
        condition.awaitNanos(Math.min(nanos, SLICE_NANOS));
        return nanos - (nanoTime.getAsLong() - start);
    }

    /** {@return how many tasks wait for their time (for tests, which wait for a task to be set)} */
    int scheduled() {
        if (system) return timer.getQueue().size();
        dueLock.lock();
        try {
            return due.size();
        } finally {
            dueLock.unlock();
        }
    }

    /** Stops the timer thread; the tasks not yet run never run. */
    void shutdown() {
        timer.shutdownNow();
    }

    /** Runs, on the timer thread, the tasks due by the clock, earliest first. */
    private void runDue() {
        while (true) {
            Due next;
            dueLock.lock();
            try {
                next = due.peek();
                if (next == null || next.at - nanoTime.getAsLong() > 0) return;
                due.poll();
            } finally {
                dueLock.unlock();
            }
            next.run();
        }
    }

    /** A task due at a time of a clock other than the system's; cancelling it takes it off the queue. */
    private final class Due extends FutureTask<Void> implements Comparable<Due> {
        final long at;
        final long order;

        Due(Runnable task, long at, long order) {
            super(task, null);
            this.at = at;
            this.order = order;
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            boolean cancelled = super.cancel(mayInterrupt);
            dueLock.lock();
            try {
                due.remove(this);
            } finally {
                dueLock.unlock();
            }
            return cancelled;
        }

        @Override
        public int compareTo(Due o) {
            int c = Long.compare(at - o.at, 0);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
