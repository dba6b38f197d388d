package dev.sluice.relay;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The store of a single relay: the replay buffers are the streams' own, in the heap; only the
 * counters live here. A rate is Resilience4j's {@link AtomicRateLimiter} (windows from its first
 * use, one after another), one per counter, the least recently used forgotten past
 * {@value #MAX_RATES}.
 *
 * <p>Threading: the lock guards the counts and the map of rates; a rate limiter is thread-safe.
 */
final class InMemoryRelayStore implements RelayStore {
    /** Rate counters remembered; the least recently used is forgotten first. */
    static final int MAX_RATES = 10_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> counts = new HashMap<>();
    private final LinkedHashMap<String, AtomicRateLimiter> rates = new LinkedHashMap<>(16, 0.75f, true);

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String node() {
        return "local";
    }

    @Override
    public boolean acquire(String counter, int limit) {
        lock.lock();
        try {
            int n = counts.getOrDefault(counter, 0);
            if (n >= limit) return false;
            counts.put(counter, n + 1);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(String counter) {
        lock.lock();
        try {
            counts.computeIfPresent(counter, (c, n) -> n <= 1 ? null : n - 1);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Duration takeRate(String counter, int limit, Duration window) {
        AtomicRateLimiter limiter;
        lock.lock();
        try {
            limiter = rates.get(counter);
            if (limiter == null
                    || limiter.getRateLimiterConfig().getLimitForPeriod() != limit
                    || !limiter.getRateLimiterConfig().getLimitRefreshPeriod().equals(window)) {
                limiter = new AtomicRateLimiter(
                        "sluice-relay-" + counter,
                        RateLimiterConfig.custom()
                                .limitForPeriod(limit)
                                .limitRefreshPeriod(window)
                                .timeoutDuration(Duration.ZERO)
                                .build());
                rates.put(counter, limiter);
                if (rates.size() > MAX_RATES) rates.pollFirstEntry();
            }
        } finally {
            lock.unlock();
        }
        if (limiter.acquirePermission()) return Duration.ZERO;
        return Duration.ofNanos(Math.max(1_000_000, limiter.getDetailedMetrics().getNanosToWait()));
    }

    @Override
    public void register(String streamId, Duration ttl) {
        throw notShared();
    }

    @Override
    public long append(String streamId, long firstId, List<String> events, long keepFrom, Duration ttl) {
        throw notShared();
    }

    @Override
    public List<String> read(String streamId, long after, int max, Duration block) {
        throw notShared();
    }

    @Override
    public boolean exists(String streamId) {
        return false;
    }

    @Override
    public boolean running(String streamId) {
        return false;
    }

    @Override
    public boolean send(String streamId, String command) {
        return false;
    }

    @Override
    public void listen(BiConsumer<String, String> commands) {
        // nothing is ever sent to a relay that shares nothing
    }

    @Override
    public void close() {}

    private static UnsupportedOperationException notShared() {
        return new UnsupportedOperationException("the in-memory store shares no streams");
    }

    @Override
    public String toString() {
        return "RelayStore.inMemory()";
    }
}
