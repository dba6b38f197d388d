package dev.sluice.cli;

import java.io.PrintStream;

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
    private final boolean endsLines;
    private volatile boolean midLine;

    MidLine(boolean sharedWithStdout) {
        this(sharedWithStdout, false);
    }

    /**
     * @param endsLines whether {@link #endLine} ends the text's line: stdout is no terminal, a program
     *     reads it ({@code agent}: each turn's text, and the answer, end with a line break)
     */
    MidLine(boolean sharedWithStdout, boolean endsLines) {
        this.shared = sharedWithStdout;
        this.endsLines = endsLines;
    }

    /**
     * Ends the line on {@code out} when the text stopped mid-line and lines are to be ended (a line
     * of stderr to the same place that already broke it counts as the end).
     */
    void endLine(PrintStream out) {
        if (!endsLines || !midLine) return;
        out.print('\n');
        out.flush();
        midLine = false;
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
