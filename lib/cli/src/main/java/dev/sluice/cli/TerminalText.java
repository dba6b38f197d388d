package dev.sluice.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The one place the tool makes text a server sent safe for a terminal. A server's words reach
 * stderr in error lines, retries, tool progress, MCP servers' messages and elicitations, request
 * ids, stop reasons and serve's log; a control character among them acts on the terminal instead of
 * being read: ESC and the C1 controls begin escape sequences that retitle or recolour a terminal,
 * move the cursor over earlier lines and, on several terminals, write the clipboard (OSC 52); BEL
 * rings, NUL and backspace hide text; a line break or carriage return inside a line forges another
 * line. So every C0 control character but tab, DEL, every C1 control character, the line and
 * paragraph separators (U+2028, U+2029) and the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) are shown as escapes: {@code \x1B}, {@code \u2028}.
 *
 * <p>Every line of the tool's stderr goes through {@link #stderr} ({@link Sluice#run} wraps the
 * stream once), serve's log lines through {@link #escape(String, boolean)}. What the tool writes
 * of its own keeps its layout: the line breaks that end lines and the carriage returns that redraw
 * the status line go out as {@code print} writes them; a line written with {@code println} is one
 * line, so a break inside it is escaped. Model text on stdout is untouched: it is the answer,
 * exact by design. Stateless; the stream is thread-safe as a {@link PrintStream} is.
 */
final class TerminalText {
    private TerminalText() {}

    /** {@return {@code s} as one line of a terminal: every control character escaped, line breaks included} */
    static String escape(String s) {
        return escape(s, false);
    }

    /**
     * {@return {@code s} with its control characters escaped (see the class description)}
     *
     * @param keepLayout whether {@code \n} and {@code \r} are kept (text of the tool's own, laid out in lines)
     */
    static String escape(String s, boolean keepLayout) {
        int n = s.length();
        int i = 0;
        while (i < n && !escaped(s.charAt(i), keepLayout)) i++;
        if (i == n) return s;
        StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!escaped(c, keepLayout)) b.append(c);
            else if (c < 0x100)
                b.append("\\x").append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            else b.append("\\u").append(HexFormat.of().withUpperCase().toHexDigits(c));
        }
        return b.toString();
    }

    private static boolean escaped(char c, boolean keepLayout) {
        if (c == '\t') return false;
        if (c == '\n' || c == '\r') return !keepLayout;
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /** {@return the tool's stderr over {@code err}: what is printed on it is escaped (see the class description)} */
    static PrintStream stderr(PrintStream err) {
        return err instanceof Escaping ? err : new Escaping(err);
    }

    /** A stream whose text goes out escaped: {@code print} keeps line breaks and carriage returns, {@code println}'s line does not. */
    private static final class Escaping extends PrintStream {
        Escaping(PrintStream err) {
            super(err, true, StandardCharsets.UTF_8);
        }

        @Override
        public void print(String s) {
            super.print(escape(String.valueOf(s), true));
        }

        @Override
        public void print(Object o) {
            print(String.valueOf(o));
        }

        @Override
        public void print(char c) {
            print(String.valueOf(c));
        }

        @Override
        public void print(char[] s) {
            print(new String(s));
        }

        @Override
        public void println(String s) {
            super.print(escape(String.valueOf(s), false));
            super.println();
        }

        @Override
        public void println(Object o) {
            println(String.valueOf(o));
        }

        @Override
        public void println(char[] s) {
            println(new String(s));
        }

        @Override
        public void println(char c) {
            println(String.valueOf(c));
        }
    }
}
