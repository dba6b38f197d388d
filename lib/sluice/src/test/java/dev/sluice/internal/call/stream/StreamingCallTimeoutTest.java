package dev.sluice.internal.call.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first-event and total timeouts while a stream opens: every attempt and every back-off (a
 * server's retry-after included) is bounded by what is left of both, the opening fails as soon as
 * one passes, and the exception names the one that passed and the time really waited.
 */
class StreamingCallTimeoutTest {
    /** Far longer than any timeout here: without the bounds, a test would wait it. */
    private static final String LONG_RETRY_AFTER = "20";

    private static final Duration PROMPT = Duration.ofSeconds(5);

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final HttpTransport transport = HttpTransport.builder().build();

    @AfterEach
    void tearDown() {
        transport.close();
    }

    private StreamTimeoutException openExpectingTimeout(
            FakeLlmServer server, StreamController controller, RetryPolicy policy) {
        return assertTimeoutPreemptively(PROMPT, () -> {
            long start = System.nanoTime();
            StreamTimeoutException e = assertThrows(
                    StreamTimeoutException.class,
                    () -> StreamingCall.builder(LinesProtocol.INSTANCE)
                            .transport(transport)
                            .retrier(new Retrier(policy))
                            .controller(controller)
                            .post(() -> HttpPost.json(server.baseUrl().resolve("/s"), Map.of(), "{}"))
                            .open());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.waited().compareTo(e.limit()) >= 0, "waited " + e.waited() + " of " + e.limit());
            // The real wait (a millisecond of slack for a request timer that fires a hair early: then the limit)
            assertTrue(
                    e.waited().compareTo(elapsed.plusMillis(1)) <= 0,
                    "waited " + e.waited() + " but the call took " + elapsed);
            return e;
        });
    }

    /** The fake server, every request answered with an overload asking to wait {@code retryAfter} seconds. */
    private static FakeLlmServer overloaded(String retryAfter) {
        FAKE.server().setDispatcher(r -> FakeResponse.overloaded().header("retry-after", retryAfter));
        return FAKE.server();
    }

    @Test
    void open_retryAfterPastTheFirstEventTimeout_timesOutAtTheDeadlineWithTheRealWait() throws Exception {
        FakeLlmServer server = overloaded(LONG_RETRY_AFTER);
        StreamController c = StreamController.of(StreamOptions.builder()
                .firstEventTimeout(Duration.ofMillis(300))
                .build());
        StreamTimeoutException e = openExpectingTimeout(server, c, RetryPolicy.defaults());
        assertEquals(Timeout.FIRST_EVENT, e.timeout());
        assertEquals(Duration.ofMillis(300), e.limit());
        assertEquals(1, server.requestCount());
        ApiException last = assertInstanceOf(ApiException.class, e.getSuppressed()[0], "the 529 that was waited out");
        assertEquals(529, last.statusCode());
    }

    @Test
    void open_retryAfterPastTheTotalTimeoutWithoutFirstEventTimeout_timesOutAsTotal() throws Exception {
        FakeLlmServer server = overloaded(LONG_RETRY_AFTER);
        StreamController c = StreamController.of(StreamOptions.builder()
                .noTimeout(Timeout.FIRST_EVENT)
                .totalTimeout(Duration.ofMillis(400))
                .build());
        StreamTimeoutException e = openExpectingTimeout(server, c, RetryPolicy.defaults());
        assertEquals(Timeout.TOTAL, e.timeout());
        assertEquals(Duration.ofMillis(400), e.limit());
        assertEquals(1, server.requestCount());
    }

    @Test
    void open_computedBackoffPastTheFirstEventTimeout_timesOutAtTheDeadline() throws Exception {
        FakeLlmServer server = FAKE.server();
        server.setDispatcher(r -> FakeResponse.apiError(500, "api_error", "boom"));
        StreamController c = StreamController.of(StreamOptions.builder()
                .firstEventTimeout(Duration.ofMillis(300))
                .build());
        StreamTimeoutException e = openExpectingTimeout(
                server,
                c,
                RetryPolicy.defaults()
                        .withMaxBackoff(Duration.ofSeconds(20))
                        .withInitialBackoff(Duration.ofSeconds(20)));
        assertEquals(Timeout.FIRST_EVENT, e.timeout());
        assertEquals(1, server.requestCount());
    }

    @Test
    void open_noResponseHeadersWithinTheTotalTimeoutWithoutFirstEventTimeout_timesOutAsTotal() throws Exception {
        FakeLlmServer server = FAKE.server();
        server.setDispatcher(r -> FakeResponse.noResponse());
        StreamController c = StreamController.of(StreamOptions.builder()
                .noTimeout(Timeout.FIRST_EVENT)
                .totalTimeout(Duration.ofMillis(400))
                .build());
        StreamTimeoutException e = openExpectingTimeout(server, c, RetryPolicy.defaults());
        assertEquals(Timeout.TOTAL, e.timeout());
        assertEquals(Duration.ofMillis(400), e.limit());
    }

    @Test
    void open_noResponseHeadersAndTheTotalTimeoutNearerThanTheFirstEvent_timesOutAsTotal() throws Exception {
        FakeLlmServer server = FAKE.server();
        server.setDispatcher(r -> FakeResponse.noResponse());
        StreamController c = StreamController.of(StreamOptions.builder()
                .firstEventTimeout(Duration.ofSeconds(3))
                .totalTimeout(Duration.ofMillis(400))
                .build());
        StreamTimeoutException e = openExpectingTimeout(server, c, RetryPolicy.defaults());
        assertEquals(Timeout.TOTAL, e.timeout());
    }

    @Test
    void open_retriedThenTheTotalTimeoutPassesDuringTheSecondAttempt_timesOutAsTotalWithTheWholeWait()
            throws Exception {
        FakeLlmServer server = FAKE.server();
        // the second attempt gets no answer
        server.enqueue(FakeResponse.overloaded().header("retry-after-ms", "100"), FakeResponse.noResponse());
        StreamController c = StreamController.of(StreamOptions.builder()
                .noTimeout(Timeout.FIRST_EVENT)
                .totalTimeout(Duration.ofMillis(500))
                .build());
        StreamTimeoutException e = openExpectingTimeout(server, c, RetryPolicy.defaults());
        assertEquals(Timeout.TOTAL, e.timeout());
        assertEquals(2, server.requestCount());
    }
}
