package dev.sluice.relay;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.LocalFailureException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;

/**
 * Turns a stream's failures into the {@code error} events its clients get: a kind, and a message
 * safe to show anyone. Stateless.
 */
final class FailureEvents {
    /** The longest provider message an {@code error} event carries. */
    static final int MAX_SHOWN_MESSAGE_CHARS = 200;
    /** What a client is told of a failure of the relay itself (a bug, the JVM out of memory). */
    static final String INTERNAL_MESSAGE = "the relay failed while streaming; its log says why";

    private FailureEvents() {}

    /** {@return the {@code error} event of a failure of the relay itself} */
    static RelayEvent.Error internalError() {
        return new RelayEvent.Error("internal_error", INTERNAL_MESSAGE);
    }

    /**
     * {@return the {@code error} event of a failure: its kind, a message safe to show anyone and
     * the provider's request id} A provider's own message (an API error's, already cleaned of
     * credentials by the client) is shown cut short; a raw upstream body (an error body not in
     * the provider's format) and every other failure's text (upstream addresses, class names,
     * excerpts of data) are not: they are in the log.
     */
    static RelayEvent.Error errorEvent(SluiceException e) {
        String message = switch (e) {
            case ApiException a when a.errorType().startsWith("http_error_") || a.errorMessage().isBlank() ->
                    "the provider answered with an error (HTTP " + a.statusCode() + ")";
            case ApiException a -> shown(a.errorMessage());
            case StreamTimeoutException t -> "the provider did not answer within the " + t.timeout().label() + " timeout";
            case TransportException t -> "the connection to the provider failed";
            case IncompleteStreamException i -> "the provider's stream ended early";
            case ProtocolException p -> "the provider sent a stream that could not be read";
            case LimitExceededException l -> "the stream reached a limit";
            case LocalFailureException l -> INTERNAL_MESSAGE;
            default -> "the stream failed";
        };
        return new RelayEvent.Error(errorType(e), message, e.requestId().orElse(null));
    }

    /**
     * {@return the {@code error} event of a request the provider's client refused before sending
     * it (a setting out of its range, such as a temperature above 1 for Anthropic)} Its message is
     * the client's own check, about the caller's own request, so it is shown (cut short); the kind
     * is {@code invalid_request_error}, as a provider's own refusal would be.
     */
    static RelayEvent.Error refusedEvent(IllegalArgumentException e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? "the provider's client refused the request" : e.getMessage();
        return new RelayEvent.Error("invalid_request_error", shown(m));
    }

    /** The machine-readable kind of a failure, for the {@code error} event. */
    static String errorType(SluiceException e) {
        return switch (e) {
            case ApiException a -> a.errorType();
            case StreamTimeoutException t -> "timeout";
            case TransportException t -> "transport_error";
            case ProtocolException p -> "protocol_error";
            case LimitExceededException l -> "limit_exceeded";
            case LocalFailureException l -> "internal_error";
            default -> "stream_error";
        };
    }

    private static String shown(String message) {
        return message.length() <= MAX_SHOWN_MESSAGE_CHARS ? message : message.substring(0, MAX_SHOWN_MESSAGE_CHARS) + "…";
    }
}
