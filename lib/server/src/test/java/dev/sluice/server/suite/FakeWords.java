package dev.sluice.server.suite;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the test kit's fake model puts a weather tool's result in words, for tests that check its answers. */
public final class FakeWords {
    private static final Pattern WEATHER =
            Pattern.compile("\"condition\":\"([^\"]+)\",\"celsius\":(-?\\d+),\"wind_kmh\":(\\d+)");

    private FakeWords() {}

    /**
     * {@return the fake model's words for a weather tool's result, after "In CITY it is "}
     *
     * @param result the tool's result: JSON with {@code condition}, {@code celsius} and {@code wind_kmh}
     */
    public static String weather(String result) {
        Matcher m = WEATHER.matcher(result);
        if (!m.find()) throw new AssertionError(result);
        return m.group(1) + " at " + m.group(2) + " °C, with the wind at " + m.group(3) + " km/h.";
    }
}
