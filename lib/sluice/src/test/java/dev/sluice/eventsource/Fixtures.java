package dev.sluice.eventsource;

import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.Sleeper;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Shared pieces of the event source tests: a fake clock and sleeper, signal helpers. */
final class Fixtures {
    private Fixtures() {}

    /** A clock that moves only when the sleeper sleeps (or a test advances it). */
    static final class FakeTime implements LongSupplier, Sleeper {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        @Override
        public long getAsLong() {
            return nanos.get();
        }

        @Override
        public void sleep(Duration d, CountDownLatch cancelled) {
            sleeps.add(d);
            advance(d);
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        List<Long> sleptMillis() {
            return sleeps.stream().map(Duration::toMillis).toList();
        }

        StreamOptions options() {
            return StreamOptions.builder()
                    .nanoTime(this)
                    .noTimeout(Timeout.FIRST_EVENT)
                    .noTimeout(Timeout.IDLE)
                    .build();
        }
    }

    /** {@return the reconnection delays with a given first one, also when above the default cap} */
    static RetryPolicy startingAt(Duration initial) {
        RetryPolicy d = EventSource.DEFAULT_RETRY_POLICY;
        return d.withMaxBackoff(initial.compareTo(d.maxBackoff()) > 0 ? initial : d.maxBackoff())
                .withInitialBackoff(initial);
    }

    /** {@return the next signal of the given type, skipping others} */
    static <T extends SourceSignal> T next(Iterator<SourceSignal> it, Class<T> type) {
        while (it.hasNext()) {
            SourceSignal s = it.next();
            if (type.isInstance(s)) return type.cast(s);
        }
        throw new AssertionError("the stream ended before a " + type.getSimpleName());
    }

    /** {@return the next {@code n} signals} */
    static List<SourceSignal> take(Iterator<SourceSignal> it, int n) {
        List<SourceSignal> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!it.hasNext()) throw new AssertionError("the stream ended after " + out);
            out.add(it.next());
        }
        return out;
    }

    /** {@return the data of the next message} */
    static String nextData(Iterator<SourceSignal> it) {
        return next(it, SourceSignal.Message.class).event().data();
    }
}
