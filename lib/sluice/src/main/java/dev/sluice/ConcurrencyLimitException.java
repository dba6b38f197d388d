package dev.sluice;

import java.time.Duration;
import java.util.Objects;

/**
 * A stream was refused because the client's {@link dev.sluice.client.ConcurrencyLimit} was reached and no stream
 * ended within its wait. Nothing was sent. Close streams sooner, raise the limit or its wait, or
 * try again later.
 */
public final class ConcurrencyLimitException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final int maxStreams;
    private final Duration waited;

    /**
     * @param client the client's name, for the message
     * @param maxStreams the limit
     * @param waited how long the stream waited for a place
     */
    public ConcurrencyLimitException(String client, int maxStreams, Duration waited) {
        super(
                "the " + Objects.requireNonNull(client, "client") + "'s limit of " + maxStreams
                        + " open streams was reached and no stream ended within "
                        + Objects.requireNonNull(waited, "waited").toMillis()
                        + " ms; nothing was sent. Close streams sooner, raise ConcurrencyLimit.maxStreams or maxWait, or try again later",
                null);
        this.maxStreams = maxStreams;
        this.waited = waited;
    }

    /** {@return the client's limit of open streams} */
    public int maxStreams() {
        return maxStreams;
    }

    /** {@return how long the stream waited for a place before it was refused} */
    public Duration waited() {
        return waited;
    }
}
