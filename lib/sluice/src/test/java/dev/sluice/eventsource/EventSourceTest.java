package dev.sluice.eventsource;

import static dev.sluice.eventsource.Fixtures.next;
import static dev.sluice.eventsource.Fixtures.nextData;
import static dev.sluice.eventsource.Fixtures.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.FakeServers;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import dev.sluice.TransportException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.eventsource.Fixtures.FakeTime;
import dev.sluice.eventsource.SourceSignal.Closed;
import dev.sluice.eventsource.SourceSignal.Fault;
import dev.sluice.eventsource.SourceSignal.Message;
import dev.sluice.eventsource.SourceSignal.Opened;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EndReason;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The WHATWG rules and the HTTP rules, each over a loopback socket. */
@Timeout(30)
class EventSourceTest {
    private final FakeLlmServer server = started();
    private final FakeTime time = new FakeTime();

    /** {@return a fake server whose connections, once the enqueued responses are used up, open and stay silent} */
    private static FakeLlmServer started() {
        FakeLlmServer s = FakeLlmServer.start();
        s.setDispatcher(r -> held(""));
        return s;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String path) {
        return server.baseUrl().resolve(path);
    }

    /** {@return a 200 event stream of these events, then held open until the client closes it} */
    private static FakeResponse held(String events) {
        return FakeServers.holding(events).header("x-test", "yes");
    }

    /** {@return a 200 event stream of these bytes, then the connection cut, without the body's end} */
    private static FakeResponse cut(String events) {
        return FakeResponse.sse(events).cutAfterBytes(events.getBytes(StandardCharsets.UTF_8).length);
    }

    /** No jitter, 100 ms doubling to 1 s, HTTP errors stop. */
    private static final RetryPolicy FAST = RetryPolicy.none()
            .withInitialBackoff(Duration.ofMillis(100))
            .withMaxBackoff(Duration.ofSeconds(1))
            .withJitter(0);

    /** A source on the fake clock, reconnecting as {@link #FAST} says. */
    private EventSource.Builder source(String path) {
        return EventSource.builder(uri(path))
                .streamOptions(time.options())
                .sleeper(time)
                .retryPolicy(FAST);
    }

    // ------------------------------------------------------------------ the request

    @Test
    void open_defaults_sendsGetWithAcceptAndCacheControlAndNoLastEventId() throws Exception {
        server.enqueue(held("data: hi\n\n"));
        try (EventSourceStream s = source("/feed").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            Opened opened = next(it, Opened.class);
            assertEquals(200, opened.statusCode());
            assertEquals("yes", opened.headers().firstValue("x-test").orElseThrow());
            assertEquals(1, opened.connection());
            assertEquals("hi", nextData(it));
        }
        RecordedRequest r = server.takeRequest();
        assertEquals("GET", r.method());
        assertEquals("/feed", r.path());
        assertEquals("text/event-stream", r.header("accept"));
        assertEquals("no-cache", r.header("cache-control"));
        assertNull(r.header("last-event-id"));
    }

    @Test
    void open_postWithBodyAndHeaders_sendsThemOnEveryConnection() throws Exception {
        server.enqueue(FakeResponse.sse("data: one\n\n"), held("data: two\n\n"));
        EventSource es = source("/q")
                .method("REPORT", "{\"hello\": \"world\"}")
                .header("X-Key", "k1")
                .header("Content-Type", "application/json; charset=utf-8")
                .build();
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("one", nextData(it));
            assertEquals("two", nextData(it));
        }
        for (int i = 0; i < 2; i++) {
            RecordedRequest r = server.takeRequest();
            assertEquals("REPORT", r.method());
            assertEquals("{\"hello\": \"world\"}", r.body());
            assertEquals("k1", r.header("x-key"));
            assertEquals("application/json; charset=utf-8", r.header("content-type"));
        }
    }

    @Test
    void open_bodyWithoutContentType_sendsTextPlain() throws Exception {
        try (EventSourceStream s = source("/").method("POST", "x").build().open()) {
            next(s.iterator(), Opened.class);
        }
        assertEquals("text/plain; charset=utf-8", server.takeRequest().header("content-type"));
    }

    @Test
    void open_initialLastEventId_sentOnTheFirstRequest() throws Exception {
        try (EventSourceStream s = source("/").lastEventId("abc").build().open()) {
            next(s.iterator(), Opened.class);
            assertEquals("abc", s.lastEventId().orElseThrow());
        }
        assertEquals("abc", server.takeRequest().header("last-event-id"));
    }

    // ------------------------------------------------------------------ Last-Event-ID across reconnections

    @Test
    void reconnect_afterTheServerEnds_sendsTheLastIdAndLaterEventsWithoutIdKeepIt() throws Exception {
        server.enqueue(FakeResponse.sse("id: abc\ndata: Hello\n\ndata: World\n\n"), held("data: again\n\n"));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals(
                    new SseEvent("message", "Hello", "abc"),
                    next(it, Message.class).event());
            assertEquals(
                    new SseEvent("message", "World", "abc"),
                    next(it, Message.class).event());
            assertEquals(Closed.Reason.SERVER_CLOSED, next(it, Closed.class).reason());
            // the new connection's parser has seen no id: the event still carries the one in effect
            assertEquals(
                    new SseEvent("message", "again", "abc"),
                    next(it, Message.class).event());
        }
        assertNull(server.takeRequest().header("last-event-id"));
        assertEquals("abc", server.takeRequest().header("last-event-id"));
        assertEquals(List.of(100L), time.sleptMillis(), "a clean end waits the reconnection time");
    }

    @Test
    void reconnect_emptyId_clearsTheLastEventId() throws Exception {
        server.enqueue(FakeResponse.sse("id: abc\ndata: Hello\n\nid: \ndata: World\n\n"));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("abc", next(it, Message.class).event().lastEventId());
            assertEquals("", next(it, Message.class).event().lastEventId());
            next(it, Opened.class);
            assertTrue(s.lastEventId().isEmpty());
        }
        server.takeRequest();
        assertNull(server.takeRequest().header("last-event-id"));
    }

    @Test
    void reconnect_afterAnIdOnlyEvent_sendsThatId() throws Exception {
        server.enqueue(FakeResponse.sse("id: 1\ndata: one\n\nid: 2\n\n"));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("one", nextData(it));
            next(it, Opened.class);
            assertEquals("2", s.lastEventId().orElseThrow());
        }
        server.takeRequest();
        assertEquals(
                "2", server.takeRequest().header("last-event-id"), "WHATWG: dispatch sets the ID even without data");
    }

    @Test
    void reconnect_cutMidEvent_discardsThatEventAndItsId() throws Exception {
        server.enqueue(cut("id: abc\ndata: Hello\n\nid: def\ndata: Goo"), held("data: We meet again\n\n"));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("Hello", nextData(it));
            Closed closed = next(it, Closed.class);
            assertEquals(Closed.Reason.CONNECTION_LOST, closed.reason());
            Fault fault = next(it, Fault.class);
            assertInstanceOf(TransportException.class, fault.error());
            assertTrue(fault.willRetry());
            assertEquals(Duration.ofMillis(100), fault.retryDelay());
            assertEquals(
                    new SseEvent("message", "We meet again", "abc"),
                    next(it, Message.class).event());
        }
        server.takeRequest();
        assertEquals("abc", server.takeRequest().header("last-event-id"));
    }

    @Test
    void reconnect_cutMidMultiByteCharacter_discardsTheEventAndDecodesTheNextWhole() throws Exception {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] first = "id: 1\ndata: ok\n\nid: 2\ndata: ".getBytes(StandardCharsets.UTF_8);
        byte[] cutInside = Arrays.copyOf(first, first.length + 1);
        cutInside[first.length] = euro[0]; // the first byte of three
        server.enqueue(
                FakeResponse.sse(cutInside).cutAfterBytes(cutInside.length),
                held("data: a\u20acb\n\n").inChunksOf(1)); // every byte a chunk: the character split across chunks
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("ok", nextData(it));
            Message m = next(it, Message.class);
            assertEquals("a€b", m.event().data());
            assertEquals("1", m.event().lastEventId());
        }
        server.takeRequest();
        assertEquals("1", server.takeRequest().header("last-event-id"));
    }

    @Test
    void reconnect_cutBetweenCrAndLf_keepsTheEventTheCrCompletedAndDropsTheUnfinishedOne() throws Exception {
        server.enqueue(
                cut("id: 7\r\ndata: seven\r\n\r"), // the CR alone is the blank line: dispatched
                cut("id: 8\r\ndata: eight\r"), // a complete line, but no blank line: discarded
                held("\ndata: nine\r\n\r\n")); // a leading LF is a blank line of its own
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals(
                    new SseEvent("message", "seven", "7"),
                    next(it, Message.class).event());
            assertEquals(
                    new SseEvent("message", "nine", "7"),
                    next(it, Message.class).event());
        }
        server.takeRequest();
        assertEquals("7", server.takeRequest().header("last-event-id"));
        assertEquals("7", server.takeRequest().header("last-event-id"));
    }

    // ------------------------------------------------------------------ HTTP rules

    @Test
    void status204_stopsReconnecting_streamCompletes() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(204));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertFalse(it.hasNext());
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
        }
        server.takeRequest();
        assertThrows(
                AssertionError.class,
                () -> server.takeRequest(Duration.ofMillis(300)),
                "no second request after a 204");
        assertEquals(List.of(), time.sleeps);
    }

    @Test
    void status204_afterAConnectionEnded_stopsThen() throws Exception {
        server.enqueue(FakeResponse.sse("data: one\n\n"));
        server.setDispatcher(r -> FakeResponse.status(204));
        try (EventSourceStream s = source("/").build().open()) {
            List<SourceSignal> all = s.stream().toList();
            assertEquals(
                    List.of(Opened.class, Message.class, Closed.class),
                    all.stream().map(Object::getClass).toList());
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
        }
        assertEquals(2, server.requestCount());
    }

    @Test
    void redirects_301And307_followedKeepingTheMethodAndBody() throws Exception {
        server.enqueue(
                FakeResponse.status(301).header("location", "/moved"),
                FakeResponse.status(307).header("location", uri("/final").toString()),
                held("data: there\n\n"));
        try (EventSourceStream s =
                source("/start").method("REPORT", "q").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            Opened opened = next(it, Opened.class);
            assertEquals(uri("/final"), opened.uri());
            assertEquals(uri("/final"), s.uri());
            assertEquals("there", nextData(it));
        }
        for (String path : List.of("/start", "/moved", "/final")) {
            RecordedRequest r = server.takeRequest();
            assertEquals(path, r.path());
            assertEquals("REPORT", r.method());
            assertEquals("q", r.body());
        }
    }

    @Test
    void redirects_302And303_turnPostIntoGetWithoutBody() throws Exception {
        server.enqueue(
                FakeResponse.status(302).header("location", "/b"),
                held(""),
                FakeResponse.status(303).header("location", "/b"),
                held(""));
        for (int i = 0; i < 2; i++) {
            try (EventSourceStream s =
                    source("/a").method("POST", "body").build().open()) {
                next(s.iterator(), Opened.class);
            }
            assertEquals("POST", server.takeRequest().method());
            RecordedRequest followed = server.takeRequest();
            assertEquals("GET", followed.method());
            assertEquals("", followed.body());
            assertNull(followed.header("content-type"));
        }
    }

    @Test
    void redirect_toAnotherOrigin_dropsCredentialsKeepsOtherHeaders() throws Exception {
        try (FakeLlmServer other = started()) {
            server.enqueue(FakeResponse.status(307)
                    .header("location", other.baseUrl().resolve("/x").toString()));
            try (EventSourceStream s = source("/")
                    .header("Authorization", "Bearer secret")
                    .header("X-Trace", "t")
                    .build()
                    .open()) {
                next(s.iterator(), Opened.class);
            }
            assertEquals("Bearer secret", server.takeRequest().header("authorization"));
            RecordedRequest r = other.takeRequest();
            assertNull(r.header("authorization"));
            assertEquals("t", r.header("x-trace"));
        }
    }

    @Test
    void redirect_withoutLocation_faultsAndFailsWithProtocolException() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(307));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            Fault fault = next(it, Fault.class);
            assertFalse(fault.willRetry());
            assertInstanceOf(ProtocolException.class, fault.error());
            assertTrue(
                    fault.error().getMessage().contains("without a Location"),
                    fault.error().getMessage());
            ProtocolException thrown = assertThrows(ProtocolException.class, it::hasNext);
            assertEquals(fault.error(), thrown);
            assertEquals(EndReason.FAILED, s.endReason().orElseThrow());
        }
        assertEquals(1, server.requestCount());
    }

    @Test
    void redirect_loop_endsAfterTwentyWithAnError() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(302).header("location", "/again"));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertTrue(next(it, Fault.class).error().getMessage().contains("more than 20 redirects"));
            assertThrows(ProtocolException.class, it::hasNext);
        }
        assertEquals(21, server.requestCount());
    }

    @Test
    void httpError_stopPolicy_failsWithApiExceptionNamingStatusAndBody() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(503).body("text/plain", "maintained"));
        try (EventSourceStream s = source("/feed?key=secret").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            Fault fault = next(it, Fault.class);
            ApiException e = assertInstanceOf(ApiException.class, fault.error());
            assertEquals(503, e.statusCode());
            assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("maintaine"), e.getMessage());
            assertFalse(e.getMessage().contains("secret"), "no query string in messages: " + e.getMessage());
            assertThrows(ApiException.class, it::hasNext);
        }
    }

    @Test
    void httpError_retryPolicyWithRetries_retriesWithBackoffThenFails() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(500));
        EventSource es = source("/").retryPolicy(FAST.withMaxRetries(5)).build();
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            for (long expected : List.of(100, 200, 400, 800, 1000)) {
                Fault f = next(it, Fault.class);
                assertTrue(f.willRetry());
                assertEquals(Duration.ofMillis(expected), f.retryDelay());
            }
            assertFalse(next(it, Fault.class).willRetry());
            assertThrows(ApiException.class, it::hasNext);
        }
        assertEquals(6, server.requestCount());
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L), time.sleptMillis());
    }

    @Test
    void httpError_retryPolicyWithMultiplierOne_waitsTheSameEachTime() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(500));
        EventSource es = source("/")
                .retryPolicy(FAST.withMaxRetries(3).withMultiplier(1))
                .build();
        try (EventSourceStream s = es.open()) {
            assertThrows(ApiException.class, () -> s.forEach(signal -> {}));
        }
        assertEquals(4, server.requestCount());
        assertEquals(List.of(100L, 100L, 100L), time.sleptMillis());
    }

    @Test
    void httpError_thenSuccess_endsTheErrorSeries() throws Exception {
        server.enqueue(FakeResponse.status(500), FakeResponse.sse("data: up\n\n"), FakeResponse.status(500), held(""));
        EventSource es = source("/").retryPolicy(FAST.withMaxRetries(1)).build();
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("up", nextData(it));
            assertTrue(next(it, Fault.class).willRetry(), "the second error is the first of a new series");
            next(it, Opened.class);
        }
    }

    @Test
    void wrongContentType_failsWithProtocolException() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(200).body("application/json", "{}"));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            Fault fault = next(it, Fault.class);
            assertTrue(
                    fault.error().getMessage().contains("application/json"),
                    fault.error().getMessage());
            assertThrows(ProtocolException.class, it::hasNext);
        }
    }

    @Test
    void contentTypeWithParameters_accepted() throws Exception {
        server.enqueue(held("data: x\n\n").header("content-type", "Text/Event-Stream; charset=utf-8"));
        try (EventSourceStream s = source("/").build().open()) {
            assertEquals("x", nextData(s.iterator()));
        }
    }

    @Test
    void connectionRefused_alwaysRetried_whateverThePolicy() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        EventSource es = EventSource.builder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
                .streamOptions(time.options())
                .sleeper(time)
                .retryPolicy(EventSource.DEFAULT_RETRY_POLICY.withJitter(0))
                .build();
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            for (int i = 0; i < 4; i++) { // the fourth comes after the third wait
                Fault f = next(it, Fault.class);
                assertTrue(f.willRetry());
                assertInstanceOf(TransportException.class, f.error());
            }
        }
        assertEquals(List.of(1000L, 2000L, 4000L), time.sleptMillis().subList(0, 3));
    }

    // ------------------------------------------------------------------ retry: and back-off

    @Test
    void retryField_setsTheBaseDelay() throws Exception {
        server.enqueue(FakeResponse.sse("retry: 1234\ndata: a\n\n"), FakeResponse.sse(""), held(""));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            next(it, Opened.class);
            next(it, Opened.class);
            next(it, Opened.class);
        }
        assertEquals(List.of(1234L, 1234L), time.sleptMillis(), "retry: is the base; over the 1 s cap, it is the cap");
    }

    @Test
    void retryField_invalid_ignored() throws Exception {
        server.enqueue(FakeResponse.sse("retry: 12a\nretry: -5\ndata: a\n\n"), held(""));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            next(it, Opened.class);
            next(it, Opened.class);
        }
        assertEquals(List.of(100L), time.sleptMillis());
    }

    @Test
    void backoff_healthyConnection_resetsTheSeries() throws Exception {
        java.util.concurrent.CountDownLatch healthy = new java.util.concurrent.CountDownLatch(1);
        server.enqueue(
                FakeResponse.sse(""),
                FakeResponse.sse(""),
                FakeResponse.sse(""),
                FakeResponse.sse("").pauseAfter(0, healthy),
                FakeResponse.sse(""),
                held(""));
        try (EventSourceStream s = source("/").build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            for (int i = 0; i < 4; i++) next(it, Opened.class);
            time.advance(Duration.ofSeconds(60)); // the fourth connection stays up for the healthy period
            healthy.countDown();
            for (int i = 0; i < 2; i++) next(it, Opened.class);
        }
        assertEquals(List.of(100L, 200L, 400L, 100L, 200L), time.sleptMillis());
    }

    @Test
    void backoff_jitter_takesOffARandomPart() throws Exception {
        server.enqueue(FakeResponse.sse(""), FakeResponse.sse(""), held(""));
        EventSource es =
                source("/").retryPolicy(FAST.withJitter(0.5)).random(() -> 0.5).build();
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            for (int i = 0; i < 3; i++) next(it, Opened.class);
        }
        assertEquals(List.of(75L, 150L), time.sleptMillis());
    }

    // ------------------------------------------------------------------ read timeout, restart, comments, limits

    @Test
    void readTimeout_silentConnection_isDroppedAndReconnected() throws Exception {
        server.enqueue(held("data: Hello\n\n"), held("data: back\n\n"));
        EventSource es = source("/").readTimeout(Duration.ofMillis(300)).build();
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("Hello", nextData(it));
            assertEquals(Closed.Reason.READ_TIMEOUT, next(it, Closed.class).reason());
            Fault f = next(it, Fault.class);
            assertTrue(f.willRetry());
            assertTrue(
                    f.error().getMessage().contains("read timeout"), f.error().getMessage());
            assertEquals("back", nextData(it));
        }
    }

    @Test
    void readTimeout_bytesKeepTheConnection() throws Exception {
        // a comment every 100 ms, each a block of its own (a blank line ends it, dispatching nothing)
        server.enqueue(
                held(":\n\n".repeat(6) + "data: done\n\n").paced(Duration.ofMillis(100), Duration.ofMillis(100)));
        try (EventSourceStream s =
                source("/").readTimeout(Duration.ofMillis(400)).build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals(
                    List.of(Opened.class, Message.class),
                    take(it, 2).stream().map(Object::getClass).toList());
        }
        assertEquals(1, server.requestCount());
    }

    @Test
    void restart_openConnection_reconnectsAtOnceWithTheLastId() throws Exception {
        server.enqueue(held("id: 5\ndata: Hello\n\n"), held("data: Thanks\n\n"));
        EventSource es = source("/")
                .retryPolicy(Fixtures.startingAt(Duration.ofHours(1)))
                .build();
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals("Hello", nextData(it));
            s.restart();
            assertEquals(new Closed(Closed.Reason.RESTARTED, 1), next(it, Closed.class));
            assertEquals(2, next(it, Opened.class).connection());
            assertEquals("Thanks", nextData(it));
        }
        server.takeRequest();
        assertEquals("5", server.takeRequest().header("last-event-id"));
        assertEquals(List.of(), time.sleeps, "no back-off wait");
    }

    @Test
    void restart_duringABackoffWait_endsTheWait() throws Exception {
        server.enqueue(FakeResponse.sse(""), held("data: soon\n\n"));
        EventSource es = EventSource.builder(uri("/"))
                .retryPolicy(Fixtures.startingAt(Duration.ofHours(1)))
                .build(); // the real sleeper: an hour unless restarted
        try (EventSourceStream s = es.open()) {
            Iterator<SourceSignal> it = s.iterator();
            next(it, Closed.class);
            s.restart();
            assertEquals("soon", nextData(it));
        }
    }

    @Test
    void restart_afterTheStreamEnded_doesNothing() throws Exception {
        server.setDispatcher(r -> FakeResponse.status(204));
        try (EventSourceStream s = source("/").build().open()) {
            s.forEach(signal -> {});
            s.restart();
            assertEquals(EndReason.COMPLETED, s.endReason().orElseThrow());
        }
        assertEquals(1, server.requestCount());
    }

    @Test
    void comments_deliveredOnlyWhenAskedFor() throws Exception {
        server.setDispatcher(r -> held(": hello\n:\ndata: x\n\n"));
        try (EventSourceStream s = source("/").comments(true).build().open()) {
            List<SourceSignal> got = take(s.iterator(), 4);
            assertEquals(List.of(new SourceSignal.Comment(" hello"), new SourceSignal.Comment("")), got.subList(1, 3));
        }
        try (EventSourceStream s = source("/").build().open()) {
            assertEquals(
                    List.of(Opened.class, Message.class),
                    take(s.iterator(), 2).stream().map(Object::getClass).toList());
        }
    }

    @Test
    void limits_lineTooLong_failsWithoutRetrying() throws Exception {
        server.setDispatcher(r -> held("data: " + "x".repeat(200) + "\n\n"));
        try (EventSourceStream s =
                source("/").limits(new SseLimits(64, 1024)).build().open()) {
            Iterator<SourceSignal> it = s.iterator();
            assertEquals(Closed.Reason.FAILED, next(it, Closed.class).reason());
            assertFalse(next(it, Fault.class).willRetry());
            assertThrows(LimitExceededException.class, it::hasNext);
        }
        assertEquals(1, server.requestCount());
    }

    @Test
    void messages_countForTheChunkLimit_signalsDoNot() throws Exception {
        server.setDispatcher(r -> held("data: 1\n\ndata: 2\n\ndata: 3\n\n"));
        EventSource es = source("/")
                .streamOptions(time.options().toBuilder().maxChunks(2).build())
                .build();
        try (EventSourceStream s = es.open()) {
            List<SourceSignal> all = s.stream().toList();
            assertEquals(3, all.size());
            assertEquals(EndReason.CHUNK_LIMIT, s.endReason().orElseThrow());
            assertEquals(2, s.metrics().items());
        }
    }
}
