package dev.sluice.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Errors, faults, pacing and chunking of scripted responses, and replays of raw bytes, read off a raw socket. */
class FakeResponseFaultTest {
    private static final FakeResponse FOUR = FakeResponse.answer().text("a", "b", "c", "d");
    private static final String STREAM = "{\"model\":\"m\",\"stream\":true}";

    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private final FakeLlmServer server = FAKE.server();

    private RawHttp.Response post(String path, String body) {
        try (RawHttp http = new RawHttp(server)) {
            return http.post(path, body).response();
        }
    }

    private static long deltas(RawHttp.Response r) {
        return FakeResponseAnswerTest.events(r).stream()
                .filter(e -> e.data().contains("text_delta"))
                .count();
    }

    @Test
    void overloaded_eachApiItsStatusAndShape() {
        server.enqueue(FakeResponse.overloaded(), FakeResponse.overloaded(), FakeResponse.overloaded());
        RawHttp.Response anthropic = post("/v1/messages", STREAM);
        RawHttp.Response openAi = post("/v1/chat/completions", STREAM);
        RawHttp.Response gemini = post("/v1beta/models/g:streamGenerateContent", "{}");

        assertEquals(529, anthropic.status());
        assertEquals(
                "overloaded_error",
                TestClient.parse(anthropic.text()).at("/error/type").asText());
        assertEquals(503, openAi.status());
        assertEquals(
                "server_error",
                TestClient.parse(openAi.text()).at("/error/type").asText());
        assertEquals(503, gemini.status());
        assertEquals(
                "UNAVAILABLE",
                TestClient.parse(gemini.text()).at("/error/status").asText());
    }

    @Test
    void rateLimited_429WithRetryAfterInSecondsAndMilliseconds() {
        server.enqueue(FakeResponse.rateLimited(Duration.ofMillis(1500)));
        RawHttp.Response r = post("/v1/messages", STREAM);
        assertEquals(429, r.status());
        assertEquals("2", r.header("retry-after"));
        assertEquals("1500", r.header("retry-after-ms"));
        assertEquals(
                "rate_limit_error", TestClient.parse(r.text()).at("/error/type").asText());
    }

    @Test
    void apiError_ownStatusAndTypeInTheApisShape() {
        server.enqueue(
                FakeResponse.apiError(500, "api_error", "boom"), FakeResponse.apiError(400, "INVALID_ARGUMENT", "bad"));
        JsonNode anthropic = TestClient.parse(post("/v1/messages", STREAM).text());
        RawHttp.Response gemini = post("/v1beta/models/g:generateContent", "{}");
        assertEquals("error", anthropic.path("type").asText());
        assertEquals("api_error", anthropic.at("/error/type").asText());
        assertEquals("boom", anthropic.at("/error/message").asText());
        assertEquals(400, gemini.status());
        assertEquals(
                "INVALID_ARGUMENT",
                TestClient.parse(gemini.text()).at("/error/status").asText());
    }

    @Test
    void cutAfter_twoDeltas_bodyEndsWithoutItsLastChunk() {
        server.enqueue(FOUR.cutAfter(2));
        RawHttp.Response r = post("/v1/messages", STREAM);
        assertFalse(r.complete());
        assertEquals(2, deltas(r));
    }

    @Test
    void endAfter_twoDeltas_bodyEndsCleanlyWithoutTheTerminalEvents() {
        server.enqueue(FOUR.endAfter(2));
        RawHttp.Response r = post("/v1/messages", STREAM);
        assertTrue(r.complete());
        assertEquals(2, deltas(r));
        assertFalse(r.text().contains("message_stop"));
    }

    @Test
    void errorAfter_twoDeltas_inStreamOverloadThenTheEnd() {
        server.enqueue(FOUR.errorAfter(2));
        RawHttp.Response r = post("/v1/messages", STREAM);
        List<TestClient.SseEvent> events = FakeResponseAnswerTest.events(r);
        assertTrue(r.complete());
        assertEquals(2, deltas(r));
        assertEquals("error", events.getLast().type());
        assertEquals(
                "overloaded_error",
                TestClient.parse(events.getLast().data()).at("/error/type").asText());
    }

    @Test
    void errorAfterWithType_twoDeltas_inStreamErrorOfThatTypeAndMessage() {
        server.enqueue(FOUR.errorAfter(2, "api_error", "Internal server error"));
        RawHttp.Response r = post("/v1/messages", STREAM);
        List<TestClient.SseEvent> events = FakeResponseAnswerTest.events(r);
        assertEquals(2, deltas(r));
        assertEquals(
                "api_error",
                TestClient.parse(events.getLast().data()).at("/error/type").asText());
        assertEquals(
                "Internal server error",
                TestClient.parse(events.getLast().data()).at("/error/message").asText());
    }

    @Test
    void malformedAfter_oneDelta_anEventOfBrokenJsonThenTheRest() {
        server.enqueue(FOUR.malformedAfter(1));
        List<TestClient.SseEvent> events = FakeResponseAnswerTest.events(post("/v1/messages", STREAM));
        List<TestClient.SseEvent> broken = events.stream()
                .filter(e -> {
                    try {
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.data());
                        return false;
                    } catch (IOException x) {
                        return true;
                    }
                })
                .toList();
        assertEquals(1, broken.size());
        assertEquals("content_block_delta", broken.getFirst().type());
        assertEquals("message_stop", events.getLast().type(), "the stream goes on");
    }

    @Test
    void pauseAfter_oneDelta_holdsUntilTheLatchOpens() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        server.enqueue(FOUR.pauseAfter(1, resume));
        CompletableFuture<RawHttp.Response> response =
                CompletableFuture.supplyAsync(() -> post("/v1/messages", STREAM));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !response.isDone());
        resume.countDown();
        RawHttp.Response r = response.get(10, TimeUnit.SECONDS);
        assertTrue(r.complete());
        assertEquals(4, deltas(r));
    }

    @Test
    void pauseAfter_pacedAnswer_theRestKeepsItsPaceAfterThePause() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        server.enqueue(FakeResponse.answer()
                .text("a", "b", "c", "d", "e", "f")
                .paced(Duration.ZERO, Duration.ofMillis(100))
                .pauseAfter(1, resume));
        CompletableFuture<Long> ended = CompletableFuture.supplyAsync(() -> post("/v1/messages", STREAM))
                .thenApply(r -> {
                    assertEquals(6, deltas(r));
                    return System.nanoTime();
                });
        // held past the deadlines of all six deltas: without the schedule moving on by the pause, the
        // five after it would all be due at once when it ends
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> !ended.isDone());
        long released = System.nanoTime();
        resume.countDown();
        long rest = Duration.ofNanos(ended.get(10, TimeUnit.SECONDS) - released).toMillis();
        assertTrue(
                rest >= 300, "the five deltas after the pause came in " + rest + " ms, not about 500 (100 ms apart)");
    }

    @Test
    void pauseAfterAndCutAfter_theSameEvent_pausesThenCuts() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        server.enqueue(FakeResponse.sse("data: 1\n\ndata: 2\n\ndata: 3\n\n")
                .pauseAfter(2, resume)
                .cutAfter(2));
        CompletableFuture<RawHttp.Response> response = CompletableFuture.supplyAsync(() -> post("/s", null));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !response.isDone());
        resume.countDown();
        RawHttp.Response r = response.get(10, TimeUnit.SECONDS);
        assertFalse(r.complete());
        assertEquals("data: 1\n\ndata: 2\n\n", r.text());
    }

    @Test
    void signalAfter_twoEvents_opensTheLatchOnceTheyAreSentThenGoesOn() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        server.enqueue(FakeResponse.sse("data: 1\n\ndata: 2\n\ndata: 3\n\n")
                .pauseAfter(2, resume)
                .signalAfter(2, reached));
        try (RawHttp http = new RawHttp(server)) {
            http.post("/s", null).head();
            assertTrue(reached.await(10, TimeUnit.SECONDS));
            StringBuilder got = new StringBuilder();
            while (got.length() < "data: 1\n\ndata: 2\n\n".length())
                got.append(new String(http.chunk(), StandardCharsets.UTF_8));
            assertEquals(
                    "data: 1\n\ndata: 2\n\n", got.toString(), "on the wire when the signal came, before the pause");
            resume.countDown();
            assertEquals("data: 3\n\n", new String(http.chunk(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void signalAfter_pastTheEnd_opensBeforeAStallThere() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        server.enqueue(FOUR.signalAfter(99, reached).stallAfter(99));
        try (RawHttp http = new RawHttp(server)) {
            http.post("/v1/messages", STREAM).head();
            assertTrue(reached.await(10, TimeUnit.SECONDS));
            assertEquals(1, server.activeRequests(), "held open after the signal");
        }
    }

    @Test
    void sse_unpacedLongReplay_fewChunksSameBytes() {
        String events = "data: x\n\n".repeat(100_000);
        server.enqueue(FakeResponse.sse(events));
        RawHttp.Response r = post("/s", null);
        assertEquals(events, r.text());
        assertTrue(
                r.chunks().size() < 100,
                "written in large chunks, not one per event: " + r.chunks().size());
    }

    @Test
    void stallAfter_oneDelta_heldOpenUntilTheClientCloses() throws Exception {
        server.enqueue(FOUR.stallAfter(1));
        try (RawHttp http = new RawHttp(server)) {
            http.post("/v1/messages", STREAM).head();
            for (int seen = 0; seen < 1; ) {
                seen += new String(http.chunk(), StandardCharsets.UTF_8).contains("text_delta") ? 1 : 0;
            }
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> server.activeRequests() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void noResponse_nothingUntilTheClientCloses() {
        server.enqueue(FakeResponse.noResponse());
        try (RawHttp http = new RawHttp(server)) {
            http.post("/v1/messages", STREAM);
            server.takeRequest();
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> server.activeRequests() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void cutAfterBytes_theBodyStopsAtThatByte() {
        server.enqueue(FakeResponse.sse("data: one\n\ndata: two\n\n").cutAfterBytes(15));
        RawHttp.Response r = post("/s", null);
        assertFalse(r.complete());
        assertEquals("data: one\n\ndata", r.text());
    }

    @Test
    void stallAfterBytes_aJsonBodyStartedThenHeld() throws Exception {
        server.enqueue(FakeResponse.answer().text("whole").stallAfterBytes(10));
        try (RawHttp http = new RawHttp(server)) {
            RawHttp.Response head = http.post("/v1/messages", "{}").head();
            assertTrue(Integer.parseInt(head.header("content-length")) > 10);
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> server.activeRequests() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void paced_deltasArriveSpacedOut() throws Exception {
        server.enqueue(FOUR.paced(Duration.ofMillis(100), Duration.ofMillis(100)));
        try (RawHttp http = new RawHttp(server)) {
            long sent = System.nanoTime();
            http.post("/v1/messages", STREAM).head();
            long first = -1;
            long last = -1;
            for (byte[] c; (c = http.chunk()) != null; ) {
                if (!new String(c, StandardCharsets.UTF_8).contains("text_delta")) continue;
                last = System.nanoTime();
                if (first < 0) first = last;
            }
            // lower bounds only: a starved client may read late, never early
            assertTrue(first - sent >= Duration.ofMillis(90).toNanos(), "the first after the first delay");
            assertTrue(
                    last - sent >= Duration.ofMillis(390).toNanos(),
                    "then three gaps of 100 ms, was " + (last - sent) / 1_000_000);
        }
    }

    @Test
    void inChunksOf_oneByte_everyChunkOneByteAndTheSameBody() {
        server.enqueue(FOUR, FOUR.inChunksOf(1));
        RawHttp.Response whole = post("/v1/messages", "{\"model\":\"m\",\"stream\":true}");
        RawHttp.Response bytes = post("/v1/messages", "{\"model\":\"m\",\"stream\":true}");
        assertTrue(bytes.chunks().stream().allMatch(c -> c.length == 1));
        assertEquals(
                whole.text().replaceAll("fake_[A-Za-z0-9]{24}", "ID"),
                bytes.text().replaceAll("fake_[A-Za-z0-9]{24}", "ID"));
    }

    @Test
    void sse_replaysTheBytesAsTheyArePacedOneChunkPerEvent() {
        String events = "event: a\ndata: 1\n\n: comment\r\n\r\ndata: 2\rdata: 3\r\rid: tail-without-blank-line";
        server.enqueue(FakeResponse.sse(events).paced(Duration.ZERO, Duration.ofMillis(1)));
        RawHttp.Response r = post("/s", null);
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("text/event-stream"));
        assertNull(r.header("request-id"), "a replay is as it is");
        assertEquals(events, r.text());
        assertEquals(
                List.of(
                        "event: a\ndata: 1\n\n",
                        ": comment\r\n\r\n",
                        "data: 2\rdata: 3\r\r",
                        "id: tail-without-blank-line"),
                r.chunks().stream()
                        .map(c -> new String(c, StandardCharsets.UTF_8))
                        .toList());
    }

    @Test
    void sse_fromACapture_exactBytesAndAFaultByEvents(@TempDir Path dir) throws IOException {
        byte[] capture = "data: €1\n\ndata: 2\n\ndata: 3\n\n".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("capture.sse"), capture);
        server.enqueue(FakeResponse.sse(file), FakeResponse.sse(file).endAfter(2));
        assertArrayEquals(capture, post("/s", null).body());
        RawHttp.Response two = post("/s", null);
        assertTrue(two.complete());
        assertEquals("data: €1\n\ndata: 2\n\n", two.text());
    }

    @Test
    void status_headersAndBody_sentWithALength() {
        server.enqueue(
                FakeResponse.status(301).header("Location", "/moved"),
                FakeResponse.status(204),
                FakeResponse.status(503).body("text/plain", "maintenance").header("content-type", "text/x-own"));
        RawHttp.Response moved = post("/a", null);
        RawHttp.Response none = post("/a", null);
        RawHttp.Response text = post("/a", null);
        assertEquals(301, moved.status());
        assertEquals("/moved", moved.header("location"));
        assertEquals(204, none.status());
        assertNull(none.header("content-length"));
        assertEquals("maintenance", text.text());
        assertEquals("text/x-own", text.header("content-type"), "a header replaces the server's own");
    }

    @Test
    void builder_badArguments_throwNamingThem() {
        assertThrows(IllegalArgumentException.class, () -> FOUR.cutAfter(-1));
        assertThrows(IllegalArgumentException.class, () -> FakeResponse.status(99));
        assertThrows(IllegalArgumentException.class, () -> FakeResponse.apiError(200, "x", "y"));
        assertThrows(IllegalArgumentException.class, () -> FakeResponse.apiError(500, " ", "y"));
        assertThrows(IllegalArgumentException.class, () -> FOUR.header("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> FOUR.header("x-a", "one\r\nx-b: two"));
        assertThrows(IllegalArgumentException.class, () -> FOUR.usage(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> FOUR.inChunksOf(0));
        assertThrows(IllegalArgumentException.class, () -> FOUR.paced(Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(NullPointerException.class, () -> FOUR.text("a", null));
        assertThrows(NullPointerException.class, () -> FOUR.pauseAfter(1, null));
        assertTrue(
                assertThrows(IllegalStateException.class, () -> FOUR.cutAfter(1).stallAfter(2))
                        .getMessage()
                        .contains("one fault"));
        assertThrows(
                IllegalStateException.class,
                () -> FOUR.pauseAfter(1, new CountDownLatch(1)).pauseAfter(2, new CountDownLatch(1)));
        assertThrows(
                IllegalStateException.class,
                () -> FOUR.signalAfter(1, new CountDownLatch(1)).signalAfter(2, new CountDownLatch(1)));
        assertThrows(IllegalStateException.class, () -> FakeResponse.status(200).signalAfter(1, new CountDownLatch(1)));
        assertThrows(
                IllegalStateException.class,
                () -> FakeResponse.sse("data: x\n\n").text("no"));
        assertThrows(
                IllegalStateException.class,
                () -> FakeResponse.sse("data: x\n\n").errorAfter(1));
        assertThrows(
                IllegalStateException.class, () -> FakeResponse.overloaded().cutAfter(1));
        assertThrows(
                IllegalStateException.class, () -> FakeResponse.noResponse().header("a", "b"));
        assertThrows(IllegalStateException.class, () -> FOUR.body("text/plain", "x"));
    }

    @Test
    void toString_saysWhatItIs() {
        assertEquals(
                "FakeResponse[answer(), text (4 deltas), fault DROP after 2]",
                FOUR.cutAfter(2).toString());
    }
}
