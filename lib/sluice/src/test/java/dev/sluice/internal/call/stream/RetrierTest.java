package dev.sluice.internal.call.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.TransportException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.Cancellation;
import dev.sluice.internal.low.http.Deadline;
import dev.sluice.internal.low.http.RetryableFailure;
import dev.sluice.internal.low.http.Sleeper;
import dev.sluice.internal.low.http.TestCancellation;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final Sleeper recording = (delay, cancelled) -> sleeps.add(delay);
    private final AtomicInteger attempts = new AtomicInteger();

    private Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, recording, () -> 0.0);
    }

    private static RetryableFailure overloaded(OptionalInt retryAfterMillis) {
        return RetryableFailure.of(
                new ApiException(529, "overloaded_error", "Overloaded", false, retryAfterMillis, null));
    }

    private static RetryableFailure connectionRefused() {
        return RetryableFailure.of(new TransportException("refused", new ConnectException("Connection refused")));
    }

    @Test
    void call_succeedsFirstTime_noWait() throws Exception {
        assertEquals("ok", retrier(RetryPolicy.defaults()).call(() -> "ok"));
        assertEquals(List.of(), sleeps);
    }

    @Test
    void call_failsThenSucceeds_retriesWithExponentialBackoff() throws Exception {
        String result = retrier(RetryPolicy.defaults()).call(() -> {
            if (attempts.incrementAndGet() < 3) throw connectionRefused();
            return "ok";
        });
        assertEquals("ok", result);
        assertEquals(3, attempts.get());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), sleeps);
    }

    @Test
    void call_alwaysRetryable_throwsLastFailureAfterMaxRetriesPlusOneAttempts() {
        ApiException last = new ApiException(500, "api_error", "boom", false, null);
        ApiException thrown = assertThrows(
                ApiException.class,
                () -> retrier(RetryPolicy.defaults().withMaxRetries(3)).call(() -> {
                    attempts.incrementAndGet();
                    throw RetryableFailure.of(last);
                }));
        assertSame(last, thrown);
        assertEquals(4, attempts.get());
        assertEquals(3, sleeps.size());
    }

    @Test
    void call_policyNone_singleAttempt() {
        assertThrows(
                TransportException.class,
                () -> retrier(RetryPolicy.none()).call(() -> {
                    attempts.incrementAndGet();
                    throw connectionRefused();
                }));
        assertEquals(1, attempts.get());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void call_uncheckedFailure_notRetried() {
        ProtocolException e = new ProtocolException("bad", null);
        assertSame(
                e,
                assertThrows(
                        ProtocolException.class,
                        () -> retrier(RetryPolicy.defaults()).call(() -> {
                            attempts.incrementAndGet();
                            throw e;
                        })));
        assertEquals(1, attempts.get());
    }

    @Test
    void call_checkedExceptionNotRetryableFailure_illegalStateNamingIt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> retrier(RetryPolicy.defaults()).call(() -> {
                    throw new IOException("x");
                }));
        assertTrue(e.getMessage().contains("java.io.IOException"), e.getMessage());
    }

    @Test
    void call_serverDelayWithinCap_waitedExactlyWithoutJitter() throws Exception {
        Retrier r = new Retrier(RetryPolicy.defaults(), recording, () -> 0.99);
        r.call(() -> {
            if (attempts.incrementAndGet() == 1) throw overloaded(OptionalInt.of(12_000));
            return "ok";
        });
        assertEquals(List.of(Duration.ofSeconds(12)), sleeps);
    }

    @Test
    void call_serverDelayAboveCap_notRetriedAndFailureCarriesDelay() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> retrier(RetryPolicy.defaults()).call(() -> {
                    attempts.incrementAndGet();
                    throw overloaded(OptionalInt.of(61_000));
                }));
        assertEquals(1, attempts.get());
        assertEquals(OptionalInt.of(61_000), e.retryAfterMillis());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void call_serverDelayEqualToCap_retried() throws Exception {
        retrier(RetryPolicy.defaults()).call(() -> {
            if (attempts.incrementAndGet() == 1) throw overloaded(OptionalInt.of(60_000));
            return "ok";
        });
        assertEquals(List.of(Duration.ofSeconds(60)), sleeps);
    }

    @Test
    void call_cancelledBeforeStart_noAttempt() {
        TestCancellation cancel = new TestCancellation();
        cancel.cancel();
        assertThrows(
                CancellationException.class,
                () -> retrier(RetryPolicy.defaults()).call(attempts::incrementAndGet, cancel.cancellation()));
        assertEquals(0, attempts.get());
    }

    @Test
    void call_cancelDuringRealBackoff_abortsPromptlyWithLastFailureAsCause() throws Exception {
        RetryPolicy slow =
                RetryPolicy.defaults().withMaxBackoff(Duration.ofMinutes(5)).withInitialBackoff(Duration.ofMinutes(5));
        Retrier r = new Retrier(slow);
        TestCancellation cancel = new TestCancellation();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> call = executor.submit(() -> r.call(
                    () -> {
                        attempts.incrementAndGet();
                        throw connectionRefused();
                    },
                    cancel.cancellation()));
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1 && cancel.listeners() == 1);
            long start = System.nanoTime();
            cancel.cancel();
            ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            CancellationException cancelled = assertInstanceOf(CancellationException.class, e.getCause());
            assertInstanceOf(TransportException.class, cancelled.getCause());
            assertEquals(1, attempts.get());
        }
    }

    @Test
    void call_interruptedDuringRealBackoff_throwsInterruptedException() {
        Retrier r = new Retrier(
                RetryPolicy.defaults().withMaxBackoff(Duration.ofMinutes(5)).withInitialBackoff(Duration.ofMinutes(5)));
        var outcome = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                r.call(() -> {
                    attempts.incrementAndGet();
                    throw connectionRefused();
                });
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
        caller.interrupt();
        await().atMost(Duration.ofSeconds(5)).until(() -> outcome.get() != null);
        assertInstanceOf(InterruptedException.class, outcome.get());
    }

    /**
     * The child JVM of {@link #call_slf4jAbsent_retryPathRunsWithoutIt}: checks that SLF4J is absent,
     * then runs the retry path; prints OK.
     */
    public static final class WithoutSlf4j {
        public static void main(String[] args) throws Exception {
            try {
                Class.forName("org.slf4j.LoggerFactory");
                System.out.println("SLF4J-PRESENT");
                return;
            } catch (ClassNotFoundException expected) {
                // the premise
            }
            AtomicInteger attempts = new AtomicInteger();
            String r = new Retrier(
                            RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(1)),
                            (delay, cancelled) -> {},
                            () -> 0)
                    .call(() -> {
                        if (attempts.incrementAndGet() == 1) throw connectionRefused();
                        return "ok";
                    });
            try {
                new Retrier(RetryPolicy.defaults().withMaxRetries(1).withInitialBackoff(Duration.ofMillis(5)))
                        .call(() -> {
                            throw connectionRefused();
                        });
            } catch (TransportException expected) {
                System.out.println(r.equals("ok") && attempts.get() == 2 ? "OK" : "WRONG " + r + " " + attempts);
            }
        }
    }

    @Test
    void call_slf4jAbsent_retryPathRunsWithoutIt() throws Exception {
        // slf4j-api is on the class path for Resilience4j's circuit breaker (its state machine logs
        // through it); Retry must not need it: a child JVM without it runs the retry path.
        String classPath = java.util.Arrays.stream(
                        System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("slf4j"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString();
        Process child = new ProcessBuilder(javaBin, "-cp", classPath, WithoutSlf4j.class.getName())
                .redirectErrorStream(true)
                .start();
        String out;
        try (java.io.InputStream in = child.getInputStream()) {
            out = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not end");
        assertEquals(0, child.exitValue(), out);
        assertEquals("OK", out.strip(), out);
    }

    @Test
    void budget_sharedBetweenCallAndBackOff_spendsOneBudgetWithGrowingBackoff() throws Exception {
        Retrier.Budget budget = retrier(RetryPolicy.defaults()).budget(); // 2 retries: 3 attempts
        assertEquals(
                "opened",
                budget.call(
                        () -> {
                            if (attempts.incrementAndGet() < 2) throw connectionRefused();
                            return "opened";
                        },
                        Cancellation.NONE));
        assertTrue(budget.backOff(overloaded(OptionalInt.empty()), Cancellation.NONE)); // the third attempt is allowed
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), sleeps);
        assertEquals(2, budget.failedAttempts());
        assertFalse(budget.backOff(overloaded(OptionalInt.empty()), Cancellation.NONE)); // spent
        assertEquals(2, sleeps.size());
    }

    @Test
    void budget_backOffThenCallFails_throwsWhenSpent() {
        Retrier.Budget budget =
                retrier(RetryPolicy.defaults().withMaxRetries(1)).budget();
        assertThrows(TransportException.class, () -> {
            assertTrue(budget.backOff(overloaded(OptionalInt.empty()), Cancellation.NONE));
            budget.call(
                    () -> {
                        attempts.incrementAndGet();
                        throw connectionRefused();
                    },
                    Cancellation.NONE);
        });
        assertEquals(1, attempts.get());
    }

    @Test
    void budget_backOffServerDelayAboveCap_givesUp() throws Exception {
        Retrier.Budget budget = retrier(RetryPolicy.defaults().withMaxRetryAfter(Duration.ofSeconds(1)))
                .budget();
        assertFalse(budget.backOff(overloaded(OptionalInt.of(5_000)), Cancellation.NONE));
        assertEquals(List.of(), sleeps);
    }

    /** A deadline that is always {@code left} away (the recording sleeper does not pass time). */
    private static Deadline deadline(Duration left) {
        return new Deadline() {
            @Override
            public long nanosLeft() {
                return left.toNanos();
            }

            @Override
            public dev.sluice.SluiceException expired() {
                return new dev.sluice.StreamTimeoutException(
                        dev.sluice.StreamTimeoutException.Timeout.FIRST_EVENT,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1));
            }
        };
    }

    @Test
    void budget_backOffLongerThanWhatIsLeftOfTheDeadline_waitsOnlyUntilItThenThrowsItsFailure() {
        Retrier.Budget budget = retrier(RetryPolicy.defaults()).budget();
        RetryableFailure overloaded = overloaded(OptionalInt.of(5_000));
        dev.sluice.StreamTimeoutException e = assertThrows(
                dev.sluice.StreamTimeoutException.class,
                () -> budget.backOff(overloaded, Cancellation.NONE, deadline(Duration.ofMillis(200))));
        assertEquals(List.of(Duration.ofMillis(200)), sleeps, "not the server's 5 s");
        assertSame(overloaded.failure(), e.getSuppressed()[0]);
    }

    @Test
    void call_backOffWithinTheDeadline_waitsTheWholeDelayAndRetries() throws Exception {
        String result = retrier(RetryPolicy.defaults())
                .budget()
                .call(
                        () -> {
                            if (attempts.incrementAndGet() < 2) throw connectionRefused();
                            return "ok";
                        },
                        Cancellation.NONE,
                        deadline(Duration.ofSeconds(10)));
        assertEquals("ok", result);
        assertEquals(List.of(Duration.ofMillis(500)), sleeps);
    }

    @Test
    void call_deadlineAlreadyPassed_noAttemptThrowsItsFailure() {
        assertThrows(
                dev.sluice.StreamTimeoutException.class,
                () -> retrier(RetryPolicy.defaults())
                        .budget()
                        .call(
                                () -> {
                                    attempts.incrementAndGet();
                                    return "never";
                                },
                                Cancellation.NONE,
                                deadline(Duration.ZERO)));
        assertEquals(0, attempts.get());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void call_deadlinePassesDuringTheBackOffAfterAFailedAttempt_throwsItsFailureWithoutAnotherAttempt() {
        dev.sluice.StreamTimeoutException e = assertThrows(
                dev.sluice.StreamTimeoutException.class,
                () -> retrier(RetryPolicy.defaults())
                        .budget()
                        .call(
                                () -> {
                                    attempts.incrementAndGet();
                                    throw connectionRefused();
                                },
                                Cancellation.NONE,
                                deadline(Duration.ofMillis(300))));
        assertEquals(1, attempts.get());
        assertEquals(List.of(Duration.ofMillis(300)), sleeps, "the 500 ms back-off cut to what was left");
        assertInstanceOf(TransportException.class, e.getSuppressed()[0]);
    }
}
