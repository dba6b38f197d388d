package dev.sluice;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Sluice throws. Unchecked and sealed: a {@code switch} over the
 * permitted subtypes covers every failure a stream can end in, and the relay's refusals
 * ({@link RelayException}).
 *
 * <p>Besides a message that says what happened and what to do, a failure carries what is known
 * about the request it ended: the provider's request id and the partial result accumulated from
 * the events received before the failure (for Anthropic, a {@code dev.sluice.anthropic.Message}).
 * Both are absent when the failure happened before they were known.
 *
 * <p>Messages never contain API keys.
 *
 * <p>Every exception of the family is {@link java.io.Serializable}, with its message, cause, request
 * id and typed accessors; the partial result is not serialized ({@link #partial()} is empty after
 * deserialization): it is the provider's object, not necessarily serializable.
 */
public abstract sealed class SluiceException extends RuntimeException
        permits ApiException,
                StreamTimeoutException,
                LimitExceededException,
                ProtocolException,
                IncompleteStreamException,
                TransportException,
                StreamInterruptedException,
                LocalFailureException,
                ConcurrencyLimitException,
                CircuitOpenException,
                RequestRateLimitException,
                RelayException,
                ObjectException,
                McpException,
                CredentialsException {

    private static final long serialVersionUID = 1L;

    private volatile @Nullable String requestId;
    private transient volatile @Nullable Object partial;

    /**
     * Makes an exception of the family.
     *
     * @param message what happened and what to do; not null
     * @param cause the underlying cause, or null
     */
    protected SluiceException(String message, @Nullable Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
    }

    /** {@return the provider's request id of the failed request, when it is known} */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * {@return the partial result accumulated before the failure, when there is one}
     * Its type depends on the layer that ended the stream; {@link #partial(Class)} narrows it.
     */
    public Optional<Object> partial() {
        return Optional.ofNullable(partial);
    }

    /**
     * {@return the partial result, when there is one of the given type}
     *
     * @param type the expected type, for example {@code Message.class}
     * @throws NullPointerException if {@code type} is null
     */
    public <T> Optional<T> partial(Class<T> type) {
        Objects.requireNonNull(type, "type");
        Object p = partial;
        return type.isInstance(p) ? Optional.of(type.cast(p)) : Optional.empty();
    }

    /**
     * Attaches the request id and the partial result, each only if not already set; like
     * {@link Throwable#initCause}, for the layer that knows them (the engine creates a timeout
     * without knowing which provider's message it interrupted). Null arguments are ignored.
     *
     * <p>A service-provider method, for those who implement a {@link dev.sluice.chat.ChatProvider}
     * or a {@link dev.sluice.stream.Producer} of their own and must throw Sluice's exceptions with
     * the context users rely on; a user handling an exception has no need of it. Compatibility
     * rule: its set-once behaviour and signature are stable until the next major version.
     *
     * @param requestId the provider's request id, or null
     * @param partial the partial result so far, or null
     * @return this exception
     */
    public SluiceException initContext(@Nullable String requestId, @Nullable Object partial) {
        if (this.requestId == null && requestId != null) this.requestId = requestId;
        if (this.partial == null && partial != null) this.partial = partial;
        return this;
    }
}
