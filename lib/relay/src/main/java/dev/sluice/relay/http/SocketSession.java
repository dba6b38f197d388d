package dev.sluice.relay.http;

import java.time.Duration;
import java.util.Optional;

/**
 * One upgraded WebSocket's session as a server drives it ({@link HttpExchange#upgrade}): the client's
 * text messages in, the close; the session writes through its {@link RelaySocket.Peer}. The relay's
 * {@code /api/ws} ({@link RelaySocket}) and the Responses API's {@code /v1/responses}
 * ({@link ResponsesSocket}) are the two.
 *
 * <p>Threading: the server calls {@link #onText} and {@link #onClose} one at a time.
 */
public interface SocketSession {

    /**
     * A text message from the client.
     *
     * @param text the message
     */
    void onText(String text);

    /** The socket closed, or failed: what the session runs stops. */
    void onClose();

    /**
     * {@return the largest text message the client may send, in bytes}: the server closes a socket
     * that sends a larger one (1009, message too big). {@link RelaySocket#MAX_TEXT_MESSAGE_BYTES} by
     * default.
     */
    default int maxTextMessageBytes() {
        return RelaySocket.MAX_TEXT_MESSAGE_BYTES;
    }

    /**
     * {@return how long the socket may stay silent before the server closes it, when it is not the
     * server's own ({@link RelayHttpApi#idleTimeout()}, the default)}
     */
    default Optional<Duration> idleTimeout() {
        return Optional.empty();
    }
}
