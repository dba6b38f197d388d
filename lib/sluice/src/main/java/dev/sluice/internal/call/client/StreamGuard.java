package dev.sluice.internal.call.client;

import dev.sluice.CircuitOpenException;
import dev.sluice.ConcurrencyLimitException;
import dev.sluice.RequestRateLimitException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.ConcurrencyLimit;
import dev.sluice.client.RateLimits;
import dev.sluice.client.RequestRateLimit;
import dev.sluice.client.ResilienceMetrics;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A client's guards around its streams, on Resilience4j: the {@link ConcurrencyLimit} (a fair
 * semaphore {@link Bulkhead}), the {@link CircuitBreakerPolicy} ({@link CircuitBreaker}, count
 * based window) and the {@link RequestRateLimit} (Resilience4j's {@code RateLimiter}, in
 * {@link RatePermits}: permits renewed each period); and the hold while a rate limit the provider reported is exhausted ({@link #observe}).
 * {@link #acquire} runs before a stream is sent and gives a {@link Permit} that the stream's end
 * releases, recording its outcome with the breaker. Any guard may be absent.
 *
 * <p>Threading: thread-safe; the Resilience4j objects are. {@code openedAt} is written by the
 * breaker's transition listener (on whichever thread ended the call that opened it) and read by
 * any thread.
 */
public final class StreamGuard {
    private final String clientName;
    private final @Nullable ConcurrencyLimit limit;
    private final @Nullable Bulkhead bulkhead;
    private final @Nullable CircuitBreaker breaker;
    private final @Nullable Duration openDuration;
    private final @Nullable Clock clock;
    private final AtomicLong refused = new AtomicLong();
    private volatile @Nullable Instant openedAt;
    private final @Nullable RequestRateLimit rate;
    private final @Nullable RatePermits rateLimiter; // null: no request rate limit
    private final @Nullable Duration rateLimitWait; // null: new streams are not held while a rate limit is exhausted
    private volatile @Nullable Instant heldUntil; // the latest exhaustion's end, on the system clock

    /**
     * @param clientName the client's name, for messages
     * @param limit the concurrency limit, or null for none
     * @param breakerPolicy the circuit breaker, or null for none
     */
    public StreamGuard(
            String clientName, @Nullable ConcurrencyLimit limit, @Nullable CircuitBreakerPolicy breakerPolicy) {
        this(clientName, limit, breakerPolicy, null, null);
    }

    /**
     * @param rate the client-side request rate limit, or null for none
     * @param rateLimitWait the longest a new stream is held while a reported rate limit is
     *     exhausted (see {@link #observe}), or null to never hold
     */
    public StreamGuard(
            String clientName,
            @Nullable ConcurrencyLimit limit,
            @Nullable CircuitBreakerPolicy breakerPolicy,
            @Nullable RequestRateLimit rate,
            @Nullable Duration rateLimitWait) {
        this.clientName = clientName;
        this.rateLimitWait = rateLimitWait;
        this.rate = rate;
        this.rateLimiter = rate == null ? null : new RatePermits(clientName + "-rate", rate);
        this.limit = limit;
        this.bulkhead = limit == null
                ? null
                : Bulkhead.of(
                        clientName + "-streams",
                        BulkheadConfig.custom()
                                .maxConcurrentCalls(limit.maxStreams())
                                .maxWaitDuration(limit.maxWait())
                                .fairCallHandlingStrategyEnabled(true)
                                .build());
        if (breakerPolicy == null) {
            this.breaker = null;
            this.openDuration = null;
            this.clock = null;
        } else {
            this.openDuration = breakerPolicy.openDuration();
            this.clock = breakerPolicy.clock();
            this.breaker = CircuitBreaker.of(
                    clientName + "-breaker",
                    CircuitBreakerConfig.custom()
                            .failureRateThreshold(breakerPolicy.failureRatePercent())
                            .slidingWindow(
                                    breakerPolicy.windowSize(),
                                    breakerPolicy.minimumStreams(),
                                    CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                            .waitDurationInOpenState(breakerPolicy.openDuration())
                            .permittedNumberOfCallsInHalfOpenState(breakerPolicy.halfOpenProbes())
                            .clock(breakerPolicy.clock())
                            .build());
            this.breaker.getEventPublisher().onStateTransition(e -> {
                if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) openedAt = clock.instant();
            });
        }
    }

    /** {@return whether there is nothing to guard} */
    public boolean isEmpty() {
        return bulkhead == null && breaker == null && rateLimiter == null && rateLimitWait == null;
    }

    /**
     * Takes note of the rate limits a response reported: while one is exhausted (or the server asked
     * for a delay), new streams are held until it resets, when holding is on.
     */
    public void observe(RateLimits limits) {
        if (rateLimitWait == null) return;
        Optional<Instant> until = limits.exhaustedUntil();
        if (until.isEmpty()) return;
        Instant current = heldUntil;
        if (current == null || until.get().isAfter(current)) heldUntil = until.get();
    }

    /**
     * Holds the calling thread until the exhausted rate limit resets, when that is at most the
     * hold's wait away (a longer one is not waited for: the request goes and the server answers).
     * A cancel of {@code c} ends the wait.
     */
    private void holdWhileRateLimited(StreamController c) {
        Instant until = heldUntil;
        if (until == null) return;
        Duration left = Duration.between(Instant.now(), until);
        if (left.isNegative() || left.isZero() || left.compareTo(rateLimitWait) > 0) return;
        sleepUnlessCancelled(c, left.toNanos());
    }

    /**
     * Holds while a reported rate limit is exhausted (when holding is on), then takes the breaker's
     * permission (failing fast when it is open), a place under the concurrency limit (waiting
     * fairly, at most the limit's wait) and a permit of the request rate limit (waiting for the next
     * period, at most its wait), in that order: the rate permit last, just before the request goes.
     * A cancel of {@code c} ends any wait, and the permit then holds nothing: the cancelled stream
     * sends nothing.
     *
     * @return the permit, to release when the stream ends
     * @throws CircuitOpenException when the breaker refuses
     * @throws ConcurrencyLimitException when no place came free in time
     * @throws RequestRateLimitException when the request rate limit has no permit within its wait
     * @throws dev.sluice.StreamInterruptedException when the thread is interrupted while waiting
     */
    public Permit acquire(StreamController c) {
        if (rateLimitWait != null) holdWhileRateLimited(c);
        boolean breakerHeld = false;
        if (breaker != null) {
            if (!breaker.tryAcquirePermission()) {
                refused.incrementAndGet();
                CircuitBreaker.State s = breaker.getState();
                if (s == CircuitBreaker.State.HALF_OPEN) {
                    throw new CircuitOpenException(clientName, CircuitOpenException.State.HALF_OPEN, null);
                }
                Instant at = openedAt;
                throw new CircuitOpenException(
                        clientName,
                        CircuitOpenException.State.OPEN,
                        at == null || openDuration == null ? null : at.plus(openDuration));
            }
            breakerHeld = true;
        }
        boolean place = false;
        if (bulkhead != null) {
            try {
                place = waitForPlace(c);
            } catch (RuntimeException e) {
                if (breakerHeld && breaker != null) breaker.releasePermission();
                throw e;
            }
            if (!place && c.isCancelled()) { // cancelled while waiting: nothing is sent, no outcome to record
                if (breakerHeld && breaker != null) breaker.releasePermission();
                return new Permit(this, c, false, false);
            }
        }
        if (rateLimiter != null) {
            boolean permitted;
            try {
                permitted = waitForRatePermit(c);
            } catch (RuntimeException e) {
                if (place && bulkhead != null) bulkhead.onComplete();
                if (breakerHeld && breaker != null) breaker.releasePermission();
                throw e;
            }
            if (!permitted) { // cancelled while waiting: nothing is sent, no outcome to record
                if (place && bulkhead != null) bulkhead.onComplete();
                if (breakerHeld && breaker != null) breaker.releasePermission();
                return new Permit(this, c, false, false);
            }
        }
        return new Permit(this, c, place, breakerHeld);
    }

    /**
     * Takes a permit of the request rate limit: Resilience4j reserves the next one free and says
     * how long until its period, or refuses when that is longer than the limit's wait (refused at
     * once: waiting out {@code maxWait} first, as its {@code acquirePermission} does, would help no
     * one); the wait is then a sleep that a cancel of {@code c} interrupts (the reserved permit is
     * spent either way). {@return whether the stream may go; false when the controller was cancelled}
     */
    private boolean waitForRatePermit(StreamController c) {
        if (c.isCancelled()) return false;
        RatePermits rateLimiter = Objects.requireNonNull(this.rateLimiter, "called only under a rate limit");
        RequestRateLimit rate = Objects.requireNonNull(this.rate, "rate");
        long nanos = rateLimiter.reserve();
        if (nanos < 0) {
            refused.incrementAndGet();
            throw new RequestRateLimitException(clientName, rate.permits(), rate.period(), rate.maxWait());
        }
        if (nanos == 0) return true;
        sleepUnlessCancelled(c, nanos);
        return !c.isCancelled();
    }

    /**
     * Sleeps {@code nanos}, or less when {@code c} is cancelled meanwhile (the cancel interrupts the
     * sleep, and its interrupt is not left behind).
     *
     * @throws dev.sluice.StreamInterruptedException when something else interrupts the thread
     */
    private static void sleepUnlessCancelled(StreamController c, long nanos) {
        Waiter waiter = new Waiter(Thread.currentThread());
        c.onCancel(waiter);
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            if (!c.isCancelled()) {
                Thread.currentThread().interrupt();
                throw new StreamInterruptedException(e);
            }
        } finally {
            waiter.done();
            if (c.isCancelled()) Thread.interrupted(); // the cancel's interrupt, if it came late
        }
    }

    /** {@return whether a place was taken; false when the controller was cancelled while waiting} */
    private boolean waitForPlace(StreamController c) {
        if (c.isCancelled()) return false;
        Bulkhead bulkhead = Objects.requireNonNull(this.bulkhead, "called only under a concurrency limit");
        ConcurrencyLimit limit = Objects.requireNonNull(this.limit, "limit");
        long start = System.nanoTime();
        Waiter waiter = new Waiter(Thread.currentThread());
        c.onCancel(waiter);
        boolean got;
        try {
            got = bulkhead.tryAcquirePermission();
        } finally {
            waiter.done();
        }
        if (got) {
            if (c.isCancelled()) {
                Thread.interrupted(); // the cancel's interrupt, if it came late
                bulkhead.onComplete();
                return false;
            }
            return true;
        }
        if (c.isCancelled()) {
            Thread.interrupted(); // the cancel's interrupt
            return false;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new StreamInterruptedException(new InterruptedException(
                    "interrupted while waiting for a place under the " + clientName + "'s concurrency limit"));
        }
        refused.incrementAndGet();
        throw new ConcurrencyLimitException(
                clientName, limit.maxStreams(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** {@return whether a stream opened now would be refused at once: the breaker is open or every place under the limit is taken} */
    public boolean refusesNow() {
        if (breaker != null) {
            CircuitBreaker.State s = breaker.getState();
            if (s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN) return true;
        }
        return bulkhead != null && bulkhead.getMetrics().getAvailableConcurrentCalls() <= 0;
    }

    /** {@return the guards' state now} */
    public ResilienceMetrics metrics() {
        int max = limit == null ? 0 : limit.maxStreams();
        int open = bulkhead == null ? 0 : max - bulkhead.getMetrics().getAvailableConcurrentCalls();
        if (breaker == null) return new ResilienceMetrics(max, open, "DISABLED", Optional.empty(), 0, refused.get());
        CircuitBreaker.Metrics m = breaker.getMetrics();
        float rate = m.getFailureRate();
        return new ResilienceMetrics(
                max,
                open,
                breaker.getState().name(),
                rate < 0 ? Optional.empty() : Optional.of(rate),
                m.getNumberOfFailedCalls(),
                refused.get());
    }

    /** Interrupts the waiting thread when the controller is cancelled, only while it waits. */
    private static final class Waiter implements Runnable {
        private final ReentrantLock lock = new ReentrantLock();
        private @Nullable Thread thread; // guarded by lock; null once the wait is over

        Waiter(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void run() {
            lock.lock();
            try {
                if (thread != null) thread.interrupt();
            } finally {
                lock.unlock();
            }
        }

        void done() {
            lock.lock();
            try {
                thread = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * A stream's hold on the guards: {@link #run()} (its end hook) releases the place and records the
     * outcome once, from the controller's end reason (none: the opening failed).
     */
    public static final class Permit implements Runnable {
        private final StreamGuard guard;
        private final StreamController controller;
        private final boolean place;
        private final boolean breakerHeld;
        private final long startNanos = System.nanoTime();
        private final AtomicBoolean released = new AtomicBoolean();

        Permit(StreamGuard guard, StreamController controller, boolean place, boolean breakerHeld) {
            this.guard = guard;
            this.controller = controller;
            this.place = place;
            this.breakerHeld = breakerHeld;
        }

        @Override
        public void run() {
            Optional<EndReason> end = controller.endReason();
            if (end.isEmpty()) finish(!controller.isCancelled(), null); // cancelled before it opened: no outcome
            else finish(true, end.get());
        }

        /**
         * Releases the place and records the outcome once, from how the call ended: a call that is not
         * streamed has no stream whose end reason {@link #run()} could read.
         *
         * @param end how the call ended ({@link EndReason#FAILED} or {@link EndReason#TIMED_OUT}: an
         *     error for the breaker; otherwise a success), or null for a call cancelled before it
         *     opened (no outcome)
         */
        public void ended(@Nullable EndReason end) {
            finish(end != null, end);
        }

        /** Releases once; records an outcome when there is one (a null reason with one: the opening failed). */
        private void finish(boolean outcome, @Nullable EndReason end) {
            if (!released.compareAndSet(false, true)) return;
            Bulkhead bulkhead = guard.bulkhead;
            if (place && bulkhead != null) bulkhead.onComplete();
            CircuitBreaker breaker = guard.breaker;
            if (!breakerHeld || breaker == null) return;
            long took = System.nanoTime() - startNanos;
            if (!outcome) {
                breaker.releasePermission();
            } else if (end == null || end == EndReason.FAILED || end == EndReason.TIMED_OUT) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new StreamFailed(end));
            } else {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The outcome the breaker records for a failed stream (it needs a Throwable). */
    private static final class StreamFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamFailed(@Nullable EndReason reason) {
            super(reason == null ? "the opening failed" : "the stream ended " + reason, null, false, false);
        }
    }
}
