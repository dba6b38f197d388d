package dev.sluice.eventsource;

import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

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
        public void sleep(Duration d) {
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
            return StreamOptions.builder().nanoTime(this).noTimeout(Timeout.FIRST_EVENT).noTimeout(Timeout.IDLE).build();
        }
    }

    /** {@return a generator whose nextDouble() is always {@code value} (0 <= value < 1)} */
    static RandomGenerator constant(double value) {
        long bits = (long) (value * 0x1.0p53) << 11;
        return () -> bits;
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
