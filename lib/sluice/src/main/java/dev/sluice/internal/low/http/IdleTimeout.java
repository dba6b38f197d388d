package dev.sluice.internal.low.http;

import dev.sluice.StreamTimeoutException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A body's idle timeout in {@link HttpTransport#send}: the longest wait for its next bytes, and
 * when bytes last came. The reader writes it, the JDK engine's watcher reads it
 * ({@link HttpClientEngine}; the blocking engine times its socket reads instead).
 */
final class IdleTimeout {
    final Duration limit;
    final long nanos;
    volatile long last = System.nanoTime();

    IdleTimeout(Duration limit) {
        this.limit = limit;
        long n;
        try {
            n = limit.toNanos();
        } catch (ArithmeticException centuries) {
            n = Long.MAX_VALUE;
        }
        this.nanos = Math.min(n, Long.MAX_VALUE / 4); // last + nanos never overflows
    }

    /** {@return the nanoseconds left before the wait for the next bytes passes the limit; 0 or less: passed} */
    long left() {
        return last + nanos - System.nanoTime();
    }

    StreamTimeoutException expired(@Nullable String requestId) {
        return (StreamTimeoutException) new StreamTimeoutException(
                        StreamTimeoutException.Timeout.IDLE,
                        limit,
                        Duration.ofNanos(Math.max(System.nanoTime() - last, nanos)))
                .initContext(requestId, null);
    }

    /** {@return {@code body}, each read it returns marking the time} */
    InputStream marking(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                last = System.nanoTime();
                return n;
            }
        };
    }
}
