package dev.sluice.relay;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A relay's clock that moves only when a test moves it, and counts who reads it. */
final class FakeClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong(-Duration.ofDays(1).toNanos()); // negative, as System.nanoTime may be
    private final Map<Thread, AtomicLong> reads = new ConcurrentHashMap<>();

    @Override
    public long getAsLong() {
        reads.computeIfAbsent(Thread.currentThread(), t -> new AtomicLong())
                .incrementAndGet(); // counted before the time is read
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /**
     * Waits until {@code reader} has read the clock three more times: a thread that waits by the
     * clock (a delivering client) has then acted on the time it read since this call.
     */
    void awaitReadsBy(Thread reader) {
        long from = readsBy(reader);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> readsBy(reader) >= from + 3);
    }

    private long readsBy(Thread reader) {
        AtomicLong n = reads.get(reader);
        return n == null ? 0 : n.get();
    }
}
