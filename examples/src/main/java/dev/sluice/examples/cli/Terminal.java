package dev.sluice.examples.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where stderr and stdout go, as far as a status line cares.
 *
 * <p>Detection: on Linux, {@code /proc/self/fd/1} and {@code /proc/self/fd/2} name the devices
 * stdout and stderr are connected to, so each stream is judged on its own. Elsewhere the JDK's
 * console is the only clue; it speaks for stdin and stdout together, and since JDK 22
 * {@link System#console()} returns a console even when they are redirected, so
 * {@code Console.isTerminal()} (JDK 22+) is asked when it exists.
 *
 * @param stderrIsTerminal whether stderr is an interactive terminal (status line, carriage returns)
 * @param sharedWithStdout whether stdout writes to the same terminal (so the cursor is shared)
 */
record Terminal(boolean stderrIsTerminal, boolean sharedWithStdout) {
    /** Neither stream is a terminal: plain output only. */
    static final Terminal NONE = new Terminal(false, false);

    static Terminal detect() {
        Path out = link(1);
        Path err = link(2);
        if (err != null) {
            boolean tty = isTty(err);
            return new Terminal(tty, tty && err.equals(out));
        }
        boolean console = consoleIsTerminal();
        return new Terminal(console, console);
    }

    private static Path link(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null; // not Linux, or no /proc
        }
    }

    private static boolean isTty(Path device) {
        String d = device.toString();
        return d.startsWith("/dev/pts/") || d.startsWith("/dev/tty") || d.equals("/dev/console");
    }

    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal"); // JDK 22+
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console exists only on a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
