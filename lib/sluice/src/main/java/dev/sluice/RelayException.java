package dev.sluice;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The relay refused a request: a start request it will not run, or a subscription it cannot
 * serve. Nothing was started and no client was attached. {@link #kind()} says why in the relay
 * protocol's terms ({@link Kind#code()} is the {@code "type"} of the protocol's error body); the
 * message says what was wrong and what to do, for the person behind the client. A server maps the
 * kind to its transport's answer, such as an HTTP status ({@code dev.sluice.relay.http.HttpRefusal}
 * in {@code sluice-relay}); the relay itself knows no transport, and neither does this exception.
 */
public final class RelayException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** Why the relay refused. */
    public enum Kind {
        /** The start request is malformed (not JSON, no prompt, a member of the wrong type or out of range), or a {@code Last-Event-ID} is not an id of the stream. */
        INVALID_REQUEST,
        /** The start request names a provider the relay does not have. */
        UNKNOWN_PROVIDER,
        /** The prompt and system prompt are longer than the relay's limit. */
        PROMPT_TOO_LONG,
        /** The relay already runs as many streams as its limit allows, or it is closing. */
        TOO_MANY_STREAMS,
        /** No stream has that id: it never existed, or it ended longer ago than the relay keeps streams. */
        NOT_FOUND,
        /** The events after the client's {@code Last-Event-ID} are no longer in the stream's replay buffer. */
        REPLAY_UNAVAILABLE,
        /** The relay's shared store (its {@code RelayStore}, such as Redis) cannot be reached: try again shortly. */
        UNAVAILABLE;

        /** {@return the protocol's name of the kind: its name in lower case, such as {@code too_many_streams}} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final @Nullable String param;

    /**
     * @param kind why
     * @param message what was wrong and what to do
     */
    public RelayException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * A refusal that names the request member at fault.
     *
     * @param kind why
     * @param message what was wrong and what to do
     * @param param the request member at fault, such as {@code response_format}; null for none
     */
    public RelayException(Kind kind, String message, @Nullable String param) {
        super(message, null);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.param = param;
    }

    /** {@return why the relay refused} */
    public Kind kind() {
        return kind;
    }

    /**
     * {@return the request member at fault, such as {@code response_format}, as a protocol that names
     * it reports it (the OpenAI-compatible gateway's {@code "param"}); null when the refusal names none}
     */
    public @Nullable String param() {
        return param;
    }
}
