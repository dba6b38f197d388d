package dev.sluice;

import java.time.Duration;
import java.util.Objects;

/**
 * A stream was refused because the client's {@link dev.sluice.client.RequestRateLimit} has no permit left in this
 * period and the next one comes later than the limit's wait allows. Nothing was sent. Start
 * streams less often, raise {@link dev.sluice.client.RequestRateLimit#permits()} or {@link dev.sluice.client.RequestRateLimit#maxWait()},
 * or try again after the period.
 */
public final class RequestRateLimitException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final int permits;
    private final Duration period;
    private final Duration maxWait;

    /**
     * @param client the client's name, for the message
     * @param permits the limit's permits per period
     * @param period the limit's period
     * @param maxWait the limit's longest wait for a permit
     */
    public RequestRateLimitException(String client, int permits, Duration period, Duration maxWait) {
        super(
                "the " + Objects.requireNonNull(client, "client") + "'s request rate limit of " + permits
                        + " streams per " + millis(Objects.requireNonNull(period, "period"))
                        + " has no permit left that comes within "
                        + millis(Objects.requireNonNull(maxWait, "maxWait"))
                        + "; nothing was sent. Start streams less often, raise"
                        + " RequestRateLimit.permits or maxWait, or try again after " + millis(period),
                null);
        this.permits = permits;
        this.period = period;
        this.maxWait = maxWait;
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    /** {@return the limit's permits per period} */
    public int permits() {
        return permits;
    }

    /** {@return the limit's period} */
    public Duration period() {
        return period;
    }

    /** {@return the longest the stream could wait for a permit} */
    public Duration maxWait() {
        return maxWait;
    }
}
