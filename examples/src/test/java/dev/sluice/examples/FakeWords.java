package dev.sluice.examples;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the testkit's fake model puts the demo tools' results in words, for tests that check its answers. */
public final class FakeWords {
    private static final Pattern WEATHER = Pattern.compile("\"condition\":\"([^\"]+)\",\"celsius\":(-?\\d+),\"wind_kmh\":(\\d+)");

    private FakeWords() {}

    /** {@return the fake model's words for {@link DemoTools#weatherIn}, after "In CITY it is "} */
    public static String weather(String city) {
        Matcher m = WEATHER.matcher(DemoTools.weatherIn(city));
        if (!m.find()) throw new AssertionError(DemoTools.weatherIn(city));
        return m.group(1) + " at " + m.group(2) + " °C, with the wind at " + m.group(3) + " km/h.";
    }
}
