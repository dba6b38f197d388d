package dev.sluice.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.internal.stream.StreamProtocol;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The observing wrapper must pass every rule of the provider's protocol through: a default method it
 * forgot to override silently replaces the provider's rule (as isSubstance once was, which broke the
 * retry before substance).
 */
class ObservedProtocolDelegationTest {
    @Test
    void observedProtocol_overridesEveryMethodOfStreamProtocol() throws Exception {
        Class<?> observed = Class.forName("dev.sluice.internal.client.StreamObservation$ObservedProtocol");
        List<String> missing = new ArrayList<>();
        for (Method m : StreamProtocol.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            try {
                observed.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertEquals(List.of(), missing);
    }
}
