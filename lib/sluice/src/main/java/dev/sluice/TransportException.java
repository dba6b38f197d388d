package dev.sluice;

import org.jspecify.annotations.Nullable;

/**
 * The connection failed: it could not be opened, was reset, or a read failed. The cause is the
 * underlying {@link java.io.IOException}.
 */
public final class TransportException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed (never containing credentials)
     * @param cause the I/O failure, or null when none was given
     */
    public TransportException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
