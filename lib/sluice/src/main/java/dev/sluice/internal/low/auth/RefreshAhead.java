package dev.sluice.internal.low.auth;

import dev.sluice.SluiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one refresh-ahead cache of a credential (an AWS key pair, a Google or Azure access token):
 * keeps the last one fetched and fetches the next ahead of its expiry, one fetch at a time whatever
 * the number of callers, as Caffeine's {@code refreshAfterWrite} does for any loader.
 *
 * <p>A credential is used as it is until its <em>prefetch</em> time; from then, the first caller
 * fetches a new one while the others go on with the cached one, and should that fetch fail with a
 * {@link SluiceException}, its caller too gets the cached one (logged), and no fetch ahead of the
 * stale time is tried again for the {@linkplain Timing#retryDelay() retry delay}. From its
 * <em>stale</em> time, or with none cached, every caller waits for the one fetch in flight
 * (starting it if there is none) and gets its credential or its failure. Each source's times are
 * its SDK's ({@link Timing}): the AWS SDK's per kind of credential, google-auth-library's and
 * azure-core's for tokens.
 *
 * <p>Threading: {@code lock} guards {@code cached}, {@code inFlight} and {@code nextAttempt}, and is
 * never held while fetching: the fetching caller fetches on its own thread, the others wait on the
 * {@code CompletableFuture} (no monitor is held, so a virtual thread waiting here unmounts).
 *
 * @param <T> the credential
 */
public final class RefreshAhead<T> {
    private static final System.Logger LOG = System.getLogger(RefreshAhead.class.getName());

    /**
     * A credential and when it expires.
     *
     * @param value the credential
     * @param expiration when it expires, or null for one that does not
     * @param <T> the credential
     */
    public record Expiring<T>(T value, @Nullable Instant expiration) {
        /** @throws NullPointerException if the value is null */
        public Expiring {
            Objects.requireNonNull(value, "value");
        }
    }

    /** When a fetched credential is fetched again ahead of its expiry (prefetch), and when it is no longer used (stale). */
    public interface Timing {
        /** {@return from when the first caller fetches a new one while the others use the cached one} */
        Instant prefetchAt(Instant now, @Nullable Instant expiration);

        /** {@return from when every caller waits for a new one} */
        Instant staleAt(Instant now, @Nullable Instant expiration);

        /** {@return how long after a fetch no other is tried ahead of the stale time} */
        default Duration retryDelay() {
            return Duration.ZERO;
        }

        /**
         * {@return fixed margins before the expiry (a credential without one is never fetched again)}
         *
         * @param prefetch how long before its expiry a credential is fetched again
         * @param stale how long before its expiry it is no longer used; at most {@code prefetch}
         * @param retryDelay how long after a fetch no other is tried ahead of the stale time
         * @throws IllegalArgumentException if a duration is negative, or {@code stale} exceeds {@code prefetch}
         */
        static Timing before(Duration prefetch, Duration stale, Duration retryDelay) {
            for (Duration d : new Duration[] {prefetch, stale, retryDelay}) {
                if (Objects.requireNonNull(d, "margins").isNegative()) {
                    throw new IllegalArgumentException("margins must not be negative: " + d);
                }
            }
            if (stale.compareTo(prefetch) > 0) {
                throw new IllegalArgumentException(
                        "the stale margin (" + stale + ") must not exceed the prefetch margin (" + prefetch + ")");
            }
            return new Timing() {
                @Override
                public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
                    return expiration == null ? Instant.MAX : expiration.minus(prefetch);
                }

                @Override
                public Instant staleAt(Instant now, @Nullable Instant expiration) {
                    return expiration == null ? Instant.MAX : expiration.minus(stale);
                }

                @Override
                public Duration retryDelay() {
                    return retryDelay;
                }
            };
        }
    }

    private record Cached<T>(T value, Instant prefetchAt, Instant staleAt) {}

    private final Supplier<Expiring<T>> fetch;
    private final Timing timing;
    private final Clock clock;
    private final String what;
    private final Function<InterruptedException, RuntimeException> interrupted;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Cached<T> cached;
    private @Nullable CompletableFuture<Cached<T>> inFlight;
    private Instant nextAttempt = Instant.MIN;

    /**
     * @param fetch fetches a credential; throws a {@link SluiceException} when it cannot
     * @param timing when to fetch again
     * @param clock the clock the expiries are compared with
     * @param what what is fetched, for the log ("AWS credentials")
     * @param interrupted the failure of a caller interrupted while it waits for another's fetch
     */
    public RefreshAhead(
            Supplier<Expiring<T>> fetch,
            Timing timing,
            Clock clock,
            String what,
            Function<InterruptedException, RuntimeException> interrupted) {
        this.fetch = Objects.requireNonNull(fetch, "fetch");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.what = Objects.requireNonNull(what, "what");
        this.interrupted = Objects.requireNonNull(interrupted, "interrupted");
    }

    /**
     * {@return the cached credential, or a new one}
     *
     * @throws RuntimeException what the fetch threw, when no usable credential is cached
     */
    public T get() {
        Cached<T> current;
        CompletableFuture<Cached<T>> flight;
        boolean fetching = false;
        lock.lock();
        try {
            current = cached;
            Instant now = clock.instant();
            boolean usable = current != null && now.isBefore(current.staleAt());
            if (!usable) current = null;
            if (current != null
                    && (now.isBefore(current.prefetchAt()) || inFlight != null || now.isBefore(nextAttempt))) {
                return current.value();
            }
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                fetching = true;
            }
            flight = inFlight;
        } finally {
            lock.unlock();
        }
        return fetching ? fetch(flight, current) : await(flight).value();
    }

    /** Fetches for every caller; {@code usable} is the credential to fall back on, or null. */
    private T fetch(CompletableFuture<Cached<T>> flight, @Nullable Cached<T> usable) {
        Cached<T> fresh;
        try {
            Expiring<T> e = Objects.requireNonNull(fetch.get(), "the fetch returned null");
            Instant now = clock.instant();
            fresh = new Cached<>(
                    e.value(), timing.prefetchAt(now, e.expiration()), timing.staleAt(now, e.expiration()));
        } catch (RuntimeException | Error e) {
            settle(null);
            flight.completeExceptionally(e);
            if (usable != null && e instanceof SluiceException) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "refreshing " + what + " ahead of expiry failed; the cached one is used until it is stale: "
                                + e.getMessage());
                return usable.value();
            }
            throw e;
        }
        settle(fresh);
        flight.complete(fresh);
        return fresh.value();
    }

    /** Ends the fetch in flight, keeping what it fetched, if anything. */
    private void settle(@Nullable Cached<T> fresh) {
        lock.lock();
        try {
            if (fresh != null) cached = fresh;
            inFlight = null;
            nextAttempt = clock.instant().plus(timing.retryDelay());
        } finally {
            lock.unlock();
        }
    }

    private Cached<T> await(CompletableFuture<Cached<T>> flight) {
        try {
            return flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted.apply(e);
        } catch (ExecutionException e) {
            // the fetching caller's failure, the same exception for every waiter: it says what the source said
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("fetching " + what + " failed", e.getCause());
        }
    }
}
