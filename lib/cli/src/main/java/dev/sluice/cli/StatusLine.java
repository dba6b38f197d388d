package dev.sluice.cli;

import dev.sluice.relay.RelayEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The live status line of {@code sluice stream} on stderr: {@code ~N tokens, R tokens/s, T s},
 * redrawn in place with a carriage return (no ANSI codes) five times a second and erased before
 * anything else is written. It is drawn only where it cannot garble the answer: while stderr is
 * a terminal of its own (stdout redirected), for the whole stream; when stdout shares the
 * terminal, only until the first text is printed.
 *
 * <p>Threading: the consumer thread calls {@link #delta}, {@link #beforeText} and {@link #stop};
 * a virtual ticker thread redraws; {@link #println} comes from any thread. {@code lock} guards the drawing state and every write to the
 * terminal made here.
 */
final class StatusLine {
    private static final long TICK_MILLIS = 200;

    private final PrintStream err;
    private final boolean sharedWithStdout;
    private final LongSupplier nanoTime;
    private volatile long startNanos; // reset by start(): the clock runs from the request, as time to first token does
    private final ReentrantLock lock = new ReentrantLock();
    private boolean enabled; // guarded by lock
    private int drawnWidth; // guarded by lock
    private volatile long deltas;
    private volatile long firstDeltaNanos;
    private @Nullable Thread ticker;

    StatusLine(PrintStream err, Terminal terminal, LongSupplier nanoTime) {
        this.err = err;
        this.sharedWithStdout = terminal.sharedWithStdout();
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.enabled = terminal.stderrIsTerminal();
    }

    void start() {
        startNanos = nanoTime.getAsLong();
        if (!enabled) return;
        ticker = Thread.ofVirtual().name("sluice-status-line").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    draw();
                    Thread.sleep(TICK_MILLIS);
                }
            } catch (InterruptedException e) {
                // stop() ends the ticker
            }
        });
    }

    /** Counts one streamed delta (text, thinking or tool input). */
    void delta() {
        long n = deltas; // written by the consumer thread only
        if (n == 0) firstDeltaNanos = nanoTime.getAsLong();
        deltas = n + 1;
    }

    /** Called before text goes to stdout: on a shared terminal the line is erased for good. */
    void beforeText() {
        if (!sharedWithStdout) return;
        lock.lock();
        try {
            if (enabled) {
                erase();
                enabled = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a line of its own on stderr (a retry, a resume), erasing the status line first; the
     * ticker draws it again below. Any thread.
     */
    void println(String line) {
        println("", line);
    }

    /**
     * As {@link #println(String)}, after {@code lineBreak} ({@link MidLine#lineBreak()}: the break that
     * ends the text on a shared terminal), which is printed as it is, where the line's own breaks are escaped.
     */
    void println(String lineBreak, String line) {
        lock.lock();
        try {
            erase();
            err.print(lineBreak);
            err.println(line);
            err.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Erases the line and stops redrawing; idempotent. */
    void stop() {
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            if (enabled) erase();
            enabled = false;
        } finally {
            lock.unlock();
        }
    }

    private void draw() {
        lock.lock();
        try {
            if (!enabled) return;
            String line = text(nanoTime.getAsLong());
            err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
            err.flush();
            drawnWidth = line.length();
        } finally {
            lock.unlock();
        }
    }

    private void erase() {
        if (drawnWidth == 0) return;
        err.print("\r" + " ".repeat(drawnWidth) + "\r");
        err.flush();
        drawnWidth = 0;
    }

    /** {@return the status text at {@code now}} */
    String text(long now) {
        double elapsed = (now - startNanos) / 1e9;
        long n = deltas;
        if (n == 0) return String.format(Locale.ROOT, "waiting for the first token... %.1f s", elapsed);
        double perSecond = RelayEvent.Done.tokensPerSecond(n, Duration.ofNanos(Math.max(0, now - firstDeltaNanos)));
        String rate = perSecond > 0 ? String.format(Locale.ROOT, "%.1f", perSecond) : "-"; // "-" until measurable
        return String.format(Locale.ROOT, "~%d tokens, %s tokens/s, %.1f s", n, rate, elapsed);
    }
}
