package dev.sluice.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where stderr and stdout go, as far as the tool's stderr lines care.
 *
 * <p>Detection: on Linux, {@code /proc/self/fd/2} names the device stderr is connected to. Whether
 * stdout and stderr share their destination (a terminal, one file as with {@code > log 2>&1}, one
 * pipe as with {@code 2>&1 | tee}) is told by comparing the files behind {@code /dev/fd/1} and
 * {@code /dev/fd/2} (Linux, macOS, the BSDs). Elsewhere the JDK's console is the only clue; it
 * speaks for stdin and stdout together, and since JDK 22 {@link System#console()} returns a
 * console even when they are redirected, so {@code Console.isTerminal()} (JDK 22+) is asked when
 * it exists.
 *
 * @param stderrIsTerminal whether stderr is an interactive terminal (status line, carriage returns)
 * @param sharedWithStdout whether stdout writes to the same terminal, file or pipe (so that a line
 *     of stderr must not start where the streamed text stopped)
 * @param stdoutIsTerminal whether stdout is an interactive terminal; when it is not, a program reads
 *     it, and {@code agent} ends each turn's text and the answer with a line break
 */
record Terminal(boolean stderrIsTerminal, boolean sharedWithStdout, boolean stdoutIsTerminal) {
    /** Neither stream is a terminal: plain output only. */
    static final Terminal NONE = new Terminal(false, false, false);

    static Terminal detect() {
        Path err = link(2);
        if (err != null) {
            Path out = link(1);
            return new Terminal(isTty(err), sameDestination(), out != null && isTty(out));
        }
        boolean console = consoleIsTerminal();
        return new Terminal(console, console || sameDestination(), console);
    }

    /** {@return whether stdout and stderr write to the same file, pipe or terminal; false when that cannot be told} */
    private static boolean sameDestination() {
        try {
            return Files.isSameFile(Path.of("/dev/fd/1"), Path.of("/dev/fd/2"));
        } catch (IOException | RuntimeException e) {
            return false; // no /dev/fd (Windows), or not allowed to look
        }
    }

    private static @Nullable Path link(int fd) {
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

    /** {@return whether {@link System#console()} is an interactive terminal} */
    @SuppressWarnings("SystemConsoleNull") // on JDK 21, which Sluice supports, it is null without a terminal
    static boolean consoleIsTerminal() {
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
