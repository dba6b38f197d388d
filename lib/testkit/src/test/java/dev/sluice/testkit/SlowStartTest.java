package dev.sluice.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.internal.http.SlowStart;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The slow starts selected by model name, and the server's view of a client that leaves during one. */
class SlowStartTest {

    @Test
    void firstTokenAfter_clientLeavesDuringTheWait_serverSeesItAtOnceAndTellsTheListener() {
        List<RecordedRequest> closed = new CopyOnWriteArrayList<>();
        try (FakeLlmServer server =
                        FakeLlmServer.builder().onClientClosed(closed::add).start();
                RawHttp raw = new RawHttp(server)) {
            raw.post(
                    "/v1/messages",
                    TestClient.body("fake-first-token-60000", 64, true, "Hello", Map.of()),
                    "x-api-key",
                    "k",
                    "anthropic-version",
                    "2023-06-01");
            assertEquals(200, raw.head().status());
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 1);
            long left = System.nanoTime();
            raw.close();

            await().atMost(Duration.ofSeconds(5)).until(() -> closed.size() == 1);
            assertTrue(System.nanoTime() - left < Duration.ofSeconds(2).toNanos(), "not the minute's end");
            assertEquals("fake-first-token-60000", closed.getFirst().json("/model"));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
        }
    }

    @Test
    void firstTokenAfter_answersNormallyAfterTheWait() {
        try (FakeLlmServer server = FakeLlmServer.start();
                TestClient client = new TestClient(server)) {
            TestClient.Streamed s = client.stream(TestClient.body("fake-first-token-300", 64, true, "Hello", Map.of()));
            assertEquals(200, s.statusCode());
            assertTrue(s.events().getFirst().atNanos() - s.sentAtNanos()
                    >= Duration.ofMillis(300).toNanos());
            assertEquals("message_stop", s.types().getLast());
        }
    }

    @Test
    void heavyTail_draws_aBodyNear250msAndATailOfSecondsTheSameForTheSameRequest() {
        long[] ms = LongStream.range(0, 200_000)
                .map(SlowStart::heavyTailMillis)
                .sorted()
                .toArray();
        long p50 = ms[ms.length / 2];
        long p99 = ms[(int) (ms.length * 0.99)];
        long p999 = ms[(int) (ms.length * 0.999)];
        assertTrue(p50 > 220 && p50 < 280, "p50 " + p50);
        assertTrue(p99 > 1500 && p99 < 2800, "p99 " + p99);
        assertTrue(p999 > 6000 && p999 < 14000, "p99.9 " + p999);
        assertTrue(Arrays.stream(ms).max().orElseThrow() <= 30_000);
        assertEquals(SlowStart.heavyTailMillis(42), SlowStart.heavyTailMillis(42));
        assertTrue(SlowStart.names("fake-heavy-tail") && SlowStart.names("fake-first-token-0"));
        assertTrue(!SlowStart.names("fake-first-token-700000") && !SlowStart.names("fake-first-token-x"));
    }
}
