package dev.sluice.internal.low.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The blocking transport's pool of kept-alive connections, on real loopback sockets and a clock of
 * the test's: the bound per host, most recently used first, expiry (its own and the server's
 * Keep-Alive timeout), the cleaner, and close.
 */
class Http1PoolTest {
    private static final Http1Connection.Key KEY = new Http1Connection.Key(false, "127.0.0.1", 1);
    private static final Http1Connection.Key OTHER = new Http1Connection.Key(false, "127.0.0.1", 2);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket listener;

    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
        for (Socket s : sockets) s.close();
    }

    private Http1Connection connection(Http1Connection.Key key) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        sockets.add(listener.accept());
        return new Http1Connection(key, s, s);
    }

    @Test
    void key_sameSchemeHostAndPort_isTheSameHost_eachPartTellsThemApart() {
        var key = Http1Connection.Key.of(java.net.URI.create("HTTP://Example.COM/v1/chat/completions"));
        assertEquals(new Http1Connection.Key(false, "example.com", 80), key);
        assertEquals(new Http1Connection.Key(false, "example.com", 80).hashCode(), key.hashCode());
        assertFalse(key.equals(new Http1Connection.Key(true, "example.com", 80)));
        assertFalse(key.equals(new Http1Connection.Key(false, "example.org", 80)));
        assertFalse(key.equals(new Http1Connection.Key(false, "example.com", 8080)));
        assertFalse(key.equals("http://example.com:80"));
    }

    @Test
    void offer_beyondTheBoundForAHost_closedWhileOtherHostsKeepTheirs() throws IOException {
        Http1Pool pool = new Http1Pool(2, TimeUnit.SECONDS.toNanos(30), now::get);
        Http1Connection a = connection(KEY);
        Http1Connection b = connection(KEY);
        Http1Connection c = connection(KEY);
        Http1Connection d = connection(OTHER);
        pool.offer(a);
        pool.offer(b);
        pool.offer(c);
        pool.offer(d);
        assertTrue(c.isClosed(), "the third for the host is closed");
        assertFalse(d.isClosed());
        assertEquals(3, pool.idleCount());
        assertSame(b, pool.take(KEY), "the most recently used first");
        assertSame(a, pool.take(KEY));
        assertNull(pool.take(KEY));
        assertSame(d, pool.take(OTHER));
        pool.close();
    }

    @Test
    void take_pastTheKeepAlive_expiredOnesClosedAndNoneTaken() throws IOException {
        Http1Pool pool = new Http1Pool(8, TimeUnit.SECONDS.toNanos(30), now::get);
        Http1Connection a = connection(KEY);
        pool.offer(a);
        now.addAndGet(TimeUnit.SECONDS.toNanos(29));
        assertSame(a, pool.take(KEY), "within the keep-alive");
        pool.offer(a);
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        assertNull(pool.take(KEY));
        assertTrue(a.isClosed());
        pool.close();
    }

    @Test
    void take_serversKeepAliveShorter_expiresASecondBeforeIt() throws IOException {
        Http1Pool pool = new Http1Pool(8, TimeUnit.SECONDS.toNanos(30), now::get);
        Http1Connection a = connection(KEY);
        a.keepAliveNanos = TimeUnit.SECONDS.toNanos(5);
        pool.offer(a);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(3_900));
        assertSame(a, pool.take(KEY));
        pool.offer(a);
        now.addAndGet(TimeUnit.SECONDS.toNanos(4));
        assertNull(pool.take(KEY), "the server closes at 5 s: not sent on past 4 s");
        pool.close();
    }

    @Test
    void cleaner_closesIdleConnectionsOnceExpired() throws IOException {
        Http1Pool pool = new Http1Pool(8, TimeUnit.MILLISECONDS.toNanos(200), System::nanoTime);
        Http1Connection a = connection(KEY);
        pool.offer(a);
        await().atMost(Duration.ofSeconds(5)).until(a::isClosed);
        assertEquals(0, pool.idleCount());
        pool.close();
    }

    @Test
    void close_closesTheIdleAndEveryConnectionGivenBackLater() throws IOException {
        Http1Pool pool = new Http1Pool(8, TimeUnit.SECONDS.toNanos(30), now::get);
        Http1Connection a = connection(KEY);
        Http1Connection b = connection(KEY);
        pool.offer(a);
        pool.close();
        assertTrue(a.isClosed());
        pool.offer(b);
        assertTrue(b.isClosed());
        assertEquals(0, pool.idleCount());
    }

    @Test
    void lease_releasedThenAborted_theConnectionStaysInThePool() throws IOException {
        Http1Pool pool = new Http1Pool(8, TimeUnit.SECONDS.toNanos(30), now::get);
        Http1Connection a = connection(KEY);
        Http1Pool.Lease lease = pool.new Lease(a);
        lease.release();
        lease.abort(); // a late cancel of an exchange that has ended
        assertFalse(a.isClosed());
        assertSame(a, pool.take(KEY));
        Http1Pool.Lease second = pool.new Lease(a);
        second.abort();
        second.release();
        assertTrue(a.isClosed());
        assertNull(pool.take(KEY));
        pool.close();
    }
}
