package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.internal.low.http.Http1ComplianceException.Violation;
import dev.sluice.internal.low.http.Http1ResponseParser.Framing;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The response parser of the blocking transport, against the rules of Jetty's {@code HttpParser}
 * in its strict mode: one test row per refusal, then what it accepts, and the chunked framing read
 * through an {@link Http1Body}.
 */
class Http1ResponseParserTest {
    private static final String OK = "HTTP/1.1 200 OK\r\n";

    static Stream<Arguments> refused() {
        String longLine = "x-long: " + "a".repeat(Http1ResponseParser.MAX_LINE_BYTES) + "\r\n";
        StringBuilder manyFields = new StringBuilder(OK);
        for (int i = 0; manyFields.length() <= Http1ResponseParser.MAX_HEAD_BYTES; i++)
            manyFields
                    .append("x-field-")
                    .append(i)
                    .append(": ")
                    .append("v".repeat(100))
                    .append("\r\n");
        return Stream.of(
                Arguments.of(
                        "two Content-Lengths",
                        OK + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n",
                        Violation.MULTIPLE_CONTENT_LENGTHS),
                Arguments.of(
                        "two equal Content-Lengths (Jetty refuses them too)",
                        OK + "Content-Length: 3\r\nContent-Length: 3\r\n\r\n",
                        Violation.MULTIPLE_CONTENT_LENGTHS),
                Arguments.of(
                        "a Content-Length list",
                        OK + "Content-Length: 3, 3\r\n\r\n",
                        Violation.MULTIPLE_CONTENT_LENGTHS),
                Arguments.of(
                        "a negative Content-Length", OK + "Content-Length: -1\r\n\r\n", Violation.BAD_CONTENT_LENGTH),
                Arguments.of("a hex Content-Length", OK + "Content-Length: 0x10\r\n\r\n", Violation.BAD_CONTENT_LENGTH),
                Arguments.of(
                        "an overflowing Content-Length",
                        OK + "Content-Length: 99999999999999999999\r\n\r\n",
                        Violation.BAD_CONTENT_LENGTH),
                Arguments.of(
                        "Transfer-Encoding with Content-Length",
                        OK + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                        Violation.TRANSFER_ENCODING_WITH_CONTENT_LENGTH),
                Arguments.of(
                        "Content-Length then Transfer-Encoding",
                        OK + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                        Violation.TRANSFER_ENCODING_WITH_CONTENT_LENGTH),
                Arguments.of("gzip, chunked", OK + "Transfer-Encoding: gzip, chunked\r\n\r\n", Violation.BAD_CHUNK),
                Arguments.of(
                        "chunked twice",
                        OK + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                        Violation.BAD_CHUNK),
                Arguments.of(
                        "gzip alone", OK + "Transfer-Encoding: gzip\r\n\r\n", Violation.UNSUPPORTED_TRANSFER_ENCODING),
                Arguments.of("obs-fold", OK + "x-a: 1\r\n  2\r\n\r\n", Violation.OBS_FOLD),
                Arguments.of("obs-fold with a tab", OK + "x-a: 1\r\n\t2\r\n\r\n", Violation.OBS_FOLD),
                Arguments.of("a bare CR in a field", OK + "x-a: 1\r2\r\n\r\n", Violation.BARE_CR),
                Arguments.of("a bare CR ending the status line", "HTTP/1.1 200 OK\rx-a: 1\r\n\r\n", Violation.BARE_CR),
                Arguments.of("a NUL in a value", OK + "x-a: 1\u00002\r\n\r\n", Violation.CONTROL_CHARACTER),
                Arguments.of("DEL in a value", OK + "x-a: 1\u007f\r\n\r\n", Violation.CONTROL_CHARACTER),
                Arguments.of(
                        "whitespace before the colon",
                        OK + "Content-Length : 3\r\n\r\n",
                        Violation.WHITESPACE_AFTER_FIELD_NAME),
                Arguments.of("no colon", OK + "x-a\r\n\r\n", Violation.NO_COLON_AFTER_FIELD_NAME),
                Arguments.of("an empty name", OK + ": v\r\n\r\n", Violation.BAD_FIELD_NAME),
                Arguments.of("a name that is no token", OK + "x(a): v\r\n\r\n", Violation.BAD_FIELD_NAME),
                Arguments.of("HTTP/2 in a status line", "HTTP/2 200 OK\r\n\r\n", Violation.BAD_STATUS_LINE),
                Arguments.of("HTTP/0.9 (no status line)", "hello\r\n\r\n", Violation.BAD_STATUS_LINE),
                Arguments.of("a two-digit status", "HTTP/1.1 20 OK\r\n\r\n", Violation.BAD_STATUS_LINE),
                Arguments.of("a status below 100", "HTTP/1.1 099 OK\r\n\r\n", Violation.BAD_STATUS_LINE),
                Arguments.of("no space after the status", "HTTP/1.1 200OK\r\n\r\n", Violation.BAD_STATUS_LINE),
                Arguments.of("a line too long", OK + longLine + "\r\n", Violation.LINE_TOO_LONG),
                Arguments.of("a head too large", manyFields + "\r\n", Violation.HEAD_TOO_LARGE),
                Arguments.of(
                        "101 unasked",
                        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
                        Violation.UNASKED_PROTOCOL_SWITCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void readHead_breaksARule_refusedNamingTheRule(String what, String head, Violation violation) {
        Http1ComplianceException e = assertThrows(
                Http1ComplianceException.class, () -> parser(head, 7).readHead(), what);
        assertEquals(violation, e.violation(), what);
        assertTrue(e.getMessage().contains(violation.description()), e.getMessage());
    }

    @Test
    void readHead_wellFormed_statusFieldsAndFraming() throws IOException {
        Http1ResponseParser.Head head = parser(
                        "HTTP/1.1 201 Created\r\nContent-Type:text/event-stream\r\nX-Many: a\r\nx-many:  b \t\r\n"
                                + "Keep-Alive: timeout=5, max=100\r\nContent-Length: 12\r\nx-empty:\r\n\r\n",
                        3)
                .readHead();
        assertEquals(201, head.status());
        assertEquals(
                "text/event-stream", head.headers().firstValue("content-type").orElseThrow());
        assertEquals(List.of("a", "b"), head.headers().allValues("X-MANY"));
        assertEquals("", head.headers().firstValue("x-empty").orElseThrow());
        assertEquals(Framing.LENGTH, head.framing());
        assertEquals(12, head.contentLength());
        assertTrue(head.keepAlive());
        assertEquals(TimeUnit.SECONDS.toNanos(5), head.keepAliveNanos());
    }

    @Test
    void readHead_bareLineFeeds_acceptedAsRfc9112Allows() throws IOException {
        Http1ResponseParser.Head head =
                parser("HTTP/1.1 200\nContent-Length: 0\n\n", 100).readHead();
        assertEquals(200, head.status());
        assertEquals(Framing.LENGTH, head.framing());
    }

    @Test
    void readHead_framingByStatusAndFields() throws IOException {
        assertEquals(
                Framing.NONE,
                parser("HTTP/1.1 204 No Content\r\n\r\n", 100).readHead().framing());
        assertEquals(
                Framing.NONE,
                parser("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", 100)
                        .readHead()
                        .framing());
        assertEquals(
                Framing.CHUNKED,
                parser(OK + "Transfer-Encoding: Chunked\r\n\r\n", 100)
                        .readHead()
                        .framing());
        Http1ResponseParser.Head close = parser(OK + "\r\n", 100).readHead();
        assertEquals(Framing.CLOSE, close.framing());
        assertEquals(false, close.keepAlive());
        assertEquals(
                false,
                parser(OK + "Connection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", 100)
                        .readHead()
                        .keepAlive());
        assertEquals(
                false,
                parser("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 100)
                        .readHead()
                        .keepAlive());
    }

    @Test
    void readHead_endOfStreamWithinTheHead_eofException() {
        assertThrows(EOFException.class, () -> parser(OK + "x-a: 1\r\n", 100).readHead());
        assertThrows(EOFException.class, () -> parser("", 100).readHead());
    }

    static Stream<Arguments> chunks() {
        return Stream.of(
                Arguments.of(
                        "hex in either case, extensions, trailers",
                        "a;x=\"y\"\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\nx-t: 1\r\n\r\n",
                        "0123456789abcdefghijk"),
                Arguments.of("whitespace before an extension", "3 \t;x\r\nabc\r\n0\r\n\r\n", "abc"),
                Arguments.of("line feeds alone", "3\nabc\n0\n\n", "abc"),
                Arguments.of("leading zeros", "0003\r\nabc\r\n000\r\n\r\n", "abc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void chunkedBody_wellFormed_readAsItsData(String what, String framing, String data) throws IOException {
        for (int read : new int[] {1, 2, 7, 4096}) {
            assertEquals(data, body(OK + "Transfer-Encoding: chunked\r\n\r\n" + framing, read), what);
        }
    }

    static Stream<Arguments> badChunks() {
        return Stream.of(
                Arguments.of("not hex", "g\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("empty size", "\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("a sign", "+3\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("garbage after the size", "3x\r\nabc\r\n0\r\n\r\n"),
                Arguments.of("too many digits", "10000000000000000\r\n"),
                Arguments.of("data longer than its size", "3\r\nabcd\r\n0\r\n\r\n"),
                Arguments.of("a bare CR after the data", "3\r\nabc\rX0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChunks")
    void chunkedBody_malformed_refusedAfterTheDataBeforeIt(String what, String framing) {
        IOException e = assertThrows(
                IOException.class, () -> body(OK + "Transfer-Encoding: chunked\r\n\r\n" + framing, 3), what);
        assertTrue(e instanceof Http1ComplianceException, what + ": " + e);
    }

    @Test
    void chunkedBody_trailerBreakingARule_refused() {
        Http1ComplianceException e = assertThrows(
                Http1ComplianceException.class,
                () -> body(OK + "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nx-t: 1\r\n folded\r\n\r\n", 100));
        assertEquals(Violation.OBS_FOLD, e.violation());
    }

    @Test
    void lengthBody_readExactlyItsLength() throws IOException {
        assertEquals("abc", body(OK + "Content-Length: 3\r\n\r\nabcdef", 2));
    }

    /** {@return the body of {@code response} read through an {@link Http1Body}, at most {@code read} bytes a read} */
    static String body(String response, int read) throws IOException {
        Http1Input in = new Http1Input(
                new ChoppedStream(response.getBytes(StandardCharsets.ISO_8859_1), new Random(read)), null, 16);
        Http1Connection c =
                new Http1Connection(new Http1Connection.Key(false, "h", 80), in, OutputStream.nullOutputStream());
        Http1ResponseParser parser = new Http1ResponseParser(in);
        Http1ResponseParser.Head head = parser.readHead();
        Http1Pool pool = new Http1Pool(1, Long.MAX_VALUE, System::nanoTime);
        try (Http1Body body = new Http1Body(pool.new Lease(c), parser, head)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[read];
            int n;
            while ((n = body.read(buf, 0, buf.length)) >= 0) out.write(buf, 0, n);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            pool.close();
        }
    }

    private static Http1ResponseParser parser(String response, int seed) {
        return new Http1ResponseParser(new Http1Input(
                new ChoppedStream(response.getBytes(StandardCharsets.ISO_8859_1), new Random(seed)), null, 32));
    }

    /** A stream that returns its bytes a few at a time, as a socket may. */
    static final class ChoppedStream extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int pos;

        ChoppedStream(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == bytes.length) return -1;
            int n = Math.min(Math.min(len, bytes.length - pos), 1 + random.nextInt(12));
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
