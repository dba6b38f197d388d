package dev.sluice.cli;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice serve ARGS…} run in this JVM on a virtual thread, as the command line runs it, with
 * its own environment (no API key: the embedded fake model answers), on a free loopback port;
 * closing it interrupts the command as Ctrl+C would.
 */
public final class RunningServe implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("(?m)^sluice serve: (http://127\\.0\\.0\\.1:\\d+/)$");
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final AtomicInteger exit = new AtomicInteger(-1);
    private final Thread running;
    private final URI uri;

    private RunningServe(Map<String, String> env, List<String> args) {
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("serve", "--port", "0"));
        command.addAll(args);
        running = Thread.ofVirtual()
                .start(() -> exit.set(Sluice.run(
                        Map.of("serve", new ServeCommand(env)),
                        command,
                        new ByteArrayInputStream(new byte[0]),
                        out,
                        err)));
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ADDRESS.matcher(err()).find() || exit.get() >= 0);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        Matcher m = ADDRESS.matcher(err());
        if (!m.find()) {
            close();
            throw new IllegalStateException("sluice serve did not start (exit " + exit.get() + "): " + err());
        }
        uri = URI.create(m.group(1));
    }

    /**
     * {@return {@code sluice serve --port 0 ARGS…} once it prints its address}
     *
     * @param env the command's environment (e.g. the fake model's pace)
     * @throws IllegalStateException if it exits instead
     */
    public static RunningServe start(Map<String, String> env, String... args) {
        return new RunningServe(env, List.of(args));
    }

    /** {@return the page's address} */
    public URI uri() {
        return uri;
    }

    /** {@return what the command has printed on stderr so far} */
    public String err() {
        synchronized (errBytes) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** {@return the exit code, or -1 while it runs} */
    public int exitCode() {
        return exit.get();
    }

    @Override
    public void close() {
        running.interrupt();
        try {
            running.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
