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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A relay reading another node's stream through a shared store (two relays on one
 * {@link SharedMemoryStore}), whatever its own replay buffer holds: a stream larger than that
 * buffer, or one event larger than it, is delivered through it; a client refused, or gone, gives
 * the node's place for the stream back; no wait of the follower outlasts its bound.
 */
class RelayReplicaTest {
    /** Node B's buffer: 16 events, 1 KiB; node A keeps the defaults (8,192 events, 2 MiB). */
    private static final RelayLimits SMALL = RelayLimits.defaults().withReplay(16, 1024);

    private final SharedMemoryStore store = new SharedMemoryStore();
    private final FakeClock clock = new FakeClock();
    private final List<Relay> relays = new ArrayList<>();

    @AfterEach
    void closeRelays() {
        relays.forEach(Relay::close);
    }

    /** A node that runs streams from {@code model}, with the default limits. */
    private Relay running(String node, TestProvider model) {
        Relay r = Relay.builder()
                .provider("test", model, "m")
                .store(store.node(node))
                .attachTimeout(Duration.ofMinutes(1))
                .build();
        relays.add(r);
        return r;
    }

    /** Node B, whose clients read the other nodes' streams, on the fake clock. */
    private Relay nodeB(UnaryOperator<Relay.Builder> settings) {
        Relay r = settings.apply(Relay.builder()
                        .provider("test", new TestProvider(List.of()), "m")
                        .store(store.node("b"))
                        .limits(SMALL)
                        .nanoTime(clock))
                .build();
        relays.add(r);
        return r;
    }

    /** {@return a stream of that node's that has ended, every event of it stored} */
    private String endedOn(Relay a, TestProvider model) {
        String id = a.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        int events = model.deltas.size() + 2; // start, the deltas, done
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored(id) == events);
        return id;
    }

    /** {@return everything a client of {@code relay} gets of the stream from its first event} Fails if that takes 5 s. */
    private static Recorded readAll(Relay relay, String id) throws Exception {
        CompletableFuture<Recorded> read = CompletableFuture.supplyAsync(
                () -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    assertEquals(
                            Subscription.Outcome.COMPLETE,
                            relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
                    return Recorded.of(out);
                },
                r -> Thread.ofVirtual().start(r));
        return read.get(5, TimeUnit.SECONDS);
    }

    private static void assertWhole(TestProvider model, Recorded got) {
        assertEquals("start", got.types().getFirst());
        assertEquals("done", got.types().getLast());
        assertEquals(LongStream.rangeClosed(1, model.deltas.size() + 2).boxed().toList(), got.ids());
        assertEquals(model.text(), got.text());
    }

    /** {@return a stream of node A's that sent two deltas and runs on, silent, every event of it stored} */
    private String runningSilently() {
        TestProvider model = deltas(10, 10);
        model.stallAfter = 2;
        String id = running("a", model).start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored(id) == 3);
        return id;
    }

    /** Asserts that a client of {@code b} reads a stream of yet another node whole: {@code b} has a place for it. */
    private void assertServesAnotherNodesStream(Relay b) throws Exception {
        TestProvider small = deltas(3, 10);
        assertWhole(small, readAll(b, endedOn(running("c", small), small)));
    }

    private static TestProvider deltas(int n, int chars) {
        return new TestProvider(Collections.nCopies(n, "x".repeat(chars)));
    }

    static Stream<Named<List<String>>> oversized() {
        return Stream.of(
                Named.of("26 KB in 202 events", Collections.nCopies(200, "x".repeat(100))),
                Named.of("one event of 4 KB", List.of("a", "y".repeat(4096), "b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversized")
    void subscribe_anotherNodesStreamLargerThanThisNodesBuffer_deliveredWholeThroughIt(List<String> deltas)
            throws Exception {
        TestProvider model = new TestProvider(deltas);
        Relay b = nodeB(x -> x);
        assertWhole(model, readAll(b, endedOn(running("a", model), model)));
    }

    @Test
    void subscribe_moreOversizedStreamsThanThisNodeFollowsAtOnce_eachDeliveredAndAnotherServedAfter() throws Exception {
        TestProvider model = deltas(100, 100);
        Relay a = running("a", model);
        Relay b = nodeB(x -> x.limits(SMALL.withMaxStreams(2)));
        for (int i = 0; i < 5; i++) {
            String id = endedOn(a, model);
            assertWhole(model, readAll(b, id));
            await().atMost(Duration.ofSeconds(5)).until(() -> !b.contains(id)); // followed to its end: forgotten
        }
        assertServesAnotherNodesStream(b);
    }

    @Test
    void subscribe_clientLeavesAFollowedStreamThatFillsTheBuffer_followingStopsAtTheResumeWindowAndItsPlaceIsFree()
            throws Exception {
        TestProvider model = deltas(100, 100);
        Relay a = running("a", model);
        Relay b = nodeB(x -> x.limits(SMALL.withMaxStreams(1)).resumeWindow(Duration.ofSeconds(10)));
        String id = endedOn(a, model);
        CompletableFuture.supplyAsync(
                        () -> b.subscribe(id, null), r -> Thread.ofVirtual().start(r))
                .get(5, TimeUnit.SECONDS)
                .close();
        clock.advance(Duration.ofSeconds(10).minusNanos(1));
        b.settings.clock().schedule(() -> {}, Duration.ZERO).get(5, TimeUnit.SECONDS); // the timer has run what is due
        assertTrue(b.contains(id), "stopped following before the resume window passed");
        clock.advance(Duration.ofNanos(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.contains(id));
        assertServesAnotherNodesStream(b);
    }

    /**
     * A client that read another node's stream to its end (on that node, or a third) and resumes
     * here with the terminal event's id gets nothing more, at once; the replica ends and gives its
     * place back. It waited forever: a replica loaded to the end has nothing more to hand on.
     */
    @Test
    void subscribe_anotherNodesEndedStreamAfterItsTerminalEvent_completesAtOnceWithNothingAndItsPlaceIsFree()
            throws Exception {
        TestProvider model = deltas(5, 10);
        Relay b = nodeB(x -> x.limits(SMALL.withMaxStreams(1)));
        String id = endedOn(running("a", model), model);
        String done = Long.toString(model.deltas.size() + 2);
        CompletableFuture<Recorded> resumed = CompletableFuture.supplyAsync(
                () -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    assertEquals(
                            Subscription.Outcome.COMPLETE, b.subscribe(id, done).deliver(new SseRelayWriter(out)));
                    return Recorded.of(out);
                },
                r -> Thread.ofVirtual().start(r));
        assertEquals(List.of(), resumed.get(5, TimeUnit.SECONDS).events());
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.contains(id));
        assertServesAnotherNodesStream(b);
    }

    @Test
    void subscribe_malformedLastEventIdForAnotherNodesStream_refusedWithoutHoldingAPlace() throws Exception {
        Relay b = nodeB(x -> x.limits(SMALL.withMaxStreams(1)).resumeWindow(Duration.ZERO));
        String running = runningSilently();
        RelayException e = assertThrows(RelayException.class, () -> b.subscribe(running, "three"));
        assertEquals(RelayException.Kind.INVALID_REQUEST, e.kind());
        assertFalse(b.contains(running));
        assertServesAnotherNodesStream(b);
    }

    @Test
    void subscribe_lastEventIdBeyondAnotherNodesStream_refusedAfterTheCatchUpAndItsPlaceIsFree() throws Exception {
        Relay b = nodeB(x -> x.limits(SMALL.withMaxStreams(1)).resumeWindow(Duration.ZERO));
        String running = runningSilently();
        CompletableFuture<Subscription> resumed = CompletableFuture.supplyAsync(
                () -> b.subscribe(running, "99"), r -> Thread.ofVirtual().start(r));
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> { // the catch-up wait passes by B's clock
                            clock.advance(Duration.ofSeconds(1));
                            return resumed.isDone();
                        });
        ExecutionException e = assertThrows(ExecutionException.class, resumed::get);
        assertEquals(RelayException.Kind.INVALID_REQUEST, ((RelayException) e.getCause()).kind());
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.contains(running));
        assertServesAnotherNodesStream(b);
    }
}
