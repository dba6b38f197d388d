package dev.sluice.anthropic;

import static dev.sluice.anthropic.ClientTestSupport.apiError;
import static dev.sluice.anthropic.ClientTestSupport.replay;
import static dev.sluice.anthropic.ClientTestSupport.textStream;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.StreamCaller;
import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.LogCapture;
import dev.sluice.testkit.FakeLlmExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a client's StreamObserver sees, through a real loopback server. */
class AnthropicStreamObserverTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;
    private final Recorder recorder = new Recorder();

    /** Records every call, per stream. */
    static final class Recorder implements StreamObserver {
        final List<StreamStart> starts = new CopyOnWriteArrayList<>();
        final List<Duration> firstChunks = new CopyOnWriteArrayList<>();
        final AtomicInteger chunks = new AtomicInteger();
        final AtomicReference<StreamEnd> end = new AtomicReference<>();
        final AtomicInteger ends = new AtomicInteger();

        @Override
        public Observation onStart(StreamStart start) {
            starts.add(start);
            return new Observation() {
                @Override
                public void onFirstChunk(Duration ttfc) {
                    firstChunks.add(ttfc);
                }

                @Override
                public void onChunk(Duration gap) {
                    chunks.incrementAndGet();
                }

                @Override
                public void onEnd(StreamEnd e) {
                    ends.incrementAndGet();
                    end.set(e);
                }
            };
        }
    }

    @BeforeEach
    void setUp() {
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString())
                .observer(recorder)
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void observer_completedStream_seesStartEveryChunkAndTheEnd() {
        String body = textStream("a", "b", "c");
        ClientTestSupport.always(FAKE.server(), replay(body));
        long items;
        try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
            assertEquals("abc", s.result().text());
            items = s.metrics().items();
        }
        await().until(() -> recorder.ends.get() == 1);
        StreamStart start = recorder.starts.get(0);
        assertEquals("anthropic", start.provider());
        assertEquals("chat", start.operation());
        assertEquals("claude-test", start.model());
        assertEquals("127.0.0.1", start.serverAddress());
        assertEquals(FAKE.server().port(), start.serverPort());
        assertEquals(1, recorder.firstChunks.size());
        StreamEnd end = recorder.end.get();
        assertEquals(items, end.chunks());
        assertEquals(items - 1, recorder.chunks.get());
        assertEquals(EndReason.COMPLETED, end.endReason());
        assertTrue(end.failure().isEmpty());
        assertEquals("req_stream", end.requestId().orElseThrow());
        assertEquals(body.getBytes(StandardCharsets.UTF_8).length, end.bytes());
        assertEquals(5, end.inputTokens().orElseThrow());
        assertEquals(3, end.outputTokens().orElseThrow());
        assertEquals(0, end.retries());
        assertTrue(end.timeToFirstChunk().orElseThrow().compareTo(end.duration()) <= 0);
    }

    @Test
    void observer_streamOpenedUnderACaller_seesTheCallersId() {
        ClientTestSupport.always(FAKE.server(), replay(textStream("a")));
        String text = StreamCaller.call("key_team1", () -> {
            try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
                return s.result().text();
            }
        });
        assertEquals("a", text);
        try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
            assertEquals("a", s.result().text());
        }
        await().until(() -> recorder.ends.get() == 2);
        assertEquals("key_team1", recorder.starts.get(0).caller());
        assertEquals("", recorder.starts.get(1).caller()); // the binding ended with the call
        assertTrue(StreamCaller.current().isEmpty());
    }

    @Test
    void streamCaller_threadStartedUnderIt_inheritsIt_andNullHidesIt() {
        AtomicReference<String> seen = new AtomicReference<>();
        StreamCaller.call("key_outer", () -> {
            Thread t = Thread.ofVirtual()
                    .start(() -> seen.set(StreamCaller.current().orElse("none")));
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertEquals(
                    "none", StreamCaller.call(null, () -> StreamCaller.current().orElse("none")));
            return null;
        });
        assertEquals("key_outer", seen.get());
        assertThrows(IllegalArgumentException.class, () -> StreamCaller.call(" ", () -> null));
        assertThrows(IllegalArgumentException.class, () -> StreamCaller.call("key\nforged", () -> null));
    }

    @Test
    void observer_retriedBeforeOpening_countsTheRetries() {
        ClientTestSupport.script(
                FAKE.server(),
                List.of(apiError(529, "overloaded_error"), apiError(503, "api_error"), replay(textStream("ok"))));
        try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
            assertEquals("ok", s.result().text());
        }
        await().until(() -> recorder.ends.get() == 1);
        assertEquals(2, recorder.end.get().retries());
        assertEquals(EndReason.COMPLETED, recorder.end.get().endReason());
    }

    @Test
    void observer_openingFails_endsFailedWithTheFailureAndNoChunks() {
        ClientTestSupport.always(FAKE.server(), apiError(400, "invalid_request_error"));
        ApiException thrown =
                assertThrows(ApiException.class, () -> client.messages().stream(ClientTestSupport.request()));
        assertEquals(1, recorder.ends.get());
        StreamEnd end = recorder.end.get();
        assertEquals(EndReason.FAILED, end.endReason());
        assertEquals(thrown, end.failure().orElseThrow());
        assertEquals(0, end.chunks());
        assertEquals(0, end.bytes());
        assertTrue(end.timeToFirstChunk().isEmpty());
        assertTrue(recorder.firstChunks.isEmpty());
    }

    @Test
    void observer_providerNeutralStream_failsMidStream_endsFailedWithTheApiError() {
        ClientTestSupport.always(
                FAKE.server(),
                replay(ClientTestSupport.MESSAGE_START
                        + ClientTestSupport.BLOCK_START
                        + ClientTestSupport.delta("x")
                        + ClientTestSupport.errorEvent("overloaded_error")));
        ChatRequest request = ChatRequest.builder()
                .model("claude-neutral")
                .addMessage(ChatMessage.user("hi"))
                .build();
        try (EventStream<MessageChunk> s = client.stream(request)) {
            assertThrows(ApiException.class, () -> s.forEach(c -> {}));
        }
        await().until(() -> recorder.ends.get() == 1);
        assertEquals("claude-neutral", recorder.starts.get(0).model());
        StreamEnd end = recorder.end.get();
        assertEquals(EndReason.FAILED, end.endReason());
        assertInstanceOf(ApiException.class, end.failure().orElseThrow());
        assertEquals(1, recorder.firstChunks.size());
    }

    @Test
    void observer_cancelled_endsCancelled() {
        // the body stops after one event and is held open: the stream is still running when it is closed
        ClientTestSupport.always(
                FAKE.server(), replay(textStream("a", "b", "c", "d")).stallAfter(1));
        MessageStream s = client.messages().stream(ClientTestSupport.request());
        s.close();
        await().until(() -> recorder.ends.get() == 1);
        assertEquals(EndReason.CANCELLED, recorder.end.get().endReason());
    }

    @Test
    void observer_throwingEverywhere_neverAffectsTheStream() {
        ClientTestSupport.always(FAKE.server(), replay(textStream("a", "b")));
        StreamObserver broken = start -> new StreamObserver.Observation() {
            @Override
            public void onFirstChunk(Duration t) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void onChunk(Duration t) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void onEnd(StreamEnd e) {
                throw new IllegalStateException("observer bug");
            }
        };
        StreamObserver throwsAtStart = start -> {
            throw new IllegalStateException("observer bug");
        };
        try (LogCapture log = new LogCapture(AnthropicClient.class)) {
            try (AnthropicClient c = ClientTestSupport.client(
                                    FAKE.server().baseUrl().toString())
                            .observer(throwsAtStart)
                            .observer(broken)
                            .observer(recorder)
                            .build();
                    MessageStream s = c.messages().stream(ClientTestSupport.request())) {
                assertEquals("ab", s.result().text());
            }
            await().until(() -> recorder.ends.get() == 1);
            assertEquals(EndReason.COMPLETED, recorder.end.get().endReason());
            await().until(() ->
                    log.records.stream().anyMatch(r -> r.getMessage().contains("onEnd")));
            assertTrue(
                    log.records.stream()
                            .allMatch(r -> r.getThrown().getMessage().equals("observer bug")),
                    "each throw is logged as a warning, with what was thrown");
        }
    }

    @Test
    void builder_nullObserver_throwsNamingIt() {
        NullPointerException e = assertThrows(
                NullPointerException.class, () -> AnthropicClient.builder().observer(null));
        assertEquals("observer", e.getMessage());
        assertFalse(recorder.ends.get() > 0);
    }
}
