package dev.sluice;

/**
 * The response body ended before the protocol's final event (Anthropic's {@code message_stop},
 * OpenAI's {@code [DONE]}): the connection was closed early. The partial result is attached.
 */
public final class IncompleteStreamException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** @param message what ended and what was missing */
    public IncompleteStreamException(String message) {
        super(message, null);
    }
}
