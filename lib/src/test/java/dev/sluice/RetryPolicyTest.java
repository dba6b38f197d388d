package dev.sluice;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    @Test
    void defaults_areDocumentedValues() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(2, p.maxRetries());
        assertEquals(Duration.ofMillis(500), p.initialBackoff());
        assertEquals(Duration.ofSeconds(8), p.maxBackoff());
        assertEquals(0.25, p.jitter());
        assertEquals(Duration.ofSeconds(60), p.maxRetryAfter());
    }

    @Test
    void none_hasZeroRetriesAndOtherwiseDefaults() {
        assertEquals(RetryPolicy.defaults().withMaxRetries(0), RetryPolicy.none());
    }

    @Test
    void withers_changeOneComponent() {
        RetryPolicy p = RetryPolicy.defaults().withMaxRetries(5).withMaxBackoff(Duration.ofSeconds(20))
                .withInitialBackoff(Duration.ofSeconds(1)).withJitter(1.0).withMaxRetryAfter(Duration.ofSeconds(5));
        assertEquals(new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(20), 1.0, Duration.ofSeconds(5)), p);
    }

    @Test
    void constructor_invalidValues_throwNamingTheValue() {
        RetryPolicy d = RetryPolicy.defaults();
        assertMessage("maxRetries", assertThrows(IllegalArgumentException.class, () -> d.withMaxRetries(-1)));
        assertMessage("initialBackoff", assertThrows(IllegalArgumentException.class,
                () -> d.withInitialBackoff(Duration.ofMillis(-1))));
        assertMessage("maxBackoff", assertThrows(IllegalArgumentException.class,
                () -> d.withMaxBackoff(Duration.ofMillis(100))));
        assertMessage("jitter", assertThrows(IllegalArgumentException.class, () -> d.withJitter(1.5)));
        assertMessage("jitter", assertThrows(IllegalArgumentException.class, () -> d.withJitter(Double.NaN)));
        assertMessage("maxRetryAfter", assertThrows(IllegalArgumentException.class,
                () -> d.withMaxRetryAfter(Duration.ofSeconds(-1))));
        assertMessage("maxRetryAfter", assertThrows(NullPointerException.class, () -> d.withMaxRetryAfter(null)));
    }

    @Test
    void backoff_doublesFromInitialUpToMax() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(Duration.ofMillis(500), p.backoff(1));
        assertEquals(Duration.ofMillis(1000), p.backoff(2));
        assertEquals(Duration.ofMillis(2000), p.backoff(3));
        assertEquals(Duration.ofMillis(8000), p.backoff(5));
        assertEquals(Duration.ofMillis(8000), p.backoff(6));
        assertEquals(Duration.ofMillis(8000), p.backoff(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> p.backoff(0));
    }

    private static void assertMessage(String expected, RuntimeException e) {
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
