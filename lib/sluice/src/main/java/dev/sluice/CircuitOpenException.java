package dev.sluice;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stream failed fast, nothing sent, because the client's circuit breaker (see
 * {@link dev.sluice.client.CircuitBreakerPolicy}) is open after repeated failures, or half open with its probes
 * already running. The message names the state and when the breaker lets streams through again.
 */
public final class CircuitOpenException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** The breaker's state when the stream was refused. */
    public enum State {
        /** Refusing every stream until {@link CircuitOpenException#retryAt()}. */
        OPEN,
        /** Letting a few probes through; this stream was not one of them. */
        HALF_OPEN
    }

    private final State state;
    private final transient @Nullable Instant retryAt;

    /**
     * @param client the client's name, for the message
     * @param state the breaker's state
     * @param retryAt after when the breaker lets a probe through (open), or null when unknown (half open:
     *     when a probe ends)
     */
    public CircuitOpenException(String client, State state, @Nullable Instant retryAt) {
        super(
                "the " + Objects.requireNonNull(client, "client") + "'s circuit breaker is "
                        + (Objects.requireNonNull(state, "state") == State.OPEN ? "open" : "half open")
                        + " after repeated failures; nothing was sent. "
                        + (retryAt != null
                                ? "It lets a probe through after " + retryAt
                                : "It lets streams through when its probes succeed")
                        + "; try again then",
                null);
        this.state = state;
        this.retryAt = retryAt;
    }

    /** {@return the breaker's state when the stream was refused} */
    public State state() {
        return state;
    }

    /** {@return the instant after which the open breaker lets a probe through; empty while half open} */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }
}
