package dev.sluice.anthropic;

import static dev.sluice.FakeServers.released;
import static dev.sluice.anthropic.ClientTestSupport.BLOCK_START;
import static dev.sluice.anthropic.ClientTestSupport.MESSAGE_START;
import static dev.sluice.anthropic.ClientTestSupport.PING;
import static dev.sluice.anthropic.ClientTestSupport.delta;
import static dev.sluice.anthropic.ClientTestSupport.holding;
import static dev.sluice.anthropic.ClientTestSupport.textStream;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.TransportException;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection-level behaviour over raw loopback sockets: drops, release at message_stop, timeouts, cancel, close, leaks. */
class AnthropicClientLoopbackTest {
    private static final Duration AWAIT = Duration.ofSeconds(10);
    private FakeLlmServer server;
    private AnthropicClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    /** Starts the fake server, its requests answered by these responses in turn, the last one again and again, and a client of it. */
    private void serve(FakeResponse... responses) {
        server = FakeLlmServer.start();
        for (int i = 0; i < responses.length - 1; i++) server.enqueue(responses[i]);
        FakeResponse last = responses[responses.length - 1];
        server.setDispatcher(r -> last);
        client = ClientTestSupport.client(server.baseUrl().toString()).build();
    }

    @Test
    void stream_connectionDroppedAfterContent_transportExceptionWithPartialAfterEveryEvent() throws Exception {
        // The drop comes once the consumer has an event: "after content" for certain. (Dropped at
        // once, the JDK may report the failure before the response, which is retried, rightly:
        // nothing had reached the user.)
        CountDownLatch received = new CountDownLatch(1);
        serve(FakeResponse.sse(MESSAGE_START + BLOCK_START + delta("a") + delta("b"))
                .header("request-id", "req_raw")
                .pauseAfter(4, received)
                .cutAfter(4)); // the connection closes without the terminating chunk
        List<StreamEvent> events = new ArrayList<>();
        TransportException e;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            e = assertThrows(TransportException.class, () -> {
                for (StreamEvent event : stream) {
                    events.add(event);
                    received.countDown();
                }
            });
            assertEquals(EndReason.FAILED, stream.endReason().orElseThrow());
        }
        assertEquals(4, events.size());
        assertEquals("ab", e.partial(Message.class).orElseThrow().text());
        assertEquals("req_raw", e.requestId().orElseThrow());
        assertEquals(1, server.requestCount());
    }

    @Test
    void stream_connectionDroppedBeforeContent_reopenedTransparently() throws Exception {
        serve(
                FakeResponse.sse(MESSAGE_START + PING).cutAfter(2), // then dropped
                FakeResponse.sse(textStream("second")));
        List<StreamEvent> events = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            for (StreamEvent e : stream) events.add(e);
            assertEquals("second", stream.result().text());
        }
        assertEquals(2, server.requestCount());
        assertEquals(1, events.stream().filter(e -> e instanceof MessageStart).count());
        assertFalse(events.stream().anyMatch(e -> e instanceof Ping));
    }

    @Test
    void stream_messageStop_releasesConnectionWhileServerKeepsItOpen() throws Exception {
        serve(holding(textStream("done")));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            assertEquals("done", stream.result().text());
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            await().atMost(AWAIT).until(() -> released(server, 1)); // before close(): at message_stop
        }
    }

    @Test
    void hasNext_onlyPingsAfterContent_idleTimeout() throws Exception {
        serve(FakeResponse.sse(MESSAGE_START + BLOCK_START + delta("x") + PING.repeat(200))
                .paced(Duration.ZERO, Duration.ofMillis(20)));
        StreamController controller = StreamController.of(
                StreamOptions.builder().idleTimeout(Duration.ofMillis(300)).build());
        List<StreamEvent> events = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request(), controller)) {
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, () -> {
                for (StreamEvent event : stream) events.add(event);
            });
            assertEquals(Timeout.IDLE, e.timeout());
            assertEquals("x", e.partial(Message.class).orElseThrow().text());
        }
        assertTrue(
                events.stream().filter(ev -> ev instanceof Ping).count() >= 5,
                "pings were delivered: " + events.size());
    }

    @Test
    void hasNext_onlyPingsAfterMessageStart_firstEventTimeout() throws Exception {
        serve(FakeResponse.sse(MESSAGE_START + PING.repeat(200)).paced(Duration.ZERO, Duration.ofMillis(20)));
        StreamController controller = StreamController.of(StreamOptions.builder()
                .firstEventTimeout(Duration.ofMillis(400))
                .build());
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request(), controller)) {
            StreamTimeoutException e = assertThrows(StreamTimeoutException.class, () -> {
                for (StreamEvent event : stream) {
                    /* pings and the held-back start are not content */
                }
            });
            assertEquals(Timeout.FIRST_EVENT, e.timeout());
        }
    }

    @Test
    void stream_noResponseHeaders_firstEventTimeoutThrownFromStream() throws Exception {
        serve(FakeResponse.noResponse());
        StreamController controller = StreamController.of(StreamOptions.builder()
                .firstEventTimeout(Duration.ofMillis(300))
                .build());
        long start = System.nanoTime();
        StreamTimeoutException e = assertThrows(
                StreamTimeoutException.class, () -> client.messages().stream(ClientTestSupport.request(), controller));
        assertEquals(Timeout.FIRST_EVENT, e.timeout());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000);
        assertEquals(1, server.requestCount());
        assertEquals(0, client.openCount());
    }

    @Test
    void cancel_fromAnotherThread_endsIterationAndReleasesConnection() throws Exception {
        serve(holding(MESSAGE_START + BLOCK_START + delta("x")));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            Iterator<StreamEvent> it = stream.iterator();
            it.next();
            it.next();
            it.next();
            Thread.ofVirtual()
                    .start(() -> stream.controller().cancel("user stop"))
                    .join();
            assertFalse(it.hasNext());
            assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
            IllegalStateException e = assertThrows(IllegalStateException.class, stream::result);
            assertTrue(e.getMessage().contains("user stop") && e.getMessage().contains("snapshot()"), e.getMessage());
            assertEquals("x", stream.snapshot().text());
            await().atMost(AWAIT).until(() -> released(server, 1));
        }
    }

    @Test
    void stream_controllerCancelledBeforeOpening_endsCancelledWithoutRequest() throws Exception {
        serve(holding(textStream("never")));
        StreamController controller = StreamController.create();
        controller.cancel("early");
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request(), controller)) {
            assertFalse(stream.iterator().hasNext());
            assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
        }
        assertEquals(0, server.requestCount());
    }

    @Test
    void result_chunkLimitReached_illegalStateNamingTheLimit() throws Exception {
        serve(holding(textStream("a", "b", "c", "d")));
        StreamController controller =
                StreamController.of(StreamOptions.builder().maxChunks(2).build());
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request(), controller)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, stream::result);
            assertTrue(e.getMessage().contains("chunk limit of 2"), e.getMessage());
            assertEquals(EndReason.CHUNK_LIMIT, stream.endReason().orElseThrow());
        }
    }

    @Test
    void close_clientWithOpenStreams_cancelsThemReleasesConnectionsAndEndsProducerThreads() throws Exception {
        serve(holding(MESSAGE_START + BLOCK_START + delta("x")));
        List<MessageStream> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) streams.add(client.messages().stream(ClientTestSupport.request()));
        for (MessageStream s : streams) {
            Iterator<StreamEvent> it = s.iterator();
            it.next();
        }
        assertEquals(3, client.openCount());
        List<Thread> producers =
                streams.stream().map(s -> s.producerThread().orElseThrow()).toList();
        assertTrue(producers.stream().allMatch(Thread::isAlive));
        assertTrue(producers.stream().allMatch(t -> t.getName().startsWith("sluice-anthropic-")));
        client.close();
        for (MessageStream s : streams)
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
        await().atMost(AWAIT).until(() -> released(server, 3));
        await().atMost(AWAIT).until(() -> producers.stream().noneMatch(Thread::isAlive));
        assertEquals(0, client.openCount());
        assertThrows(IllegalStateException.class, () -> client.messages().stream(ClientTestSupport.request()));
        assertTrue(client.toString().contains("closed"));
    }

    @Test
    void stream_droppedWithoutClose_cleanedUpAndConnectionReleased() throws Exception {
        serve(holding(MESSAGE_START + BLOCK_START + delta("x")));
        openAndForget();
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return released(server, 1);
        });
        await().atMost(AWAIT).until(() -> client.openCount() == 0);
    }

    private void openAndForget() {
        MessageStream stream = client.messages().stream(ClientTestSupport.request());
        stream.iterator().next();
    }
}
