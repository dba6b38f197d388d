package dev.sluice.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWarmUpTest {
    @Test
    void start_calledAgain_startsNothingMoreAndJsonIsUsable() {
        JsonWarmUp.start();
        assertFalse(JsonWarmUp.start(), "one warm-up per JVM");
        assertNotNull(Json.FACTORY); // waits for the warm-up's class initialisation if it is still running
        assertEquals("{\"a\":1}", Json.write(Map.of("a", 1L)));
    }
}
