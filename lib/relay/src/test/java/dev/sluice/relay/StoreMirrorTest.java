package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The copy of a running stream to a shared store: written as the events come, by a thread that
 * lingers while they flow and ends in a silence, so a stream waiting for its model holds no thread
 * for its store; the next event wakes it again, and the copy goes on to the terminal event.
 */
class StoreMirrorTest {
    private final SharedMemoryStore store = new SharedMemoryStore();
    private Relay relay;

    @AfterEach
    void close() {
        if (relay != null) relay.close();
    }

    @Test
    void streamWaitingForItsModel_holdsNoStoreWriterThread_thenItsNextEventsAreStoredToTheEnd() throws Exception {
        TestProvider model = new TestProvider(TestProvider.words(10));
        model.holdAfter = 3;
        relay = Relay.builder()
                .provider("test", model, "m")
                .store(store.node("a"))
                .build();
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored(id) == 4); // start and three deltas
        // the writer lingers as a delivery does (RelayTest times that), then ends
        await().atMost(Duration.ofNanos(Subscription.LINGER_NANOS).plusSeconds(5))
                .until(() -> store.appenders.stream().noneMatch(Thread::isAlive));
        model.resume();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored(id) == 12); // the rest and done
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        assertEquals(model.text(), Recorded.of(out).text());
        assertEquals(
                List.of(),
                store.appenders.stream()
                        .filter(Thread::isAlive)
                        .filter(t -> t.getName().contains(id))
                        .toList());
    }

    /**
     * A stream longer than the buffer that no client reads yet waits for one, as it does without a
     * store: the store's writer alone frees no room. Before, it let the buffer drop the first
     * events once stored, and the client that came a moment late (a POST, then its GET) was
     * refused with {@code REPLAY_UNAVAILABLE}.
     */
    @Test
    void streamLongerThanTheBuffer_noClientYet_waitsForOne_whoGetsEveryEvent() throws Exception {
        TestProvider model = new TestProvider(TestProvider.words(80));
        relay = Relay.builder()
                .provider("test", model, "m")
                .store(store.node("a"))
                .limits(RelayLimits.defaults().withReplay(16, 1 << 20))
                .build();
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> endedOrWaitsForRoom(id));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        assertEquals(model.text(), Recorded.of(out).text());
        assertEquals(82, Recorded.of(out).ids().size());
    }

    /** So does one whose client left within the resume window: the client comes back to every event after its last. */
    @Test
    void streamLongerThanTheBuffer_itsClientLeft_waitsForItsReturn_thenDeliversTheRest() throws Exception {
        TestProvider model = new TestProvider(TestProvider.words(80));
        relay = Relay.builder()
                .provider("test", model, "m")
                .store(store.node("a"))
                .resumeWindow(Duration.ofSeconds(30))
                .limits(RelayLimits.defaults().withReplay(16, 1 << 20))
                .build();
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        RelayTest.CuttingOutputStream cut = new RelayTest.CuttingOutputStream(300);
        relay.subscribe(id, null).deliver(new SseRelayWriter(cut));
        Recorded first = Recorded.of(cut.received());
        String last = first.events().getLast().lastEventId();
        await().atMost(Duration.ofSeconds(5)).until(() -> endedOrWaitsForRoom(id));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, last).deliver(new SseRelayWriter(out)));
        assertEquals(model.text(), first.text() + Recorded.of(out).text());
    }

    /**
     * A store that lost the newest events it had taken (a Redis primary killed before its replica
     * got them, the replica promoted) refuses the next batch rather than store it after a hole; the
     * writer writes the lost events again from its buffer, and the store ends with every event once.
     */
    @Test
    void storeLostItsNewestEvents_theWriterWritesThemAgain_theStoreHoldsEveryEventOnce() throws Exception {
        TestProvider model = new TestProvider(TestProvider.words(20));
        model.holdAfter = 8;
        relay = Relay.builder()
                .provider("test", model, "m")
                .store(store.node("a"))
                .build();
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.stored(id) == 9); // start and eight deltas
        store.loseNewest(id, 5);
        model.resume();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> store.events(id).size() == 22
                        && StoredEvents.decode(store.events(id).getLast())
                                .event()
                                .terminal());
        assertEquals(
                LongStream.rangeClosed(1, 22).boxed().toList(),
                store.events(id).stream().map(e -> StoredEvents.decode(e).id()).toList());
        assertEquals(model.text(), text(store.events(id)));
    }

    /**
     * A store that lost a whole stream (a Redis restarted empty) gets again what the replay limits
     * keep, from the writer's buffer: from the oldest event within them to the end, with no hole.
     */
    @Test
    void storeLostTheWholeStream_theWriterWritesAgainWhatTheLimitsKeep_withoutAHole() throws Exception {
        TestProvider model = new TestProvider(TestProvider.words(80));
        model.holdAfter = 40;
        relay = Relay.builder()
                .provider("test", model, "m")
                .store(store.node("a"))
                .resumeWindow(Duration.ofSeconds(30))
                .limits(RelayLimits.defaults().withReplay(16, 1 << 20))
                .build();
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Subscription reader = relay.subscribe(id, null); // a client reads as it comes: the buffer lets go of the oldest
        Thread reading = Thread.ofVirtual().start(() -> reader.deliver(new SseRelayWriter(out)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !store.events(id).isEmpty()
                        && StoredEvents.decode(store.events(id).getLast()).id() == 41);
        store.loseNewest(id, 100);
        model.resume();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !store.events(id).isEmpty()
                        && StoredEvents.decode(store.events(id).getLast())
                                .event()
                                .terminal());
        List<Long> ids =
                store.events(id).stream().map(e -> StoredEvents.decode(e).id()).toList();
        assertEquals(LongStream.rangeClosed(ids.getFirst(), 82).boxed().toList(), ids);
        assertTrue(ids.getFirst() <= 82 - 16 + 1 && ids.getFirst() > 1, "what the limits keep: " + ids.getFirst());
        reading.join(5_000);
        assertEquals(model.text(), Recorded.of(out).text());
    }

    /** {@return the text of stored events' deltas} */
    private static String text(List<String> stored) {
        StringBuilder sb = new StringBuilder();
        for (String e : stored) if (StoredEvents.decode(e).event() instanceof RelayEvent.Delta d) sb.append(d.text());
        return sb.toString();
    }

    /**
     * {@return whether the stream has ended (the store's writer let the buffer drop what it had
     * stored), or its pump waits for room in a full buffer (no client reads it, none waits)}
     */
    private boolean endedOrWaitsForRoom(String id) {
        ReplayBuffer b = relay.held(id).buffer;
        b.lock.lock();
        try {
            return b.ended() || b.lastId() - b.firstId() + 1 == 16 && b.lock.hasWaiters(b.changed);
        } finally {
            b.lock.unlock();
        }
    }
}
