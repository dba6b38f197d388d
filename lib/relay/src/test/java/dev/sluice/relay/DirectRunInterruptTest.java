package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A cancel from another thread interrupts a run's upstream thread to stop its read; a run whose
 * upstream has ended with that interrupt still set writes its end to a client whose writes fail on
 * an interrupted thread (as a servlet container's blocking write does: Tomcat's "The current
 * thread was interrupted"), and the interrupt is there again afterwards.
 */
class DirectRunInterruptTest {
    /** Writes into a list; a write on an interrupted thread fails, as a container's blocking one does. */
    static final class InterruptibleClient implements RelayWriter {
        final List<RelayEvent> sent = new ArrayList<>();

        @Override
        public void send(long id, RelayEvent event) throws IOException {
            if (Thread.currentThread().isInterrupted())
                throw new InterruptedIOException("The current thread was interrupted");
            sent.add(event);
        }

        @Override
        public void heartbeat() throws IOException {
            if (Thread.currentThread().isInterrupted())
                throw new InterruptedIOException("The current thread was interrupted");
        }

        @Override
        public void flush() throws IOException {
            if (Thread.currentThread().isInterrupted())
                throw new InterruptedIOException("The current thread was interrupted");
        }
    }

    /** A delta, then the end, read with the thread's interrupt set as a cancel's would be. */
    static final class InterruptedAtItsEnd implements RelaySource {
        private int read;

        @Override
        public Optional<RelayEvent> next() {
            if (read++ == 0) return Optional.of(new RelayEvent.Delta("Hello"));
            Thread.currentThread().interrupt();
            return Optional.empty();
        }

        @Override
        public void cancel(String reason) {}

        @Override
        public void close() {}
    }

    @Test
    void upstreamEndsOnAnInterruptedThread_theEndIsWrittenAndTheInterruptRestored() {
        Relay relay = Relay.builder()
                .provider("test", new TestProvider(TestProvider.words(1)), "test-model")
                .build();
        try {
            DirectRun run = relay.direct(
                    StartRequest.parse("{\"prompt\":\"hi\"}"),
                    (request, controller) -> new InterruptedAtItsEnd(),
                    last -> {});
            InterruptibleClient client = new InterruptibleClient();
            Subscription.Outcome outcome =
                    run.start(client).toCompletableFuture().join();
            assertTrue(Thread.interrupted(), "the interrupt is the thread's again (and cleared here)");
            assertEquals(Subscription.Outcome.COMPLETE, outcome, "the end was written: " + client.sent);
            assertEquals(2, client.sent.size(), client.sent.toString());
            assertTrue(client.sent.getLast().terminal(), client.sent.toString());
        } finally {
            Thread.interrupted();
            relay.close();
        }
    }
}
