package dev.sluice.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.sluice.ApiException;
import dev.sluice.CircuitOpenException;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.RetryPolicy;
import dev.sluice.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The circuit breaker's transitions, on a fake clock: closed, open (fail fast), half open (probes), closed or open again. */
class AnthropicCircuitBreakerTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private WireMockServer wm;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        wm = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        CircuitBreakerPolicy policy = CircuitBreakerPolicy.defaults()
                .withWindow(4, 4)
                .withFailureRatePercent(50)
                .withOpenDuration(Duration.ofSeconds(30))
                .withHalfOpenProbes(1)
                .withClock(clock);
        client = AnthropicClient.builder()
                .apiKey(ClientTestSupport.KEY)
                .baseUrl("http://127.0.0.1:" + wm.port())
                .retryPolicy(RetryPolicy.defaults().withMaxRetries(0))
                .circuitBreaker(policy)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        wm.stop();
    }

    private void failing() {
        wm.resetMappings();
        wm.stubFor(post(urlEqualTo(ClientTestSupport.PATH)).willReturn(ClientTestSupport.error(500, "api_error")));
    }

    private void working() {
        wm.resetMappings();
        wm.stubFor(post(urlEqualTo(ClientTestSupport.PATH))
                .willReturn(ClientTestSupport.sse(ClientTestSupport.textStream("ok"))));
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
        int sent = ClientTestSupport.requests(wm);

        CircuitOpenException e = assertThrows(CircuitOpenException.class, this::streamText);

        assertEquals(CircuitOpenException.State.OPEN, e.state());
        assertEquals(Instant.parse("2026-01-01T00:00:30Z"), e.retryAt().orElseThrow());
        assertTrue(
                e.getMessage().contains("circuit breaker is open")
                        && e.getMessage().contains("2026-01-01T00:00:30Z"),
                e.getMessage());
        assertEquals(sent, ClientTestSupport.requests(wm), "nothing sent while open");
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
        // The probe is held open by a body that dribbles in over 1.5 s.
        wm.resetMappings();
        wm.stubFor(post(urlEqualTo(ClientTestSupport.PATH))
                .willReturn(ClientTestSupport.sse(ClientTestSupport.textStream("ok"))
                        .withChunkedDribbleDelay(4, 1500)));
        MessageStream probe = client.messages().stream(ClientTestSupport.request());
        try {
            assertEquals("HALF_OPEN", client.resilienceMetrics().breakerState());
            CircuitOpenException e = assertThrows(CircuitOpenException.class, this::streamText);
            assertEquals(CircuitOpenException.State.HALF_OPEN, e.state());
            assertFalse(e.retryAt().isPresent());
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
