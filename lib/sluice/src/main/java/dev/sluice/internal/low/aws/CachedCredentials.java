package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Caches temporary credentials and fetches new ones ahead of their expiration, with the margins of
 * the AWS SDK for Java 2.x's {@code CachedSupplier} for each kind of source ({@link Refresh}): from
 * the <em>prefetch</em> time, the first caller fetches while the others keep using the cached
 * credentials (and if that fetch fails, the cached ones are kept); from the <em>stale</em> time, every
 * caller waits for the fetch. Either way only one fetch runs at a time: callers that arrive while it
 * runs share its result or its failure.
 *
 * <p>Threads: any caller. {@code current} is read without the lock and replaced whole;
 * {@code inFlight} is guarded by {@code lock}, which is never held while fetching, so a virtual
 * thread waiting for a fetch parks instead of pinning its carrier.
 */
public final class CachedCredentials implements AwsCredentialsSource {
    private static final System.Logger LOG = System.getLogger(CachedCredentials.class.getName());

    /**
     * Credentials and when they expire; {@code expiration} is null for credentials that do not.
     *
     * @param credentials the credentials
     * @param expiration when they expire, or null
     */
    public record Expiring(
            AwsCredentials credentials, @Nullable Instant expiration) {
        /** @throws NullPointerException if the credentials are null */
        public Expiring {
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    /** When fetched credentials become due for a refresh (prefetch) and must be refreshed (stale). */
    interface Refresh {
        /** {@return when every caller must wait for new credentials} */
        Instant staleAt(Instant now, @Nullable Instant expiration);

        /** {@return when the first caller fetches new ones while the others use the cached ones} */
        Instant prefetchAt(Instant now, @Nullable Instant expiration);

        /** The SDK's {@code StsCredentialsProvider} (web identity): stale 1 minute, prefetch 5 minutes before expiry. */
        Refresh STS = fixed(Duration.ofMinutes(1), Duration.ofMinutes(5));
        /** The SDK's {@code ProcessCredentialsProvider}: both 15 seconds before expiry (its {@code credentialRefreshThreshold}). */
        Refresh PROCESS = fixed(Duration.ofSeconds(15), Duration.ofSeconds(15));
        /**
         * The SDK's {@code ContainerCredentialsProvider}: stale 1 minute before expiry, prefetch 15
         * minutes before it, or in an hour if that is sooner (and in an hour without an expiration).
         */
        Refresh CONTAINER = new Refresh() {
            @Override
            public Instant staleAt(Instant now, @Nullable Instant expiration) {
                return expiration == null ? Instant.MAX : expiration.minus(Duration.ofMinutes(1));
            }

            @Override
            public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
                Instant hour = now.plus(Duration.ofHours(1));
                if (expiration == null) return hour;
                Instant before = expiration.minus(Duration.ofMinutes(15));
                return before.isBefore(hour) ? before : hour;
            }
        };
        /**
         * The SDK's {@code InstanceProfileCredentialsProvider}: stale 1 second before expiry, prefetch
         * after half the time left or 5 minutes, whichever is longer (in an hour without an expiration).
         */
        Refresh INSTANCE_METADATA = new Refresh() {
            @Override
            public Instant staleAt(Instant now, @Nullable Instant expiration) {
                return expiration == null ? Instant.MAX : expiration.minus(Duration.ofSeconds(1));
            }

            @Override
            public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
                if (expiration == null) return now.plus(Duration.ofMinutes(60));
                Duration left = Duration.between(now, expiration);
                if (left.isNegative()) return now;
                Duration half = left.dividedBy(2);
                return now.plus(half.compareTo(Duration.ofMinutes(5)) > 0 ? half : Duration.ofMinutes(5));
            }
        };

        /**
         * Credentials an application's own provider gives (the AWS SDK's providers cache theirs
         * and mostly hand out STS session credentials): the STS margins, stale 1 minute and
         * prefetch 5 minutes before expiry; without an expiration, asked for again (in the
         * background, the cached ones kept if that fails) after an hour.
         */
        Refresh PROVIDED = new Refresh() {
            @Override
            public Instant staleAt(Instant now, @Nullable Instant expiration) {
                return expiration == null ? Instant.MAX : expiration.minus(Duration.ofMinutes(1));
            }

            @Override
            public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
                return expiration == null ? now.plus(Duration.ofHours(1)) : expiration.minus(Duration.ofMinutes(5));
            }
        };

        /** {@return stale and prefetch at fixed margins before the expiration; never without one} */
        static Refresh fixed(Duration stale, Duration prefetch) {
            return new Refresh() {
                @Override
                public Instant staleAt(Instant now, @Nullable Instant expiration) {
                    return expiration == null ? Instant.MAX : expiration.minus(stale);
                }

                @Override
                public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
                    return expiration == null ? Instant.MAX : expiration.minus(prefetch);
                }
            };
        }
    }

    private record Cached(AwsCredentials credentials, Instant staleAt, Instant prefetchAt) {}

    private final Supplier<Expiring> fetch;
    private final Refresh refresh;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable Cached current;
    private @Nullable CompletableFuture<Cached> inFlight;

    /**
     * @param fetch fetches new credentials; throws a {@link CredentialsException} when it cannot
     * @param refresh when to fetch again
     * @param clock the clock the expirations are compared with
     */
    CachedCredentials(Supplier<Expiring> fetch, Refresh refresh, Clock clock) {
        this.fetch = Objects.requireNonNull(fetch, "fetch");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@return a source over credentials an application's own provider fetches, cached and
     * fetched again ahead of their expiration ({@link Refresh#PROVIDED}), one fetch at a time}
     *
     * @param fetch fetches new credentials; throws a {@link CredentialsException} when it cannot
     * @param clock the clock the expirations are compared with
     */
    public static AwsCredentialsSource provided(Supplier<Expiring> fetch, Clock clock) {
        return new CachedCredentials(fetch, Refresh.PROVIDED, clock);
    }

    @Override
    public AwsCredentials credentials() {
        Cached c = current;
        Instant now = clock.instant();
        if (c == null || !now.isBefore(c.staleAt)) return refreshed(c, false).credentials;
        if (now.isBefore(c.prefetchAt)) return c.credentials;
        try {
            return refreshed(c, true).credentials;
        } catch (CredentialsException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "refreshing AWS credentials ahead of their expiration failed; "
                            + "the cached ones are used until they are stale: " + e.getMessage());
            return c.credentials;
        }
    }

    /**
     * {@return credentials newer than {@code seen}: fetched by this caller, or by the fetch already
     * running} With {@code prefetch}, a caller that finds a fetch running gets {@code seen} back.
     */
    @SuppressWarnings("ReferenceEquality") // identity: whether another caller replaced the credentials seen
    private Cached refreshed(@Nullable Cached seen, boolean prefetch) {
        CompletableFuture<Cached> f;
        boolean owner = false;
        lock.lock();
        try {
            Cached c = current;
            if (c != seen && c != null && clock.instant().isBefore(c.staleAt)) return c;
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                owner = true;
            } else if (prefetch) {
                return Objects.requireNonNull(seen, "a prefetch refreshes the credentials it has");
            }
            f = inFlight;
        } finally {
            lock.unlock();
        }
        if (owner) {
            try {
                Expiring e = fetch.get();
                Instant now = clock.instant();
                Cached next = new Cached(
                        e.credentials(), refresh.staleAt(now, e.expiration()), refresh.prefetchAt(now, e.expiration()));
                current = next;
                f.complete(next);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            } finally {
                lock.lock();
                try {
                    inFlight = null;
                } finally {
                    lock.unlock();
                }
            }
        }
        return await(f);
    }

    private static Cached await(CompletableFuture<Cached> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialsException(
                    CredentialsException.Kind.FAILED, "interrupted while waiting for AWS credentials to be fetched", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new CredentialsException(CredentialsException.Kind.FAILED, "fetching AWS credentials failed", cause);
        }
    }
}
