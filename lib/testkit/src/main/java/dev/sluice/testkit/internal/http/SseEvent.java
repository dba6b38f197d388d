package dev.sluice.testkit.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event as the fake server writes it: an optional {@code event:} line, then one
 * {@code data:} line per line of data, then a blank line. Written here rather than with the
 * library's writer, so that a test of the library never checks it against its own code.
 *
 * @param type the event type, or null for none (the client's default, {@code message})
 * @param data the data, possibly empty
 */
public record SseEvent(@Nullable String type, String data) {
    public SseEvent {
        Objects.requireNonNull(data, "data");
        if (type != null && (type.indexOf('\n') >= 0 || type.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("an event type is one line: " + type);
        }
    }

    public static SseEvent of(String data) {
        return new SseEvent(null, data);
    }

    public static SseEvent of(String type, String data) {
        return new SseEvent(Objects.requireNonNull(type, "type"), data);
    }

    /** {@return the event as written on the wire, UTF-8} */
    public byte[] bytes() {
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (type != null) sb.append("event: ").append(type).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1))
            sb.append("data: ").append(line).append('\n');
        return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@return where the events of a stream's bytes end: after each blank line, and at the end of
     * the bytes when text follows the last one} Event {@code i} is the bytes from the end of event
     * {@code i - 1} (or 0) to its own end.
     */
    public static int[] ends(byte[] stream) {
        int[] ends = new int[16];
        int n = 0;
        boolean lineStart = true;
        for (int i = 0; i < stream.length; i++) {
            byte b = stream[i];
            if (b != '\r' && b != '\n') {
                lineStart = false;
                continue;
            }
            int end = b == '\r' && i + 1 < stream.length && stream[i + 1] == '\n' ? i + 1 : i;
            if (lineStart) { // an empty line: the event ends here
                if (n == ends.length) ends = Arrays.copyOf(ends, n * 2);
                ends[n++] = end + 1;
            }
            lineStart = true;
            i = end;
        }
        if (stream.length > 0 && (n == 0 || ends[n - 1] < stream.length)) {
            if (n == ends.length) ends = Arrays.copyOf(ends, n + 1);
            ends[n++] = stream.length;
        }
        return Arrays.copyOf(ends, n);
    }
}
