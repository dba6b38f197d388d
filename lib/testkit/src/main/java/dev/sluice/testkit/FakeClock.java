package dev.sluice.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A clock that moves only when a test moves it: a wall clock ({@link Clock}, for code that takes one)
 * and a monotonic one ({@link #getAsLong()}, nanoseconds, for code that takes a {@code LongSupplier}
 * in place of {@link System#nanoTime()}), moved together by {@link #advance(Duration)}. It counts
 * who reads the monotonic time, so a test can wait until a thread that waits by the clock has
 * seen a move ({@link #awaitReadsBy(Thread, Duration)}).
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();          // give it as the Clock, or as the LongSupplier of nanoTime
 * long before = clock.getAsLong();
 * clock.advance(Duration.ofSeconds(31));       // instant() and getAsLong() both move 31 s
 * assert clock.getAsLong() - before == Duration.ofSeconds(31).toNanos();
 * }</pre>
 *
 * <p>Thread-safe: any thread may read or move it.
 */
public final class FakeClock extends Clock implements LongSupplier {
    /** Where a clock made with {@link #FakeClock()} starts: {@value}. */
    public static final String DEFAULT_START = "2026-11-26T12:00:00Z";

    private final State state;
    private final ZoneId zone;

    /** A clock at {@link #DEFAULT_START}, in UTC, its monotonic time at minus one day (negative, as {@code System.nanoTime()} may be). */
    public FakeClock() {
        this(Instant.parse(DEFAULT_START));
    }

    /** A clock at {@code start}, in UTC, its monotonic time at minus one day. */
    public FakeClock(Instant start) {
        this(new State(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private FakeClock(State state, ZoneId zone) {
        this.state = state;
        this.zone = zone;
    }

    /** Moves both times forward by {@code d}, which must not be negative. */
    public void advance(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) throw new IllegalArgumentException("a clock moves forward only: " + d);
        state.lock.lock();
        try {
            state.wall = state.wall.plus(d);
            state.nanos += d.toNanos();
        } finally {
            state.lock.unlock();
        }
    }

    /** Sets the wall time, forward or back (a clock step); the monotonic time does not move. */
    public void set(Instant now) {
        Objects.requireNonNull(now, "now");
        state.lock.lock();
        try {
            state.wall = now;
        } finally {
            state.lock.unlock();
        }
    }

    /** {@return the wall time} */
    @Override
    public Instant instant() {
        state.lock.lock();
        try {
            return state.wall;
        } finally {
            state.lock.unlock();
        }
    }

    /** {@return the monotonic time in nanoseconds, as {@code System.nanoTime()} gives it; the read is counted} */
    @Override
    public long getAsLong() {
        state.lock.lock();
        try {
            state.reads
                    .computeIfAbsent(Thread.currentThread(), t -> new AtomicLong())
                    .incrementAndGet();
            state.read.signalAll();
            return state.nanos;
        } finally {
            state.lock.unlock();
        }
    }

    /** {@return how many times {@code reader} has read the monotonic time} */
    public long readsBy(Thread reader) {
        AtomicLong n = state.reads.get(Objects.requireNonNull(reader, "reader"));
        return n == null ? 0 : n.get();
    }

    /**
     * Waits until {@code reader} has read the monotonic time three more times: a thread that waits
     * by the clock (one delivering a stream, say) has then acted on the time it read since this call.
     *
     * @throws AssertionError if it has not within {@code timeout}, or the waiting thread is interrupted
     */
    public void awaitReadsBy(Thread reader, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long from = readsBy(reader);
        long deadline = System.nanoTime() + timeout.toNanos();
        state.lock.lock();
        try {
            while (readsBy(reader) < from + 3) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError(reader + " did not read the clock again within " + timeout);
                state.read.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + reader + " to read the clock", e);
        } finally {
            state.lock.unlock();
        }
    }

    /** {@return the zone, UTC unless made with {@link #withZone}} */
    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** {@return this clock seen in {@code zone}: the same times, moved with this one} */
    @Override
    public FakeClock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new FakeClock(state, zone);
    }

    /** The times, shared by a clock and its views in other zones; guarded by {@code lock}. */
    private static final class State {
        final ReentrantLock lock = new ReentrantLock();
        final Condition read = lock.newCondition();
        final Map<Thread, AtomicLong> reads = new ConcurrentHashMap<>();
        Instant wall;
        long nanos = -Duration.ofDays(1).toNanos();

        State(Instant start) {
            this.wall = start;
        }
    }
}
