package dev.sluice.internal.low.json;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What an error message shows of a server's data ({@link Json#truncate}): at most so many
 * characters, and, on the thread that reads a response, none of its request's credentials. A
 * server may echo a key where a malformed event or answer quotes it, and a JDK Flight Recorder
 * exception event records the message of every throwable made. Apart from {@link Json}: a stream
 * sets its redaction without loading Jackson.
 *
 * <p>Threading: the redaction is the calling thread's own: set for a scope by
 * {@link #redactOnThisThread} (the thread that reads a response, while it reads), read by
 * {@link #shownOnThisThread} ({@link Json#truncate}).
 */
public final class Excerpts {
    /** How much of the data past what is shown is searched for a secret that the cut would split (none is as long). */
    private static final int SEARCHED_PAST_SHOWN = 1024;

    /** The redaction of the thread reading a response: its request's credentials. */
    private static final ThreadLocal<@Nullable UnaryOperator<String>> THIS_THREADS_REDACTION = new ThreadLocal<>();

    private Excerpts() {}

    /**
     * {@return the data to show: at most {@code max} characters, then an ellipsis, redacted first
     * by this thread's redaction when it {@linkplain #redactOnThisThread set} one}
     *
     * @param data the data
     * @param max the most characters shown; positive
     */
    public static String shownOnThisThread(String data, int max) {
        UnaryOperator<String> redact = THIS_THREADS_REDACTION.get();
        String shown = data;
        boolean cut = false;
        if (redact != null) { // redacted before the cut, so that a secret across it is found whole
            cut = data.length() - max > SEARCHED_PAST_SHOWN;
            shown = redact.apply(cut ? data.substring(0, max + SEARCHED_PAST_SHOWN) : data);
        }
        if (shown.length() <= max) return cut ? shown + "…" : shown;
        int end = max;
        if (Character.isHighSurrogate(shown.charAt(end - 1))) end--;
        return shown.substring(0, end) + "…";
    }

    /**
     * Sets what {@link #shownOnThisThread} does to data on this thread before it shows it, until the
     * scope returned is closed: the thread that reads a response sets it to redact its request's
     * credentials while it reads (and decodes, and fails).
     *
     * <pre>{@code
     * Excerpts.ThreadRedaction thisThreadRedacts = Excerpts.redactOnThisThread(data -> ServerText.redact(data, credentials));
     * try {
     *     return read(response);
     * } finally {
     *     thisThreadRedacts.close();
     * }
     * }</pre>
     *
     * @param redact the redaction
     * @return the scope, whose {@code close()} (on this thread) restores the redaction it replaced
     */
    public static ThreadRedaction redactOnThisThread(UnaryOperator<String> redact) {
        ThreadRedaction scope = new ThreadRedaction(THIS_THREADS_REDACTION.get());
        THIS_THREADS_REDACTION.set(Objects.requireNonNull(redact, "redact"));
        return scope;
    }

    /** This thread's redaction, in effect until closed; closing restores the one it replaced (none: none). */
    public static final class ThreadRedaction implements AutoCloseable {
        private final @Nullable UnaryOperator<String> replaced;

        private ThreadRedaction(@Nullable UnaryOperator<String> replaced) {
            this.replaced = replaced;
        }

        /** Restores, on this thread, the redaction this one replaced. */
        @Override
        public void close() {
            if (replaced == null) THIS_THREADS_REDACTION.remove();
            else THIS_THREADS_REDACTION.set(replaced);
        }
    }
}
