package dev.sluice.relay;

import dev.sluice.ApiException;
import dev.sluice.CredentialsException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.LocalFailureException;
import dev.sluice.ObjectException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns a stream's failures into the {@code error} events its clients get: a kind, and a message
 * safe to show anyone. The one place a provider's text is made fit for a browser: the client has
 * already taken the request's credentials out of it, and this takes out the addresses it may
 * name (the log keeps the whole failure). A tool's error and progress messages pass here too
 * (an MCP client has already cleaned its server's text of secrets and URL credentials). Stateless.
 */
final class FailureEvents {
    /** The longest provider message an {@code error} event carries. */
    static final int MAX_SHOWN_MESSAGE_CHARS = 200;
    /** What a client is told of a failure of the relay itself (a bug, the JVM out of memory). */
    static final String INTERNAL_MESSAGE = "the relay failed while streaming; its log says why";
    /** What stands in a shown message where an address was. */
    static final String ADDRESS = "[address]";

    private static final String HEX = "[0-9A-Fa-f]{1,4}";
    private static final String IPV4 = "(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}";
    private static final String PORT = "(?::\\d{1,5}(?!\\d))?";
    /**
     * Addresses in a provider's message: a URL (any scheme, JSON-escaped slashes too), a bracketed
     * IPv6 address with or without a port, a bare IPv6 address (eight groups, or compressed with
     * {@code ::}), an IPv4 address with or without a port, and a host name with a port
     * ({@code localhost:8080}, {@code api.internal.example:8443}). A host name without a port is
     * left: dotted words in a provider's message are mostly field paths ({@code messages.0.content})
     * and model names.
     */
    private static final Pattern ADDRESSES = Pattern.compile(
            String.join(
                    "|",
                    "\\b[A-Za-z][A-Za-z0-9+.-]*:(?:\\\\?/){2}[^\\s\"'<>]*[^\\s\"'<>\\\\.,;:!?)\\]}]",
                    "\\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(?:%[\\w.]+)?\\]" + PORT,
                    "(?<![\\w:.])(?=[0-9A-Fa-f:.]*[0-9A-Fa-f])(?:(?:" + HEX + ":){7}" + HEX + "|(?:" + HEX + "(?::"
                            + HEX + "){0,6})?::" + "(?:(?:" + HEX + ":){0,5}" + IPV4 + "|" + HEX + "(?::" + HEX
                            + "){0,6})?)(?:%[\\w.]+)?(?![\\w:.])",
                    "(?<![\\w.])" + IPV4 + PORT + "(?![\\w.])",
                    "(?<![\\w.-])(?:localhost|(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z][A-Za-z0-9-]{0,62}):\\d{1,5}(?![\\w.])"));

    private FailureEvents() {}

    /** {@return the {@code error} event of a failure of the relay itself} */
    static RelayEvent.Error internalError() {
        return new RelayEvent.Error("internal_error", INTERNAL_MESSAGE);
    }

    /**
     * {@return the {@code error} event of a failure: its kind, a message safe to show anyone and
     * the provider's request id} A provider's own message (an API error's, already cleaned of
     * credentials by the client) is shown without the addresses it names and cut short; a raw
     * upstream body (an error body not in the provider's format) and every other failure's text
     * (upstream addresses, class names, excerpts of data) are not: they are in the log.
     */
    static RelayEvent.Error errorEvent(SluiceException failure) {
        SluiceException e = lastOfAChain(failure);
        String message = switch (e) {
            case ApiException a
            when a.errorType().startsWith("http_error_") || a.errorMessage().isBlank() ->
                "the provider answered with an error (HTTP " + a.statusCode() + ")";
            case ApiException a -> shown(a.errorMessage());
            case StreamTimeoutException t ->
                "the provider did not answer within the " + t.timeout().label() + " timeout";
            case TransportException t -> "the connection to the provider failed";
            case IncompleteStreamException i -> "the provider's stream ended early";
            case ProtocolException p -> "the provider sent a stream that could not be read";
            case LimitExceededException l -> "the stream reached a limit";
            // the cause, not where the server looked (its files' paths are in the log, with what to set)
            case CredentialsException c ->
                switch (c.kind()) {
                    case NOT_FOUND -> "the server has no credentials for the provider (its log says what to set)";
                    case INVALID -> "the server's credentials for the provider are malformed (its log says which)";
                    case FAILED -> "the server could not obtain credentials for the provider (its log says why)";
                };
            case LocalFailureException l -> INTERNAL_MESSAGE;
            case ObjectException o ->
                shown(Objects.requireNonNull(
                        o.getMessage(),
                        "every SluiceException has a message")); // names the path and the rule; at most the
            // offending value, cut short
            default -> "the stream failed";
        };
        return new RelayEvent.Error(errorType(e), message, failure.requestId().orElse(null));
    }

    /**
     * {@return the failure that ended a fallback chain's last target, for a chain whose every target
     * failed (its {@link IncompleteStreamException} holds each target's failure as suppressed, the
     * last one last); else {@code e}} The browser is told what happened (a refused connection),
     * not that a stream ended early.
     */
    private static SluiceException lastOfAChain(SluiceException e) {
        if (!(e instanceof IncompleteStreamException)) return e;
        Throwable[] causes = e.getSuppressed();
        return causes.length > 0 && causes[causes.length - 1] instanceof SluiceException last ? last : e;
    }

    /**
     * {@return the {@code error} event of a request the provider's client refused before sending
     * it (a setting out of its range, such as a temperature above 1 for Anthropic)} Its message is
     * the client's own check, about the caller's own request, so it is shown (cut short); the kind
     * is {@code invalid_request_error}, as a provider's own refusal would be.
     */
    static RelayEvent.Error refusedEvent(IllegalArgumentException e) {
        String m = e.getMessage() == null || e.getMessage().isBlank()
                ? "the provider's client refused the request"
                : e.getMessage();
        return new RelayEvent.Error("invalid_request_error", shown(m));
    }

    /** The machine-readable kind of a failure, for the {@code error} event. */
    static String errorType(SluiceException failure) {
        return switch (lastOfAChain(failure)) {
            case ApiException a -> a.errorType();
            case StreamTimeoutException t -> "timeout";
            case TransportException t -> "transport_error";
            case ProtocolException p -> "protocol_error";
            case LimitExceededException l -> "limit_exceeded";
            case LocalFailureException l -> "internal_error";
            case CredentialsException c -> "credentials_" + c.kind().code();
            case ObjectException o -> o.kind().code();
            default -> "stream_error";
        };
    }

    /** {@return a message fit for a browser: addresses replaced by {@value #ADDRESS}, then cut short} */
    static String shown(String message) {
        String s = withoutAddresses(message);
        return s.length() <= MAX_SHOWN_MESSAGE_CHARS ? s : s.substring(0, MAX_SHOWN_MESSAGE_CHARS) + "…";
    }

    /**
     * {@return a tool's error or progress message as a browser gets it: addresses replaced by
     * {@value #ADDRESS}, its length kept (the tool runner bounds it)} The model reads the message
     * whole; a page learns what failed, not where an MCP server or its upstream lives.
     */
    static String withoutAddresses(String message) {
        return ADDRESSES.matcher(message).replaceAll(ADDRESS);
    }
}
