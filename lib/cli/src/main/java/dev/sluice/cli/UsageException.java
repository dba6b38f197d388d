package dev.sluice.cli;

/** A command line that cannot be run as written: exit code 2, the message and where to get help. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
