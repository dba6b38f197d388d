package dev.sluice;

import java.time.Duration;
import java.util.Objects;

/**
 * A stream ran past one of its timeouts. {@link #timeout()} says which, {@link #limit()} its
 * configured value and {@link #waited()} how long was actually waited.
 */
public final class StreamTimeoutException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** The timeouts a stream enforces. */
    public enum Timeout {
        /** From opening the stream to its first item. */
        FIRST_EVENT("first-event"),
        /** The longest gap allowed between two items. */
        IDLE("idle"),
        /** From opening the stream to its end. */
        TOTAL("total");

        private final String label;

        Timeout(String label) {
            this.label = label;
        }

        /** {@return the name used in messages, such as {@code idle}} */
        public String label() {
            return label;
        }
    }

    private final Timeout timeout;
    private final Duration limit;
    private final Duration waited;

    /**
     * @param timeout which timeout expired
     * @param limit its configured value
     * @param waited how long was waited
     */
    public StreamTimeoutException(Timeout timeout, Duration limit, Duration waited) {
        super(
                timeout.label() + " timeout of " + format(limit) + " expired after waiting " + format(waited)
                        + "; raise it in StreamController if the provider is just slow",
                null);
        this.timeout = timeout;
        this.limit = Objects.requireNonNull(limit, "limit");
        this.waited = Objects.requireNonNull(waited, "waited");
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    /** {@return which timeout expired} */
    public Timeout timeout() {
        return timeout;
    }

    /** {@return the configured value of the timeout} */
    public Duration limit() {
        return limit;
    }

    /** {@return how long was waited before giving up} */
    public Duration waited() {
        return waited;
    }
}
