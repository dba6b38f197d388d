package dev.sluice.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void defaults_areDocumentedValues() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(2, p.maxRetries());
        assertEquals(Duration.ofMillis(500), p.initialBackoff());
        assertEquals(Duration.ofSeconds(8), p.maxBackoff());
        assertEquals(2, p.multiplier());
        assertEquals(0.25, p.jitter());
        assertEquals(Duration.ofSeconds(60), p.maxRetryAfter());
    }

    @Test
    void none_hasZeroRetriesAndOtherwiseDefaults() {
        assertEquals(RetryPolicy.defaults().withMaxRetries(0), RetryPolicy.none());
    }

    @Test
    void withers_changeOneComponent() {
        RetryPolicy p = RetryPolicy.defaults()
                .withMaxRetries(5)
                .withMaxBackoff(Duration.ofSeconds(20))
                .withInitialBackoff(Duration.ofSeconds(1))
                .withMultiplier(3)
                .withJitter(1.0)
                .withMaxRetryAfter(Duration.ofSeconds(5));
        assertEquals(
                new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(20), 3, 1.0, Duration.ofSeconds(5)), p);
    }

    @Test
    void constructor_invalidValues_throwNamingTheValue() {
        RetryPolicy d = RetryPolicy.defaults();
        assertMessage("maxRetries", assertThrows(IllegalArgumentException.class, () -> d.withMaxRetries(-1)));
        assertMessage(
                "initialBackoff",
                assertThrows(IllegalArgumentException.class, () -> d.withInitialBackoff(Duration.ofMillis(-1))));
        assertMessage(
                "maxBackoff",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxBackoff(Duration.ofMillis(100))));
        assertMessage("multiplier", assertThrows(IllegalArgumentException.class, () -> d.withMultiplier(0.5)));
        assertMessage(
                "multiplier",
                assertThrows(IllegalArgumentException.class, () -> d.withMultiplier(Double.POSITIVE_INFINITY)));
        assertMessage("jitter", assertThrows(IllegalArgumentException.class, () -> d.withJitter(1.5)));
        assertMessage("jitter", assertThrows(IllegalArgumentException.class, () -> d.withJitter(Double.NaN)));
        assertMessage(
                "maxRetryAfter",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxRetryAfter(Duration.ofSeconds(-1))));
        assertMessage("maxRetryAfter", assertThrows(NullPointerException.class, () -> d.withMaxRetryAfter(null)));
    }

    @Test
    void delay_doublesFromInitialUpToMax() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(Duration.ofMillis(500), p.delay(1, 0));
        assertEquals(Duration.ofMillis(1000), p.delay(2, 0));
        assertEquals(Duration.ofMillis(2000), p.delay(3, 0));
        assertEquals(Duration.ofMillis(8000), p.delay(5, 0));
        assertEquals(Duration.ofMillis(8000), p.delay(6, 0));
        assertEquals(Duration.ofMillis(8000), p.delay(Integer.MAX_VALUE, 0), "no overflow");
        assertThrows(IllegalArgumentException.class, () -> p.delay(0, 0));
    }

    @Test
    void delay_multiplier_scalesEachNextWait() {
        RetryPolicy p =
                RetryPolicy.defaults().withMaxBackoff(Duration.ofSeconds(30)).withMultiplier(3);
        assertEquals(Duration.ofMillis(4500), p.delay(3, 0));
        assertEquals(Duration.ofMillis(500), p.withMultiplier(1).delay(7, 0));
    }

    @Test
    void delay_jitter_shortensByAtMostTheJitterFraction() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(Duration.ofMillis(1000), p.delay(2, 0.0));
        assertEquals(Duration.ofMillis(750), p.delay(2, 1.0));
        assertEquals(Duration.ofMillis(875), p.delay(2, 0.5));
        assertEquals(Duration.ZERO, p.withJitter(1.0).delay(2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> p.delay(1, 1.5));
    }

    @Test
    void delay_fromAnotherBase_doublesItAndNeverCutsItShort() {
        RetryPolicy p = RetryPolicy.defaults().withJitter(0);
        assertEquals(Duration.ofMillis(2000), p.delay(2, Duration.ofSeconds(1), 0));
        assertEquals(Duration.ofSeconds(8), p.delay(5, Duration.ofSeconds(1), 0), "the cap");
        assertEquals(Duration.ofMinutes(2), p.delay(3, Duration.ofMinutes(2), 0), "a base above the cap is the wait");
        assertEquals(Duration.ZERO, p.delay(4, Duration.ZERO, 0.5));
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), p.delay(1, Duration.ofDays(1_000_000), 0), "no overflow");
    }

    private static void assertMessage(String expected, RuntimeException e) {
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
