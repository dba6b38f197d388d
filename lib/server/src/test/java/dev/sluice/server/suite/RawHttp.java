package dev.sluice.server.suite;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP/1.1 and WebSocket frames written by hand over a loopback socket: what a stock client will
 * not send (any {@code Host}, no {@code Content-Type}, a browser's {@code Origin}, a malformed
 * request, a socket that never reads).
 */
public final class RawHttp {
    private RawHttp() {}

    /** A response: its status, headers (names in lower case) and body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends a request with {@code Connection: close} added; {@return the response} */
    public static Response send(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket s = connect(port)) {
            StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) sb.append("Content-Length: ").append(body.length).append("\r\n");
            sb.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** Sends raw bytes as they are; {@return the response} */
    public static Response sendRaw(int port, String raw) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    /**
     * GETs these paths one after another on a keep-alive connection (a new one whenever the server closes
     * it, as some close after a number of requests), with the {@code Host} the relay accepts. {@return the
     * responses, in order}
     */
    public static List<Response> getKeptAlive(int port, List<String> paths) throws IOException {
        List<Response> responses = new ArrayList<>(paths.size());
        Socket s = null;
        try {
            InputStream in = null;
            OutputStream out = null;
            for (String path : paths) {
                if (s == null) {
                    s = connect(port);
                    in = new BufferedInputStream(s.getInputStream());
                    out = s.getOutputStream();
                }
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Response r = readKeptAlive(in);
                responses.add(r);
                if ("close".equalsIgnoreCase(r.header("connection"))) {
                    s.close();
                    s = null;
                }
            }
        } finally {
            if (s != null) s.close();
        }
        return responses;
    }

    /** Reads a response whose body has a Content-Length or is chunked (not one that ends with the connection). */
    private static Response readKeptAlive(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int status = head(readHead(in), headers);
        String length = headers.get("content-length");
        byte[] body;
        if (length != null) body = in.readNBytes(Integer.parseInt(length));
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) > 0; ) {
                chunks.write(in.readNBytes(size));
                line(in);
            }
            while (!line(in).isEmpty()) {} // the trailers, then the blank line
            body = chunks.toByteArray();
        } else if (status == 204 || status == 304) body = new byte[0];
        else throw new IOException("a kept-alive response with neither a Content-Length nor chunks: " + headers);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    public static Socket connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** @param receiveBuffer the socket's receive buffer in bytes (a client that reads little), or 0 for the system's */
    public static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    /** Reads a response's head, then its body to the end of the connection (or its Content-Length). */
    public static Response read(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int status = head(readHead(in), headers);
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Puts a response head's headers in {@code headers} (names in lower case); {@return its status} */
    private static int head(String head, Map<String, String> headers) {
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0)
                headers.merge(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
        }
        return Integer.parseInt(lines[0].split(" ")[1]);
    }

    /** {@return the head of a response, its lines up to the blank one} */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        String line;
        while ((line = readLine(in)) != null) {
            head.append(line).append("\r\n");
            if (line.isEmpty()) break;
        }
        if (head.isEmpty()) throw new IOException("the connection closed before a response");
        return head.toString();
    }

    /** {@return a line without its CR LF} @throws IOException at the end of the stream */
    private static String line(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) throw new IOException("the connection closed in a chunked body");
        return line;
    }

    /** {@return a line without its CR LF, or null at the end of the stream} */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') if (b != '\r') line.append((char) b);
        return b == -1 && line.isEmpty() ? null : line.toString();
    }

    /**
     * Opens a WebSocket to {@code /api/ws} with these extra headers. {@return the socket, after
     * the server's answer to the upgrade, and that answer's head}
     */
    public static Upgrade upgrade(int port, Map<String, String> headers) throws IOException {
        return upgrade(port, headers, 0);
    }

    /** As {@link #upgrade(int, Map)}, with the socket's receive buffer as given (0: the system's). */
    public static Upgrade upgrade(int port, Map<String, String> headers, int receiveBuffer) throws IOException {
        Socket s = connect(port, receiveBuffer);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        StringBuilder sb = new StringBuilder(
                "GET /api/ws HTTP/1.1\r\n" + (headers.containsKey("Host") ? "" : "Host: 127.0.0.1:" + port + "\r\n")
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(nonce) + "\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        String head = readHead(s.getInputStream());
        return new Upgrade(s, Integer.parseInt(head.split(" ")[1]), head);
    }

    /** An upgrade's socket and the status it got (101 when it is a WebSocket now). */
    public record Upgrade(Socket socket, int status, String head) {}

    /** Writes one masked text frame, as a client must. */
    public static void sendText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = {1, 2, 3, 4};
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) frame.write(payload[i] ^ mask[i % 4]);
        out.write(frame.toByteArray());
    }

    /** A frame from the server: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        /** {@return a close frame's code, or -1} */
        int closeCode() {
            return opcode == 8 && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    /** {@return the next frame from the server, or null at the end of the connection} */
    public static Frame readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) return null;
        int b1 = in.read();
        if (b1 < 0) return null;
        long length = b1 & 0x7f;
        if (length == 126) length = ((long) in.read() << 8) | in.read();
        else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | in.read();
        }
        byte[] payload = in.readNBytes((int) length);
        return new Frame(b0 & 0x0f, payload);
    }

    /** {@return a flag set once the server closes the socket (or resets it), watched on a virtual thread} */
    public static AtomicBoolean closedFlag(Socket s) {
        AtomicBoolean closed = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            try {
                s.setSoTimeout(0);
                InputStream in = s.getInputStream();
                while (in.read() != -1) {
                    // what the server sends before it closes
                }
            } catch (IOException e) {
                // reset: closed too
            }
            closed.set(true);
        });
        return closed;
    }
}
