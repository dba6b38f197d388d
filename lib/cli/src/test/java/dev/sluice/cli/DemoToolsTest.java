package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoToolsTest {
    private static final Pattern WEATHER =
            Pattern.compile("\\{\"city\":\".*\",\"condition\":\"([a-z ]+)\",\"celsius\":-?\\d+,\"wind_kmh\":(\\d+)}");

    @Test
    void weatherIn_manyCities_windyOnlyWithAStrongWindAndCalmOtherwise() {
        Set<String> conditions = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String city = "City " + i;
            Matcher m = WEATHER.matcher(DemoTools.weatherIn(city));
            assertTrue(m.matches(), DemoTools.weatherIn(city));
            int wind = Integer.parseInt(m.group(2));
            conditions.add(m.group(1));
            if (m.group(1).equals("windy")) assertTrue(wind >= 30, city + ": windy at " + wind + " km/h");
            else assertTrue(wind <= 20, city + ": " + m.group(1) + " at " + wind + " km/h");
        }
        assertEquals(6, conditions.size(), "every condition comes up: " + conditions);
    }
}
