package dev.sluice.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When each part of an answer is due: the first event after the first-token delay, then one
 * token every {@code 1/tokensPerSecond} seconds, on absolute deadlines so pauses do not drift.
 */
record Pacing(long firstTokenDelayNanos, double tokensPerSecond) {

    /** No waits at all. */
    static final Pacing NONE = new Pacing(0, 0);

    /** {@return the pacing of a first event after {@code first}, then one every {@code between} (zero: at once)} */
    static Pacing of(Duration first, Duration between) {
        return new Pacing(first.toNanos(), between.isZero() ? 0 : 1e9 / between.toNanos());
    }

    /** {@return a schedule starting now; its waits end early, with {@link ServerClosing}, when {@code closing} opens} */
    Schedule start(CountDownLatch closing) {
        long interval = tokensPerSecond == 0 ? 0 : Math.round(1e9 / tokensPerSecond);
        return new Schedule(System.nanoTime() + firstTokenDelayNanos, interval, closing);
    }

    /** One request's schedule; used by the request's own thread only. */
    static final class Schedule {
        private final long firstAt;
        private final long intervalNanos;
        private final CountDownLatch closing;

        private Schedule(long firstAt, long intervalNanos, CountDownLatch closing) {
            this.firstAt = firstAt;
            this.intervalNanos = intervalNanos;
            this.closing = closing;
        }

        /** {@return whether events are spaced out: each must then go out on its own} */
        boolean paced() {
            return intervalNanos > 0;
        }

        /** Waits until the first event is due. */
        void awaitFirst() throws ServerClosing {
            awaitUntil(firstAt);
        }

        /** Waits until token number {@code index} (from 0) is due. */
        void awaitToken(int index) throws ServerClosing {
            awaitUntil(firstAt + index * intervalNanos);
        }

        /** Waits until the server closes or {@code nanos} pass; {@return true if the server closed} */
        boolean awaitClosing(long nanos) {
            try {
                return closing.await(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        /** Waits until {@code resume} opens. */
        void awaitLatch(CountDownLatch resume) throws ServerClosing {
            try {
                // Either the test's latch or the server's closing ends the wait: look at both in turn.
                while (!resume.await(20, TimeUnit.MILLISECONDS)) {
                    if (closing.getCount() == 0) throw new ServerClosing();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerClosing();
            }
        }

        private void awaitUntil(long deadline) throws ServerClosing {
            long remaining = deadline - System.nanoTime();
            boolean closed = remaining > 0 ? awaitClosing(remaining) : closing.getCount() == 0;
            if (closed) throw new ServerClosing();
        }
    }

    /** The server is closing: the request ends at once, its connection is dropped. */
    static final class ServerClosing extends Exception {
        private static final long serialVersionUID = 1L;

        ServerClosing() {
            super("the fake server is closing", null, false, false);
        }
    }
}
