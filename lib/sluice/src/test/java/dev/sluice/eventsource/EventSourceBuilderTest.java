package dev.sluice.eventsource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.client.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's checks and defaults. */
class EventSourceBuilderTest {
    @Test
    void retryPolicy_default_failsAtTheFirstHttpErrorAndReconnectsFromOneSecond() {
        RetryPolicy d = EventSource.DEFAULT_RETRY_POLICY;
        assertEquals(0, d.maxRetries(), "WHATWG: an HTTP error fails the connection");
        assertEquals(Duration.ofSeconds(1), d.initialBackoff());
        assertEquals(Duration.ofSeconds(30), d.maxBackoff());
        assertEquals(0.5, d.jitter());
        assertTrue(EventSource.builder(URI.create("http://127.0.0.1:1/"))
                .build()
                .toString()
                .contains(d.toString()));
    }

    @Test
    void builder_badArguments_rejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> EventSource.builder(URI.create("ftp://h/x")));
        assertThrows(IllegalArgumentException.class, () -> EventSource.builder(URI.create("/relative")));
        EventSource.Builder b = EventSource.builder(URI.create("http://127.0.0.1:1/"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.header("Last-Event-ID", "x"))
                .getMessage()
                .contains("lastEventId(..)"));
        assertThrows(IllegalArgumentException.class, () -> b.header("Host", "x"));
        assertThrows(IllegalArgumentException.class, () -> b.header("X-Bad", "a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> b.lastEventId("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> b.method("BAD METHOD", (String) null));
        assertThrows(IllegalArgumentException.class, () -> b.readTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> b.retryPolicy(null));
        assertThrows(
                IllegalArgumentException.class,
                () -> b.httpClient(HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build()));
    }

    @Test
    void toString_hidesQueryAndHeaders() {
        EventSource es = EventSource.builder(URI.create("https://h.example/feed?token=secret"))
                .header("Authorization", "Bearer secret")
                .build();
        assertFalse(es.toString().contains("secret"), es.toString());
        assertTrue(es.toString().contains("https://h.example/feed"), es.toString());
    }
}
