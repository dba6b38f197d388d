package dev.sluice.mcp;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The start of the SSE event being read, kept beside the {@link dev.sluice.sse.SseParser} that
 * parses the same bytes: when an event is longer than the parser reads, its first bytes still tell
 * what it was (a request, and its id) so the transport can answer and say so.
 *
 * <p>It keeps the first {@value #KEPT} bytes of the current line and of the event's first
 * {@code data} line; nothing more, whatever the input. Not thread-safe: the reading thread's own.
 */
final class EventStart {
    /** The most bytes of a line kept. */
    static final int KEPT = 4096;

    private final byte[] line = new byte[KEPT];
    private int length;
    private boolean blank = true;
    private boolean afterCr;
    private @Nullable String first;

    /** Takes bytes as they are fed to the parser, before they are. */
    void feed(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue; // the LF of a CRLF
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                if (blank) first = null; // a blank line ends the event
                else if (first == null && !lineData().isEmpty()) first = lineData();
                length = 0;
                blank = true;
                continue;
            }
            blank = false;
            if (length < KEPT) line[length++] = b;
        }
    }

    /**
     * {@return the start of the event's data as far as it is kept: its first {@code data} line's
     * value, or the line being read when that is the first; empty when no data came}
     */
    String data() {
        return first != null ? first : lineData();
    }

    private String lineData() {
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        if (!text.startsWith("data:")) return "";
        return text.startsWith("data: ") ? text.substring(6) : text.substring(5);
    }
}
