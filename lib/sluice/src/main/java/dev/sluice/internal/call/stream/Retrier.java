package dev.sluice.internal.call.stream;

import dev.sluice.SluiceException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.Cancellation;
import dev.sluice.internal.low.http.Deadline;
import dev.sluice.internal.low.http.RetryRules;
import dev.sluice.internal.low.http.RetryableFailure;
import dev.sluice.internal.low.http.Sleeper;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs an attempt until it succeeds, fails for good, or the {@link RetryPolicy}'s retries are
 * spent, waiting between attempts as the policy and the server say.
 *
 * <p>An attempt signals "worth retrying" by throwing {@link RetryableFailure}; any
 * {@link RuntimeException} (a {@link SluiceException} such as a 400's {@code ApiException}) ends
 * the call at once. When no retry is left, or the server names a delay above
 * {@link RetryPolicy#maxRetryAfter()}, the retryable failure's {@link RetryableFailure#failure()}
 * is thrown.
 *
 * <p>Resilience4j's {@link Retry}, created at the first failed attempt (a call that succeeds at once
 * never loads Resilience4j), counts the attempts and computes the delays (maxAttempts =
 * maxRetries + 1, an interval function reading the failure's server delay, a predicate accepting
 * only {@code RetryableFailure}). It is driven through {@link Retry#asyncContext()}, which returns
 * the delay instead of sleeping: Resilience4j's synchronous path sleeps with {@code Thread.sleep}
 * through one JVM-wide static function that a cancel cannot cut short and a test cannot replace
 * per instance. Here the wait is the {@link Sleeper}'s, on a latch that a cancel opens, and never
 * longer than what is left of the call's {@link Deadline}, if it has one.
 *
 * <p>Thread-safe and immutable; a call runs on the calling thread, any thread, including a
 * stream's producer thread (for example to reopen a stream whose first event was an error).
 */
public final class Retrier {
    private static final System.Logger LOG = System.getLogger(Retrier.class.getName());

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private volatile @Nullable Retry retry; // see retry()
    private final ReentrantLock creating =
            new ReentrantLock(); // not a monitor: Resilience4j's classes load under it, which pins a virtual thread on
    // JDK 21-23

    /** A retrier for this policy that really waits, with random jitter. */
    public Retrier(RetryPolicy policy) {
        this(policy, Sleeper.REAL, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param policy how often and how long
     * @param sleeper how to wait
     * @param random the jitter's source of values in [0, 1)
     */
    public Retrier(RetryPolicy policy, Sleeper sleeper, DoubleSupplier random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * {@return the Resilience4j retry, created at the first failed attempt} Lazily, because most
     * calls never fail, and loading and configuring Resilience4j costs a fresh JVM tens of
     * milliseconds before its first request.
     */
    private Retry retry() {
        Retry r = retry;
        if (r == null) {
            creating.lock();
            try {
                r = retry;
                if (r == null) {
                    IntervalBiFunction<Object> interval = this::delayMillis;
                    RetryConfig config = RetryConfig.custom()
                            .maxAttempts(Math.min(policy.maxRetries(), Integer.MAX_VALUE - 1) + 1)
                            .retryOnException(e -> e instanceof RetryableFailure)
                            .intervalBiFunction(interval)
                            .build();
                    r = Retry.of("sluice", config);
                    retry = r;
                }
            } finally {
                creating.unlock();
            }
        }
        return r;
    }

    /** {@return the policy this retrier follows} */
    public RetryPolicy policy() {
        return policy;
    }

    /** As {@link #call(Callable, Cancellation)}, never cancelled. */
    public <T> T call(Callable<T> attempt) throws InterruptedException {
        return call(attempt, Cancellation.NONE);
    }

    /**
     * Runs {@code attempt}, retrying it while it throws {@link RetryableFailure} and the policy
     * allows.
     *
     * @return the first successful attempt's result
     * @throws SluiceException the last retryable failure's {@code failure()} when giving up, or
     *     what an attempt threw unchecked (not retried)
     * @throws CancellationException if {@code cancellation} reports a cancel before an attempt or
     *     during a wait (the wait ends promptly); its cause is the last failure, if any
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if an attempt throws a checked exception other than
     *     {@code RetryableFailure} and {@code InterruptedException}: attempts map their own
     */
    public <T> T call(Callable<T> attempt, Cancellation cancellation) throws InterruptedException {
        return budget().call(attempt, cancellation);
    }

    /**
     * {@return a fresh budget of {@code maxRetries + 1} attempts for one logical request, to share
     * between several calls} A stream uses one budget for its opening and for the reopenings after
     * an in-band error that arrived before any content, so that all of them together make at most
     * {@code maxRetries + 1} attempts and the backoff keeps growing across them.
     */
    public Budget budget() {
        return new Budget(null);
    }

    /** As {@link #budget()}, telling {@code waits} of each wait before another attempt, before it begins. */
    public Budget budget(Waits waits) {
        return new Budget(Objects.requireNonNull(waits, "waits"));
    }

    /** Told of each wait before another attempt, on the thread that waits. */
    @FunctionalInterface
    public interface Waits {
        /**
         * Called before a wait.
         *
         * @param retry the attempt about to be made after the wait, counted from 1 for the first retry
         * @param delay the wait
         * @param after the failure of the attempt before
         */
        void waiting(int retry, Duration delay, SluiceException after);
    }

    /**
     * The attempts of one logical request. Used by one thread at a time; it may be handed from one
     * thread to another (the caller's thread opens a stream, the stream's producer thread reopens
     * it) when the hand-over orders memory, as {@link Thread#start()} does.
     */
    public final class Budget {
        private Retry.@Nullable AsyncContext<Object> context; // created at the first failure: see retry()
        private @Nullable CountDownLatch cancelled;
        private @Nullable Cancellation cancelledBy;
        private @Nullable SluiceException last;
        private int attempts;
        private final @Nullable Waits waits;

        private Budget(@Nullable Waits waits) {
            this.waits = waits;
        }

        /** {@return how many attempts have failed in this budget so far} */
        public int failedAttempts() {
            return attempts;
        }

        /**
         * Runs {@code attempt}, retrying it while it throws {@link RetryableFailure} and the budget
         * allows.
         *
         * @return the first successful attempt's result
         * @throws SluiceException the last retryable failure's {@code failure()} when the budget is
         *     spent, or what an attempt threw unchecked (not retried)
         * @throws CancellationException if {@code cancellation} reports a cancel before an attempt or
         *     during a wait (the wait ends promptly); its cause is the last failure, if any
         * @throws InterruptedException if the thread is interrupted while waiting
         * @throws IllegalStateException if an attempt throws a checked exception other than
         *     {@code RetryableFailure} and {@code InterruptedException}: attempts map their own
         */
        public <T> T call(Callable<T> attempt, Cancellation cancellation) throws InterruptedException {
            return call(attempt, cancellation, Deadline.NONE);
        }

        /**
         * As {@link #call(Callable, Cancellation)}, never waiting past {@code deadline}: no attempt
         * starts once it has passed, and a back-off longer than what is left of it waits only
         * until it (cut short by a cancel) and then throws {@code deadline.expired()}, the last
         * failure attached as {@linkplain Throwable#getSuppressed() suppressed}. The attempt
         * itself is responsible for bounding its own wait by {@code deadline.nanosLeft()}.
         *
         * @throws SluiceException also {@code deadline.expired()} once the deadline has passed
         */
        public <T> T call(Callable<T> attempt, Cancellation cancellation, Deadline deadline)
                throws InterruptedException {
            Objects.requireNonNull(attempt, "attempt");
            Objects.requireNonNull(cancellation, "cancellation");
            Objects.requireNonNull(deadline, "deadline");
            for (; ; ) {
                if (cancellation.isCancelled().getAsBoolean()) throw cancelled(last);
                if (deadline.nanosLeft() <= 0) throw expired(deadline, last);
                T result;
                try {
                    result = attempt.call();
                } catch (RetryableFailure failure) {
                    if (!backOff(failure, cancellation, deadline)) throw failure.failure();
                    continue;
                } catch (RuntimeException | InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(
                            "an attempt threw " + e.getClass().getName()
                                    + "; attempts must throw RetryableFailure or an unchecked SluiceException",
                            e);
                }
                if (context != null) context.onComplete(); // without a failure there is nothing to count
                return result;
            }
        }

        /**
         * Counts a failed attempt made outside {@link #call} (a stream that opened, then reported a
         * retryable error before any content) and, when the budget allows another attempt, waits
         * the delay before it.
         *
         * @return true after waiting, when another attempt may be made; false when the budget is
         *     spent or the server asked for a delay above {@link RetryPolicy#maxRetryAfter()}: the
         *     caller then throws {@code failure.failure()}
         * @throws CancellationException if {@code cancellation} reports a cancel during the wait
         * @throws InterruptedException if the thread is interrupted while waiting
         */
        public boolean backOff(RetryableFailure failure, Cancellation cancellation) throws InterruptedException {
            return backOff(failure, cancellation, Deadline.NONE);
        }

        /**
         * As {@link #backOff(RetryableFailure, Cancellation)}, never waiting past {@code deadline}:
         * when the delay reaches beyond it, waits only until it (cut short by a cancel), then
         * throws {@code deadline.expired()} with {@code failure.failure()} attached as
         * {@linkplain Throwable#getSuppressed() suppressed}.
         *
         * @throws SluiceException {@code deadline.expired()} when the deadline passes before
         *     another attempt could be made
         */
        @SuppressWarnings("ReferenceEquality") // identity: one cancel listener per Cancellation object
        public boolean backOff(RetryableFailure failure, Cancellation cancellation, Deadline deadline)
                throws InterruptedException {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(cancellation, "cancellation");
            Objects.requireNonNull(deadline, "deadline");
            last = failure.failure();
            attempts++;
            if (context == null) context = retry().asyncContext();
            long delay = context.onError(failure);
            int n = attempts;
            if (delay < 0) {
                if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            "giving up after attempt " + n + ": "
                                    + failure.failure().getMessage());
                }
                return false;
            }
            if (cancelled == null || cancelledBy != cancellation) { // one listener per cancellation
                CountDownLatch latch = new CountDownLatch(1);
                cancelled = latch;
                cancelledBy = cancellation;
                cancellation.onCancel().accept(latch::countDown);
            }
            long delayNanos = TimeUnit.MILLISECONDS.toNanos(delay);
            long left = deadline.nanosLeft();
            boolean cut = left <= delayNanos; // the next attempt could not start before the deadline
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "attempt " + n + " failed, "
                                + (cut
                                        ? "the deadline passes in " + TimeUnit.NANOSECONDS.toMillis(Math.max(0, left))
                                                + " ms, before the retry due in " + delay + " ms: "
                                        : "retrying in " + delay + " ms: ")
                                + failure.failure().getMessage());
            }
            if (!cut && waits != null) waits.waiting(n, Duration.ofMillis(delay), failure.failure());
            RetryEvent event = RetryEvent.begin(
                    n,
                    cut ? TimeUnit.NANOSECONDS.toMillis(Math.max(0, left)) : delay,
                    failure.failure()); // JDK Flight Recorder
            if (!cut || left > 0) sleeper.sleep(Duration.ofNanos(cut ? left : delayNanos), cancelled);
            RetryEvent.commit(event);
            if (cancelled.getCount() == 0 || cancellation.isCancelled().getAsBoolean()) throw cancelled(last);
            if (cut) throw expired(deadline, last);
            return true;
        }
    }

    /** {@return {@code deadline.expired()}, with the last failure, if any, attached as suppressed} */
    private static SluiceException expired(Deadline deadline, @Nullable SluiceException last) {
        SluiceException e = deadline.expired();
        if (last != null && last != e) e.addSuppressed(last);
        return e;
    }

    private static CancellationException cancelled(@Nullable SluiceException last) {
        CancellationException e = new CancellationException(
                last == null
                        ? "cancelled before the request was sent"
                        : "cancelled while waiting to retry after: " + last.getMessage());
        if (last != null) e.initCause(last);
        return e;
    }

    /**
     * The interval function: the server's delay when it named one (or -1, meaning "do not retry",
     * when it is above the cap), else the jittered exponential backoff.
     */
    private Long delayMillis(Integer attempt, Either<Throwable, Object> outcome) {
        if (outcome.isLeft()
                && outcome.getLeft() instanceof RetryableFailure failure
                && failure.serverDelay().isPresent()) {
            Duration server = failure.serverDelay().get();
            if (server.compareTo(policy.maxRetryAfter()) > 0) return -1L;
            return RetryRules.ceilMillis(server);
        }
        return RetryRules.ceilMillis(policy.delay(attempt, random.getAsDouble()));
    }
}
