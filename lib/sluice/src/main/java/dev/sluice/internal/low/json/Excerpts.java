package dev.sluice.internal.low.json;

import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What an error message shows of a server's data ({@link Json#truncate}): at most so many
 * characters, and, on the thread that reads a response, none of its request's credentials. A
 * server may echo a key where a malformed event or answer quotes it, and a JDK Flight Recorder
 * exception event records the message of every throwable made. Apart from {@link Json}: a stream
 * sets its redaction without loading Jackson.
 *
 * <p>Threading: the redaction is the calling thread's own.
 */
public final class Excerpts {
    /** How much of the data past what is shown is searched for a secret that the cut would split (none is as long). */
    private static final int SEARCHED_PAST_SHOWN = 1024;

    /** The redaction of the thread reading a response: its request's credentials. */
    private static final ThreadLocal<@Nullable UnaryOperator<String>> SHOWN = new ThreadLocal<>();

    private Excerpts() {}

    /**
     * {@return the data to show: at most {@code max} characters, then an ellipsis, redacted first
     * on a thread that {@linkplain #redacting set} a redaction}
     *
     * @param data the data
     * @param max the most characters shown; positive
     */
    public static String of(String data, int max) {
        UnaryOperator<String> redact = SHOWN.get();
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
     * Sets what {@link #of} does to data on this thread before it shows it: the thread that reads
     * a response sets it to redact its request's credentials while it reads (and decodes, and
     * fails), and restores what it returns once done.
     *
     * @param redact the redaction, or null for none
     * @return the one it replaces, to restore in a {@code finally}
     */
    public static @Nullable UnaryOperator<String> redacting(@Nullable UnaryOperator<String> redact) {
        UnaryOperator<String> before = SHOWN.get();
        if (redact == null) SHOWN.remove();
        else SHOWN.set(redact);
        return before;
    }
}
