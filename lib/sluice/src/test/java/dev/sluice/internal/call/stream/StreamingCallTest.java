package dev.sluice.internal.call.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streaming call with a protocol that is not Anthropic's: events are their data strings,
 * "start" is a frame and "keepalive..." a keep-alive (not content), "err:..." an in-band error,
 * "[DONE]" terminal, and a body may end without it (as Gemini's does).
 */
class StreamingCallTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    private HttpTransport transport;
    private final AtomicInteger ended = new AtomicInteger();

    /** {@link LinesProtocol}'s rules, an event's data split on commas into several events. */
    private static final StreamProtocol<String> LINES = StreamProtocol.of(
            new SseFraming<>() {
                @Override
                public void decode(SseEvent event, Consumer<? super String> out) {
                    for (String part : event.data().split(",")) out.accept(part);
                }
            },
            LinesProtocol.RULES);

    @BeforeEach
    void setUp() {
        transport = HttpTransport.builder().build();
    }

    @AfterEach
    void tearDown() {
        transport.close();
    }

    /** Queues a response of these events' data, one event each, for the next request. */
    private static void answer(String... data) {
        StringBuilder sb = new StringBuilder();
        for (String d : data) sb.append("data: ").append(d).append("\n\n");
        fake.server().enqueue(FakeResponse.sse(sb.toString()));
    }

    private StreamingCall<String> open() {
        return call(fake.server().baseUrl().resolve("/s")).open();
    }

    private StreamingCall.Builder<String> call(URI uri) {
        return StreamingCall.builder(LINES)
                .transport(transport)
                .retrier(new Retrier(
                        new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2), 2, 0, Duration.ofSeconds(1))))
                .controller(StreamController.create())
                .post(() -> HttpPost.json(uri, Map.of(), "{}"))
                .onEnd(ended::incrementAndGet);
    }

    private static List<String> drain(EventStream<String> events) {
        List<String> seen = new ArrayList<>();
        for (String e : events) seen.add(e);
        return seen;
    }

    @Test
    void open_bodyEndsWithoutTerminalAndProtocolAllowsIt_completesWithEveryEvent() {
        answer("start", "a,keepalive", "b");
        try (EventStream<String> events = open().events()) {
            assertEquals(List.of("start", "a", "keepalive", "b"), drain(events));
            assertEquals(EndReason.COMPLETED, events.endReason().orElseThrow());
            assertEquals(2, events.metrics().items(), "only content is counted");
        }
        // onEnd runs on the producer thread just after the end is published: await it, bounded
        await().atMost(Duration.ofSeconds(5)).until(() -> ended.get() == 1);
    }

    @Test
    void open_onlyFramesThenEnd_heldBackEventsDelivered() {
        answer("start", "keepalive");
        try (EventStream<String> events = open().events()) {
            assertEquals(List.of("start", "keepalive"), drain(events));
        }
    }

    @Test
    void open_retryableErrorBeforeContent_reopenedAndFirstAttemptsFramesDropped() {
        answer("start,first", "err:busy");
        try (EventStream<String> events = open().events()) {
            // "first" is content, so the error came after content: not retried
            assertThrows(ApiException.class, () -> drain(events));
        }
        assertEquals(1, fake.server().requestCount(), "not reopened");
        answer("start", "err:busy");
        answer("start", "x", "[DONE]", "after");
        try (EventStream<String> events = open().events()) {
            assertEquals(List.of("start", "x", "[DONE]"), drain(events));
        }
        assertEquals(3, fake.server().requestCount(), "reopened once");
    }

    @Test
    void open_nonRetryableErrorBeforeContent_thrownAfterHeldBackEvents() {
        answer("start", "err:fatal", "x");
        List<String> seen = new ArrayList<>();
        try (EventStream<String> events = open().events()) {
            ApiException e = assertThrows(ApiException.class, () -> {
                for (String s : events) seen.add(s);
            });
            assertEquals("fatal", e.errorType());
        }
        assertEquals(List.of("start"), seen);
    }

    @Test
    void open_moreEventsBeforeContentThanTheEventBound_deliveredWhileTheServerWaitsForThem() throws Exception {
        int n = StreamingCall.DEFAULT_MAX_HELD_EVENTS + 1;
        CountDownLatch seen = new CountDownLatch(1);
        try (FakeLlmServer s = FakeLlmServer.start()) {
            // the content comes only once the client has delivered every keep-alive
            s.enqueue(FakeResponse.sse("data: keepalive\n\n".repeat(n) + "data: x\n\ndata: [DONE]\n\n")
                    .pauseAfter(n, seen));
            try (EventStream<String> events =
                    call(s.baseUrl().resolve("/s")).open().events()) {
                Iterator<String> it = events.iterator();
                // Held without a bound, they would wait for content that waits for them: the stream would
                // stall until its first-event timeout (120 s).
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    for (int i = 0; i < n; i++) assertEquals("keepalive", it.next(), "event " + i);
                });
                seen.countDown();
                assertEquals(List.of("x", "[DONE]"), drain(it));
                assertEquals(EndReason.COMPLETED, events.endReason().orElseThrow());
            }
        } finally {
            seen.countDown();
        }
    }

    @Test
    void open_moreDataBeforeContentThanTheByteBound_deliveredWhileTheServerWaitsForThem() throws Exception {
        String big = "keepalive" + "x".repeat(600_000); // two of them pass the 1 MiB bound
        CountDownLatch seen = new CountDownLatch(1);
        try (FakeLlmServer s = FakeLlmServer.start()) {
            s.enqueue(FakeResponse.sse("data: " + big + "\n\ndata: " + big + "\n\ndata: [DONE]\n\n")
                    .pauseAfter(2, seen));
            try (EventStream<String> events =
                    call(s.baseUrl().resolve("/s")).open().events()) {
                Iterator<String> it = events.iterator();
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    assertEquals(big, it.next());
                    assertEquals(big, it.next());
                });
                seen.countDown();
                assertEquals(List.of("[DONE]"), drain(it));
            }
        } finally {
            seen.countDown();
        }
    }

    @Test
    void open_retryableErrorAfterTheHoldBackBoundWasPassed_notRetriedThrownAfterTheEvents() {
        answer("keepalive", "keepalive", "keepalive", "err:busy");
        answer("x", "[DONE]");
        List<String> seen = new ArrayList<>();
        try (EventStream<String> events = call(fake.server().baseUrl().resolve("/s"))
                .holdBack(2, 1 << 20)
                .open()
                .events()) {
            ApiException e = assertThrows(ApiException.class, () -> {
                for (String ev : events) seen.add(ev);
            });
            assertEquals("busy", e.errorType());
        }
        assertEquals(List.of("keepalive", "keepalive", "keepalive"), seen);
        assertEquals(1, fake.server().requestCount(), "not retried");
    }

    @Test
    void holdBack_negative_throwsNamingTheBound() {
        StreamingCall.Builder<String> b = StreamingCall.builder(LINES);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.holdBack(-1, 0))
                .getMessage()
                .contains("maxEvents"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.holdBack(0, -1))
                .getMessage()
                .contains("maxBytes"));
    }

    private static List<String> drain(Iterator<String> it) {
        List<String> seen = new ArrayList<>();
        while (it.hasNext()) seen.add(it.next());
        return seen;
    }
}
