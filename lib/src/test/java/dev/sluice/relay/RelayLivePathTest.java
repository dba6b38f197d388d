package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's live path over real loopback sockets: a caught-up client gets each live event from
 * the stream's own thread (no wake-up of its delivering thread), and a client whose socket is full
 * while that thread writes to it holds up neither another client of the stream nor a cancel.
 */
class RelayLivePathTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : resources.reversed()) c.close();
    }

    private Relay relay(TestProvider provider, java.util.function.UnaryOperator<Relay.Builder> settings) {
        Relay r = settings.apply(Relay.builder().provider("test", provider, "test-model")).build();
        resources.add(r);
        return r;
    }

    private static String create(Relay relay) {
        return assertInstanceOf(Created.class, relay.create("application/json",
                new ByteArrayInputStream("{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8)), "127.0.0.1")).id();
    }

    /** A loopback connection with small socket buffers: the server's end and the browser's. */
    private record Connection(Socket server, Socket browser) {}

    private Connection connect() throws IOException {
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReceiveBufferSize(4096);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Socket browser = new Socket();
            browser.setReceiveBufferSize(4096);
            browser.connect(listener.getLocalSocketAddress());
            Socket server = listener.accept();
            server.setSendBufferSize(4096);
            resources.add(browser);
            resources.add(server);
            return new Connection(server, browser);
        }
    }

    /** The browser's side: reads everything into a buffer on a virtual thread, from when it is started. */
    private static final class Reader {
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();

        Reader(InputStream in) {
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buf)) >= 0) append(buf, n);
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
        }

        private synchronized void append(byte[] b, int n) {
            got.write(b, 0, n);
        }

        synchronized Recorded recorded() {
            return Recorded.of(got.toByteArray());
        }
    }

    /** Runs a delivery on its own virtual thread; its outcome once it returned. */
    private static AtomicReference<Subscription.Outcome> deliverAsync(Subscription s, RelayClient client) {
        AtomicReference<Subscription.Outcome> outcome = new AtomicReference<>();
        Thread.ofVirtual().name("subscriber").start(() -> outcome.set(s.deliver(client)));
        return outcome;
    }

    /** A client's position when it stopped moving (a write to it blocks: its socket is full). */
    private static long stalled(Subscription s, long events) {
        AtomicLong seen = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            long now = s.lastEventId();
            return now > 0 && now == seen.getAndSet(now);
        });
        assertTrue(seen.get() < events / 2, "the slow client got stuck early: " + seen.get() + " of " + events);
        return seen.get();
    }

    /** The deltas' texts, for big deltas (plain text, nothing escaped; {@link Recorded#text} is for small ones). */
    private static String text(Recorded r) {
        StringBuilder sb = new StringBuilder();
        for (var e : r.events()) if (e.type().equals("delta")) sb.append(e.data(), "{\"text\":\"".length(), e.data().length() - 2);
        return sb.toString();
    }

    private static List<String> bigDeltas(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add("d" + i + " " + "x".repeat(8000));
        return out;
    }

    @Test
    void deliver_caughtUpClient_liveEventsWrittenByTheStreamsThreadInOrder() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(20));
        p.intervalMillis = 20;
        Relay relay = relay(p, b -> b);
        String id = create(relay);
        Connection c = connect();
        Reader browser = new Reader(c.browser().getInputStream());
        List<String> writers = new CopyOnWriteArrayList<>(); // the thread that wrote each delta
        SseRelayClient sse = new SseRelayClient(c.server().getOutputStream());
        RelayClient recording = new RelayClient() {
            @Override
            public void send(long eventId, RelayEvent event) throws IOException {
                if (event.type().equals("delta")) writers.add(Thread.currentThread().getName());
                sse.send(eventId, event);
            }

            @Override
            public void heartbeat() throws IOException {
                sse.heartbeat();
            }

            @Override
            public void flush() throws IOException {
                sse.flush();
            }
        };
        AtomicReference<Subscription.Outcome> outcome = deliverAsync(assertInstanceOf(Subscription.class, relay.subscribe(id, null)), recording);
        await().atMost(Duration.ofSeconds(10)).until(() -> outcome.get() != null);

        assertEquals(Subscription.Outcome.COMPLETE, outcome.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.recorded().ids().size() == 22);
        Recorded r = browser.recorded();
        assertEquals(LongStream.rangeClosed(1, 22).boxed().toList(), r.ids());
        assertEquals(p.text(), r.text());
        long byStream = writers.stream().filter(n -> n.equals("sluice-relay-" + id)).count();
        assertTrue(byStream >= 10, "most deltas, 20 ms apart, are written by the stream's thread: " + writers);
    }

    @Test
    void deliver_slowClientStuckOnAFullSocket_anotherClientOfTheStreamGetsTheWholeStreamAtOnce() throws Exception {
        int n = 300; // 8 KB each: 2.4 MB, far more than the stuck connection's socket buffers hold
        TestProvider p = new TestProvider(bigDeltas(n));
        p.intervalMillis = 2; // paced: the slow client is caught up when its socket fills, so the stream's thread is the one stuck
        Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withReplay(1000, 16 << 20)));
        String id = create(relay);
        Subscription slow = assertInstanceOf(Subscription.class, relay.subscribe(id, null));
        Connection stuck = connect(); // its browser reads nothing yet
        AtomicReference<Subscription.Outcome> slowOutcome = deliverAsync(slow, new SseRelayClient(stuck.server().getOutputStream()));
        stalled(slow, n);

        Connection fast = connect();
        Reader browser = new Reader(fast.browser().getInputStream());
        AtomicReference<Subscription.Outcome> fastOutcome = deliverAsync(assertInstanceOf(Subscription.class, relay.subscribe(id, null)),
                new SseRelayClient(fast.server().getOutputStream()));
        await().atMost(Duration.ofSeconds(10)).until(() -> fastOutcome.get() != null);
        assertEquals(Subscription.Outcome.COMPLETE, fastOutcome.get());
        assertEquals(p.text(), text(browser.recorded()));
        assertEquals(n + 2, browser.recorded().ids().size());

        Reader late = new Reader(stuck.browser().getInputStream()); // the slow browser reads again: it gets it all too
        await().atMost(Duration.ofSeconds(10)).until(() -> slowOutcome.get() != null);
        assertEquals(Subscription.Outcome.COMPLETE, slowOutcome.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> late.recorded().ids().size() == n + 2);
        assertEquals(p.text(), text(late.recorded()));
    }

    @Test
    void cancel_slowClientStuckOnAFullSocket_upstreamClosedAndTheStreamEndsAtOnce() throws Exception {
        int n = 300;
        TestProvider p = new TestProvider(bigDeltas(n));
        p.intervalMillis = 2; // paced: the slow client is caught up when its socket fills, so the stream's thread is the one stuck
        Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withReplay(1000, 16 << 20)));
        String id = create(relay);
        Subscription slow = assertInstanceOf(Subscription.class, relay.subscribe(id, null));
        Connection stuck = connect();
        AtomicReference<Subscription.Outcome> outcome = deliverAsync(slow, new SseRelayClient(stuck.server().getOutputStream()));
        stalled(slow, n);

        assertTrue(relay.cancel(id));
        await().atMost(Duration.ofSeconds(5)).until(() -> p.upstreamClosed.getCount() == 0 && relay.activeStreams() == 0);

        Reader late = new Reader(stuck.browser().getInputStream());
        await().atMost(Duration.ofSeconds(10)).until(() -> outcome.get() != null);
        assertEquals(Subscription.Outcome.COMPLETE, outcome.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> !late.recorded().types().isEmpty()
                && late.recorded().types().getLast().equals("cancelled"));
        Recorded r = late.recorded();
        assertEquals(LongStream.rangeClosed(1, r.ids().size()).boxed().toList(), r.ids());
    }
}
