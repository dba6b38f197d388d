package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.RelayException;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EndReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The relay over plain OutputStreams: ids, replay, heartbeats, the resume window, backpressure, limits and refusals. */
class RelayTest {
    private final List<Relay> relays = new ArrayList<>();

    @AfterEach
    void closeRelays() {
        relays.forEach(Relay::close);
    }

    private Relay relay(TestProvider provider, java.util.function.UnaryOperator<Relay.Builder> settings) {
        Relay r = settings.apply(Relay.builder().provider("test", provider, "test-model"))
                .build();
        relays.add(r);
        return r;
    }

    private static String started(Relay relay, String json) {
        return relay.start(StartRequest.parse(json));
    }

    private static Subscription subscribe(Relay relay, String id, String lastEventId) {
        return relay.subscribe(id, lastEventId);
    }

    private static RelayException refused(RelayException.Kind kind, Executable call) {
        RelayException e = assertThrows(RelayException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    /** Reads the whole stream as one client from the given id. */
    private static Recorded readAll(Relay relay, String id, String lastEventId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Subscription s = subscribe(relay, id, lastEventId);
        assertEquals(Subscription.Outcome.COMPLETE, s.deliver(new SseRelayWriter(out)));
        return Recorded.of(out);
    }

    @Test
    void ended_streamKeptForReplay_letsGoOfItsSource() {
        WeakReference<?>[] source = new WeakReference<?>[1];
        Relay relay = Relay.builder()
                .source("test", "m", (request, controller) -> {
                    Iterator<RelayEvent> events = List.<RelayEvent>of(new RelayEvent.Delta("x".repeat(1 << 20)))
                            .iterator();
                    RelaySource s = new RelaySource() {
                        private final byte[] upstreamState =
                                new byte[8 << 20]; // such as a provider stream's whole answer

                        @Override
                        public Optional<RelayEvent> next() {
                            return events.hasNext() ? Optional.of(events.next()) : Optional.empty();
                        }

                        @Override
                        public void cancel(String reason) {}

                        @Override
                        public void close() {}
                    };
                    source[0] = new WeakReference<>(s);
                    return s;
                })
                .build();
        relays.add(relay);
        String id = started(relay, "{\"prompt\":\"hi\"}");
        assertEquals("done", readAll(relay, id, null).types().getLast());
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.activeStreams() == 0);
        assertTrue(relay.contains(id), "kept for replay");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            System.gc();
            return source[0].get() == null;
        });
    }

    @Test
    void deliver_wholeStream_startDeltasDoneWithIdsFromOne() {
        TestProvider p = new TestProvider(TestProvider.words(40));
        Relay relay = relay(p, b -> b);
        String id = started(relay, "{\"prompt\":\"hi\",\"maxTokens\":77,\"system\":\"be brief\"}");
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);

        Recorded r = readAll(relay, id, null);
        assertEquals(LongStream.rangeClosed(1, 42).boxed().toList(), r.ids());
        assertEquals("start", r.types().getFirst());
        assertEquals(
                "{\"provider\":\"test\",\"model\":\"test-model\"}",
                r.events().getFirst().data());
        assertEquals("done", r.types().getLast());
        assertEquals(p.text(), r.text());
        String done = r.events().getLast().data();
        assertTrue(
                done.startsWith(
                        "{\"finishReason\":\"stop\",\"usage\":{\"inputTokens\":12,\"outputTokens\":40},\"ttftMs\":"),
                done);
        assertTrue(done.contains("\"tokensPerSecond\":"), done);
        assertEquals(77, p.requests.getFirst().maxTokens());
        assertEquals("be brief", p.requests.getFirst().system());
        assertEquals("test-model", p.requests.getFirst().model());
    }

    @Test
    void subscribe_lastEventId_getsExactlyTheEventsAfterIt() {
        TestProvider p = new TestProvider(TestProvider.words(30));
        Relay relay = relay(p, b -> b);
        String c = started(relay, "{\"prompt\":\"hi\"}");
        Recorded whole = readAll(relay, c, null);
        for (long after : new long[] {0, 1, 7, 30, 31}) {
            Recorded rest = readAll(relay, c, Long.toString(after));
            assertEquals(LongStream.rangeClosed(after + 1, 32).boxed().toList(), rest.ids());
            assertEquals(whole.events().subList((int) after, 32), rest.events());
        }
    }

    @Test
    void deliver_cutAtRandomPointsAndResumed_textEqualsTheUninterruptedText() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(300));
        p.intervalMillis = 1;
        Relay relay = relay(p, b -> b.resumeWindow(Duration.ofSeconds(5)));
        String c = started(relay, "{\"prompt\":\"hi\"}");
        java.util.Random random = new java.util.Random(42);
        List<SseEvent> received = new ArrayList<>();
        String last = null;
        int connections = 0;
        while (received.isEmpty() || !received.getLast().type().equals("done")) {
            connections++;
            int cutAfterBytes = 200 + random.nextInt(3000);
            CuttingOutputStream out = new CuttingOutputStream(cutAfterBytes);
            Subscription s = subscribe(relay, c, last);
            s.deliver(new SseRelayWriter(out));
            // what a client got: whole events up to the cut (a torn event is lost, the parser drops it)
            Recorded r = Recorded.of(out.received());
            received.addAll(r.events());
            if (!r.events().isEmpty()) last = r.events().getLast().lastEventId();
        }
        assertTrue(connections > 3, "cut several times: " + connections);
        assertEquals(LongStream.rangeClosed(1, 302).boxed().toList(), new Recorded(received, List.of()).ids());
        assertEquals(p.text(), new Recorded(received, List.of()).text());
    }

    @Test
    void deliver_modelStalls_pingsEveryHeartbeat() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(10));
        p.stallAfter = 3;
        Relay relay = relay(p, b -> b.heartbeat(Duration.ofMillis(100)));
        String c = started(relay, "{\"prompt\":\"hi\"}");
        SyncOutputStream out = new SyncOutputStream();
        Subscription s = subscribe(relay, c, null);
        Thread t = Thread.ofVirtual().start(() -> s.deliver(new SseRelayWriter(out)));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.text().split(": ping\n", -1).length > 4);
        Recorded r = Recorded.of(out.bytes());
        assertEquals(List.of("start", "delta", "delta", "delta"), r.types());
        assertTrue(r.comments().stream().allMatch(" ping"::equals), r.comments().toString());
        relay.cancel(c);
        t.join(5000);
        assertEquals("cancelled", Recorded.of(out.bytes()).types().getLast());
    }

    @Test
    void deliver_writeFails_upstreamCancelledAfterTheResumeWindowNotBefore() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(10));
        p.stallAfter = 3;
        Relay relay = relay(p, b -> b.resumeWindow(Duration.ofMillis(700)).heartbeat(Duration.ofMillis(50)));
        String c = started(relay, "{\"prompt\":\"hi\"}");
        CuttingOutputStream out = new CuttingOutputStream(100);
        long t0 = System.nanoTime();
        assertEquals(Subscription.Outcome.CLIENT_GONE, subscribe(relay, c, null).deliver(new SseRelayWriter(out)));
        await().during(Duration.ofMillis(400))
                .atMost(Duration.ofSeconds(1))
                .until(() -> p.upstreamClosed.getCount() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> p.upstreamClosed.getCount() == 0);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(700).toNanos());
        assertEquals(EndReason.CANCELLED, p.controllers.getFirst().endReason().orElseThrow());
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.activeStreams() == 0);
        // a late client still learns what happened
        Recorded late = readAll(relay, c, "4");
        assertEquals(List.of("cancelled"), late.types());
        assertTrue(
                late.events().getFirst().data().contains("resume window"),
                late.events().getFirst().data());
    }

    @Test
    void deliver_clientComesBackWithinTheWindow_upstreamKeepsRunningAndNothingIsLost() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(60));
        p.intervalMillis = 10;
        Relay relay = relay(p, b -> b.resumeWindow(Duration.ofSeconds(3)));
        String c = started(relay, "{\"prompt\":\"hi\"}");
        CuttingOutputStream first = new CuttingOutputStream(300);
        subscribe(relay, c, null).deliver(new SseRelayWriter(first));
        Recorded before = Recorded.of(first.received());
        Recorded after = readAll(relay, c, before.events().getLast().lastEventId());
        // the upstream ran to its end, not cancelled (the relay releases it after the end, so its close hook races)
        assertEquals(EndReason.COMPLETED, p.controllers.getFirst().endReason().orElseThrow());
        assertEquals(p.text(), before.text() + after.text());
        assertEquals(1, p.requests.size(), "one upstream request for the whole answer");
    }

    @Test
    void resumeWindowZero_lastClientLeaves_cancelsAtOnce() {
        TestProvider p = new TestProvider(TestProvider.words(10));
        p.stallAfter = 2;
        Relay relay = relay(p, b -> b.resumeWindow(Duration.ZERO));
        String c = started(relay, "{\"prompt\":\"hi\"}");
        subscribe(relay, c, null).deliver(new SseRelayWriter(new CuttingOutputStream(60)));
        await().atMost(Duration.ofSeconds(2)).until(() -> p.upstreamClosed.getCount() == 0);
    }

    @Test
    void create_noClientEverConnects_cancelledAfterTheAttachTimeout() {
        TestProvider p = new TestProvider(TestProvider.words(10));
        p.stallAfter = 2;
        Relay relay = relay(p, b -> b.attachTimeout(Duration.ofMillis(300)).resumeWindow(Duration.ofMillis(100)));
        started(relay, "{\"prompt\":\"hi\"}");
        await().atMost(Duration.ofSeconds(3)).until(() -> p.upstreamClosed.getCount() == 0);
    }

    @Test
    void cancel_connectedClient_getsCancelledAndItsDeliveryEnds() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(10));
        p.stallAfter = 4;
        Relay relay = relay(p, b -> b);
        String c = started(relay, "{\"prompt\":\"hi\"}");
        SyncOutputStream out = new SyncOutputStream();
        AtomicReference<Subscription.Outcome> outcome = new AtomicReference<>();
        Subscription s = subscribe(relay, c, null);
        Thread t = Thread.ofVirtual().start(() -> outcome.set(s.deliver(new SseRelayWriter(out))));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Recorded.of(out.bytes()).events().size() == 5);
        assertTrue(relay.cancel(c));
        t.join(5000);
        assertEquals(Subscription.Outcome.COMPLETE, outcome.get());
        Recorded r = Recorded.of(out.bytes());
        assertEquals(List.of("start", "delta", "delta", "delta", "delta", "cancelled"), r.types());
        assertEquals(
                "{\"reason\":\"cancelled by the client\"}", r.events().getLast().data());
        assertEquals(0, p.upstreamClosed.getCount());
        assertTrue(relay.cancel(c), "cancelling an ended stream is fine");
        assertFalse(relay.cancel("nope"));
    }

    @Test
    void backpressure_clientStopsReading_upstreamWaitsWithBoundedMemoryAndOtherStreamsFlow() throws Exception {
        TestProvider slowOnes = new TestProvider(List.of());
        slowOnes.endless = true; // 1,000-char deltas, as fast as they are taken
        TestProvider others = new TestProvider(TestProvider.words(200));
        Relay relay = Relay.builder()
                .provider("endless", slowOnes, "m")
                .provider("words", others, "m")
                .limits(RelayLimits.defaults().withReplay(64, 1 << 20))
                .build();
        relays.add(relay);
        String stuck = started(relay, "{\"prompt\":\"hi\",\"provider\":\"endless\"}");
        BlockingOutputStream blocked = new BlockingOutputStream(16 * 1024);
        Subscription s = subscribe(relay, stuck, null);
        Thread t = Thread.ofVirtual().start(() -> s.deliver(new SseRelayWriter(blocked)));
        // the producer stops: the replay buffer (64 events) plus the stream's queue (256) plus what was written
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long n = slowOnes.produced.get();
            Thread.sleep(200); // measuring that a count stays put needs two readings apart in time
            return n > 0 && slowOnes.produced.get() == n;
        });
        assertTrue(slowOnes.produced.get() < 64 + 256 + 64 + 20, "bounded: " + slowOnes.produced.get());

        long t0 = System.nanoTime();
        Recorded r = readAll(relay, started(relay, "{\"prompt\":\"hi\",\"provider\":\"words\"}"), null);
        assertEquals(others.text(), r.text());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());

        blocked.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> slowOnes.produced.get() > 500);
        relay.cancel(stuck);
        t.join(5000);
    }

    @Test
    void upstreamFails_clientGetsTheDeltasThenError() {
        TestProvider p = new TestProvider(TestProvider.words(10));
        p.failAfter = 3;
        Relay relay = relay(p, b -> b);
        Recorded r = readAll(relay, started(relay, "{\"prompt\":\"hi\"}"), null);
        assertEquals(List.of("start", "delta", "delta", "delta", "error"), r.types());
        assertTrue(
                r.events().getLast().data().startsWith("{\"type\":\"overloaded_error\",\"message\":\""),
                r.events().getLast().data());
    }

    @Test
    void dropClients_connectedClient_deliveryEndsDroppedAndTheStreamResumes() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(30));
        p.stallAfter = 5;
        Relay relay = relay(p, b -> b);
        String c = started(relay, "{\"prompt\":\"hi\"}");
        SyncOutputStream out = new SyncOutputStream();
        AtomicReference<Subscription.Outcome> outcome = new AtomicReference<>();
        Subscription s = subscribe(relay, c, null);
        Thread t = Thread.ofVirtual().start(() -> outcome.set(s.deliver(new SseRelayWriter(out))));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Recorded.of(out.bytes()).events().size() == 6);
        assertTrue(relay.dropClients(c));
        t.join(5000);
        assertEquals(Subscription.Outcome.DROPPED, outcome.get());
        assertEquals(1, p.upstreamClosed.getCount());
        relay.subscribe(c, "6").close();
    }

    @Test
    void deliverAsync_wholeStreamResumedAndSlow_sameEventsAsDeliver() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(200));
        Relay relay = relay(p, b -> b);
        String c = started(relay, "{\"prompt\":\"hi\"}");
        Recorded whole = readAll(relay, c, null);
        for (String after : new String[] {null, "1", "77"}) {
            SyncOutputStream out = new SyncOutputStream();
            Subscription s = subscribe(relay, c, after);
            assertEquals(
                    Subscription.Outcome.COMPLETE,
                    s.deliverAsync(new SseRelayWriter(out))
                            .toCompletableFuture()
                            .get(5, TimeUnit.SECONDS));
            int from = after == null ? 0 : Integer.parseInt(after);
            assertEquals(
                    whole.events().subList(from, whole.events().size()),
                    Recorded.of(out.bytes()).events());
        }
    }

    /**
     * A client that resumes with the id of the stream's terminal event (it has the whole stream: an
     * {@code EventSource} reconnecting after {@code done}) is answered at once with nothing more,
     * by either delivery; it waited for an event that never comes, pinged forever.
     */
    @Test
    void deliver_resumedAfterTheTerminalEvent_completesAtOnceWithNothing() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(5));
        Relay relay = relay(p, b -> b);
        String c = started(relay, "{\"prompt\":\"hi\"}");
        Recorded whole = readAll(relay, c, null);
        String done = Long.toString(whole.ids().getLast());
        assertEquals("done", whole.types().getLast());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Subscription.Outcome> blocking = CompletableFuture.supplyAsync(
                () -> subscribe(relay, c, done).deliver(new SseRelayWriter(out)),
                r -> Thread.ofVirtual().start(r));
        assertEquals(Subscription.Outcome.COMPLETE, blocking.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), Recorded.of(out).events());

        SyncOutputStream async = new SyncOutputStream();
        assertEquals(
                Subscription.Outcome.COMPLETE,
                subscribe(relay, c, done)
                        .deliverAsync(new SseRelayWriter(async))
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), Recorded.of(async.bytes()).events());
    }

    /**
     * While events flow, one thread writes them all, each as it comes; a silence lets it go, and
     * the next event starts another: each written once, in order, on the delivery's threads.
     */
    @Test
    void deliverAsync_eventsFlowThenSilence_oneThreadWritesThemThenEndsAndTheRestWakesAnother() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(40));
        p.intervalMillis = 20; // a model's pace: a thread started per event would be a new one each time
        p.holdAfter = 30;
        Relay relay = relay(p, b -> b);
        String c = started(relay, "{\"prompt\":\"hi\"}");
        SyncOutputStream out = new SyncOutputStream();
        SseRelayWriter sse = new SseRelayWriter(out);
        java.util.Set<Thread> writers = java.util.concurrent.ConcurrentHashMap.newKeySet(); // before the silence
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CompletableFuture<Subscription.Outcome> done = subscribe(relay, c, null)
                .deliverAsync(new RelayWriter() {
                    @Override
                    public void send(long id, RelayEvent event) throws java.io.IOException {
                        if (id > 1 && id <= 31)
                            writers.add(Thread.currentThread()); // the first may come before the delivery waits
                        names.add(Thread.currentThread().getName());
                        sse.send(id, event);
                    }

                    @Override
                    public void heartbeat() throws java.io.IOException {
                        sse.heartbeat();
                    }

                    @Override
                    public void flush() throws java.io.IOException {
                        sse.flush();
                    }
                })
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Recorded.of(out.bytes()).events().size() == 31);
        assertEquals(1, writers.size(), "the deltas 20 ms apart were written by one thread");
        Thread writer = writers.iterator().next();
        long silentFrom = System.nanoTime();
        await().atMost(Duration.ofNanos(Subscription.LINGER_NANOS).plusSeconds(5))
                .until(() -> !writer.isAlive());
        assertTrue(
                System.nanoTime() - silentFrom
                        >= Subscription.LINGER_NANOS - Duration.ofMillis(300).toNanos(),
                "the thread waited its while for the next event before it ended");
        assertFalse(done.isDone());
        p.resume(); // the model goes on after its silence: the waiting delivery wakes on a new thread
        assertEquals(Subscription.Outcome.COMPLETE, done.get(5, TimeUnit.SECONDS));
        Recorded r = Recorded.of(out.bytes());
        assertEquals(LongStream.rangeClosed(1, 42).boxed().toList(), r.ids());
        assertEquals(p.text(), r.text());
        assertEquals(java.util.Set.of("sluice-relay-deliver-" + c), names);
    }

    @Test
    void deliverAsync_droppedOrClosedWhileWaiting_endsDroppedOrGone() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(30));
        p.stallAfter = 5;
        Relay relay = relay(p, b -> b.resumeWindow(Duration.ofMinutes(1)));
        String c = started(relay, "{\"prompt\":\"hi\"}");
        SyncOutputStream out = new SyncOutputStream();
        CompletableFuture<Subscription.Outcome> dropped =
                subscribe(relay, c, null).deliverAsync(new SseRelayWriter(out)).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Recorded.of(out.bytes()).events().size() == 6);
        assertTrue(relay.dropClients(c));
        assertEquals(Subscription.Outcome.DROPPED, dropped.get(5, TimeUnit.SECONDS));
        Subscription again = relay.subscribe(c, "6");
        CompletableFuture<Subscription.Outcome> closed =
                again.deliverAsync(new SseRelayWriter(new SyncOutputStream())).toCompletableFuture();
        again.close();
        assertEquals(Subscription.Outcome.CLIENT_GONE, closed.get(5, TimeUnit.SECONDS));
        assertEquals(1, p.upstreamClosed.getCount(), "the stream runs on for the resume window");
        assertThrows(IllegalStateException.class, () -> again.deliverAsync(new SseRelayWriter(new SyncOutputStream())));
    }

    @Test
    void retention_afterTheEnd_streamIsForgotten() {
        TestProvider p = new TestProvider(TestProvider.words(3));
        Relay relay = relay(p, b -> b.retention(Duration.ofMillis(200)));
        String c = started(relay, "{\"prompt\":\"hi\"}");
        readAll(relay, c, null);
        await().atMost(Duration.ofSeconds(3)).until(() -> !relay.contains(c));
        refused(RelayException.Kind.NOT_FOUND, () -> relay.subscribe(c, null));
    }

    @Test
    void retention_moreEndedStreamsThanMaxStreams_theOldestAreForgotten() {
        TestProvider p = new TestProvider(TestProvider.words(3));
        Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withMaxStreams(2)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String c = started(relay, "{\"prompt\":\"hi\"}");
            readAll(relay, c, null);
            ids.add(c);
            await().atMost(Duration.ofSeconds(3)).until(() -> relay.activeStreams() == 0);
        }
        assertEquals(
                List.of(false, false, true, true),
                ids.stream().map(relay::contains).toList());
    }

    // ---- refusals

    @Test
    void start_unknownProvider_refusedNamingTheProvidersItHas() {
        Relay relay = relay(new TestProvider(List.of("a")), b -> b);
        RelayException e = refused(
                RelayException.Kind.UNKNOWN_PROVIDER, () -> started(relay, "{\"prompt\":\"hi\",\"provider\":\"x\"}"));
        assertTrue(e.getMessage().contains("\"x\"") && e.getMessage().contains("test"), e.getMessage());
        assertEquals(0, relay.activeStreams());
    }

    @Test
    void start_promptAndSystemOverTheLimit_promptTooLong() {
        TestProvider p = new TestProvider(List.of("a"));
        Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withMaxPromptChars(100)));
        RelayException e = refused(
                RelayException.Kind.PROMPT_TOO_LONG,
                () -> started(relay, "{\"prompt\":\"" + "a".repeat(90) + "\",\"system\":\"" + "b".repeat(20) + "\"}"));
        assertTrue(e.getMessage().contains("110 characters; at most 100"), e.getMessage());
        readAll(relay, started(relay, "{\"prompt\":\"" + "a".repeat(100) + "\"}"), null);
        assertEquals(1, p.requests.size(), "only the request within the limit reached the provider");
    }

    @Test
    void start_conversationOverTheCharOrMessageLimit_promptTooLong() {
        TestProvider p = new TestProvider(List.of("a"));
        Relay relay = relay(
                p, b -> b.limits(RelayLimits.defaults().withMaxPromptChars(100).withMaxMessages(3)));
        String turn = "{\"role\":\"user\",\"content\":\"" + "a".repeat(40)
                + "\"},{\"role\":\"assistant\",\"content\":\"" + "b".repeat(40) + "\"},";
        RelayException chars = refused(
                RelayException.Kind.PROMPT_TOO_LONG,
                () -> started(
                        relay,
                        "{\"messages\":[" + turn + "{\"role\":\"user\",\"content\":\"" + "c".repeat(21) + "\"}]}"));
        assertTrue(
                chars.getMessage().contains("the conversation and system prompt have 101 characters; at most 100"),
                chars.getMessage());
        String short_ = "{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"},";
        RelayException count = refused(
                RelayException.Kind.PROMPT_TOO_LONG,
                () -> started(relay, "{\"messages\":[" + short_ + short_ + "{\"role\":\"user\",\"content\":\"q\"}]}"));
        assertTrue(count.getMessage().contains("has 5 messages; at most 3"), count.getMessage());
        readAll(relay, started(relay, "{\"messages\":[" + short_ + "{\"role\":\"user\",\"content\":\"q\"}]}"), null);
        assertEquals(1, p.requests.size(), "only the conversation within the limits reached the provider");
        assertEquals(3, p.requests.getFirst().messages().size());
    }

    @Test
    void start_moreThanMaxStreams_tooManyStreamsUntilOneEnds() {
        TestProvider p = new TestProvider(TestProvider.words(5));
        p.stallAfter = 1;
        Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withMaxStreams(2)));
        String first = started(relay, "{\"prompt\":\"hi\"}");
        started(relay, "{\"prompt\":\"hi\"}");
        RelayException e = refused(RelayException.Kind.TOO_MANY_STREAMS, () -> started(relay, "{\"prompt\":\"hi\"}"));
        assertTrue(e.getMessage().contains("2 streams"), e.getMessage());
        relay.cancel(first);
        await().atMost(Duration.ofSeconds(3)).until(() -> relay.activeStreams() == 1);
        started(relay, "{\"prompt\":\"hi\"}");
    }

    @Test
    void start_afterClose_tooManyStreams() {
        Relay relay = relay(new TestProvider(List.of("a")), b -> b);
        relay.close();
        refused(RelayException.Kind.TOO_MANY_STREAMS, () -> started(relay, "{\"prompt\":\"hi\"}"));
    }

    @Test
    void start_onEnd_runsOnceWhenTheStreamEndsAndNotWhenRefused() throws Exception {
        TestProvider p = new TestProvider(TestProvider.words(5));
        p.stallAfter = 2;
        Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withMaxStreams(1)));
        AtomicInteger ends = new AtomicInteger();
        AtomicReference<RelayEvent> last = new AtomicReference<>();
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"), e -> {
            last.set(e);
            ends.incrementAndGet();
        });
        refused(
                RelayException.Kind.TOO_MANY_STREAMS,
                () -> relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"), e -> ends.incrementAndGet()));
        refused(
                RelayException.Kind.UNKNOWN_PROVIDER,
                () -> relay.start(
                        StartRequest.parse("{\"prompt\":\"hi\",\"provider\":\"x\"}"), e -> ends.incrementAndGet()));
        assertEquals(0, ends.get(), "the stream still runs; the refused ones never started");
        relay.cancel(id);
        await().atMost(Duration.ofSeconds(3)).until(() -> relay.activeStreams() == 0);
        assertEquals(1, ends.get(), "it ran before the stream stopped counting");
        assertEquals(new RelayEvent.Cancelled("cancelled by the client"), last.get(), "with the terminal event");
        relay.cancel(id);
        readAll(relay, id, null);
        assertEquals(1, ends.get());
    }

    @Test
    void start_onEnd_runsBeforeAnyClientCanReadTheEnd_soTheNextStreamStartsAtOnce() {
        for (boolean cancelled : new boolean[] {false, true}) {
            TestProvider p = new TestProvider(TestProvider.words(3));
            if (cancelled) p.stallAfter = 1;
            Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withMaxStreams(1)));
            AtomicReference<String> id = new AtomicReference<>();
            AtomicReference<Boolean> endVisible = new AtomicReference<>();
            id.set(relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"), last -> {
                await().atMost(Duration.ofSeconds(5)).until(() -> id.get() != null); // start may not have returned yet
                RelayedStream held = relay.held(id.get());
                held.buffer.lock.lock();
                try {
                    endVisible.set(held.buffer.ended());
                } finally {
                    held.buffer.lock.unlock();
                }
            }));
            if (cancelled) relay.cancel(id.get());
            readAll(relay, id.get(), null);
            assertEquals(false, endVisible.get(), "the hook ran before the terminal event was in the buffer");
            // a client that has read the end starts its next stream at once, at the limit of one
            relay.start(StartRequest.parse("{\"prompt\":\"again\"}"), last -> {});
        }
    }

    @Test
    void subscribe_unknownStream_notFound() {
        Relay relay = relay(new TestProvider(List.of("a")), b -> b);
        RelayException e = refused(RelayException.Kind.NOT_FOUND, () -> relay.subscribe("nope", null));
        assertTrue(e.getMessage().contains("\"nope\""), e.getMessage());
    }

    @Test
    void subscribe_lastEventIdNotAnIdOfTheStream_invalidRequest() {
        TestProvider p = new TestProvider(TestProvider.words(10));
        Relay relay = relay(p, b -> b);
        String id = started(relay, "{\"prompt\":\"hi\"}");
        readAll(relay, id, null);
        for (String bad : List.of("abc", "-1", "1.5", "13")) {
            refused(RelayException.Kind.INVALID_REQUEST, () -> relay.subscribe(id, bad));
        }
        relay.subscribe(id, " 12 ").close();
    }

    @Test
    void subscribe_pastTheReplayBuffer_replayUnavailable() {
        TestProvider p = new TestProvider(TestProvider.words(100));
        Relay relay = relay(p, b -> b.limits(RelayLimits.defaults().withReplay(16, 1 << 20)));
        String id = started(relay, "{\"prompt\":\"hi\"}");
        readAll(relay, id, null);
        RelayException gone = refused(RelayException.Kind.REPLAY_UNAVAILABLE, () -> relay.subscribe(id, "3"));
        assertTrue(gone.getMessage().contains("start a new stream"), gone.getMessage());
        // the last 16 events (and the terminal one) are still there
        assertEquals(
                LongStream.rangeClosed(90, 102).boxed().toList(),
                readAll(relay, id, "89").ids());
    }

    @Test
    void builder_badSettings_throwNamingThem() {
        assertThrows(IllegalStateException.class, () -> Relay.builder().build());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Relay.builder().heartbeat(Duration.ZERO));
        assertTrue(e.getMessage().contains("heartbeat"));
        assertThrows(IllegalArgumentException.class, () -> Relay.builder().resumeWindow(Duration.ofSeconds(-1)));
        assertThrows(
                IllegalArgumentException.class, () -> RelayLimits.defaults().withMaxStreams(0));
        TestProvider p = new TestProvider(List.of());
        assertThrows(
                IllegalArgumentException.class,
                () -> Relay.builder().provider("a", p, "m").provider("a", p, "m"));
    }

    // ---- test streams

    /** Takes bytes until a budget is spent, then fails every write, like a connection cut mid-event. */
    static final class CuttingOutputStream extends OutputStream {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int budget;

        CuttingOutputStream(int budget) {
            this.budget = budget;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (budget <= 0) throw new IOException("connection reset");
            int n = Math.min(len, budget);
            received.write(b, off, n);
            budget -= n;
            if (n < len) throw new IOException("connection reset");
        }

        byte[] received() {
            return received.toByteArray();
        }
    }

    /** A thread-safe in-memory response body. */
    static final class SyncOutputStream extends OutputStream {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }

        synchronized byte[] bytes() {
            return out.toByteArray();
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }

    /** Takes a budget of bytes, then blocks every write until released: a client that stopped reading. */
    static final class BlockingOutputStream extends OutputStream {
        private final CountDownLatch released = new CountDownLatch(1);
        private long budget;

        BlockingOutputStream(long budget) {
            this.budget = budget;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            budget -= len;
            if (budget < 0) {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        }

        void release() {
            released.countDown();
        }
    }
}
