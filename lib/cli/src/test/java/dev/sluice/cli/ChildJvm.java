package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class's {@code main} run in a JVM of its own, for what a test must not do in the shared test JVM
 * (JVM options, a collector's state, the JDK's pollers): this JVM's {@code java}, the tests' class
 * path, no options from {@code JDK_JAVA_OPTIONS} or {@code JAVA_TOOL_OPTIONS}.
 */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * {@return what the child printed, its standard output and error together}
     *
     * @throws AssertionError if it runs past a minute or exits with another status than 0
     */
    static String output(List<String> options, Class<?> main, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), main.getSimpleName() + " ends");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
