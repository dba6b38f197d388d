package dev.sluice.eventsource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The value types and the builder's checks. */
class BackoffAndPolicyTest {
    private static final Backoff NO_JITTER = Backoff.defaults().withJitter(0);

    @Test
    void delay_doublesFromTheBaseUpToTheCap() {
        assertEquals(Duration.ofMillis(1000), NO_JITTER.delay(1, 1000, new Random()));
        assertEquals(Duration.ofMillis(2000), NO_JITTER.delay(2, 1000, new Random()));
        assertEquals(Duration.ofMillis(16000), NO_JITTER.delay(5, 1000, new Random()));
        assertEquals(Duration.ofSeconds(30), NO_JITTER.delay(6, 1000, new Random()));
        assertEquals(Duration.ofSeconds(30), NO_JITTER.delay(10_000, 1000, new Random()), "no overflow");
    }

    @Test
    void delay_baseAboveTheCap_isTheBase() {
        assertEquals(Duration.ofMinutes(2), NO_JITTER.delay(3, 120_000, new Random()));
    }

    @Test
    void delay_zeroBase_isZero() {
        assertEquals(Duration.ZERO, Backoff.defaults().delay(4, 0, new Random()));
    }

    @Test
    void delay_jitter_staysWithinItsFraction() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long ms = Backoff.defaults().delay(1, 1000, random).toMillis();
            assertTrue(ms >= 500 && ms <= 1000, "jitter 0.5 of 1000 ms: " + ms);
        }
        assertEquals(Duration.ofMillis(750), Backoff.defaults().delay(1, 1000, Fixtures.constant(0.5)));
    }

    @Test
    void backoff_badValues_rejectedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.defaults().withJitter(1.5))
                .getMessage().contains("jitter"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.defaults().withMultiplier(0.5))
                .getMessage().contains("multiplier"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.defaults().withInitialDelay(Duration.ofMillis(-1)))
                .getMessage().contains("initialDelay"));
        assertThrows(IllegalArgumentException.class, () -> Backoff.defaults().delay(0, 1, new Random()));
    }

    @Test
    void errorPolicy_stop_neverRetries() {
        assertFalse(ErrorPolicy.stop().retries(1, Duration.ZERO));
    }

    @Test
    void errorPolicy_retry_countsAttemptsAndTime() {
        ErrorPolicy p = ErrorPolicy.retry(3, Duration.ofSeconds(10));
        assertTrue(p.retries(1, Duration.ZERO));
        assertTrue(p.retries(2, Duration.ofSeconds(9)));
        assertFalse(p.retries(3, Duration.ZERO));
        assertFalse(p.retries(2, Duration.ofSeconds(10)));
        assertTrue(ErrorPolicy.retryForever().retries(1_000_000, Duration.ofDays(300)));
        assertThrows(IllegalArgumentException.class, () -> ErrorPolicy.retry(0, null));
        assertThrows(IllegalArgumentException.class, () -> ErrorPolicy.retry(1, Duration.ZERO));
    }

    @Test
    void builder_badArguments_rejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> EventSource.builder(URI.create("ftp://h/x")));
        assertThrows(IllegalArgumentException.class, () -> EventSource.builder(URI.create("/relative")));
        EventSource.Builder b = EventSource.builder(URI.create("http://127.0.0.1:1/"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.header("Last-Event-ID", "x")).getMessage()
                .contains("lastEventId(..)"));
        assertThrows(IllegalArgumentException.class, () -> b.header("Host", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.header("X-Bad", "a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> b.lastEventId("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> b.method("BAD METHOD", (String) null));
        assertThrows(IllegalArgumentException.class, () -> b.readTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.httpClient(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL).build()));
    }

    @Test
    void toString_hidesQueryAndHeaders() {
        EventSource es = EventSource.builder(URI.create("https://h.example/feed?token=secret"))
                .header("Authorization", "Bearer secret").build();
        assertFalse(es.toString().contains("secret"), es.toString());
        assertTrue(es.toString().contains("https://h.example/feed"), es.toString());
    }
}
