package dev.sluice.internal.call.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.internal.call.stream.ForwardingProtocol;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamProtocol.InBandError;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The observing wrapper, and a provider-neutral view's, must pass every rule of the provider's
 * protocol through: a default method the forwarding base forgot to override silently replaces the
 * provider's rule (as isSubstance once was, which broke the retry before substance).
 */
class ObservedProtocolDelegationTest {
    @Test
    void forwardingProtocol_overridesEveryMethodOfStreamProtocol_andTheObservingWrapperIsOne() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method m : StreamProtocol.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            try {
                ForwardingProtocol.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertEquals(List.of(), missing);
        Class<?> observed = Class.forName("dev.sluice.internal.call.client.StreamObservation$ObservedProtocol");
        assertEquals(ForwardingProtocol.class, observed.getSuperclass());
    }

    @Test
    void protocol_noActiveObservation_isThePlainProtocol() {
        StreamProtocol<String> plain = new StreamProtocol<>() {
            @Override
            public void decode(dev.sluice.sse.SseEvent event, java.util.function.Consumer<? super String> out) {
                out.accept(event.data());
            }

            @Override
            public boolean isContent(String event) {
                return true;
            }

            @Override
            public boolean isTerminal(String event) {
                return false;
            }

            @Override
            public java.util.Optional<InBandError> inBandError(String event) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<dev.sluice.SluiceException> endOfInput() {
                return java.util.Optional.empty();
            }
        };
        dev.sluice.client.StreamStart start =
                new dev.sluice.client.StreamStart("anthropic", "chat", "m", "localhost", 80, 0);
        StreamObservation idle = new StreamObservation(
                List.of(s -> dev.sluice.client.StreamObserver.Observation.NONE),
                start,
                System::nanoTime,
                System.getLogger("test"));
        org.junit.jupiter.api.Assertions.assertSame(
                plain, idle.protocol(plain), "no per-event work when nobody observes");
        StreamObservation watched = new StreamObservation(
                List.of(s -> new dev.sluice.client.StreamObserver.Observation() {}),
                start,
                System::nanoTime,
                System.getLogger("test"));
        org.junit.jupiter.api.Assertions.assertNotSame(plain, watched.protocol(plain));
    }
}
