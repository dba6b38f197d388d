package dev.sluice.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a raw socket, for the server's own tests: it sends a request and reads the
 * response exactly as it came, chunk by chunk, telling a body that ended properly from one cut off.
 */
final class RawHttp implements AutoCloseable {
    /**
     * A response as read.
     *
     * @param chunks the body's chunks as framed (one element for a body with a length)
     * @param complete whether the body ended properly: its last chunk, or all of its length
     */
    record Response(int status, Map<String, String> headers, List<byte[]> chunks, boolean complete) {
        byte[] body() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            return out.toByteArray();
        }

        String text() {
            return new String(body(), StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(FakeLlmServer server) {
        try {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a POST of this JSON body (an empty body for null). */
    RawHttp post(String path, String json, String... headers) {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head =
                new StringBuilder("POST " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                        + "content-length: " + body.length + "\r\n");
        for (int i = 0; i < headers.length; i += 2)
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        return send(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    /** Sends bytes as they are: a request written by the test. */
    RawHttp send(byte[]... parts) {
        try {
            for (byte[] p : parts) out.write(p);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Reads the status line and headers. {@return the status and headers, no body yet} */
    Response head() {
        try {
            String status = line();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h; !(h = line()).isEmpty(); ) {
                int colon = h.indexOf(':');
                headers.put(
                        h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        h.substring(colon + 1).strip());
            }
            return new Response(Integer.parseInt(status.split(" ")[1]), headers, List.of(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the next chunk of a chunked body, null after its last chunk} @throws EOFException if the connection ends first */
    byte[] chunk() throws IOException {
        String size = line();
        int n = Integer.parseInt(size.strip(), 16);
        if (n == 0) {
            line();
            return null;
        }
        byte[] chunk = in.readNBytes(n);
        if (chunk.length < n) throw new EOFException("the connection ended inside a chunk");
        line();
        return chunk;
    }

    /** {@return a whole response: head, then the body as framed, until it ends or the connection does} */
    Response response() {
        Response head = head();
        List<byte[]> chunks = new ArrayList<>();
        boolean complete;
        try {
            if ("chunked".equals(head.header("transfer-encoding"))) {
                complete = false;
                try {
                    for (byte[] c; (c = chunk()) != null; ) chunks.add(c);
                    complete = true;
                } catch (EOFException | NumberFormatException e) {
                    // cut off
                }
            } else {
                String length = head.header("content-length");
                int n = length == null ? 0 : Integer.parseInt(length);
                byte[] body = in.readNBytes(n);
                chunks.add(body);
                complete = body.length == n;
            }
        } catch (IOException e) {
            complete = false;
        }
        return new Response(head.status(), head.headers(), List.copyOf(chunks), complete);
    }

    /**
     * Sends the client's FIN and keeps reading possible, as the JDK's {@code HttpClient} does when
     * it closes a connection its selector watches (it releases the socket only when the selector
     * next wakes): the server's writes still succeed.
     */
    void halfClose() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return whether the server closed the connection: the input ends (what was left unread is skipped)} */
    boolean closedByServer() {
        try {
            while (in.read() >= 0) {
                /* the rest of a response */
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new EOFException("the connection ended");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
