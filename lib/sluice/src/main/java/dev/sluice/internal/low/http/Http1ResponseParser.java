package dev.sluice.internal.low.http;

import dev.sluice.internal.low.http.Http1ComplianceException.Violation;
import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads an HTTP/1.1 response's head and its chunked framing from an {@link Http1Input}, held to
 * the rules Jetty's {@code HttpParser} keeps under {@code HttpCompliance.RFC7230} (no violation
 * allowed): a CR must be followed by LF (a bare LF ends a line, as RFC 9112 §2.2 lets a recipient
 * accept), no control character but HTAB, no obsolete line folding, no whitespace before a
 * field's colon, one Content-Length of decimal digits, never Transfer-Encoding with
 * Content-Length, {@code chunked} as the only transfer coding; lines of at most
 * {@value #MAX_LINE_BYTES} bytes, a head (interim responses included) or a trailer section of at most
 * {@value #MAX_HEAD_BYTES}. Anything else is refused with an {@link Http1ComplianceException}; the
 * end of the stream within a head is an {@link EOFException}.
 *
 * <p>One parser per body (its line buffer grows on demand, from 128 bytes); not thread-safe.
 */
final class Http1ResponseParser {
    /** The longest line read: a status line, a field line, a chunk-size line. */
    static final int MAX_LINE_BYTES = 16 * 1024;
    /** The largest head read: status lines and fields of the interim responses and the final one. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    /** How a response's body is delimited (RFC 9112 §6.3). */
    enum Framing {
        /** No body: 1xx, 204, 304. */
        NONE,
        /** Content-Length bytes. */
        LENGTH,
        /** Chunked transfer coding. */
        CHUNKED,
        /** Until the server closes the connection: neither length nor coding given. */
        CLOSE
    }

    /**
     * A final response's head.
     *
     * @param status the status code, 200 to 999
     * @param headers the fields, under lower-case names, values without surrounding whitespace
     * @param framing how the body ends
     * @param contentLength the body's length for {@link Framing#LENGTH}, else -1
     * @param keepAlive whether the connection may carry another exchange after this body
     * @param keepAliveNanos how long the server keeps the connection idle ({@code Keep-Alive:
     *     timeout=N}), or -1 when it did not say
     */
    record Head(
            int status,
            HttpHeaders headers,
            Framing framing,
            long contentLength,
            boolean keepAlive,
            long keepAliveNanos) {}

    private final Http1Input in;
    private byte[] line = new byte[128];
    private int budget; // bytes the current head or trailer section may still take

    Http1ResponseParser(Http1Input in) {
        this.in = in;
    }

    /**
     * Reads the final response's head, skipping interim (1xx) responses.
     *
     * @throws Http1ComplianceException if the head breaks a rule
     * @throws EOFException if the stream ends within it
     */
    Head readHead() throws IOException {
        budget = MAX_HEAD_BYTES;
        for (; ; ) {
            int len = readLine();
            int minor = statusVersion(len);
            int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            Map<String, List<String>> fields = readFields();
            if (status == 101) throw new Http1ComplianceException(Violation.UNASKED_PROTOCOL_SWITCH);
            if (status < 200) continue; // 100 Continue, 103 Early Hints: the final response follows
            return head(status, minor, fields);
        }
    }

    /** {@return the minor version of a status line of {@code len} bytes in {@link #line}} */
    private int statusVersion(int len) throws Http1ComplianceException {
        byte[] l = line;
        if (len < 12
                || l[0] != 'H'
                || l[1] != 'T'
                || l[2] != 'T'
                || l[3] != 'P'
                || l[4] != '/'
                || l[5] != '1'
                || l[6] != '.'
                || !digit(l[7])
                || l[8] != ' '
                || !digit(l[9])
                || !digit(l[10])
                || !digit(l[11])
                || l[9] == '0'
                || (len > 12 && l[12] != ' ')) {
            throw new Http1ComplianceException(Violation.BAD_STATUS_LINE);
        }
        return l[7] - '0';
    }

    private Head head(int status, int minor, Map<String, List<String>> fields) throws Http1ComplianceException {
        List<String> lengths = fields.getOrDefault("content-length", List.of());
        List<String> codings = fields.getOrDefault("transfer-encoding", List.of());
        boolean keepAlive = minor >= 1;
        for (String connection : fields.getOrDefault("connection", List.of())) {
            for (String token : connection.split(",", -1)) {
                if (token.strip().equalsIgnoreCase("close")) keepAlive = false;
            }
        }
        Framing framing;
        long length = -1;
        if (!codings.isEmpty() && !lengths.isEmpty()) {
            throw new Http1ComplianceException(Violation.TRANSFER_ENCODING_WITH_CONTENT_LENGTH);
        }
        if (lengths.size() > 1) throw new Http1ComplianceException(Violation.MULTIPLE_CONTENT_LENGTHS);
        if (status == 204 || status == 304) {
            framing = Framing.NONE;
        } else if (!codings.isEmpty()) {
            List<String> all = new ArrayList<>();
            for (String coding : codings) {
                for (String token : coding.split(",", -1)) all.add(token.strip().toLowerCase(Locale.ROOT));
            }
            if (all.size() != 1 || !all.get(0).equals("chunked")) {
                throw new Http1ComplianceException(
                        all.contains("chunked") ? Violation.BAD_CHUNK : Violation.UNSUPPORTED_TRANSFER_ENCODING);
            }
            framing = Framing.CHUNKED;
        } else if (!lengths.isEmpty()) {
            length = contentLength(lengths.get(0));
            framing = Framing.LENGTH;
        } else {
            framing = Framing.CLOSE;
            keepAlive = false;
        }
        return new Head(
                status,
                HttpHeaders.of(fields, (name, value) -> true),
                framing,
                length,
                keepAlive,
                keepAliveNanos(fields.getOrDefault("keep-alive", List.of())));
    }

    private static long contentLength(String value) throws Http1ComplianceException {
        if (value.isEmpty() || value.length() > 18) {
            throw new Http1ComplianceException(
                    value.indexOf(',') >= 0 ? Violation.MULTIPLE_CONTENT_LENGTHS : Violation.BAD_CONTENT_LENGTH);
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new Http1ComplianceException(
                        c == ',' ? Violation.MULTIPLE_CONTENT_LENGTHS : Violation.BAD_CONTENT_LENGTH);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** {@return the {@code timeout=N} of Keep-Alive fields in nanoseconds, -1 when none is readable} */
    private static long keepAliveNanos(List<String> values) {
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                if (!p.startsWith("timeout=")) continue;
                String n = p.substring("timeout=".length()).strip();
                if (n.isEmpty() || n.length() > 9 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
                return TimeUnit.SECONDS.toNanos(Long.parseLong(n));
            }
        }
        return -1;
    }

    /** Reads field lines up to the empty line. {@return them, by lower-case name, in order} */
    private Map<String, List<String>> readFields() throws IOException {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (; ; ) {
            int len = readLine();
            if (len == 0) return fields;
            byte[] l = line;
            if (l[0] == ' ' || l[0] == '\t') throw new Http1ComplianceException(Violation.OBS_FOLD);
            int colon = -1;
            for (int i = 0; i < len; i++) {
                if (l[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon < 0) throw new Http1ComplianceException(Violation.NO_COLON_AFTER_FIELD_NAME);
            if (colon == 0) throw new Http1ComplianceException(Violation.BAD_FIELD_NAME);
            if (l[colon - 1] == ' ' || l[colon - 1] == '\t') {
                throw new Http1ComplianceException(Violation.WHITESPACE_AFTER_FIELD_NAME);
            }
            for (int i = 0; i < colon; i++) {
                if (!tchar(l[i])) throw new Http1ComplianceException(Violation.BAD_FIELD_NAME);
            }
            int start = colon + 1;
            int end = len;
            while (start < end && (l[start] == ' ' || l[start] == '\t')) start++;
            while (end > start && (l[end - 1] == ' ' || l[end - 1] == '\t')) end--;
            String name = new String(l, 0, colon, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            String value = new String(l, start, end - start, StandardCharsets.ISO_8859_1);
            fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
    }

    /**
     * Reads a chunk-size line (extensions ignored). {@return the chunk's size; 0 for the last chunk}
     *
     * @throws Http1ComplianceException if it is not hexadecimal, or larger than a long holds
     */
    long readChunkSize() throws IOException {
        budget = MAX_LINE_BYTES;
        int len = readLine();
        long size = 0;
        int i = 0;
        for (; i < len; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0) break;
            if (i >= 15) throw new Http1ComplianceException(Violation.BAD_CHUNK);
            size = size * 16 + d;
        }
        if (i == 0) throw new Http1ComplianceException(Violation.BAD_CHUNK);
        while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
        if (i < len && line[i] != ';') throw new Http1ComplianceException(Violation.BAD_CHUNK);
        return size;
    }

    /** Reads the line break after a chunk's data. @throws Http1ComplianceException if anything else is there */
    void readChunkEnd() throws IOException {
        int b = in.readByte();
        if (b == '\r') b = in.readByte();
        if (b != '\n') throw new Http1ComplianceException(Violation.BAD_CHUNK);
    }

    /** Reads (and drops) the trailer section after the last chunk, under the head's rules. */
    void readTrailers() throws IOException {
        budget = MAX_HEAD_BYTES;
        readFields();
    }

    /**
     * Reads one line into {@link #line}, without its line break, counted against the budget.
     * {@return its length}
     */
    private int readLine() throws IOException {
        int len = 0;
        for (; ; ) {
            int b = in.read();
            if (b < 0) throw new EOFException("the connection was closed within a response's head");
            if (--budget < 0) throw new Http1ComplianceException(Violation.HEAD_TOO_LARGE);
            if (b == '\n') return len;
            if (b == '\r') {
                int next = in.read();
                if (next != '\n') {
                    if (next < 0) throw new EOFException("the connection was closed within a response's head");
                    throw new Http1ComplianceException(Violation.BARE_CR);
                }
                budget--;
                return len;
            }
            if ((b < 0x20 && b != '\t') || b == 0x7f) throw new Http1ComplianceException(Violation.CONTROL_CHARACTER);
            if (len == line.length) {
                if (len >= MAX_LINE_BYTES) throw new Http1ComplianceException(Violation.LINE_TOO_LONG);
                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, len * 2));
            }
            line[len++] = (byte) b;
        }
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** {@return whether {@code b} is a tchar of RFC 9110 §5.6.2} */
    private static boolean tchar(byte b) {
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) return true;
        return switch (b) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }
}
