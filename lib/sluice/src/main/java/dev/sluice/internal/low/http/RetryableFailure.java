package dev.sluice.internal.low.http;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An attempt failed in a way that trying again may fix. Thrown by an attempt to the
 * {@code Retrier}, which either retries or, giving up, throws {@link #failure()}: this exception
 * never reaches a user. It carries no stack trace of its own; the failure has one.
 */
public final class RetryableFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient SluiceException failure;
    private final transient @Nullable Duration serverDelay;

    /**
     * @param failure what to throw when no retry is left
     * @param serverDelay the delay the server asked for before a retry, or null when it named none
     */
    public RetryableFailure(SluiceException failure, @Nullable Duration serverDelay) {
        super(Objects.requireNonNull(failure, "failure").getMessage(), failure, false, false);
        this.failure = failure;
        this.serverDelay = serverDelay;
    }

    /** {@return a retryable connection failure, with no server delay} */
    public static RetryableFailure of(TransportException failure) {
        return new RetryableFailure(failure, null);
    }

    /** {@return a retryable API error, with the server delay it carries} */
    public static RetryableFailure of(ApiException failure) {
        return new RetryableFailure(
                failure,
                failure.retryAfterMillis().isPresent()
                        ? Duration.ofMillis(failure.retryAfterMillis().getAsInt())
                        : null);
    }

    /** {@return the failure to throw when the retries are spent} */
    public SluiceException failure() {
        return failure;
    }

    /** {@return the delay the server asked for, when it named one} */
    public Optional<Duration> serverDelay() {
        return Optional.ofNullable(serverDelay);
    }
}
