package dev.sluice.internal.low.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sluice.LoopbackWireMock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ExchangeDeadline}: one deadline for a whole exchange, body included. */
class ExchangeDeadlineTest {
    @RegisterExtension
    static final WireMockExtension SERVER = LoopbackWireMock.server();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SERVER.getPort() + path))
                .timeout(timeout)
                .build();
    }

    @Test
    void exchange_wholeAnswerInTime_isRead() throws Exception {
        SERVER.stubFor(
                get(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200).withBody("0123456789")));

        ExchangeDeadline.Answer a = ExchangeDeadline.exchange(HTTP, request("/ok", Duration.ofSeconds(5)), 8);

        assertEquals(200, a.status());
        assertEquals("01234567", a.body());
        assertTrue(a.tooLong());
    }

    @Test
    void exchange_headersAtOnceBodyTrickles_timesOutAtTheDeadline() {
        SERVER.stubFor(get(urlEqualTo("/trickle"))
                .willReturn(
                        aResponse().withStatus(200).withBody("x".repeat(100)).withChunkedDribbleDelay(100, 60_000)));
        long start = System.nanoTime();

        HttpTimeoutException e = assertThrows(
                HttpTimeoutException.class,
                () -> ExchangeDeadline.exchange(HTTP, request("/trickle", Duration.ofMillis(500)), 1000));

        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        assertTrue(e.getMessage().startsWith("no whole answer within 500 ms"), e.getMessage());
    }

    @Test
    void exchange_headersLate_timesOutAtTheDeadline() {
        SERVER.stubFor(
                get(urlEqualTo("/late")).willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));

        assertThrows(
                HttpTimeoutException.class,
                () -> ExchangeDeadline.exchange(HTTP, request("/late", Duration.ofMillis(300)), 1000));
    }

    @Test
    void onPass_runsOnceWhenTheDeadlinePasses_andAtOnceAfter() {
        AtomicInteger ran = new AtomicInteger();
        try (ExchangeDeadline d = ExchangeDeadline.start(Duration.ofMillis(50))) {
            d.onPass(ran::incrementAndGet);
            await().atMost(Duration.ofSeconds(5)).until(d::passed);
            assertEquals(1, ran.get());
            assertTrue(d.cancellation().isCancelled().getAsBoolean());
            d.onPass(ran::incrementAndGet);
            assertEquals(2, ran.get());
            assertEquals(Duration.ZERO, d.remaining());
        }
    }

    @Test
    void close_beforeTheDeadline_nothingRuns() {
        AtomicInteger ran = new AtomicInteger();
        ExchangeDeadline d = ExchangeDeadline.start(Duration.ofMillis(100));
        d.onPass(ran::incrementAndGet);
        d.close();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> ran.get() == 0);
        assertFalse(d.passed());
    }
}
