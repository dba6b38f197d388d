package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lanes are opened as refusals require, the limit is learned, counts are given back, and opening stops at the cap. */
class ClientLanesTest {
    private final AtomicInteger made = new AtomicInteger();
    private ClientLanes lanes;

    private ClientLanes lanes(int max) {
        lanes = new ClientLanes(() -> {
            made.incrementAndGet();
            return HttpClient.newBuilder().build();
        }, max, Duration.ofSeconds(1));
        return lanes;
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
}
