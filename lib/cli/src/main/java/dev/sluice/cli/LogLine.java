package dev.sluice.cli;

import java.io.PrintStream;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The tool's log records (what the library and the relay log through {@code System.Logger}, that
 * is {@code java.util.logging}) in the access log's shape, one line each: the instant in UTC, then
 * {@code level=}, {@code logger=} and {@code message=} (a JSON string), and with an exception
 * {@code error=} (its class and message, and its causes') and {@code at=} (where it was thrown).
 * Serve's stderr then reads as one log: its access lines and its warnings alike, each a line a
 * {@code grep} or a log shipper takes whole (JUL's default is two lines a record and a stack trace).
 */
final class LogLine extends Formatter {
    /** The console handlers' state is JUL's (global); this only swaps their formatter, once per handler. */
    private static final LogLine INSTANCE = new LogLine();

    LogLine() {}

    /**
     * Formats the root logger's handlers' records as {@link LogLine}s and sends them to the
     * {@code System.err} of the moment each is published (JUL's own console handler keeps the one it
     * started with), at the level of the console handler it replaces (INFO unless a JUL configuration
     * says otherwise). Idempotent; the loggers' levels stay JUL's.
     */
    static void install() {
        Logger root = LogManager.getLogManager().getLogger("");
        boolean ours = false;
        Level level = Level.INFO; // the console handler's default: FINE records a logger lets through are not printed
        for (Handler h : root.getHandlers()) {
            if (h instanceof Stderr) {
                ours = true;
            } else if (h instanceof ConsoleHandler) {
                level = h.getLevel();
                root.removeHandler(h);
            }
        }
        if (!ours) {
            Stderr stderr = new Stderr();
            stderr.setLevel(level);
            root.addHandler(stderr);
        }
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(160)
                .append(record.getInstant())
                .append(" level=")
                .append(record.getLevel().getName())
                .append(" logger=")
                .append(record.getLoggerName() == null ? "-" : record.getLoggerName())
                .append(" message=");
        Json.appendString(sb, formatMessage(record));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            StringBuilder error = new StringBuilder();
            for (Throwable t = thrown; t != null && error.length() < 2000; t = cause(t)) {
                if (!error.isEmpty()) error.append("; caused by ");
                error.append(t.getClass().getName()).append(t.getMessage() == null ? "" : ": " + t.getMessage());
            }
            sb.append(" error=");
            Json.appendString(sb, error.toString());
            StackTraceElement[] frames = thrown.getStackTrace();
            if (frames.length > 0) {
                sb.append(" at=");
                Json.appendString(sb, frames[0].toString());
            }
        }
        // the JSON strings escape C0 controls; a server's C1 controls, DEL and separators are escaped for the terminal
        return TerminalText.escape(sb.toString()) + System.lineSeparator();
    }

    /** The root's console handler: a {@link LogLine} a record on the current {@code System.err}, at JUL's levels. */
    private static final class Stderr extends Handler {
        Stderr() {
            setFormatter(INSTANCE);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) return;
            PrintStream err = System.err;
            err.print(getFormatter().format(record)); // one call: a line is not interleaved with another's
            err.flush();
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }

    @SuppressWarnings("ReferenceEquality") // identity: a throwable that is its own cause ends the chain
    private static @Nullable Throwable cause(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
