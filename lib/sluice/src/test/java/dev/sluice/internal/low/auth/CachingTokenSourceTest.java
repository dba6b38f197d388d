package dev.sluice.internal.low.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CachingTokenSourceTest {
    private final FakeClock clock = new FakeClock();

    /** A source that counts its requests and gives tokens valid for an hour from the clock's now. */
    private final class Counting implements TokenSource {
        final AtomicInteger requests = new AtomicInteger();
        volatile Supplier<RuntimeException> failure;

        @Override
        public AccessToken token() {
            int n = requests.incrementAndGet();
            if (failure != null) throw failure.get();
            return new AccessToken("token-" + n, clock.instant().plus(Duration.ofHours(1)));
        }
    }

    @Test
    void token_freshToken_requestedOnce() {
        Counting source = new Counting();
        CachingTokenSource cache = new CachingTokenSource(source, CachingTokenSource.GOOGLE, clock);
        AccessToken first = cache.token();
        clock.advance(Duration.ofMinutes(56)); // 4 min left: fresh for Google (3 min 45 s)
        assertSame(first, cache.token());
        assertEquals(1, source.requests.get());
    }

    @Test
    void token_withinGoogleRefreshMargin_refreshedBeforeExpiry() {
        Counting source = new Counting();
        CachingTokenSource cache = new CachingTokenSource(source, CachingTokenSource.GOOGLE, clock);
        cache.token();
        clock.advance(Duration.ofMinutes(56).plusSeconds(16)); // 3 min 44 s left
        assertEquals("token-2", cache.token().value());
        assertEquals(2, source.requests.get());
    }

    @Test
    void token_withinAzureRefreshMargin_refreshedFiveMinutesAhead() {
        Counting source = new Counting();
        CachingTokenSource cache = new CachingTokenSource(source, CachingTokenSource.AZURE, clock);
        cache.token();
        clock.advance(Duration.ofMinutes(54).plusSeconds(59)); // 5 min 1 s left: fresh
        assertEquals("token-1", cache.token().value());
        clock.advance(Duration.ofSeconds(2)); // 4 min 59 s left
        assertEquals("token-2", cache.token().value());
    }

    @Test
    void token_staleRefreshFails_staleTokenReturnedAndRetriedAfterDelay() {
        Counting source = new Counting();
        CachingTokenSource cache = new CachingTokenSource(source, CachingTokenSource.AZURE, clock);
        AccessToken first = cache.token();
        clock.advance(Duration.ofMinutes(56)); // 4 min left: stale, still valid
        source.failure = () -> new TransportException("the endpoint is down", null);
        assertSame(first, cache.token());
        assertSame(first, cache.token()); // within azure-core's 30 s: not asked again
        assertEquals(2, source.requests.get());
        clock.advance(Duration.ofSeconds(31));
        source.failure = null;
        assertEquals("token-3", cache.token().value());
    }

    @Test
    void token_expiredRefreshFails_failureThrown() {
        Counting source = new Counting();
        CachingTokenSource cache = new CachingTokenSource(source, CachingTokenSource.GOOGLE, clock);
        cache.token();
        clock.advance(Duration.ofMinutes(57).plusSeconds(1)); // 2 min 59 s left: expired by Google's 3 min margin
        ApiException refused = new ApiException(400, "invalid_grant", "Invalid JWT Signature.", false, null);
        source.failure = () -> refused;
        assertSame(refused, assertThrows(ApiException.class, cache::token));
        source.failure = null;
        assertEquals("token-3", cache.token().value()); // no retry delay once expired: the next call asks again
    }

    @Test
    void token_sixteenConcurrentCallers_oneRequestSharedByAll() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        TokenSource slow = () -> {
            requests.incrementAndGet();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return new AccessToken("shared", clock.instant().plus(Duration.ofHours(1)));
        };
        CachingTokenSource cache = new CachingTokenSource(slow, CachingTokenSource.GOOGLE, clock);
        Set<AccessToken> got = ConcurrentHashMap.newKeySet();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) callers.add(Thread.ofVirtual().start(() -> got.add(cache.token())));
        // every caller is parked: one in the request, fifteen waiting for it
        await().atMost(Duration.ofSeconds(10))
                .until(() -> callers.stream()
                        .allMatch(t ->
                                t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
        release.countDown();
        for (Thread t : callers) assertTrue(t.join(Duration.ofSeconds(10)));
        assertEquals(1, requests.get());
        assertEquals(1, got.size());
        assertEquals("shared", got.iterator().next().value());
    }

    @Test
    void token_concurrentCallersRefreshFails_everyWaiterGetsTheFailure() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        TokenSource failing = () -> {
            requests.incrementAndGet();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw new TransportException("the endpoint is down", null);
        };
        CachingTokenSource cache = new CachingTokenSource(failing, CachingTokenSource.GOOGLE, clock);
        Set<Class<?>> failures = ConcurrentHashMap.newKeySet();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    cache.token();
                } catch (SluiceException e) {
                    failures.add(e.getClass());
                }
            }));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> callers.stream()
                        .allMatch(t ->
                                t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
        release.countDown();
        for (Thread t : callers) assertTrue(t.join(Duration.ofSeconds(10)));
        assertEquals(1, requests.get());
        assertEquals(Set.of(TransportException.class), failures);
    }

    @Test
    void timingBefore_staleBeyondPrefetchOrNegative_refused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> RefreshAhead.Timing.before(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class,
                () -> RefreshAhead.Timing.before(Duration.ofMinutes(-1), Duration.ZERO, Duration.ZERO));
    }

    @Test
    void toString_tokenCached_neverShown() {
        CachingTokenSource cache = new CachingTokenSource(new Counting(), CachingTokenSource.GOOGLE, clock);
        AccessToken token = cache.token();
        assertFalse(cache.toString().contains(token.value()));
        assertFalse(token.toString().contains(token.value()));
        assertTrue(token.toString().contains(token.expiresAt().toString()));
    }

    @Test
    void accessToken_headerBreakingValue_refusedWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new AccessToken("abc\r\nX-Injected: 1", Instant.EPOCH));
        assertFalse(e.getMessage().contains("Injected"));
        assertEquals("Bearer abc", new AccessToken("abc", Instant.EPOCH).authorization());
    }
}
