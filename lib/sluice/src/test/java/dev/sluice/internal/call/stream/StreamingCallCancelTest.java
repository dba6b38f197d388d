package dev.sluice.internal.call.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.http.Sleeper;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A cancel while the stream is being reopened before content ends it as CANCELLED, always, without spinning. */
class StreamingCallCancelTest {
    private static final RetryPolicy POLICY =
            new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2), 2, 0, Duration.ofSeconds(1));

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private final HttpTransport transport = HttpTransport.builder().build();

    /** Every attempt: a frame, then a retryable in-band error: the producer backs off and reopens. */
    @BeforeEach
    void busy() {
        FAKE.server().setDispatcher(r -> FakeResponse.sse("data: start\n\ndata: err:busy\n\n"));
    }

    @AfterEach
    void tearDown() {
        transport.close();
    }

    private StreamingCall<String> open(FakeLlmServer server, StreamController c, Sleeper sleeper) {
        return StreamingCall.builder(LinesProtocol.INSTANCE)
                .transport(transport)
                .retrier(new Retrier(POLICY, sleeper, () -> 0.0))
                .controller(c)
                .post(() -> HttpPost.json(server.baseUrl().resolve("/s"), Map.of(), "{}"))
                .open();
    }

    /**
     * The race made certain: the cancelling thread has set the cancel flag but is held in an
     * earlier listener, so the stream's own listener has not ended it yet, while the producer, woken
     * from its back-off, sees the cancel. Before, it spun for up to a second and then returned, and
     * the stream ended COMPLETED; now it waits, parked, until the cancel has ended the stream.
     */
    @Test
    void cancel_producerSeesItBeforeTheCancellingThreadEndsTheStream_producerParksAndTheStreamEndsCancelled()
            throws Exception {
        FakeLlmServer server = FAKE.server();
        for (int round = 0; round < 3; round++) {
            CountDownLatch cancelSeen = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch woke = new CountDownLatch(1);
            StreamController c = StreamController.create();
            c.onCancel(
                    () -> { // registered before the stream's own listener: runs first
                        cancelSeen.countDown();
                        awaitUninterruptibly(release);
                    });
            Sleeper backOff = (delay, cancelled) -> {
                cancelSeen.await(); // the producer's back-off ends as the cancel begins
                woke.countDown();
            };
            StreamingCall<String> call = open(server, c, backOff);
            try (EventStream<String> events = call.events()) {
                Thread producer = await().atMost(Duration.ofSeconds(5))
                        .until(call::producerThread, p -> p.isPresent())
                        .orElseThrow();
                Thread canceller = Thread.ofVirtual().start(c::cancel);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> woke.getCount() == 0
                                && (events.endReason().isPresent() || producer.getState() == Thread.State.WAITING));
                release.countDown();
                await().atMost(Duration.ofSeconds(5)).until(() -> !canceller.isAlive() && !producer.isAlive());
                assertEquals(EndReason.CANCELLED, events.endReason().orElseThrow(), "round " + round);
            }
        }
    }

    @Test
    void cancel_duringTheBackOffOfAReopening_endsCancelledEveryTime() throws Exception {
        FakeLlmServer server = FAKE.server();
        for (int round = 0; round < 20; round++) {
            CountDownLatch backingOff = new CountDownLatch(1);
            Sleeper backOff = (delay, cancelled) -> {
                backingOff.countDown();
                cancelled.await();
            };
            StreamController c = StreamController.create();
            StreamingCall<String> call = open(server, c, backOff);
            try (EventStream<String> events = call.events()) {
                backingOff.await();
                c.cancel();
                await().atMost(Duration.ofSeconds(5))
                        .until(() ->
                                call.producerThread().map(t -> !t.isAlive()).orElse(false));
                assertEquals(EndReason.CANCELLED, events.endReason().orElseThrow(), "round " + round);
            }
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        for (; ; ) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
