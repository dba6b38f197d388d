package dev.sluice.cli;

import dev.sluice.agent.AgentTool;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo tools of {@code sluice agent} and of the tool-runner example: {@code get_weather(city)},
 * made-up but deterministic weather as JSON, and {@code count_slowly(n)}, which counts to n one step
 * at a time and reports its progress at each step.
 */
public final class DemoTools {
    private static final List<String> CONDITIONS =
            List.of("sunny", "cloudy", "light rain", "windy", "foggy", "snow showers");

    private DemoTools() {}

    /** {@return {@code get_weather(city)}: {@code {"city":..,"condition":..,"celsius":..,"wind_kmh":..}}, the same for the same city} */
    public static AgentTool weather() {
        return AgentTool.of(
                "get_weather",
                "The current weather in a city (made up, but the same for the same city)",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("city", Map.of("type", "string", "description", "The city, e.g. Paris")),
                        "required",
                        List.of("city")),
                (arguments, context) -> weatherIn(String.valueOf(arguments.get("city"))));
    }

    /** {@return the made-up weather of a city, as JSON} */
    public static String weatherIn(String city) {
        int h = city.strip().toLowerCase(Locale.ROOT).hashCode();
        String condition = CONDITIONS.get(Math.floorMod(h, CONDITIONS.size()));
        int celsius = Math.floorMod(h >>> 3, 35) - 5;
        // a windy day blows at 30 km/h or more, any other at 20 at most (it said "windy" at 4 km/h)
        int wind = condition.equals("windy") ? 30 + Math.floorMod(h >>> 9, 31) : Math.floorMod(h >>> 9, 21);
        return "{\"city\":\"" + city.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"condition\":\"" + condition
                + "\",\"celsius\":" + celsius + ",\"wind_kmh\":" + wind + "}";
    }

    /**
     * {@return {@code count_slowly(n)}: counts to n (1 to 100), one step each {@code step}, reporting
     * {@code counted i of n} with its percentage at each step; returns {@code {"counted":n}}}
     *
     * @param step the time each step takes
     */
    public static AgentTool countSlowly(Duration step) {
        return AgentTool.of(
                "count_slowly",
                "Counts slowly up to n, reporting progress at each step",
                Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("n", Map.of("type", "integer", "description", "How far to count, 1 to 100")),
                        "required",
                        List.of("n")),
                (arguments, context) -> {
                    if (!(arguments.get("n") instanceof Long n) || n < 1 || n > 100) {
                        throw new IllegalArgumentException(
                                "n must be an integer from 1 to 100, not " + arguments.get("n"));
                    }
                    for (long i = 1; i <= n; i++) {
                        Thread.sleep(step); // the work; an interrupt (cancel, timeout) ends it here
                        context.progress("counted " + i + " of " + n, 100.0 * i / n);
                    }
                    return "{\"counted\":" + n + "}";
                });
    }
}
