package dev.sluice.anthropic;

import static dev.sluice.FakeServers.released;
import static dev.sluice.anthropic.ClientTestSupport.BLOCK_START;
import static dev.sluice.anthropic.ClientTestSupport.MESSAGE_START;
import static dev.sluice.anthropic.ClientTestSupport.delta;
import static dev.sluice.anthropic.ClientTestSupport.holding;
import static dev.sluice.anthropic.ClientTestSupport.textStream;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the Anthropic client's streams end, over raw loopback sockets: one terminal state,
 * consistent whichever thread ends them (a close between {@code hasNext()} and {@code next()}, a
 * mapping or accumulation failure, two threads opening with one controller), and a non-streaming
 * body cut short by the client's close.
 */
class AnthropicStreamEndsTest {
    private static final Duration AWAIT = Duration.ofSeconds(10);
    private static final ChatRequest CHAT = ChatRequest.builder()
            .model("claude-test")
            .addMessage(ChatMessage.user("Hello"))
            .build();
    /** A second message_start: events in an impossible order for the accumulator and the chunk mapper. */
    private static final String SECOND_START = MESSAGE_START;

    private FakeLlmServer server;
    private AnthropicClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null)
            server.close(); // first: a response leaked by a failing test would hold up the client's close
        if (client != null) client.close();
    }

    /** Starts the fake server answering every request with {@code response}, and a client of it. */
    private void serve(FakeResponse response) {
        server = FakeLlmServer.start();
        server.setDispatcher(r -> response);
        client = ClientTestSupport.client(server.baseUrl().toString()).build();
    }

    @Test
    void next_closedFromAnotherThreadAfterHasNext_returnsTheAnnouncedEventThenHasNextFalse() throws Exception {
        serve(holding(MESSAGE_START + BLOCK_START + delta("x")));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            Iterator<StreamEvent> it = stream.iterator();
            assertInstanceOf(MessageStart.class, it.next());
            assertTrue(it.hasNext());
            Thread.ofVirtual().start(stream::close).join();
            assertInstanceOf(ContentBlockStart.class, it.next());
            assertFalse(it.hasNext());
            assertEquals(EndReason.CANCELLED, stream.endReason().orElseThrow());
        }
    }

    @Test
    void next_chatStreamClosedFromAnotherThreadAfterHasNext_returnsTheAnnouncedChunkThenHasNextFalse()
            throws Exception {
        serve(holding(MESSAGE_START + BLOCK_START + delta("a") + delta("b")));
        try (EventStream<MessageChunk> chunks = client.stream(CHAT)) {
            Iterator<MessageChunk> it = chunks.iterator();
            while (!it.next().text().equals("a")) {
                /* the chunks before the first text */
            }
            assertTrue(it.hasNext());
            Thread.ofVirtual().start(chunks::close).join();
            assertEquals("b", it.next().text());
            assertFalse(it.hasNext());
            assertEquals(EndReason.CANCELLED, chunks.endReason().orElseThrow());
        }
    }

    @Test
    void hasNext_chatStreamEventsInAnImpossibleOrder_failsOnceWithContextEndsFailedAndReleasesTheConnection()
            throws Exception {
        serve(holding(MESSAGE_START + BLOCK_START + delta("ok") + SECOND_START + delta("never")));
        List<String> texts = new ArrayList<>();
        try (EventStream<MessageChunk> chunks = client.stream(CHAT)) {
            Iterator<MessageChunk> it = chunks.iterator();
            ProtocolException e = assertThrows(ProtocolException.class, () -> {
                while (it.hasNext()) texts.add(it.next().text());
            });
            assertTrue(e.getMessage().contains("impossible order"), e.getMessage());
            assertEquals("req_raw", e.requestId().orElseThrow());
            ChatResponse partial = e.partial(ChatResponse.class).orElseThrow();
            assertEquals("ok", partial.text());
            assertFalse(partial.complete());

            assertEquals(EndReason.FAILED, chunks.endReason().orElseThrow());
            assertSame(e, chunks.failure().orElseThrow());
            assertFalse(it.hasNext(), "iteration does not go on after the failure");
            await().atMost(AWAIT).until(() -> released(server, 1)); // the body is closed, not left to the close()
            await().atMost(AWAIT).until(() -> client.openCount() == 0); // and the stream has ended
        }
        assertEquals("ok", String.join("", texts));
    }

    @Test
    void endReason_streamCompletedBeforeTheConsumerMetAnImpossibleOrder_failedWithThatFailure() throws Exception {
        serve(holding(textStream("a").replace(ClientTestSupport.BLOCK_STOP, SECOND_START)));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            await().atMost(AWAIT).until(() -> stream.endReason().isPresent()); // message_stop read: COMPLETED
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
            Iterator<StreamEvent> it = stream.iterator();
            ProtocolException e = assertThrows(ProtocolException.class, () -> {
                while (it.hasNext()) it.next();
            });
            assertEquals(EndReason.FAILED, stream.endReason().orElseThrow());
            assertSame(e, stream.failure().orElseThrow());
            assertEquals(EndReason.FAILED, stream.metrics().endReason().orElseThrow());
            assertEquals("req_raw", e.requestId().orElseThrow());
            assertEquals("a", e.partial(Message.class).orElseThrow().text());
            assertFalse(it.hasNext());
            assertSame(e, assertThrows(ProtocolException.class, stream::result));
            Thread producer = stream.producerThread().orElseThrow();
            await().atMost(AWAIT).until(() -> !producer.isAlive());
        }
    }

    @Test
    void stream_oneControllerFromTwoThreadsAtOnce_oneSendsTheOtherThrowsBeforeSending() throws Exception {
        serve(holding(MESSAGE_START + BLOCK_START + delta("x")));
        Thread[] openers = new Thread[2];
        AtomicBoolean first = new AtomicBoolean(true);
        // The clock holds whichever thread starts the controller first until the other one waits
        // on the controller too: both are past any "is it started?" check before either starts it.
        // Unless the other one has already been refused (its claim came between this one's claim
        // and its start): then it is over, and there is nothing to wait for.
        LongSupplier clock = () -> {
            if (inController() && first.getAndSet(false)) {
                Thread other = openers[0] == Thread.currentThread() ? openers[1] : openers[0];
                await().atMost(AWAIT)
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> other.getState() == Thread.State.TERMINATED
                                || other.getState() == Thread.State.WAITING
                                        && Arrays.stream(other.getStackTrace())
                                                .anyMatch(f ->
                                                        f.getClassName().equals(StreamController.class.getName())));
            }
            return System.nanoTime();
        };
        StreamController shared =
                StreamController.of(StreamOptions.builder().nanoTime(clock).build());
        List<CompletableFuture<MessageStream>> outcomes = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            CompletableFuture<MessageStream> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            openers[i] = Thread.ofPlatform().unstarted(() -> {
                try {
                    go.await();
                    outcome.complete(client.messages().stream(ClientTestSupport.request(), shared));
                } catch (Throwable t) {
                    outcome.completeExceptionally(t);
                }
            });
        }
        for (Thread t : openers) t.start();
        go.countDown();
        List<MessageStream> opened = new ArrayList<>();
        List<Throwable> refused = new ArrayList<>();
        for (CompletableFuture<MessageStream> outcome : outcomes) {
            try {
                opened.add(outcome.get(10, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                refused.add(e.getCause());
            }
        }
        assertEquals(1, opened.size(), "one thread gets the stream");
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, refused.getFirst());
        assertTrue(e.getMessage().contains("already belongs to a stream"), e.getMessage());
        try (MessageStream stream = opened.getFirst()) {
            assertInstanceOf(MessageStart.class, stream.iterator().next());
            assertEquals(1, client.openCount(), "the refused call left the winner registered");
        }
        await().atMost(AWAIT).until(() -> released(server, 1));
        assertEquals(1, server.requestCount(), "only one request was sent");
        assertEquals(0, client.openCount());
    }

    private static boolean inController() {
        for (StackTraceElement f : Thread.currentThread().getStackTrace()) {
            if (f.getClassName().equals(StreamController.class.getName())) return true;
        }
        return false;
    }

    @Test
    void create_clientClosedWhileTheBodyDribbles_abortsPromptlyAndReleasesTheConnection() throws Exception {
        CountDownLatch bodyStarted = new CountDownLatch(1);
        String head = "{\"id\":\"msg_1\",";
        FakeResponse dribbling = FakeResponse.status(200)
                .body("application/json", head + " ".repeat(100_000 - head.length()))
                .header("request-id", "req_slow")
                .stallAfterBytes(head.length()); // the rest of the body never comes
        serve(dribbling);
        // The dispatcher runs as the request arrives, just before the server writes the head and the first bytes.
        server.setDispatcher(r -> {
            bodyStarted.countDown();
            return dribbling;
        });
        CompletableFuture<Message> created = CompletableFuture.supplyAsync(
                () -> client.messages().create(ClientTestSupport.request()),
                r -> Thread.ofVirtual().start(r));
        assertTrue(bodyStarted.await(10, TimeUnit.SECONDS));
        await().atMost(AWAIT).until(() -> client.openCount() == 1);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(
                client::close, r -> Thread.ofVirtual().start(r));

        ExecutionException e = assertThrows(ExecutionException.class, () -> created.get(5, TimeUnit.SECONDS));
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("the AnthropicClient was closed while the request was in flight", cause.getMessage());
        closed.get(5, TimeUnit.SECONDS);
        await().atMost(AWAIT).until(() -> released(server, 1));
        assertEquals(0, client.openCount());
    }
}
