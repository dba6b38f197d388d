package dev.sluice.internal.low.http;

import dev.sluice.ProtocolException;
import dev.sluice.StreamTimeoutException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The blocking HTTP/1.1 transport: one exchange written and its response read on the calling thread
 * (a stream's own virtual thread), with no selector and no hand-off to another thread. Connections
 * are kept alive in an {@link Http1Pool}; {@code https} goes through an {@link SSLSocket} with SNI
 * and HTTPS endpoint identification (RFC 2818: a certificate for another host fails the
 * handshake), trusting the given {@link SSLContext}'s trust store (by default the platform's). A
 * response's head is read under {@link Http1ResponseParser}'s rules; its body is an
 * {@link Http1Body}.
 *
 * <p>Time: the connect (TCP and TLS handshake) waits at most the connect timeout; the head at most
 * the request's {@link HttpPost#timeout()}; an exchange with an overall deadline ends by it, body
 * included. Each is a timed socket read, and the connection is closed when one passes. A cancel
 * closes the connection, which ends a blocked connect, write or read at once (STYLE rule 9).
 *
 * <p>As an {@link HttpEngine}: a response handed over is its {@link Http1Body}'s to end, and a
 * status but a 2xx is mapped by {@link ErrorResponses#checked}.
 *
 * <p>Immutable but for the pool; thread-safe.
 */
final class BlockingHttp1 implements HttpEngine {
    /** Headers the transport writes itself, refused from a caller (the JDK's HttpClient refuses the same, and Transfer-Encoding). */
    private static final Set<String> RESTRICTED =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

    private final Http1Pool pool;
    private final Duration connectTimeout;
    private final @Nullable SSLSocketFactory tls; // null: no TLS context could be had (said when https is asked)
    private final @Nullable String noTls;
    private final ErrorResponses errors;

    /**
     * @param sslContext the TLS context, null for the platform's; taken here, on the builder's thread,
     *     as the JDK's HttpClient takes it: the platform's reads the trust store from a file, which a
     *     stream's virtual thread must not do (docs/layout.md, "Nothing blocks a carrier")
     * @param errors what a status but a 2xx is mapped to
     */
    BlockingHttp1(Http1Pool pool, Duration connectTimeout, @Nullable SSLContext sslContext, ErrorResponses errors) {
        this.pool = pool;
        this.connectTimeout = connectTimeout;
        this.errors = errors;
        SSLSocketFactory factory = null;
        String why = null;
        try {
            factory = (sslContext != null ? sslContext : SSLContext.getDefault()).getSocketFactory();
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            why = "no TLS context: " + e.getMessage();
        }
        this.tls = factory;
        this.noTls = why;
    }

    /** {@return the pool} */
    Http1Pool pool() {
        return pool;
    }

    @Override
    public HttpTransport.Engine kind() {
        return HttpTransport.Engine.BLOCKING;
    }

    @Override
    public String description() {
        return "blocking HTTP/1.1";
    }

    @Override
    public boolean ownsClient() {
        return true;
    }

    @Override
    public ResponseCapture.Response exchange(
            HttpPost post, String accept, Cancellation cancellation, boolean readHere, boolean anyStatus)
            throws RetryableFailure, InterruptedException {
        return exchange(post, accept, cancellation, readHere, anyStatus, null);
    }

    /**
     * The overall deadline is the socket reads' ({@link #open}); the idle timeout, the body's
     * ({@link Http1Body#idle}, which the transport's read sets).
     */
    @Override
    public JsonResponse send(
            HttpPost post,
            Cancellation cancellation,
            @Nullable OverallDeadline overall,
            @Nullable IdleTimeout idle,
            BodyRead read)
            throws RetryableFailure, InterruptedException {
        try {
            return read.read(exchange(post, "application/json", cancellation, true, false, overall));
        } catch (RetryableFailure e) {
            if (overall != null && overall.passed()) throw overall.expired();
            throw e;
        }
    }

    private ResponseCapture.Response exchange(
            HttpPost post,
            String accept,
            Cancellation cancellation,
            boolean readHere,
            boolean anyStatus,
            @Nullable OverallDeadline overall)
            throws RetryableFailure, InterruptedException {
        ResponseCapture.Response response = overall == null
                ? open(post, accept, cancellation, Http1Input.NONE, null)
                : open(post, accept, cancellation, overall.deadline, overall.total);
        if ((anyStatus || response.statusCode() / 100 == 2) && !readHere) {
            ((Http1Body) response.body()).handOver();
        }
        return anyStatus ? response : errors.checked(post, response);
    }

    /**
     * Sends the request and reads the response's head.
     *
     * @param deadline the {@link System#nanoTime()} by which the whole exchange ends, body included,
     *     or {@link Http1Input#NONE}
     * @param total the overall limit the deadline stands for, for the exception; null with no deadline
     * @return the response, its body unread
     * @throws RetryableFailure for a connection failure before a response
     * @throws ProtocolException for a head that breaks HTTP/1.1
     * @throws StreamTimeoutException when the head did not come within the request's timeout
     *     ({@code FIRST_EVENT}) or the deadline ({@code TOTAL})
     * @throws CancellationException if cancelled meanwhile
     * @throws InterruptedException if the thread is interrupted meanwhile
     */
    ResponseCapture.Response open(
            HttpPost post, String accept, Cancellation cancellation, long deadline, @Nullable Duration total)
            throws RetryableFailure, InterruptedException {
        byte[] request = encode(post, accept);
        Http1Connection.Key key = Http1Connection.Key.of(post.uri());
        long start = System.nanoTime();
        Duration timeout = post.timeout();
        long headBy = timeout == null ? Http1Input.NONE : start + timeout.toNanos();
        boolean overallFirst = deadline != Http1Input.NONE && deadline <= headBy;
        if (overallFirst) headBy = deadline;
        for (int attempt = 0; ; attempt++) {
            if (Thread.interrupted()) throw new InterruptedException();
            Http1Connection pooled = attempt == 0 ? pool.take(key) : null;
            Http1Connection c = pooled;
            if (c == null) {
                Socket raw = new Socket();
                // until the lease takes over: a cancel must not close the connection once it is pooled
                AtomicBoolean connecting = new AtomicBoolean(true);
                cancellation.onCancel().accept(() -> {
                    if (connecting.get()) close(raw);
                });
                if (cancellation.isCancelled().getAsBoolean()) {
                    close(raw);
                    throw cancelled(post);
                }
                c = connect(post, key, raw, headBy, overallFirst, total, start, cancellation);
                connecting.set(false);
            }
            Http1Pool.Lease lease = pool.new Lease(c);
            // as the HttpClient's exchanges: once a stream has its body, the stream's own close ends it
            cancellation.onCancel().accept(lease::abortUnlessHandedOver);
            if (cancellation.isCancelled().getAsBoolean()) {
                lease.abort();
                throw cancelled(post);
            }
            Http1Input in = c.in;
            try {
                in.deadline(headBy);
                in.idle(Http1Input.NONE); // a pooled connection's last body may have had an idle timeout
                in.resetReceived();
                c.out.write(request);
                c.out.flush();
                Http1ResponseParser parser = new Http1ResponseParser(in);
                Http1ResponseParser.Head head = parser.readHead();
                in.deadline(deadline);
                return new ResponseCapture.Response(head.status(), head.headers(), new Http1Body(lease, parser, head));
            } catch (Http1ComplianceException e) {
                lease.abort();
                throw (ProtocolException) new ProtocolException(
                                "the response from " + post.target() + " broke HTTP/1.1 and was refused: "
                                        + e.violation().description(),
                                e)
                        .initContext(null, null);
            } catch (IOException e) {
                lease.abort();
                if (cancellation.isCancelled().getAsBoolean()) throw cancelled(post);
                if (Thread.interrupted()) throw new InterruptedException();
                // a kept-alive connection the server closed while it was idle: once more, on a new one
                if (pooled != null && in.received() == 0 && !(e instanceof SocketTimeoutException)) continue;
                throw failed(post, e, start, overallFirst, total);
            }
        }
    }

    /** Opens a connection on {@code raw} (TLS for https) within the connect timeout and {@code headBy}. */
    private Http1Connection connect(
            HttpPost post,
            Http1Connection.Key key,
            Socket raw,
            long headBy,
            boolean overallFirst,
            @Nullable Duration total,
            long start,
            Cancellation cancellation)
            throws RetryableFailure, InterruptedException {
        long connectBy = start + connectTimeout.toNanos();
        boolean connectFirst = connectBy < headBy;
        long by = Math.min(connectBy, headBy);
        try {
            raw.setTcpNoDelay(true);
            InetSocketAddress address = new InetSocketAddress(key.host(), key.port());
            if (address.isUnresolved()) throw new UnknownHostException(key.host());
            raw.connect(address, millisLeft(by));
            Socket stream = raw;
            if (key.https()) {
                SSLSocket ssl = (SSLSocket) tls().createSocket(raw, key.host(), key.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!isIpLiteral(key.host())) params.setServerNames(List.of(new SNIHostName(key.host())));
                params.setApplicationProtocols(new String[] {"http/1.1"});
                ssl.setSSLParameters(params);
                raw.setSoTimeout(millisLeft(by));
                ssl.startHandshake();
                raw.setSoTimeout(0);
                stream = ssl;
            }
            return new Http1Connection(key, raw, stream);
        } catch (IOException e) {
            close(raw);
            if (cancellation.isCancelled().getAsBoolean()) throw cancelled(post);
            if (Thread.interrupted()) throw new InterruptedException();
            if (e instanceof SocketTimeoutException && connectFirst) {
                HttpConnectTimeoutException timedOut = new HttpConnectTimeoutException("connect timed out");
                timedOut.initCause(e);
                throw failed(post, timedOut, start, false, null);
            }
            throw failed(post, e, start, overallFirst, total);
        } catch (IllegalArgumentException e) { // an SNI name the JDK refuses: the host is no DNS name
            close(raw);
            throw failed(post, new UnknownHostException(key.host()), start, false, null);
        }
    }

    private SSLSocketFactory tls() throws IOException {
        SSLSocketFactory f = tls;
        if (f == null) throw new IOException(noTls == null ? "no TLS context" : noTls);
        return f;
    }

    /** {@return the failure of an exchange that got no response: mapped as the JDK client's are} */
    private static RuntimeException failed(
            HttpPost post, IOException e, long start, boolean overallFirst, @Nullable Duration total)
            throws RetryableFailure {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (e instanceof SocketTimeoutException && overallFirst && total != null) {
            throw new StreamTimeoutException(StreamTimeoutException.Timeout.TOTAL, total, elapsed);
        }
        IOException cause = e;
        if (e instanceof SocketTimeoutException) {
            HttpTimeoutException timedOut = new HttpTimeoutException("request timed out");
            timedOut.initCause(e);
            cause = timedOut;
        }
        return ErrorResponses.noResponse(post, cause, elapsed);
    }

    private static CancellationException cancelled(HttpPost post) {
        return new CancellationException("cancelled while waiting for the response from " + post.target());
    }

    private static int millisLeft(long by) throws SocketTimeoutException {
        if (by == Http1Input.NONE) return 0;
        long left = by - System.nanoTime();
        if (left <= 0) throw new SocketTimeoutException("the time ran out");
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) return true; // IPv6
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            if (ch != '.' && (ch < '0' || ch > '9')) return false;
        }
        return true;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed either way
        }
    }

    /**
     * {@return the request's bytes: request line, {@code Host}, the request's headers, {@code
     * Content-Type} and {@code Accept} unless given, {@code Content-Length} for a POST or a PUT, the body}
     *
     * @throws IllegalArgumentException for a header the transport writes itself, or a value with a
     *     character beyond ISO-8859-1 (the message names the header, never its value)
     */
    static byte[] encode(HttpPost post, String accept) {
        URI uri = post.uri();
        byte[] body = post.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(256);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        h.append(post.method()).append(' ').append(path);
        if (uri.getRawQuery() != null) h.append('?').append(uri.getRawQuery());
        h.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() >= 0) h.append(':').append(uri.getPort());
        h.append("\r\n");
        boolean post_ = post.method().equals("POST");
        boolean hasContentType = !post_;
        boolean hasAccept = false;
        for (Map.Entry<String, String> e : post.headers().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (RESTRICTED.contains(name)) {
                throw new IllegalArgumentException("header " + e.getKey() + " is not allowed (restricted)");
            }
            String value = e.getValue();
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) > 0xff) {
                    throw new IllegalArgumentException(
                            "the value of header " + e.getKey() + " has a character beyond ISO-8859-1");
                }
            }
            hasContentType |= name.equals("content-type");
            hasAccept |= name.equals("accept");
            h.append(e.getKey()).append(": ").append(value).append("\r\n");
        }
        if (!hasContentType) h.append("Content-Type: application/json\r\n");
        if (!hasAccept) h.append("Accept: ").append(accept).append("\r\n");
        if (post_ || post.method().equals("PUT"))
            h.append("Content-Length: ").append(body.length).append("\r\n");
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Closes the idle connections; exchanges under way go on, and their connections close when they end. */
    @Override
    public void close() {
        pool.close();
    }
}
