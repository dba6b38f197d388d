package dev.sluice.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jspecify.annotations.Nullable;

/**
 * The blocking raw limit, the new floor of issue #86: a minimal HTTP/1.1 client on a plain
 * {@link Socket}, the request written and the response read on the calling thread (a virtual
 * thread under the concurrency run), kept-alive connections reused, the chunked body's data read
 * into a 16 KiB buffer and discarded. Only the first complete event is looked for (a blank line),
 * to time it; nothing is parsed. It knows exactly the {@link BenchServer}'s answers (a 200 with a
 * chunked body) and nothing else: no TLS, no limits, no timeouts — the least a blocking reader of
 * the stream can do.
 */
final class BlockingRawBenchClient implements BenchClient {
    private final String host;
    private final int port;
    private final byte[] request;
    private final boolean converse;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    private record Connection(Socket socket, InputStream in, OutputStream out) {}

    BlockingRawBenchClient(String baseUrl, boolean converse) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.converse = converse;
        String path;
        String json;
        String auth;
        if (converse) {
            path = "/model/" + URLEncoder.encode(ConverseBenchStream.MODEL, StandardCharsets.UTF_8)
                    + ConverseBenchStream.PATH_SUFFIX;
            json = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"" + PROMPT
                    + "\"}]}],\"inferenceConfig\":{\"maxTokens\":" + MAX_TOKENS + "}}";
            auth = "authorization: Bearer bench\r\n";
        } else {
            path = "/v1/messages";
            json = "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS + ",\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
            auth = "x-api-key: bench\r\nanthropic-version: 2023-06-01\r\n";
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + auth
                + "content-type: application/json\r\ncontent-length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        request = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, request, h.length, body.length);
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        Connection c = idle.pollFirst();
        try {
            if (c == null) c = connect();
            c.out.write(request);
            c.out.flush();
            InputStream in = c.in;
            String status = line(in);
            if (!status.startsWith("HTTP/1.1 200")) throw new IllegalStateException("status " + status);
            boolean chunked = false;
            for (String field; !(field = line(in)).isEmpty(); ) {
                String f = field.toLowerCase(Locale.ROOT);
                if (f.startsWith("transfer-encoding:") && f.contains("chunked")) chunked = true;
            }
            if (!chunked) throw new IllegalStateException("expected a chunked body");
            Result result = RawBenchClient.drain(new ChunkedBody(in), converse, windows);
            idle.addFirst(c);
            return result;
        } catch (IOException e) {
            if (c != null) close(c);
            throw new UncheckedIOException(e);
        }
    }

    /** A chunked body's data, its trailers read at the end: no limit, no check beyond the framing. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private long left; // of the chunk being read
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                left = Long.parseLong(chunkSize(line(in)), 16);
                if (left == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new IOException("the connection closed within a chunk");
            left -= n;
            if (left == 0) line(in); // the chunk's line break
            return n;
        }
    }

    private Connection connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 30_000);
        return new Connection(s, new BufferedInputStream(s.getInputStream(), 16 * 1024), s.getOutputStream());
    }

    private static String chunkSize(String line) {
        int semi = line.indexOf(';');
        return (semi < 0 ? line : line.substring(0, semi)).strip();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(32);
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int end = b.length();
                if (end > 0 && b.charAt(end - 1) == '\r') b.setLength(end - 1);
                return b.toString();
            }
            b.append((char) c);
        }
        throw new IOException("the connection closed within a line");
    }

    private static void close(Connection c) {
        try {
            c.socket.close();
        } catch (IOException e) {
            // closed either way
        }
    }

    @Override
    public void close() {
        for (Connection c; (c = idle.pollFirst()) != null; ) close(c);
    }
}
