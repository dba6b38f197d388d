package dev.sluice.sse;

import dev.sluice.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Encodes events in the {@code text/event-stream} format, in UTF-8, for a server (or a test) to
 * send. Safe by construction: data containing line ends is split into several {@code data}
 * lines, so no data can end an event early or forge another one, and an event type or id that
 * would need a line end is rejected.
 *
 * <pre>{@code
 * try (SseWriter writer = new SseWriter(exchange.getResponseBody())) {
 *     writer.retry(3000);
 *     writer.write(SseEvent.of("content_block_delta", json));
 *     writer.comment("ping");
 *     writer.flush();
 * }
 * }</pre>
 *
 * <p>What a parser gives back: the same type (an empty type is sent as none, so it comes back as
 * {@code message}), the same id, and the same data except that each CR LF or lone CR in it comes
 * back as LF — the format has only one way to join data lines. Strings are encoded with
 * {@link String#getBytes(java.nio.charset.Charset)}, so a lone surrogate becomes {@code ?}.
 *
 * <p>Methods write to the stream as they go, without buffering it; call {@link #flush()} to push
 * what was written to the client. I/O failures are thrown as {@link TransportException}. Not
 * thread-safe: use one writer from one thread at a time.
 */
public final class SseWriter implements AutoCloseable {
    // Threading: not thread-safe; the thread writing an event owns every field.

    private final OutputStream out;
    private boolean closed;

    /**
     * A writer onto the given stream; closing the writer closes the stream.
     *
     * @throws NullPointerException if {@code out} is null
     */
    public SseWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Writes one event: an {@code event} line unless the type is {@code message} or empty, an
     * {@code id} line when {@link SseEvent#lastEventId()} is not null, one {@code data} line per
     * line of data, and the blank line that dispatches it.
     *
     * @throws IllegalArgumentException if the type contains CR or LF, or the id contains CR, LF
     *     or U+0000 (a parser would ignore such an id)
     * @throws TransportException if writing fails
     * @throws IllegalStateException if the writer is closed
     */
    public void write(SseEvent event) {
        writeBytes(encode(event));
    }

    /**
     * Writes a comment: one comment line (a colon, then the text as given) per line of text.
     * Clients ignore comments; servers send them to keep idle connections open.
     *
     * @throws TransportException if writing fails
     * @throws IllegalStateException if the writer is closed
     */
    public void comment(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder sb = new StringBuilder(text.length() + 4);
        appendLines(sb, ":", text);
        writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a {@code retry} line, setting the client's reconnection time. It takes effect when
     * the client reads it, without waiting for an event.
     *
     * @param millis the reconnection time in milliseconds
     * @throws IllegalArgumentException if {@code millis} is negative
     * @throws TransportException if writing fails
     * @throws IllegalStateException if the writer is closed
     */
    public void retry(long millis) {
        if (millis < 0) throw new IllegalArgumentException("retry must not be negative: " + millis);
        writeBytes(("retry: " + millis + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Flushes the stream, sending what was written.
     *
     * @throws TransportException if flushing fails
     * @throws IllegalStateException if the writer is closed
     */
    public void flush() {
        checkOpen();
        try {
            out.flush();
        } catch (IOException e) {
            throw new TransportException("flushing the SSE stream failed: " + e.getMessage(), e);
        }
    }

    /**
     * Closes the stream. Calling it again does nothing.
     *
     * @throws TransportException if closing fails
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new TransportException("closing the SSE stream failed: " + e.getMessage(), e);
        }
    }

    /**
     * {@return one event in UTF-8, exactly as {@link #write(SseEvent)} writes it}
     *
     * @throws IllegalArgumentException if the type contains CR or LF, or the id contains CR, LF
     *     or U+0000
     */
    public static byte[] encode(SseEvent event) {
        Objects.requireNonNull(event, "event");
        String type = event.type();
        String id = event.lastEventId();
        if (hasLineEnd(type)) {
            throw new IllegalArgumentException("the event field (the type) must not contain CR or LF: " + quote(type));
        }
        if (id != null && (hasLineEnd(id) || id.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("the id field must not contain CR, LF or U+0000: " + quote(id));
        }
        StringBuilder sb = new StringBuilder(event.data().length() + type.length() + 32);
        if (!type.isEmpty() && !type.equals(SseEvent.DEFAULT_TYPE))
            sb.append("event: ").append(type).append('\n');
        if (id != null) sb.append("id: ").append(id).append('\n');
        appendLines(sb, "data: ", event.data()); // the space keeps a leading space in data
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends the prefix, the line and LF for each line of text (split at CR LF, CR and LF). */
    private static void appendLines(StringBuilder sb, String prefix, String text) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '\n';
            if (c != '\r' && c != '\n') continue;
            sb.append(prefix).append(text, start, i).append('\n');
            if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
            start = i + 1;
        }
    }

    private static boolean hasLineEnd(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return '"' + shown.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0") + '"';
    }

    private void writeBytes(byte[] bytes) {
        checkOpen();
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new TransportException("writing to the SSE stream failed: " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the SseWriter is closed");
    }
}
