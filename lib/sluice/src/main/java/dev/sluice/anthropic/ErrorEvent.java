package dev.sluice.anthropic;

import java.util.Objects;

/**
 * {@code error}: the API reported an error inside a stream that had begun, for example
 * {@code overloaded_error}. A stream client ends the stream with a {@link dev.sluice.ApiException}
 * carrying the partial message.
 *
 * @param errorType the API's error type, {@code "unknown"} when the event named none
 * @param message the API's message, possibly empty
 */
public record ErrorEvent(String errorType, String message) implements StreamEvent {
    /** @throws NullPointerException if an argument is null */
    public ErrorEvent {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String type() {
        return "error";
    }
}
