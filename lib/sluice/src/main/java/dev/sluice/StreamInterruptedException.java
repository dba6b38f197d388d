package dev.sluice;

/**
 * The thread waiting for the next event was interrupted. The stream is cancelled and the thread's
 * interrupt status is set again before this is thrown.
 */
public final class StreamInterruptedException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /** @param cause the interruption */
    public StreamInterruptedException(InterruptedException cause) {
        super("interrupted while waiting for the next event; the stream was cancelled", cause);
    }
}
