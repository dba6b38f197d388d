package dev.sluice.internal.low.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.CredentialsException;
import dev.sluice.internal.low.auth.RefreshAhead.Expiring;
import dev.sluice.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The cache's refresh margins (the AWS SDK's), its one shared fetch, and what a failed fetch leaves. */
class CachedCredentialsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    /** Fetches credentials numbered by call, expiring an hour after the clock's time. */
    private static final class Counting implements Supplier<Expiring<AwsCredentials>> {
        final AtomicInteger calls = new AtomicInteger();
        final FakeClock clock;
        volatile RuntimeException failure;

        Counting(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public Expiring<AwsCredentials> get() {
            int n = calls.incrementAndGet();
            if (failure != null) throw failure;
            return new Expiring<>(
                    AwsCredentials.of("AKID" + n, "secret" + n), clock.instant().plus(Duration.ofHours(1)));
        }
    }

    @Test
    void credentials_beforePrefetchTime_usesTheCachedOnes() {
        FakeClock clock = new FakeClock(T0);
        Counting fetch = new Counting(clock);
        CachedCredentials cache = new CachedCredentials(fetch, CachedCredentials.STS, clock);

        assertEquals("AKID1", cache.credentials().accessKeyId());
        clock.advance(Duration.ofMinutes(54)); // 6 minutes before expiry: before STS's 5-minute prefetch
        assertEquals("AKID1", cache.credentials().accessKeyId());
        assertEquals(1, fetch.calls.get());
    }

    @Test
    void credentials_stsInsideFiveMinutesOfExpiry_fetchesNewOnes() {
        FakeClock clock = new FakeClock(T0);
        Counting fetch = new Counting(clock);
        CachedCredentials cache = new CachedCredentials(fetch, CachedCredentials.STS, clock);
        cache.credentials();

        clock.advance(Duration.ofMinutes(55).plusSeconds(1));

        assertEquals("AKID2", cache.credentials().accessKeyId());
        assertEquals(2, fetch.calls.get());
    }

    @Test
    void credentials_containerInsideFifteenMinutesOfExpiry_fetchesNewOnes() {
        FakeClock clock = new FakeClock(T0);
        Counting fetch = new Counting(clock);
        CachedCredentials cache = new CachedCredentials(fetch, CachedCredentials.CONTAINER, clock);
        cache.credentials();

        clock.advance(Duration.ofMinutes(44));
        assertEquals("AKID1", cache.credentials().accessKeyId());
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals("AKID2", cache.credentials().accessKeyId());
    }

    @Test
    void credentials_instanceMetadataStaleBeforeItsPrefetchTime_fetchesNewOnes() {
        // IMDS credentials with 4 minutes left: prefetch in 5 minutes (its least), stale 1 second before expiry,
        // so staleness comes first: a stale credential is never handed out because its prefetch time is ahead
        FakeClock clock = new FakeClock(T0);
        AtomicInteger calls = new AtomicInteger();
        CachedCredentials cache = new CachedCredentials(
                () -> new Expiring<>(
                        AwsCredentials.of("AKID" + calls.incrementAndGet(), "secret"),
                        clock.instant().plus(Duration.ofMinutes(4))),
                CachedCredentials.INSTANCE_METADATA,
                clock);
        assertEquals("AKID1", cache.credentials().accessKeyId());

        clock.advance(Duration.ofMinutes(4).minusMillis(500)); // stale, and still before the prefetch time

        assertEquals("AKID2", cache.credentials().accessKeyId());
    }

    @Test
    void refresh_sdkMargins_asTheSdkComputesThem() {
        Instant exp = T0.plus(Duration.ofHours(6));
        assertEquals(exp.minusSeconds(60), CachedCredentials.STS.staleAt(T0, exp));
        assertEquals(exp.minusSeconds(300), CachedCredentials.STS.prefetchAt(T0, exp));
        assertEquals(exp.minusSeconds(60), CachedCredentials.CONTAINER.staleAt(T0, exp));
        assertEquals(
                T0.plus(Duration.ofHours(1)),
                CachedCredentials.CONTAINER.prefetchAt(T0, exp)); // sooner than 15 min before
        assertEquals(exp.minusSeconds(1), CachedCredentials.INSTANCE_METADATA.staleAt(T0, exp));
        assertEquals(
                T0.plus(Duration.ofHours(3)),
                CachedCredentials.INSTANCE_METADATA.prefetchAt(T0, exp)); // half the time left
        assertEquals(
                T0.plus(Duration.ofMinutes(5)),
                CachedCredentials.INSTANCE_METADATA.prefetchAt(T0, T0.plus(Duration.ofMinutes(8))));
        assertEquals(exp.minusSeconds(15), CachedCredentials.PROCESS.staleAt(T0, exp));
        assertEquals(Instant.MAX, CachedCredentials.STS.staleAt(T0, null));
    }

    @Test
    void credentials_withoutExpiration_areFetchedOnce() {
        FakeClock clock = new FakeClock(T0);
        AtomicInteger calls = new AtomicInteger();
        CachedCredentials cache = new CachedCredentials(
                () -> {
                    calls.incrementAndGet();
                    return new Expiring<>(AwsCredentials.of("AKID", "secret"), null);
                },
                CachedCredentials.PROCESS,
                clock);

        cache.credentials();
        clock.advance(Duration.ofDays(400));
        cache.credentials();

        assertEquals(1, calls.get());
    }

    @Test
    void credentials_prefetchFails_keepsTheCachedOnes() {
        FakeClock clock = new FakeClock(T0);
        Counting fetch = new Counting(clock);
        CachedCredentials cache = new CachedCredentials(fetch, CachedCredentials.STS, clock);
        cache.credentials();
        fetch.failure = new CredentialsException(CredentialsException.Kind.FAILED, "STS is down", null);

        clock.advance(Duration.ofMinutes(57)); // prefetch window, not stale yet

        assertEquals("AKID1", cache.credentials().accessKeyId());
    }

    @Test
    void credentials_staleAndFetchFails_throwsTheFetchsException() {
        FakeClock clock = new FakeClock(T0);
        Counting fetch = new Counting(clock);
        CachedCredentials cache = new CachedCredentials(fetch, CachedCredentials.STS, clock);
        cache.credentials();
        CredentialsException down = new CredentialsException(CredentialsException.Kind.FAILED, "STS is down", null);
        fetch.failure = down;

        clock.advance(Duration.ofMinutes(59).plusSeconds(1)); // stale: inside the last minute

        assertSame(down, assertThrows(CredentialsException.class, cache::credentials));
    }

    @Test
    void credentials_sixteenConcurrentCallers_shareOneFetch() throws Exception {
        FakeClock clock = new FakeClock(T0);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        CachedCredentials cache = new CachedCredentials(
                () -> {
                    calls.incrementAndGet();
                    try {
                        assertTrue(release.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    return new Expiring<>(AwsCredentials.of("AKID", "secret"), T0.plus(Duration.ofHours(1)));
                },
                CachedCredentials.STS,
                clock);

        List<Future<AwsCredentials>> results = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(16);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                results.add(threads.submit(() -> {
                    started.countDown();
                    return cache.credentials();
                }));
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
            release.countDown();
            for (Future<AwsCredentials> f : results)
                assertEquals("AKID", f.get(10, TimeUnit.SECONDS).accessKeyId());
        }
        assertEquals(1, calls.get());
    }
}
