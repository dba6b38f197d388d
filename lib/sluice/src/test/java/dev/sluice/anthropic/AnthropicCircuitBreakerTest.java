package dev.sluice.anthropic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.CircuitOpenException;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeClock;
import dev.sluice.testkit.FakeLlmExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The circuit breaker's transitions, on a fake clock: closed, open (fail fast), half open (probes), closed or open again. */
class AnthropicCircuitBreakerTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;

    @BeforeEach
    void start() {
        CircuitBreakerPolicy policy = CircuitBreakerPolicy.defaults()
                .withWindow(4, 4)
                .withFailureRatePercent(50)
                .withOpenDuration(Duration.ofSeconds(30))
                .withHalfOpenProbes(1)
                .withClock(clock);
        client = AnthropicClient.builder()
                .apiKey(ClientTestSupport.KEY)
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.defaults().withMaxRetries(0))
                .circuitBreaker(policy)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private void failing() {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.apiError(500, "api_error"));
    }

    private void working() {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(ClientTestSupport.textStream("ok")));
    }

    private String streamText() {
        try (MessageStream s = client.messages().stream(ClientTestSupport.request())) {
            return s.result().text();
        }
    }

    private void awaitState(String state) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.resilienceMetrics().breakerState().equals(state));
    }

    private void openTheBreaker() {
        failing();
        for (int i = 0; i < 4; i++) assertThrows(ApiException.class, this::streamText);
        assertEquals("OPEN", client.resilienceMetrics().breakerState());
    }

    @Test
    void stream_repeatedFailures_breakerOpensAndFailsFastNamingStateAndRetryTime() {
        openTheBreaker();
        int sent = ClientTestSupport.requests(FAKE.server());

        CircuitOpenException e = assertThrows(CircuitOpenException.class, this::streamText);

        assertEquals(CircuitOpenException.State.OPEN, e.state());
        assertEquals(Instant.parse("2026-01-01T00:00:30Z"), e.retryAt().orElseThrow());
        assertTrue(
                e.getMessage().contains("circuit breaker is open")
                        && e.getMessage().contains("2026-01-01T00:00:30Z"),
                e.getMessage());
        assertEquals(sent, ClientTestSupport.requests(FAKE.server()), "nothing sent while open");
        assertEquals(1, client.resilienceMetrics().refusedStreams());
        assertEquals(100f, client.resilienceMetrics().failureRatePercent().orElseThrow());
    }

    @Test
    void stream_belowMinimumStreams_staysClosed() {
        failing();
        for (int i = 0; i < 3; i++) assertThrows(ApiException.class, this::streamText);
        assertEquals("CLOSED", client.resilienceMetrics().breakerState());
        assertTrue(client.resilienceMetrics().failureRatePercent().isEmpty());
    }

    @Test
    void stream_openDurationPassed_probeSucceeds_breakerCloses() {
        openTheBreaker();
        clock.advance(Duration.ofSeconds(30));
        assertThrows(CircuitOpenException.class, this::streamText, "still open at its retry time");
        clock.advance(Duration.ofMillis(1));
        working();

        assertEquals("ok", streamText()); // the probe

        awaitState("CLOSED"); // the stream's end hook records the outcome
        assertEquals("ok", streamText());
    }

    @Test
    void stream_probeFails_breakerOpensAgainFromNow() {
        openTheBreaker();
        clock.advance(Duration.ofSeconds(30).plusMillis(1));

        assertThrows(ApiException.class, this::streamText); // the probe, failing

        awaitState("OPEN");
        CircuitOpenException e = assertThrows(CircuitOpenException.class, this::streamText);
        assertEquals(Instant.parse("2026-01-01T00:01:00.001Z"), e.retryAt().orElseThrow());
    }

    @Test
    void stream_halfOpenWithItsProbeRunning_othersFailFastAsHalfOpen() throws Exception {
        openTheBreaker();
        clock.advance(Duration.ofSeconds(30).plusMillis(1));
        // The probe is held open after its text (three events) until the test lets it go.
        CountDownLatch release = new CountDownLatch(1);
        ClientTestSupport.always(
                FAKE.server(),
                ClientTestSupport.replay(ClientTestSupport.textStream("ok")).pauseAfter(3, release));
        MessageStream probe = client.messages().stream(ClientTestSupport.request());
        try {
            assertEquals("HALF_OPEN", client.resilienceMetrics().breakerState());
            CircuitOpenException e = assertThrows(CircuitOpenException.class, this::streamText);
            assertEquals(CircuitOpenException.State.HALF_OPEN, e.state());
            assertFalse(e.retryAt().isPresent());
            release.countDown();
            assertEquals("ok", probe.result().text());
        } finally {
            probe.close();
        }
        awaitState("CLOSED");
    }

    @Test
    void stream_cancelledStreams_countAsSuccessesNotFailures() {
        working();
        for (int i = 0; i < 4; i++)
            client.messages().stream(ClientTestSupport.request()).close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.resilienceMetrics().openStreams() == 0
                        && client.resilienceMetrics().failureRatePercent().isPresent());
        assertEquals("CLOSED", client.resilienceMetrics().breakerState());
        assertEquals(0, client.resilienceMetrics().failedStreams());
    }

    @Test
    void circuitBreakerPolicy_badValues_refusedWithTheValue() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> CircuitBreakerPolicy.defaults().withFailureRatePercent(0))
                .getMessage()
                .contains("failureRatePercent"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> CircuitBreakerPolicy.defaults().withOpenDuration(Duration.ZERO))
                .getMessage()
                .contains("openDuration"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> CircuitBreakerPolicy.defaults().withWindow(0, 1))
                .getMessage()
                .contains("windowSize"));
    }
}
