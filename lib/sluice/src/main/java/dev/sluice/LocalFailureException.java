package dev.sluice;

import java.util.Objects;

/**
 * A stream failed on this side of the connection, not because of anything the server sent: the
 * JVM ran out of a resource ({@link #getCause()} is then a {@link VirtualMachineError} such as an
 * {@link OutOfMemoryError}), or Sluice, or code it ran on the stream's thread (a custom
 * {@link dev.sluice.stream.Producer}), threw something it should not have (an {@link AssertionError},
 * a {@link NullPointerException}, ...). The cause is the original throwable, with its stack trace;
 * retrying the request will not help. Unless your own code is in that stack trace, it is a bug in
 * Sluice: please report it with the stack trace.
 */
public final class LocalFailureException extends SluiceException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, never blaming the server
     * @param cause the throwable that ended the stream, not null
     */
    public LocalFailureException(String message, Throwable cause) {
        super(message, Objects.requireNonNull(cause, "cause"));
    }
}
