package dev.sluice.internal.low.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lanes are opened as refusals require, the limit is learned, counts are given back, and opening
 * stops at the cap; a lane's exchanges wait for its first to open it, woken by that, a cancel or
 * the connect timeout and by nothing else.
 */
class ClientLanesTest {
    private final AtomicInteger made = new AtomicInteger();
    private ClientLanes lanes;

    private ClientLanes lanes(int max) {
        return lanes(max, Duration.ofSeconds(1));
    }

    private ClientLanes lanes(int max, Duration connectTimeout) {
        lanes = new ClientLanes(
                () -> {
                    made.incrementAndGet();
                    return HttpClient.newBuilder().build();
                },
                max,
                connectTimeout);
        return lanes;
    }

    /** A caller's cancellation, as a stream's controller gives it: a flag, and listeners run once on cancel. */
    private static final class Cancel {
        final AtomicBoolean cancelled = new AtomicBoolean();
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        final AtomicInteger reads = new AtomicInteger(); // how often the flag was read

        Cancellation cancellation() {
            return Cancellation.of(
                    () -> {
                        reads.incrementAndGet();
                        return cancelled.get();
                    },
                    r -> {
                        if (cancelled.get()) r.run();
                        else listeners.add(r);
                    });
        }

        void cancel() {
            cancelled.set(true);
            listeners.forEach(Runnable::run);
        }
    }

    /** {@return a thread waiting on {@code lane} as an exchange after its first; what the wait returned goes to {@code result}} */
    private static Thread waiter(ClientLanes l, ClientLanes.Lane lane, Cancellation c, AtomicReference<Object> result) {
        return Thread.ofPlatform().start(() -> {
            try {
                result.set(l.awaitOpened(lane, c));
            } catch (InterruptedException e) {
                result.set(e);
            }
        });
    }

    /** {@return whether {@code t} is parked in a condition's wait (the lane's), not merely alive} */
    private static boolean waitingOnCondition(Thread t) {
        return LockSupport.getBlocker(t) instanceof AbstractQueuedSynchronizer.ConditionObject;
    }

    @AfterEach
    void close() {
        if (lanes != null) lanes.close();
    }

    @Test
    void acquire_noRefusalYet_everyExchangeOnTheFirstClient() {
        ClientLanes l = lanes(4);
        for (int i = 0; i < 1000; i++) assertSame(l.first(), l.acquire().client);
        assertEquals(1, made.get());
        assertEquals(1000, l.open());
        assertEquals(Integer.MAX_VALUE, l.perClient());
    }

    @Test
    void refused_learnsTheLimitFromTheOthersOpen_movesToANewClient_laterExchangesFillItFirst() {
        ClientLanes l = lanes(4);
        ClientLanes.Lane first = null;
        for (int i = 0; i < 4; i++) first = l.acquire();
        ClientLanes.Lane next = l.refused(first); // the fourth: three others were open

        assertEquals(3, l.perClient());
        assertNotSame(first, next);
        assertEquals(2, l.size());
        assertEquals(4, l.open(), "the count moved, not added");
        assertSame(next, l.acquire());
        assertSame(next, l.acquire()); // 3 on the second now
        ClientLanes.Lane third = l.acquire();
        assertEquals(3, l.size());
        l.release(first);
        assertSame(first, l.acquire(), "room on the first again");
        assertNotSame(next, third);
    }

    @Test
    void refused_atTheCapWithNoRoom_nullAndTheCountStays() {
        ClientLanes l = lanes(2);
        ClientLanes.Lane a = l.acquire();
        l.acquire();
        ClientLanes.Lane b = l.refused(a); // limit 1, a second client
        assertEquals(2, l.size());
        ClientLanes.Lane c = l.acquire(); // none has room: the last, over the limit
        assertSame(b, c);
        assertNull(l.refused(c));
        assertEquals(3, l.open());
        assertEquals(2, made.get());
    }

    @Test
    void isRefusal_theJdksMessageOnly() {
        assertTrue(ClientLanes.isRefusal(new IOException("too many concurrent streams")));
        assertTrue(ClientLanes.isRefusal(new CompletionException(new IOException("too many concurrent streams"))));
        assertFalse(ClientLanes.isRefusal(new IOException("connection reset")));
        assertFalse(ClientLanes.isRefusal(new IllegalStateException("too many concurrent streams")));
    }

    @Test
    void awaitOpened_theFirstGoes_theOthersWaitUntilItHasOpened_laterOnesGoAtOnce() throws Exception {
        ClientLanes l = lanes(4, Duration.ofMinutes(1));
        ClientLanes.Lane lane = l.acquire();
        assertTrue(l.awaitOpened(lane, Cancellation.NONE), "the first opens the lane");
        AtomicReference<Object> result = new AtomicReference<>();
        Thread second = waiter(l, lane, Cancellation.NONE, result);
        await().atMost(Duration.ofSeconds(5)).until(() -> waitingOnCondition(second));

        l.opened(lane);

        await().atMost(Duration.ofSeconds(5)).until(() -> !second.isAlive());
        assertEquals(false, result.get());
        assertFalse(l.awaitOpened(lane, Cancellation.NONE), "after it opened, no wait and not the first");
    }

    @Test
    void awaitOpened_aWaitersCancel_wakesItAtOnce() throws Exception {
        ClientLanes l = lanes(4, Duration.ofMinutes(1));
        ClientLanes.Lane lane = l.acquire();
        assertTrue(l.awaitOpened(lane, Cancellation.NONE));
        Cancel cancel = new Cancel();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread second = waiter(l, lane, cancel.cancellation(), result);
        await().atMost(Duration.ofSeconds(5)).until(() -> waitingOnCondition(second));

        cancel.cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> !second.isAlive());
        assertEquals(false, result.get()); // the exchange then sees its cancel and sends nothing
    }

    @Test
    void awaitOpened_nothingHappens_waitsTheConnectTimeoutWithoutPollingItsCancellation() throws Exception {
        Duration connectTimeout = Duration.ofMillis(600);
        ClientLanes l = lanes(4, connectTimeout);
        ClientLanes.Lane lane = l.acquire();
        assertTrue(l.awaitOpened(lane, Cancellation.NONE));
        Cancel cancel = new Cancel();
        AtomicReference<Object> result = new AtomicReference<>();
        long start = System.nanoTime();
        Thread second = waiter(l, lane, cancel.cancellation(), result);

        await().atMost(Duration.ofSeconds(10)).until(() -> !second.isAlive());

        assertTrue(System.nanoTime() - start >= connectTimeout.toNanos(), "waited the connect timeout, then goes");
        assertEquals(false, result.get());
        // woken by nothing but the deadline: the flag read as the wait began (and on a spurious
        // wake-up); polling it every 20 ms read it about 30 times
        assertTrue(cancel.reads.get() <= 3, "cancellation read " + cancel.reads.get() + " times");
    }
}
