package dev.sluice.internal.low.auth;

import dev.sluice.StreamInterruptedException;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.internal.low.auth.RefreshAhead.Timing;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A token source's tokens in the one refresh-ahead cache ({@link RefreshAhead}): fetched again
 * ahead of their expiry, one request at a time whatever the number of callers, with the margins of
 * google-auth-library ({@link #GOOGLE}) or azure-identity ({@link #AZURE}). Thread-safe, as the
 * cache is.
 */
public final class CachingTokenSource implements TokenSource {
    /**
     * google-auth-library's margins ({@code OAuth2Credentials}): prefetch 3 min 45 s before expiry,
     * stale 3 min before; a failed prefetch is tried again at the next call.
     */
    public static final Timing GOOGLE =
            Timing.before(Duration.ofMinutes(3).plusSeconds(45), Duration.ofMinutes(3), Duration.ZERO);
    /**
     * azure-core's {@code AccessTokenCache}: prefetch from 5 min before expiry, used until it
     * expires; after a fetch, no other for 30 s.
     */
    public static final Timing AZURE = Timing.before(Duration.ofMinutes(5), Duration.ZERO, Duration.ofSeconds(30));

    private final TokenSource source;
    private final RefreshAhead<AccessToken> cache;

    /**
     * @param source where tokens come from
     * @param timing when they are fetched again
     * @param clock the time tokens' expiries are compared with
     */
    public CachingTokenSource(TokenSource source, Timing timing, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.cache = new RefreshAhead<>(
                () -> {
                    AccessToken t = Objects.requireNonNull(source.token(), "the token source returned null");
                    return new Expiring<>(t, t.expiresAt());
                },
                timing,
                clock,
                "an access token",
                StreamInterruptedException::new);
    }

    @Override
    public AccessToken token() {
        return cache.get();
    }

    /** {@return the source it caches, never a token} */
    @Override
    public String toString() {
        return "CachingTokenSource[" + source + "]";
    }
}
