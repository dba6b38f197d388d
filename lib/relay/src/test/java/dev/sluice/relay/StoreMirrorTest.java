package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
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
        relay = Relay.builder().provider("test", model, "m").store(store.node("a")).build();
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
        assertEquals(List.of(), store.appenders.stream().filter(Thread::isAlive).filter(t -> t.getName().contains(id)).toList());
    }
}
