package dev.sluice;

/**
 * The connection failed: it could not be opened, was reset, or a read failed. The cause is the
 * underlying {@link java.io.IOException}.
 */
public final class TransportException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed (never containing credentials)
     * @param cause the I/O failure
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
