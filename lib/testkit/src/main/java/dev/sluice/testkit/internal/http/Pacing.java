package dev.sluice.testkit.internal.http;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When each part of an answer is due: the first event after the first-token delay, then one
 * token every {@code 1/tokensPerSecond} seconds, on absolute deadlines so that the time spent
 * writing does not add up; a {@linkplain Schedule#awaitLatch pause} moves every later deadline by
 * its length, so that the rest of a paused answer keeps its pace rather than arriving at once.
 * While it waits, a schedule watches its client's connection, so that a stream ends as soon as
 * the client closes it, not only when a write fails (see {@link Exchange#clientLeftWithin}).
 */
public record Pacing(long firstTokenDelayNanos, double tokensPerSecond) {

    /** No waits at all. */
    static final Pacing NONE = new Pacing(0, 0);

    /** {@return the pacing of a first event after {@code first}, then one every {@code between} (zero: at once)} */
    public static Pacing of(Duration first, Duration between) {
        return new Pacing(first.toNanos(), between.isZero() ? 0 : 1e9 / between.toNanos());
    }

    /**
     * {@return a schedule starting now} Its waits end early: with {@link ServerClosing} when
     * {@code closing} opens, with {@link ClientGone} when the client closes its connection.
     *
     * @param client the exchange whose connection its waits watch
     */
    public Schedule start(CountDownLatch closing, Exchange client) {
        long interval = tokensPerSecond == 0 ? 0 : Math.round(1e9 / tokensPerSecond);
        return new Schedule(System.nanoTime() + firstTokenDelayNanos, interval, closing, client);
    }

    /** One request's schedule; used by the request's own thread only. */
    public static final class Schedule {
        /** The longest single read of the client's connection: the closing latch is looked at between them. */
        private static final long WATCH_SLICE_NANOS = 100_000_000;

        private long firstAt; // moved on by each pause
        private final long intervalNanos;
        private final CountDownLatch closing;
        private final Exchange client;

        private Schedule(long firstAt, long intervalNanos, CountDownLatch closing, Exchange client) {
            this.firstAt = firstAt;
            this.intervalNanos = intervalNanos;
            this.closing = closing;
            this.client = client;
        }

        /** {@return whether events are spaced out: each must then go out on its own} */
        public boolean paced() {
            return intervalNanos > 0;
        }

        /** Waits until the first event is due. */
        public void awaitFirst() throws ServerClosing, ClientGone {
            awaitUntil(firstAt);
        }

        /** Waits until token number {@code index} (from 0) is due. */
        public void awaitToken(int index) throws ServerClosing, ClientGone {
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

        /** Waits until {@code resume} opens; every later deadline moves on by the wait. */
        public void awaitLatch(CountDownLatch resume) throws ServerClosing {
            long pausedAt = System.nanoTime();
            try {
                // Either the test's latch or the server's closing ends the wait: look at both in turn.
                while (!resume.await(20, TimeUnit.MILLISECONDS)) {
                    if (closing.getCount() == 0) throw new ServerClosing();
                }
                firstAt += System.nanoTime() - pausedAt;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerClosing();
            }
        }

        /**
         * Waits until {@code deadline}: by reading the client's connection in slices of whole
         * milliseconds while it can be watched, else (and for the last fraction of a millisecond)
         * on the closing latch.
         */
        private void awaitUntil(long deadline) throws ServerClosing, ClientGone {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                if (closing.getCount() == 0) throw new ServerClosing();
                int millis = (int) (Math.min(left, WATCH_SLICE_NANOS) / 1_000_000);
                if (millis > 0 && client.watchable()) {
                    if (client.clientLeftWithin(millis)) throw new ClientGone();
                } else if (awaitClosing(left)) {
                    throw new ServerClosing();
                }
            }
            if (closing.getCount() == 0) throw new ServerClosing();
        }
    }

    /** The client closed its connection while the response was under way: the request ends, as when a write fails. */
    public static final class ClientGone extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGone() {
            super("the client closed the connection");
        }
    }

    /** The server is closing: the request ends at once, its connection is dropped. */
    public static final class ServerClosing extends Exception {
        private static final long serialVersionUID = 1L;

        ServerClosing() {
            super("the fake server is closing", null, false, false);
        }
    }
}
