package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK Flight Recorder settings kept in the repository ({@code src/main/jfr/sluice.jfc}, docs/integrations.md):
 * a child JVM whose environment, system properties, command line, exceptions and child process
 * hold a secret is recorded with the JDK's settings and then with the shipped file after them;
 * the JDK's alone record the secret (so the check can see it), the file leaves no event
 * that holds it, and nor do the flags docs/integrations.md gives instead of the file.
 */
class JfrSettingsTest {
    private static final String SECRET =
            "sk-jfr-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final Path SHIPPED = Path.of("src/main/jfr/sluice.jfc").toAbsolutePath();
    private static final Path DOC =
            Path.of("../../docs/integrations.md").toAbsolutePath().normalize();
    private static final String CHILD = """
            public class Child {
                public static void main(String[] args) throws Exception {
                    String secret = System.getenv("SLUICE_TEST_SECRET");
                    try {
                        throw new IllegalStateException("the server said: " + secret);
                    } catch (IllegalStateException e) {
                        // thrown and caught, as a client's error would be
                    }
                    try {
                        throw new AssertionError("and again: " + secret);
                    } catch (AssertionError e) {
                        // an Error's message too
                    }
                    new ProcessBuilder("true", secret).start().waitFor(); // an MCP server's command line
                }
            }
            """;

    @Test
    void recording_shippedSettingsAfterTheJdks_noEventHoldsTheSecret(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Child.java"), CHILD);
        Set<String> jdks = eventsWithTheSecret(dir, "settings=profile");
        assertTrue(
                jdks.containsAll(List.of(
                        "jdk.InitialEnvironmentVariable", "jdk.InitialSystemProperty", "jdk.JavaExceptionThrow")),
                "the JDK's own settings record the secret: " + jdks);
        for (String jdk : List.of("default", "profile")) {
            assertEquals(
                    Set.of(),
                    eventsWithTheSecret(dir, "settings=" + jdk + ",settings=" + SHIPPED),
                    jdk + " then sluice.jfc");
        }
    }

    @Test
    void recording_theDocsFlagsInsteadOfTheFile_noEventHoldsTheSecret(@TempDir Path dir) throws Exception {
        // sluice.jfc is in no jar: docs/integrations.md gives the same as flags for a user without the repository
        String prefix = "-XX:StartFlightRecording:";
        String flags = Files.readAllLines(DOC).stream()
                .filter(l -> l.startsWith(prefix + "settings=default,"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(DOC + " gives no " + prefix + "settings=default,... line"));
        String options = flags.substring(prefix.length()).replaceFirst(",filename=[^,]*$", "");
        Files.writeString(dir.resolve("Child.java"), CHILD);
        assertEquals(Set.of(), eventsWithTheSecret(dir, options), flags);
        assertTrue(
                Files.readString(DOC).contains("it is in no jar: copy it next to your application"),
                "the doc says where the file is");
    }

    /** {@return the names of the events that hold the secret in a recording of the child with these options} */
    private static Set<String> eventsWithTheSecret(Path dir, String options) throws IOException, InterruptedException {
        Path recording = dir.resolve("child-" + System.nanoTime() + ".jfr");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder child = new ProcessBuilder(
                        java,
                        "-Dmy.app.api-key=" + SECRET,
                        "-XX:StartFlightRecording:" + options + ",filename=" + recording,
                        "-Xlog:jfr+startup=warning",
                        "Child.java",
                        "--api-key=" + SECRET)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        child.environment().put("SLUICE_TEST_SECRET", SECRET);
        Process p = child.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM ends");
        assertEquals(0, p.exitValue(), () -> read(dir.resolve("child.log")));
        Set<String> names = new TreeSet<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.toString().contains(SECRET))
                names.add(event.getEventType().getName());
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
