package dev.sluice.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** Each relay connection is a dev.sluice.RelayConnection event with its counts. */
class RelayJfrTest {
    @Test
    void deliver_newThenResumedConnection_oneEventEachWithTheirCountsAndBytes() {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        Relay relay = Relay.builder()
                .provider("test", new TestProvider(TestProvider.words(10)), "test-model")
                .build();
        try (RecordingStream r = new RecordingStream()) {
            r.enable("dev.sluice.RelayConnection");
            r.onEvent("dev.sluice.RelayConnection", seen::add);
            r.startAsync();
            String id = relay.start(StartRequest.parse("{\"prompt\":\"hi\"}"));
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            Subscription first = relay.subscribe(id, null);
            assertEquals(Subscription.Outcome.COMPLETE, first.deliver(new SseRelayWriter(whole)));
            long total = first.lastEventId();
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            Subscription resumed = relay.subscribe(id, "3");
            assertEquals(Subscription.Outcome.COMPLETE, resumed.deliver(new SseRelayWriter(rest)));
            // this stream's: connections of other tests' relays in this JVM may end while it runs
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> seen.stream()
                                    .filter(e -> id.equals(e.getString("streamId")))
                                    .count()
                            == 2);
            List<RecordedEvent> mine = seen.stream()
                    .filter(e -> id.equals(e.getString("streamId")))
                    .toList();

            RecordedEvent a = mine.stream()
                    .filter(e -> e.getString("resumedFrom").isEmpty())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(mine.toString()));
            assertEquals(total, a.getLong("eventsSent"));
            assertEquals(0, a.getLong("eventsReplayed"));
            assertEquals(whole.size(), a.getLong("bytesSent"));
            assertEquals("completed", a.getString("endReason"));

            RecordedEvent b = mine.stream()
                    .filter(e -> e.getString("resumedFrom").equals("3"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(mine.toString()));
            assertEquals(total - 3, b.getLong("eventsSent"));
            assertEquals(
                    total - 3, b.getLong("eventsReplayed"), "the stream had ended: everything came from the buffer");
            assertEquals(rest.size(), b.getLong("bytesSent"));
        } finally {
            relay.close();
        }
    }

    @Test
    void direct_aRunStraightToItsClient_oneEventNamedAsTheRunWithItsCounts() {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        TestProvider model = new TestProvider(TestProvider.words(10));
        Relay relay = Relay.builder().provider("test", model, "test-model").build();
        try (RecordingStream r = new RecordingStream()) {
            r.enable("dev.sluice.RelayConnection");
            r.onEvent("dev.sluice.RelayConnection", seen::add);
            r.startAsync();
            DirectRun run = relay.direct(
                    StartRequest.parse("{\"prompt\":\"hi\"}"),
                    (admitted, controller) ->
                            RelaySource.chat("test", "test-model", model.stream(admitted.toChatRequest(), controller)),
                    last -> {},
                    "chatcmpl-jfr");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SseRelayWriter writer = new SseRelayWriter(out);
            assertEquals(
                    Subscription.Outcome.COMPLETE,
                    run.start(writer).toCompletableFuture().join());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> seen.stream().anyMatch(e -> "chatcmpl-jfr".equals(e.getString("streamId"))));
            RecordedEvent e = seen.stream()
                    .filter(x -> "chatcmpl-jfr".equals(x.getString("streamId")))
                    .findFirst()
                    .orElseThrow();
            long events = out.toString(java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> l.startsWith("id: "))
                    .count();
            assertEquals(events, e.getLong("eventsSent"), out.toString(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(out.size(), e.getLong("bytesSent"));
            assertEquals("completed", e.getString("endReason"));
            assertEquals("", e.getString("resumedFrom"));
        } finally {
            relay.close();
        }
    }
}
