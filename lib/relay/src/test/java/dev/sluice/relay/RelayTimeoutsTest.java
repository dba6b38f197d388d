package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.testkit.FakeClock;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's timeouts on a fake clock: the attach timeout, the resume window, the retention, the
 * heartbeats and other nodes' leases each pass when the clock passes them, not a nanosecond
 * before, whatever the real time.
 */
class RelayTimeoutsTest {
    private final FakeClock clock = new FakeClock();
    private final TestProvider model = new TestProvider(TestProvider.words(10));
    private final List<Relay> relays = new ArrayList<>();

    {
        model.stallAfter = 2; // two deltas, then it waits until it is cancelled
    }

    @AfterEach
    void closeRelays() {
        relays.forEach(Relay::close);
    }

    private Relay relay(UnaryOperator<Relay.Builder> settings) {
        Relay r = settings.apply(Relay.builder().provider("test", model, "m").nanoTime(clock))
                .build();
        relays.add(r);
        return r;
    }

    /** {@return a new stream's id, once its model has sent its two deltas and stalls} */
    private String startStalled(Relay relay) {
        String id = start(relay);
        await().atMost(Duration.ofSeconds(5)).until(() -> model.produced.get() == 2);
        return id;
    }

    private boolean upstreamCancelled() {
        return model.controllers.getFirst().isCancelled();
    }

    /** Waits until the relay's timer has run every task due by the clock's time now. */
    private static void timerCaughtUp(Relay relay) throws Exception {
        relay.settings.clock().schedule(() -> {}, Duration.ZERO).get(5, TimeUnit.SECONDS);
    }

    /**
     * Moves the clock to a nanosecond short of {@code d} from now, where {@code event} must not
     * have happened yet, then on to {@code d}, where it must happen.
     */
    private void happensAsTheClockPasses(Relay relay, Duration d, BooleanSupplier event, String early)
            throws Exception {
        clock.advance(d.minusNanos(1));
        timerCaughtUp(relay);
        assertFalse(event.getAsBoolean(), early);
        clock.advance(Duration.ofNanos(1));
        await().atMost(Duration.ofSeconds(5)).until(event::getAsBoolean);
    }

    private static Recorded readAll(Relay relay, String id, String lastEventId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(
                Subscription.Outcome.COMPLETE, relay.subscribe(id, lastEventId).deliver(new SseRelayWriter(out)));
        return Recorded.of(out);
    }

    private static void assertCancelledFor(Relay relay, String id, String why) {
        Recorded late = readAll(relay, id, null);
        assertEquals("cancelled", late.types().getLast());
        assertTrue(
                late.events().getLast().data().contains(why),
                late.events().getLast().data());
    }

    private static String start(Relay relay) {
        return relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
    }

    @Test
    void attachTimeout_noClientUntilTheClockPassesIt_upstreamCancelledThenNotBefore() throws Exception {
        Relay relay = relay(b -> b.attachTimeout(Duration.ofSeconds(30)).resumeWindow(Duration.ofSeconds(10)));
        String id = startStalled(relay);
        happensAsTheClockPasses(
                relay, Duration.ofSeconds(30), this::upstreamCancelled, "cancelled before the attach timeout");
        assertCancelledFor(relay, id, "no client connected within 30 s");
    }

    @Test
    void attachTimeout_clientAttachedBeforeIt_upstreamRunsOn() throws Exception {
        Relay relay = relay(b -> b.attachTimeout(Duration.ofSeconds(30)));
        Subscription client = relay.subscribe(startStalled(relay), null);
        clock.advance(Duration.ofMinutes(5));
        timerCaughtUp(relay);
        assertFalse(upstreamCancelled(), "cancelled while a client was attached");
        client.close();
    }

    @Test
    void resumeWindow_lastClientLeaves_upstreamCancelledWhenTheClockPassesItNotBefore() throws Exception {
        Relay relay = relay(b -> b.resumeWindow(Duration.ofSeconds(10)).attachTimeout(Duration.ofSeconds(30)));
        String id = startStalled(relay);
        relay.subscribe(id, null).close(); // the only client left
        happensAsTheClockPasses(
                relay, Duration.ofSeconds(10), this::upstreamCancelled, "cancelled before the resume window passed");
        assertCancelledFor(relay, id, "no client came back within the resume window of 10 s");
    }

    @Test
    void resumeWindow_clientComesBackWithinIt_windowStartsAfreshWhenItLeavesAgain() throws Exception {
        Relay relay = relay(b -> b.resumeWindow(Duration.ofSeconds(10)).attachTimeout(Duration.ofSeconds(30)));
        String id = startStalled(relay);
        relay.subscribe(id, null).close();
        clock.advance(Duration.ofSeconds(9));
        Subscription back = relay.subscribe(id, null);
        clock.advance(Duration.ofSeconds(9)); // past the first window's end
        timerCaughtUp(relay);
        assertFalse(upstreamCancelled(), "cancelled although the client came back");
        back.close();
        happensAsTheClockPasses(
                relay,
                Duration.ofSeconds(10),
                this::upstreamCancelled,
                "the second window did not start when the client left again");
    }

    @Test
    void retention_clockPassesItAfterTheEnd_streamForgottenNotBefore() throws Exception {
        model.stallAfter = -1;
        Relay relay = relay(b -> b.retention(Duration.ofSeconds(60)));
        String id = start(relay);
        readAll(relay, id, null);
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        relay.activeStreams() == 0 && relay.settings.clock().scheduled() == 1);
        assertEquals(List.of("done"), readAll(relay, id, "11").types(), "kept for replay");
        happensAsTheClockPasses(
                relay, Duration.ofSeconds(60), () -> !relay.contains(id), "forgotten before the retention passed");
        RelayException e = assertThrows(RelayException.class, () -> relay.subscribe(id, null));
        assertEquals(RelayException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void heartbeat_silentModel_onePingEachTimeTheClockPassesTheIntervalNoneBefore() throws Exception {
        Relay relay = relay(b -> b.heartbeat(Duration.ofSeconds(15)));
        String id = startStalled(relay);
        RelayTest.SyncOutputStream out = new RelayTest.SyncOutputStream();
        Subscription s = relay.subscribe(id, null);
        Thread client = Thread.ofVirtual().start(() -> s.deliver(new SseRelayWriter(out)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Recorded.of(out.bytes()).events().size() == 3);
        for (int pings = 1; pings <= 2; pings++) {
            clock.advance(Duration.ofSeconds(15).minusNanos(1));
            clock.awaitReadsBy(client, Duration.ofSeconds(5));
            assertEquals(pings - 1, Recorded.of(out.bytes()).comments().size(), "a ping before the interval passed");
            clock.advance(Duration.ofNanos(1));
            int expected = pings;
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Recorded.of(out.bytes()).comments().size() >= expected);
            clock.awaitReadsBy(client, Duration.ofSeconds(5));
            assertEquals(
                    Collections.nCopies(pings, " ping"),
                    Recorded.of(out.bytes()).comments());
        }
        assertEquals(
                List.of("start", "delta", "delta"), Recorded.of(out.bytes()).types());
        relay.cancel(id);
        client.join(5000);
    }

    /** Delivered without a thread: the heartbeat's timer, not a waiting thread, writes each ping, on time. */
    @Test
    void heartbeat_silentModelDeliveredAsync_onePingEachTimeTheClockPassesTheIntervalNoneBefore() throws Exception {
        Relay relay = relay(b -> b.heartbeat(Duration.ofSeconds(15)));
        String id = startStalled(relay);
        RelayTest.SyncOutputStream out = new RelayTest.SyncOutputStream();
        CompletableFuture<Subscription.Outcome> delivered =
                relay.subscribe(id, null).deliverAsync(new SseRelayWriter(out)).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Recorded.of(out.bytes()).events().size() == 3);
        for (int pings = 1; pings <= 2; pings++) {
            int before = pings - 1;
            happensAsTheClockPasses(
                    relay,
                    Duration.ofSeconds(15),
                    () -> Recorded.of(out.bytes()).comments().size() > before,
                    "a ping before the interval passed");
            assertEquals(
                    Collections.nCopies(pings, " ping"),
                    Recorded.of(out.bytes()).comments());
        }
        relay.cancel(id);
        assertEquals(Subscription.Outcome.COMPLETE, delivered.get(5, TimeUnit.SECONDS));
        assertEquals(
                List.of("start", "delta", "delta", "cancelled"),
                Recorded.of(out.bytes()).types());
    }

    @Test
    void remoteLease_otherNodeStopsRenewing_resumeWindowStartsWhenTheLeaseLapses() throws Exception {
        OtherNodes nodes = new OtherNodes();
        Relay relay =
                relay(b -> b.store(nodes).resumeWindow(Duration.ofSeconds(10)).attachTimeout(Duration.ofSeconds(30)));
        String id = startStalled(relay);
        nodes.command(id, "attach node-b"); // node b's clients hold the stream for 5 s
        clock.advance(Duration.ofSeconds(5)); // the lease lapses: the resume window runs to 15 s
        timerCaughtUp(relay);
        happensAsTheClockPasses(
                relay,
                Duration.ofSeconds(10),
                this::upstreamCancelled,
                "cancelled before the resume window after the lease passed");
        assertCancelledFor(relay, id, "resume window");
    }

    @Test
    void remoteLease_renewedBeforeItLapses_holdsTheStreamUntilTheRenewalLapses() throws Exception {
        OtherNodes nodes = new OtherNodes();
        Relay relay = relay(b -> b.store(nodes).resumeWindow(Duration.ZERO)); // cancelled once no client holds it
        String id = startStalled(relay);
        Subscription local = relay.subscribe(id, null);
        nodes.command(id, "attach node-b"); // held to 5 s
        clock.advance(Duration.ofSeconds(4));
        nodes.command(id, "attach node-b"); // renewed: held to 9 s
        clock.advance(Duration.ofSeconds(2));
        timerCaughtUp(relay);
        local.close();
        assertFalse(upstreamCancelled(), "at 6 s the renewed lease no longer held the stream");
        happensAsTheClockPasses(
                relay, Duration.ofSeconds(3), this::upstreamCancelled, "cancelled before the renewed lease lapsed");
    }

    @Test
    void builder_nullClock_throwsNamingIt() {
        NullPointerException e =
                assertThrows(NullPointerException.class, () -> Relay.builder().nanoTime(null));
        assertEquals("nanoTime", e.getMessage());
    }

    /**
     * A store shared with other nodes that exist only as the commands a test sends on their
     * behalf; it stores nothing and counts in memory.
     */
    private static final class OtherNodes implements RelayStore {
        private final RelayStore counts = RelayStore.inMemory();
        private volatile BiConsumer<String, String> listener;

        /** Delivers a command to the relay as if another node had sent it. */
        void command(String streamId, String command) {
            listener.accept(streamId, command);
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public String node() {
            return "node-a";
        }

        @Override
        public boolean acquire(String counter, int limit) {
            return counts.acquire(counter, limit);
        }

        @Override
        public void release(String counter) {
            counts.release(counter);
        }

        @Override
        public Duration takeRate(String counter, int limit, Duration window) {
            return counts.takeRate(counter, limit, window);
        }

        @Override
        public void register(String streamId, Duration ttl) {}

        @Override
        public long append(String streamId, long firstId, List<String> events, long keepFrom, Duration ttl) {
            return firstId + events.size() - 1;
        }

        @Override
        public List<String> read(String streamId, long after, int max, Duration block) {
            return List.of();
        }

        @Override
        public boolean exists(String streamId) {
            return false;
        }

        @Override
        public boolean running(String streamId) {
            return false;
        }

        @Override
        public boolean send(String streamId, String command) {
            return false;
        }

        @Override
        public void listen(BiConsumer<String, String> commands) {
            listener = commands;
        }

        @Override
        public void close() {}
    }
}
