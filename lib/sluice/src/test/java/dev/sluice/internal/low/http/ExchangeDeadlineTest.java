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
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ExchangeDeadline}: one deadline for a whole exchange, body included, through
 * {@link HttpTransport} on either engine (blocking HTTP/1.1, the credential fetches' default; the
 * JDK's client, where a proxy is configured or a caller gives one).
 */
class ExchangeDeadlineTest {
    @RegisterExtension
    static final WireMockExtension SERVER = LoopbackWireMock.server();

    private static final HttpTransport BLOCKING =
            HttpTransport.builder().engine(HttpTransport.Engine.BLOCKING).build();
    private static final HttpTransport HTTP_CLIENT =
            HttpTransport.builder().engine(HttpTransport.Engine.HTTP_CLIENT).build();

    @AfterAll
    static void close() {
        BLOCKING.close();
        HTTP_CLIENT.close();
    }

    private static HttpTransport transport(HttpTransport.Engine engine) {
        return engine == HttpTransport.Engine.BLOCKING ? BLOCKING : HTTP_CLIENT;
    }

    private static HttpPost request(String path, Duration timeout) {
        return HttpPost.get(URI.create("http://127.0.0.1:" + SERVER.getPort() + path), Map.of())
                .withTimeout(timeout);
    }

    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void exchange_wholeAnswerInTime_isRead(HttpTransport.Engine engine) throws Exception {
        SERVER.stubFor(
                get(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200).withBody("0123456789")));

        ExchangeDeadline.Answer a =
                ExchangeDeadline.exchange(transport(engine), request("/ok", Duration.ofSeconds(5)), 8);

        assertEquals(200, a.status());
        assertEquals("01234567", a.body());
        assertTrue(a.tooLong());
    }

    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void exchange_redirect_answeredNotFollowed(HttpTransport.Engine engine) throws Exception {
        SERVER.stubFor(get(urlEqualTo("/moved"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", "http://169.254.169.254/elsewhere")));

        ExchangeDeadline.Answer a =
                ExchangeDeadline.exchange(transport(engine), request("/moved", Duration.ofSeconds(5)), 100);

        assertEquals(302, a.status());
        assertEquals(1, SERVER.getAllServeEvents().size());
    }

    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void exchange_put_sentWithAnEmptyBodyOfLengthZero(HttpTransport.Engine engine) throws Exception {
        SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlEqualTo("/token"))
                .willReturn(aResponse().withStatus(200).withBody("session-token")));
        HttpPost put = new HttpPost(
                URI.create("http://127.0.0.1:" + SERVER.getPort() + "/token"),
                Map.of("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
                "",
                Duration.ofSeconds(5),
                null,
                "PUT");

        ExchangeDeadline.Answer a = ExchangeDeadline.exchange(transport(engine), put, 100);

        assertEquals("session-token", a.body());
        var received = SERVER.getAllServeEvents().getFirst().getRequest();
        assertEquals("PUT", received.getMethod().getName());
        assertEquals("0", received.getHeader("Content-Length"));
    }

    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void exchange_headersAtOnceBodyTrickles_timesOutAtTheDeadline(HttpTransport.Engine engine) {
        SERVER.stubFor(get(urlEqualTo("/trickle"))
                .willReturn(
                        aResponse().withStatus(200).withBody("x".repeat(100)).withChunkedDribbleDelay(100, 60_000)));
        long start = System.nanoTime();

        HttpTimeoutException e = assertThrows(
                HttpTimeoutException.class,
                // the headers come at once; 2 s leaves them time on a loaded machine, the body 100 bytes over 60 s
                () -> ExchangeDeadline.exchange(transport(engine), request("/trickle", Duration.ofSeconds(2)), 1000));

        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
        assertTrue(e.getMessage().startsWith("no whole answer within 2 s"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(HttpTransport.Engine.class)
    void exchange_headersLate_timesOutAtTheDeadline(HttpTransport.Engine engine) {
        SERVER.stubFor(
                get(urlEqualTo("/late")).willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));

        assertThrows(
                HttpTimeoutException.class,
                () -> ExchangeDeadline.exchange(transport(engine), request("/late", Duration.ofMillis(300)), 1000));
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
