package dev.sluice;

import org.jspecify.annotations.Nullable;

/**
 * The response was not what the protocol allows: a content type that is not
 * {@code text/event-stream}, an event whose JSON is malformed (the message names the event type
 * and shows the data, truncated), or events in an impossible order.
 */
public final class ProtocolException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the offending part
     * @param cause the parser's exception, or null
     */
    public ProtocolException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
