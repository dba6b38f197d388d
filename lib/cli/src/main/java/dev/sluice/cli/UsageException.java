package dev.sluice.cli;

/**
 * A command line that cannot be run as written: exit code 2, the message and where to get help
 * (or only the message, when it already says what to change).
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean pointsToHelp;

    UsageException(String message) {
        this(message, true);
    }

    /** @param pointsToHelp whether a line saying where to get help follows the message */
    UsageException(String message, boolean pointsToHelp) {
        super(message);
        this.pointsToHelp = pointsToHelp;
    }

    /** {@return whether a line saying where to get help follows the message} */
    boolean pointsToHelp() {
        return pointsToHelp;
    }
}
