package dev.sluice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Nothing blocks a carrier, where the suite's {@code PinningWatch} cannot see it on the JDK the
 * build runs (24+): in the main sources of every artifact under {@code lib/}, no
 * {@code Process.waitFor} (it waits in a monitor; a virtual thread waits through
 * {@code Process.onExit()}), no {@code Object.wait}, and {@code synchronized} only where listed
 * here, around memory alone: on JDK 21–23 a virtual thread blocked on a monitor, or parking or
 * waiting inside one, keeps its carrier.
 */
class CarrierRulesTest {
    private static final Pattern BLOCKING =
            Pattern.compile("\\bsynchronized\\b|\\.waitFor\\s*\\(|(?<![\\w$])(?:this\\.)?wait\\s*\\(|\\.wait\\s*\\(");

    /** Source file → how often it may say {@code synchronized}, each around memory alone. */
    private static final Map<String, Integer> SYNCHRONIZED = Map.of(
            "lib/sluice/src/main/java/dev/sluice/mcp/StdioProcess.java", 2, // Tail: a ring of stderr's last bytes
            "lib/server/src/main/java/dev/sluice/server/RelayServlet.java",
                    1); // fillInStackTrace, Throwable's own modifier

    /** {@return the monitors and waits in the code of this source, comments and strings aside, as {@code "synchronized"} or {@code "waitFor("}} */
    static List<String> blocking(String source) {
        List<String> found = new ArrayList<>();
        Matcher m = BLOCKING.matcher(Layers.code(source));
        while (m.find()) found.add(m.group().replaceAll("\\s", "").replaceFirst("^\\.|^this\\.", ""));
        return found;
    }

    @Test
    void mainSources_noWaitForNoWaitAndSynchronizedOnlyWhereListed() throws IOException {
        Map<String, List<String>> found = new TreeMap<>();
        Path lib = Path.of("..").toAbsolutePath().normalize();
        for (Path f : LayeringTest.sources()) {
            String name = "lib/"
                    + lib.relativize(f.toAbsolutePath().normalize()).toString().replace('\\', '/');
            List<String> hits = blocking(Layers.read(f));
            long monitors = hits.stream().filter("synchronized"::equals).count();
            if (hits.size() > monitors || monitors != SYNCHRONIZED.getOrDefault(name, 0)) found.put(name, hits);
        }
        assertEquals(
                Map.of(),
                found,
                "use ReentrantLock, Process.onExit() and platform threads for blocking reads (a file listed here "
                        + "and changed: update its count): " + SYNCHRONIZED);
    }

    @Test
    void blocking_findsMonitorsAndWaitsInCodeOnly() {
        String s = "synchronized void a() { p.waitFor(); lock.wait(5); wait(); this.wait(); }\n"
                + "/** synchronized, waitFor() */ int waitForPlace() { return 0; } // o.wait()\n"
                + "String t = \"synchronized\"; boolean b = p.waitFor (1, SECONDS);";
        assertEquals(List.of("synchronized", "waitFor(", "wait(", "wait(", "wait(", "waitFor("), blocking(s));
    }
}
