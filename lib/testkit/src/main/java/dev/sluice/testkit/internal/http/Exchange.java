package dev.sluice.testkit.internal.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 request read off a loopback connection, and its response, written by hand so that
 * a test can have any misbehaviour a real server or network shows: a body cut at any byte, a
 * stream held open, a response that never comes. Requests with a {@code Content-Length} or a
 * chunked body are read; a response is either of fixed length or chunked, one chunk per flush.
 * The methods are named as the JDK's {@code HttpExchange}'s, which the handler was first written
 * against.
 *
 * <p>Used by its connection's thread only.
 */
public final class Exchange {
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String method;
    private final String target;
    private final URI uri;
    private final Headers requestHeaders;
    private final byte[] body;
    private final boolean bodyTooLarge;
    private final boolean keepAlive;
    private final Headers responseHeaders = new Headers();
    private Map<String, String> overrides = Map.of();

    private @Nullable Body responseBody;
    private boolean finished;
    private long bodyLimit = -1;
    private boolean stallAtLimit;
    private long stallLimitNanos;
    private int chunkSize;
    private boolean watchable;

    private Exchange(
            Socket socket,
            InputStream in,
            OutputStream out,
            String method,
            String target,
            URI uri,
            Headers headers,
            byte[] body,
            boolean bodyTooLarge,
            boolean keepAlive) {
        this.socket = socket;
        this.in = in;
        this.watchable = in.markSupported();
        this.out = out;
        this.method = method;
        this.target = target;
        this.uri = uri;
        this.requestHeaders = headers;
        this.body = body;
        this.bodyTooLarge = bodyTooLarge;
        this.keepAlive = keepAlive;
    }

    /** The request is not HTTP/1.1 the server can read; the connection is answered 400 and closed. */
    static final class BadRequest extends IOException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }

        /** {@return the message; never null, as the constructor takes one} */
        @Override
        public String getMessage() {
            return Objects.requireNonNull(super.getMessage(), "message");
        }
    }

    /**
     * Reads the next request of a connection. {@return the exchange, or null when the client
     * closed the connection before a new request began}
     *
     * @param maxBody the body bytes kept; a longer body is read to its end and marked {@code bodyTooLarge}
     * @throws BadRequest if the request is not well-formed HTTP/1.1
     */
    static @Nullable Exchange read(Socket socket, InputStream in, OutputStream out, int maxBody) throws IOException {
        String requestLine;
        do {
            requestLine = line(in);
            if (requestLine == null) return null;
        } while (requestLine.isEmpty());
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1."))
            throw new BadRequest("not an HTTP/1.x request line: " + requestLine);
        URI uri;
        try {
            uri = new URI(parts[1]);
        } catch (URISyntaxException e) {
            throw new BadRequest("not a request target: " + parts[1]);
        }
        Headers headers = new Headers();
        int headBytes = requestLine.length();
        for (String h; !(h = lineOrFail(in)).isEmpty(); ) {
            headBytes += h.length();
            if (headBytes > MAX_HEAD_BYTES)
                throw new BadRequest("the request head is longer than " + MAX_HEAD_BYTES + " bytes");
            int colon = h.indexOf(':');
            if (colon <= 0) throw new BadRequest("not a header line: " + h);
            headers.add(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        String connection = headers.getFirst("connection");
        boolean keepAlive = parts[2].equals("HTTP/1.1")
                ? connection == null || !connection.toLowerCase(Locale.ROOT).contains("close")
                : connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
        if ("100-continue".equalsIgnoreCase(headers.getFirst("expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean tooLarge;
        String encoding = headers.getFirst("transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            tooLarge = readChunked(in, body, maxBody);
        } else {
            String length = headers.getFirst("content-length");
            long n;
            try {
                n = length == null ? 0 : Long.parseLong(length);
            } catch (NumberFormatException e) {
                throw new BadRequest("not a content-length: " + length);
            }
            if (n < 0) throw new BadRequest("a negative content-length: " + n);
            tooLarge = copy(in, body, n, maxBody);
        }
        return new Exchange(socket, in, out, parts[0], parts[1], uri, headers, body.toByteArray(), tooLarge, keepAlive);
    }

    private static boolean readChunked(InputStream in, ByteArrayOutputStream body, int maxBody) throws IOException {
        boolean tooLarge = false;
        while (true) {
            String sizeLine = lineOrFail(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
            } catch (NumberFormatException e) {
                throw new BadRequest("not a chunk size: " + sizeLine);
            }
            if (size == 0) break;
            tooLarge |= copy(in, body, size, maxBody);
            if (!lineOrFail(in).isEmpty()) throw new BadRequest("a chunk does not end with CRLF");
        }
        while (!lineOrFail(in).isEmpty()) {
            /* trailers: not kept */
        }
        return tooLarge;
    }

    /** Copies {@code n} bytes, keeping at most {@code max} in {@code to}. {@return whether some were dropped} */
    private static boolean copy(InputStream in, ByteArrayOutputStream to, long n, int max) throws IOException {
        byte[] buffer = new byte[8192];
        boolean dropped = false;
        while (n > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (r < 0) throw new BadRequest("the connection closed inside the request body");
            int keep = Math.max(0, Math.min(r, max - to.size()));
            to.write(buffer, 0, keep);
            dropped |= keep < r;
            n -= r;
        }
        return dropped;
    }

    /** {@return a line without its CRLF or LF, ISO-8859-1, or null at the end of input before any byte} */
    private static @Nullable String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                if (b.size() == 0) return null;
                throw new BadRequest("the connection closed inside the request head");
            }
            if (b.size() > MAX_HEAD_BYTES)
                throw new BadRequest("a request line is longer than " + MAX_HEAD_BYTES + " bytes");
            b.write(c);
        }
        byte[] bytes = b.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String lineOrFail(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) throw new BadRequest("the connection closed inside the request head");
        return line;
    }

    /** {@return the request target as a URI: the path and the query} */
    public URI getRequestURI() {
        return uri;
    }

    public String getRequestMethod() {
        return method;
    }

    /** {@return the request target exactly as sent} */
    public String target() {
        return target;
    }

    /** {@return the request headers, names in lower case, read-only} */
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    /** {@return the request body, at most the bytes kept (see {@link #read})} */
    public InputStream getRequestBody() {
        return new ByteArrayInputStream(body);
    }

    public byte[] requestBytes() {
        return body;
    }

    /** {@return the response headers to send; set them before {@link #sendResponseHeaders}} */
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    /** Sets headers (lower-case names) that replace any the response sets, whenever it sets them. */
    public void overrideHeaders(Map<String, String> headers) {
        overrides = headers;
    }

    /** Cuts the body into HTTP chunks (or, for a fixed body, writes) of at most {@code bytes} bytes, each flushed. */
    public void chunkSize(int bytes) {
        chunkSize = bytes;
    }

    /**
     * After {@code bytes} bytes of the body, the response stops: the connection is cut, or, with
     * {@code stall}, held open without a byte more until the client closes it (or the stall limit passes).
     */
    public void limitBody(long bytes, boolean stall, long stallLimitNanos) {
        bodyLimit = bytes;
        stallAtLimit = stall;
        this.stallLimitNanos = stallLimitNanos;
    }

    /**
     * Sends the status line and headers, as the JDK's {@code HttpExchange} does.
     *
     * @param length the body's length: 0 for a chunked body of any length, -1 for none
     */
    public void sendResponseHeaders(int status, long length) throws IOException {
        if (responseBody != null) throw new IllegalStateException("the response has started");
        boolean bodiless = status == 204 || status == 304 || status < 200; // no body and no length, by the protocol
        boolean none = length < 0 || bodiless || method.equals("HEAD");
        boolean chunked = !none && length == 0;
        if (chunked) responseHeaders.set("transfer-encoding", "chunked");
        else if (!bodiless) responseHeaders.set("content-length", Long.toString(Math.max(0, length)));
        if (!keepAlive || bodyTooLarge) responseHeaders.set("connection", "close");
        overrides.forEach(responseHeaders::set);
        StringBuilder sb = new StringBuilder(256)
                .append("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(reason(status))
                .append("\r\n");
        responseHeaders.forEach((k, values) ->
                values.forEach(v -> sb.append(k).append(": ").append(v).append("\r\n")));
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        responseBody = new Body(chunked, none);
        if (bodyLimit == 0 && !none) responseBody.emit(new byte[0], 0, 0);
    }

    /** {@return the response body: {@code flush()} sends what was written (a chunk, for a chunked body), {@code close()} ends it} */
    public OutputStream getResponseBody() {
        if (responseBody == null) throw new IllegalStateException("send the response headers first");
        return responseBody;
    }

    /** Ends the response: a chunked body gets its last chunk. */
    public void close() throws IOException {
        if (responseBody != null) responseBody.close();
    }

    /** {@return whether the connection may carry another request after this response} */
    boolean reusable() {
        return keepAlive && finished && !bodyTooLarge;
    }

    /** {@return whether {@link #clientLeftWithin} can still tell that the client left} */
    boolean watchable() {
        return watchable;
    }

    /**
     * Waits up to {@code millis} for the client to close (or reset) the connection while the
     * response is under way, by reading it, as an HTTP server's background read notices a client
     * that has gone. Writing alone would not tell soon: the JDK's {@code HttpClient}, closing a
     * connection that its selector watches, sends its FIN at once but keeps the socket open, and
     * taking what is written to it, until the selector next wakes (up to 3 s when nothing else
     * happens on that client), so a write fails only then. Bytes the client sends meanwhile (its
     * next request, early) are left for the next exchange, and the exchange is no longer
     * {@linkplain #watchable() watchable}; so it is when the server closed the socket.
     *
     * {@return true when the client closed or reset the connection; false when the time passed
     * (or the exchange stopped being watchable)}
     */
    boolean clientLeftWithin(int millis) {
        try {
            socket.setSoTimeout(millis);
            in.mark(1);
            if (in.read() < 0) return true;
            in.reset();
            watchable = false;
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            watchable = false;
            return !socket.isClosed(); // a reset by the client; a socket the server closed is not the client's doing
        } finally {
            try {
                socket.setSoTimeout(0);
            } catch (IOException e) {
                watchable = false; // closed meanwhile
            }
        }
    }

    /**
     * Holds the connection without sending anything until the client closes it, the server closes
     * it, or {@code nanos} pass. {@return true when the client closed it}
     */
    public boolean awaitClientClose(long nanos) {
        long deadline = System.nanoTime() + nanos;
        try {
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[256];
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
                try {
                    if (in.read(sink) < 0) return true;
                } catch (SocketTimeoutException e) {
                    // go round: the deadline decides
                }
            }
        } catch (IOException e) {
            return !socket.isClosed(); // a reset by the client; a socket the server closed is not the client's doing
        }
    }

    /** Closes the connection at once: whatever was written is all the client gets. */
    void cut() {
        try {
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            // already gone
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** The response body: bytes go to the socket framed (chunked or not), split, and stopped at the body limit. */
    private final class Body extends OutputStream {
        private final boolean chunked;
        private final boolean none;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private long written;
        private boolean closed;

        Body(boolean chunked, boolean none) {
            this.chunked = chunked;
            this.none = none;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (none) return; // HEAD, 204, 304: the body is not sent
            if (chunked) pending.write(b, off, len);
            else emit(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (pending.size() > 0) {
                byte[] bytes = pending.toByteArray();
                pending.reset();
                emit(bytes, 0, bytes.length);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            flush();
            if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            finished = true;
        }

        void emit(byte[] b, int off, int len) throws IOException {
            int n = len;
            boolean atLimit = bodyLimit >= 0 && written + n >= bodyLimit;
            if (atLimit) n = (int) (bodyLimit - written);
            int step = chunkSize > 0 ? chunkSize : Math.max(1, n);
            for (int o = 0; o < n; o += step) {
                int m = Math.min(step, n - o);
                if (chunked) out.write((Integer.toHexString(m) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b, off + o, m);
                if (chunked) out.write(CRLF);
                if (chunkSize > 0) out.flush();
            }
            written += n;
            if (atLimit) {
                closed = true;
                out.flush();
                if (stallAtLimit) awaitClientClose(stallLimitNanos);
                throw new DropConnection("the body stops after " + bodyLimit + " bytes");
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 529 -> "Overloaded";
            default -> "Status " + status;
        };
    }
}
