package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FakeClockTest {
    @Test
    void advance_movesWallAndMonotonicTimeTogether() {
        FakeClock clock = new FakeClock();
        Instant wall = clock.instant();
        long nanos = clock.getAsLong();

        clock.advance(Duration.ofSeconds(31));

        assertEquals(wall.plusSeconds(31), clock.instant());
        assertEquals(nanos + Duration.ofSeconds(31).toNanos(), clock.getAsLong());
    }

    @Test
    void new_startsAtTheDefaultInstantInUtc() {
        FakeClock clock = new FakeClock();

        assertEquals(Instant.parse(FakeClock.DEFAULT_START), clock.instant());
        assertEquals(ZoneOffset.UTC, clock.getZone());
    }

    @Test
    void advance_negative_throws() {
        FakeClock clock = new FakeClock();

        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void set_movesTheWallTimeOnly() {
        FakeClock clock = new FakeClock(Instant.EPOCH);
        long nanos = clock.getAsLong();

        clock.set(Instant.parse("2030-01-01T00:00:00Z"));

        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), clock.instant());
        assertEquals(nanos, clock.getAsLong());
    }

    @Test
    void withZone_sharesTheTimeOfTheClock() {
        FakeClock clock = new FakeClock();
        FakeClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(5));

        assertEquals(clock.instant(), paris.instant());
        assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
        assertSame(clock, clock.withZone(ZoneOffset.UTC));
    }

    @Test
    void awaitReadsBy_returnsOnceTheReaderReadThreeMoreTimes() throws Exception {
        FakeClock clock = new FakeClock();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> {
            started.countDown();
            while (!stop.get()) clock.getAsLong();
        });
        started.await();
        long before = clock.readsBy(reader);

        clock.awaitReadsBy(reader, Duration.ofSeconds(5));

        stop.set(true);
        reader.join();
        assertEquals(true, clock.readsBy(reader) >= before + 3);
    }

    @Test
    void awaitReadsBy_readerSilent_failsAfterTheTimeout() {
        FakeClock clock = new FakeClock();

        assertThrows(AssertionError.class, () -> clock.awaitReadsBy(Thread.currentThread(), Duration.ofMillis(50)));
    }
}
