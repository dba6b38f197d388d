package dev.sluice.cli;

/**
 * Whether the text streamed to stdout stopped mid-line where stderr goes to the same terminal,
 * file or pipe ({@link Terminal#sharedWithStdout()}): a line of stderr (a retry, a tool, the
 * summary) must then begin with a line break, or it would start where the text stopped.
 *
 * <p>Threading: {@link #printed} on the thread that writes the text; {@link #lineBreak} from any
 * thread (retries are reported on the stream's threads), hence the volatile field.
 */
final class MidLine {
    private final boolean shared;
    private volatile boolean midLine;

    MidLine(boolean sharedWithStdout) {
        this.shared = sharedWithStdout;
    }

    /** Notes text just written to stdout. */
    void printed(String text) {
        if (!text.isEmpty()) midLine = text.charAt(text.length() - 1) != '\n';
    }

    /** {@return "\n" when a line of stderr written now must start on a new line (the line then counts as ended), else ""} */
    String lineBreak() {
        if (!shared || !midLine) return "";
        midLine = false;
        return "\n";
    }
}
