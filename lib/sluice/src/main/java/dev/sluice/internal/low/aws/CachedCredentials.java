package dev.sluice.internal.low.aws;

import dev.sluice.CredentialsException;
import dev.sluice.internal.low.auth.RefreshAhead;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.auth.RefreshAhead.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Temporary AWS credentials in the one refresh-ahead cache ({@link RefreshAhead}), fetched again
 * with the margins of the AWS SDK for Java 2.x's {@code CachedSupplier} for each kind of source:
 * {@link #STS}, {@link #PROCESS}, {@link #CONTAINER}, {@link #INSTANCE_METADATA}, and
 * {@link #PROVIDED} for an application's own provider. Thread-safe, as the cache is.
 */
public final class CachedCredentials implements AwsCredentialsSource {
    /** The SDK's {@code StsCredentialsProvider} (web identity): prefetch 5 minutes, stale 1 minute before expiry. */
    static final Timing STS = Timing.before(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ZERO);
    /** The SDK's {@code ProcessCredentialsProvider}: both 15 seconds before expiry (its {@code credentialRefreshThreshold}). */
    static final Timing PROCESS = Timing.before(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ZERO);
    /**
     * The SDK's {@code ContainerCredentialsProvider}: prefetch 15 minutes before expiry, or in an
     * hour if that is sooner (and in an hour without an expiration); stale 1 minute before it.
     */
    static final Timing CONTAINER = new Timing() {
        @Override
        public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
            Instant hour = now.plus(Duration.ofHours(1));
            if (expiration == null) return hour;
            Instant before = expiration.minus(Duration.ofMinutes(15));
            return before.isBefore(hour) ? before : hour;
        }

        @Override
        public Instant staleAt(Instant now, @Nullable Instant expiration) {
            return expiration == null ? Instant.MAX : expiration.minus(Duration.ofMinutes(1));
        }
    };
    /**
     * The SDK's {@code InstanceProfileCredentialsProvider}: prefetch after half the time left or 5
     * minutes, whichever is longer (in an hour without an expiration); stale 1 second before expiry.
     */
    static final Timing INSTANCE_METADATA = new Timing() {
        @Override
        public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
            if (expiration == null) return now.plus(Duration.ofMinutes(60));
            Duration left = Duration.between(now, expiration);
            if (left.isNegative()) return now;
            Duration half = left.dividedBy(2);
            return now.plus(half.compareTo(Duration.ofMinutes(5)) > 0 ? half : Duration.ofMinutes(5));
        }

        @Override
        public Instant staleAt(Instant now, @Nullable Instant expiration) {
            return expiration == null ? Instant.MAX : expiration.minus(Duration.ofSeconds(1));
        }
    };
    /**
     * Credentials an application's own provider gives (the AWS SDK's providers cache theirs and
     * mostly hand out STS session credentials): the STS margins, prefetch 5 minutes and stale 1
     * minute before expiry; without an expiration, asked for again (in the background, the cached
     * ones kept if that fails) after an hour.
     */
    static final Timing PROVIDED = new Timing() {
        @Override
        public Instant prefetchAt(Instant now, @Nullable Instant expiration) {
            return expiration == null ? now.plus(Duration.ofHours(1)) : expiration.minus(Duration.ofMinutes(5));
        }

        @Override
        public Instant staleAt(Instant now, @Nullable Instant expiration) {
            return expiration == null ? Instant.MAX : expiration.minus(Duration.ofMinutes(1));
        }
    };

    private final RefreshAhead<AwsCredentials> cache;

    /**
     * @param fetch fetches new credentials; throws a {@link CredentialsException} when it cannot
     * @param timing when to fetch again
     * @param clock the clock the expirations are compared with
     */
    CachedCredentials(Supplier<Expiring<AwsCredentials>> fetch, Timing timing, Clock clock) {
        this.cache = new RefreshAhead<>(
                fetch,
                timing,
                clock,
                "AWS credentials",
                e -> new CredentialsException(
                        CredentialsException.Kind.FAILED,
                        "interrupted while waiting for AWS credentials to be fetched",
                        e));
    }

    /**
     * {@return a source over credentials an application's own provider fetches, cached and
     * fetched again ahead of their expiration ({@link #PROVIDED}), one fetch at a time}
     *
     * @param fetch fetches new credentials; throws a {@link CredentialsException} when it cannot
     * @param clock the clock the expirations are compared with
     */
    public static AwsCredentialsSource provided(Supplier<Expiring<AwsCredentials>> fetch, Clock clock) {
        return new CachedCredentials(fetch, PROVIDED, clock);
    }

    @Override
    public AwsCredentials credentials() {
        return cache.get();
    }
}
