package dev.sluice.internal.call.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.SluiceException;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.internal.call.stream.SseFraming;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamRules;
import dev.sluice.sse.SseEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A client's observation taps the call's decoded events; it never wraps the protocol, so the
 * provider's framing and rules reach the call as they are.
 */
class StreamObservationTest {
    private static final StreamProtocol<String> PLAIN = StreamProtocol.of(
            new SseFraming<>() {
                @Override
                public void decode(SseEvent event, Consumer<? super String> out) {
                    out.accept(event.data());
                }
            },
            new StreamRules<>() {
                @Override
                public boolean isContent(String event) {
                    return true;
                }

                @Override
                public boolean isTerminal(String event) {
                    return false;
                }

                @Override
                public Optional<InBandError> inBandError(String event) {
                    return Optional.empty();
                }

                @Override
                public Optional<SluiceException> endOfInput() {
                    return Optional.empty();
                }
            });

    private static final StreamStart START = new StreamStart("anthropic", "chat", "m", "localhost", 80, 0);

    @Test
    void tap_noActiveObservation_noneSoNoPerEventWork_anActiveOneTaps() {
        StreamObservation idle = new StreamObservation(
                List.of(s -> StreamObserver.Observation.NONE), START, System::nanoTime, System.getLogger("test"));
        assertNull(idle.tap(PLAIN), "no per-event work when nobody observes");
        StreamObservation watched = new StreamObservation(
                List.of(s -> new StreamObserver.Observation() {}), START, System::nanoTime, System.getLogger("test"));
        assertNotNull(watched.tap(PLAIN));
    }
}
