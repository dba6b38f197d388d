package dev.sluice;

/**
 * The response body ended before the protocol's final event (Anthropic's {@code message_stop},
 * OpenAI's {@code [DONE]}): the connection was closed early. Also what
 * {@link dev.sluice.chat.ChatProvider#chat} throws when the stream it reads is cancelled before
 * its end. The partial result is attached.
 */
public final class IncompleteStreamException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** @param message what ended and what was missing */
    public IncompleteStreamException(String message) {
        super(message, null);
    }
}
