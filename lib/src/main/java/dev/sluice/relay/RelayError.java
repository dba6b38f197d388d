package dev.sluice.relay;

import java.util.Objects;

/**
 * A request the {@link Relay} refused: the HTTP status to answer with and the JSON body
 * {@code {"error":{"type","message"}}}. Types: {@code invalid_request} (400: malformed JSON, a
 * missing prompt, a bad {@code Last-Event-ID}), {@code unknown_provider} (400),
 * {@code not_found} (404: no such stream, or it ended longer ago than the retention),
 * {@code replay_unavailable} (410: the events after that id are no longer buffered),
 * {@code request_too_large} and {@code prompt_too_long} (413), {@code unsupported_media_type} (415),
 * {@code too_many_streams} (429: in total or for this client address).
 *
 * @param status the HTTP status, 400 to 499
 * @param type the machine-readable kind
 * @param message what was wrong and what to do, for people
 */
public record RelayError(int status, String type, String message) implements Relay.CreateOutcome, Relay.SubscribeOutcome {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if status is not a 4xx
     */
    public RelayError {
        if (status < 400 || status > 499) throw new IllegalArgumentException("status must be a 4xx: " + status);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    /** {@return the body: {@code {"error":{"type":...,"message":...}}}} */
    @Override
    public String json() {
        return "{\"error\":" + JsonText.object("type", type, "message", message) + "}";
    }
}
