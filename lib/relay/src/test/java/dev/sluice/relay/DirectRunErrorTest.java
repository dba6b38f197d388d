package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An {@link Error} while a run writes (an {@link OutOfMemoryError} building a large answer's failure
 * event, as issue 95's M3 found) still ends the exchange: the run completes
 * {@link Subscription.Outcome#DROPPED}, which the gateway answers by cutting the connection, never
 * leaving it open with no last event (CLOSE-WAIT).
 */
class DirectRunErrorTest {
    /** Writes into a list, failing with an {@link OutOfMemoryError} from the event it is told. */
    static final class FailingClient implements RelayWriter {
        final List<RelayEvent> sent = new ArrayList<>();
        private final int failFrom;

        FailingClient(int failFrom) {
            this.failFrom = failFrom;
        }

        @Override
        public void send(long id, RelayEvent event) throws IOException {
            if (sent.size() + 1 >= failFrom) throw new OutOfMemoryError("Java heap space (a test's)");
            sent.add(event);
        }

        @Override
        public void heartbeat() {}

        @Override
        public void flush() {}
    }

    /** Two deltas, then the end. */
    static final class TwoDeltas implements RelaySource {
        private int read;

        @Override
        public Optional<RelayEvent> next() {
            return read++ < 2 ? Optional.of(new RelayEvent.Delta("Hello")) : Optional.empty();
        }

        @Override
        public void cancel(String reason) {}

        @Override
        public void close() {}
    }

    @ParameterizedTest(name = "an Error from write {0}")
    @ValueSource(ints = {1, 2, 3})
    void errorWhileWriting_theRunEndsDroppedAndItsPlacesGoBack(int failFrom) throws Exception {
        Relay relay = Relay.builder()
                .provider("test", new TestProvider(TestProvider.words(1)), "test-model")
                .limits(RelayLimits.defaults().withMaxStreams(1))
                .build();
        try {
            DirectRun run = relay.direct(
                    StartRequest.parse("{\"prompt\":\"hi\"}"), (request, controller) -> new TwoDeltas(), last -> {});
            FailingClient client = new FailingClient(failFrom);
            Subscription.Outcome outcome =
                    run.start(client).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Subscription.Outcome.DROPPED, outcome, "cut, not left open: " + client.sent);
            assertTrue(client.sent.size() < failFrom, client.sent.toString());
            // its place is free again: the next run of a relay of one stream starts
            DirectRun next = relay.direct(
                    StartRequest.parse("{\"prompt\":\"hi\"}"), (request, controller) -> new TwoDeltas(), last -> {});
            FailingClient fine = new FailingClient(Integer.MAX_VALUE);
            assertEquals(
                    Subscription.Outcome.COMPLETE,
                    next.start(fine).toCompletableFuture().get(10, TimeUnit.SECONDS));
        } finally {
            relay.close();
        }
    }
}
