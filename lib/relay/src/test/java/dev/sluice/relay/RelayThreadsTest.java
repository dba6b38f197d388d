package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How many threads a relayed stream holds while it waits for its model. */
class RelayThreadsTest {
    private final List<Relay> relays = new ArrayList<>();

    @AfterEach
    void closeRelays() {
        relays.forEach(Relay::close);
    }

    @Test
    void idleChatStream_afterItsFirstDelta_holdsOnlyTheModelsThread() throws Exception {
        TestProvider model = new TestProvider(List.of("Hello", " world"));
        model.stallAfter = 1; // the first delta, then silence until cancelled
        AtomicReference<Thread> relayThread =
                new AtomicReference<>(); // the thread that opens the source: the stream's own
        Relay relay = Relay.builder()
                .source("test", "m", (request, controller) -> {
                    relayThread.set(Thread.currentThread());
                    return RelaySource.chat(
                            request.provider(), request.model(), model.stream(request.toChatRequest(), controller));
                })
                .build();
        relays.add(relay);
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        RelayTest.SyncOutputStream out = new RelayTest.SyncOutputStream();
        Subscription s = relay.subscribe(id, null);
        Thread client = Thread.ofVirtual().start(() -> s.deliver(new SseRelayWriter(out)));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Recorded.of(out.bytes()).types().equals(List.of("start", "delta")));

        assertEquals("sluice-relay-" + id, relayThread.get().getName());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !relayThread.get().isAlive()); // the model's thread relays the rest
        assertEquals(1, model.produced.get());

        relay.cancel(id);
        client.join(5000);
        assertEquals(
                List.of("start", "delta", "cancelled"), Recorded.of(out.bytes()).types());
        assertEquals(0, model.upstreamClosed.getCount(), "the upstream was closed");
    }

    @Test
    void chatStream_relayedOnTheModelsThread_sameEventsAsPulled() {
        TestProvider model = new TestProvider(TestProvider.words(300));
        Relay relay = Relay.builder().provider("test", model, "m").build();
        relays.add(relay);
        String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        Recorded r = Recorded.of(out);
        assertEquals(model.text(), r.text());
        assertEquals("start", r.types().getFirst());
        assertEquals("done", r.types().getLast());
        assertTrue(
                r.events().getLast().data().contains("\"finishReason\":\"stop\""),
                r.events().getLast().data());
    }
}
