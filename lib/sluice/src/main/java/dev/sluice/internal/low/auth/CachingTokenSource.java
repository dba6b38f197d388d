package dev.sluice.internal.low.auth;

import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the last token of a source and asks for a new one ahead of its expiry, one request at a
 * time whatever the number of callers.
 *
 * <p>A token is <em>fresh</em> until {@code refreshMargin} before it expires, then <em>stale</em>
 * until {@code expiryMargin} before, then <em>expired</em>. A fresh token is returned as it is. A
 * stale one is refreshed by the first caller to see it, while the others go on with the stale
 * token; should that refresh fail, its caller too gets the stale token, and no refresh is tried
 * again for {@code retryDelay}. With no token, or an expired one, every caller waits for the one
 * refresh in flight (starting it if there is none) and gets its token or its failure.
 * {@link #GOOGLE} and {@link #AZURE} are the margins of google-auth-library and azure-identity.
 *
 * <p>Threading: {@code lock} guards {@code cached}, {@code inFlight} and {@code nextAttempt}, and
 * is never held while a token is requested: the refreshing caller requests it on its own thread,
 * the others wait on the {@code CompletableFuture} (no monitor is held, so a virtual thread waiting
 * here unmounts).
 */
public final class CachingTokenSource implements TokenSource {
    /**
     * google-auth-library's margins ({@code OAuth2Credentials}): stale 3 min 45 s before expiry,
     * expired 3 min before; a failed stale refresh is tried again at the next call.
     */
    public static final Margins GOOGLE =
            new Margins(Duration.ofMinutes(3).plusSeconds(45), Duration.ofMinutes(3), Duration.ZERO);
    /**
     * azure-core's {@code AccessTokenCache}: refreshed from 5 min before expiry, used until it
     * expires; after a refresh, no other for 30 s.
     */
    public static final Margins AZURE = new Margins(Duration.ofMinutes(5), Duration.ZERO, Duration.ofSeconds(30));

    /**
     * When a token is refreshed.
     *
     * @param refreshMargin how long before its expiry a token is refreshed
     * @param expiryMargin how long before its expiry a token is no longer used, at most {@code refreshMargin}
     * @param retryDelay how long after a failed refresh of a stale token the next is tried
     */
    public record Margins(Duration refreshMargin, Duration expiryMargin, Duration retryDelay) {
        /** @throws IllegalArgumentException if a duration is negative, or the expiry margin exceeds the refresh margin */
        public Margins {
            for (Duration d : new Duration[] {refreshMargin, expiryMargin, retryDelay}) {
                if (Objects.requireNonNull(d, "margins").isNegative()) {
                    throw new IllegalArgumentException("margins must not be negative: " + d);
                }
            }
            if (expiryMargin.compareTo(refreshMargin) > 0) {
                throw new IllegalArgumentException(
                        "expiryMargin (" + expiryMargin + ") must not exceed refreshMargin (" + refreshMargin + ")");
            }
        }
    }

    private final TokenSource source;
    private final Margins margins;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable AccessToken cached;
    private @Nullable CompletableFuture<AccessToken> inFlight;
    private Instant nextAttempt = Instant.MIN;

    /**
     * @param source where tokens come from
     * @param margins when they are refreshed
     * @param clock the time tokens' expiries are compared with
     */
    public CachingTokenSource(TokenSource source, Margins margins, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.margins = Objects.requireNonNull(margins, "margins");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AccessToken token() {
        AccessToken current;
        CompletableFuture<AccessToken> flight;
        boolean refreshing = false;
        lock.lock();
        try {
            current = cached;
            Instant now = clock.instant();
            if (current != null && now.isBefore(current.expiresAt().minus(margins.refreshMargin()))) return current;
            boolean usable = current != null && now.isBefore(current.expiresAt().minus(margins.expiryMargin()));
            if (!usable) current = null;
            if (usable && current != null && (inFlight != null || now.isBefore(nextAttempt))) return current;
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                refreshing = true;
            }
            flight = inFlight;
        } finally {
            lock.unlock();
        }
        return refreshing ? refresh(flight, current) : await(flight);
    }

    /** Requests a token for every caller; {@code stale} is the token to fall back on, or null. */
    private AccessToken refresh(CompletableFuture<AccessToken> flight, @Nullable AccessToken stale) {
        AccessToken fresh;
        try {
            fresh = Objects.requireNonNull(source.token(), "the token source returned null");
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                inFlight = null;
                nextAttempt = clock.instant().plus(margins.retryDelay());
            } finally {
                lock.unlock();
            }
            flight.completeExceptionally(e);
            if (stale != null && e instanceof SluiceException)
                return stale; // still valid: the next refresh may do better
            throw e;
        }
        lock.lock();
        try {
            cached = fresh;
            inFlight = null;
            nextAttempt = clock.instant().plus(margins.retryDelay());
        } finally {
            lock.unlock();
        }
        flight.complete(fresh);
        return fresh;
    }

    private static AccessToken await(CompletableFuture<AccessToken> flight) {
        try {
            return flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamInterruptedException(e);
        } catch (ExecutionException e) {
            // the refreshing caller's failure, the same exception for every waiter: it says what the endpoint said
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("a token refresh failed", e.getCause());
        }
    }

    /** {@return the source it caches, never a token} */
    @Override
    public String toString() {
        return "CachingTokenSource[" + source + "]";
    }
}
