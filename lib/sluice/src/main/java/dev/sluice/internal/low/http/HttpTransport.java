package dev.sluice.internal.low.http;

import dev.sluice.ApiException;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * One JSON POST over {@link java.net.http.HttpClient}, its outcome mapped onto the
 * {@link SluiceException} family. Provider-neutral: the provider passes its headers, its request
 * id header name and its {@link ErrorBodyParser}. Each method is one <em>attempt</em>, meant to
 * run inside {@code Retrier.call}: failures that a retry may fix are thrown as
 * {@link RetryableFailure}, the others as a {@code SluiceException}.
 *
 * <p>Outcomes of {@link #openStream} and {@link #send}:
 * <ul>
 *   <li>2xx: the response (for a stream, only when its Content-Type is {@code text/event-stream};
 *       for {@code send}, when it names JSON or nothing). Otherwise a {@link ProtocolException}
 *       naming the content type, with an excerpt of the body.</li>
 *   <li>3xx: a {@link ProtocolException} naming the redirect's target host. Redirects are never
 *       followed, so the API key never travels to another host.</li>
 *   <li>Other statuses: the error body is read (at most {@value #MAX_ERROR_BODY_BYTES} bytes,
 *       waiting at most the error-body timeout) and parsed by the provider's parser into an
 *       {@link ApiException} with the status, type, message, server delay and request id (type
 *       {@code http_error_NNN} and the body as the message when the parser does not recognise it; an HTML page
 *       is named as one, with its title and the address it came from, not quoted).
 *       Retryable per {@link RetryRules#shouldRetry}. {@link ErrorResponses} does this.</li>
 *   <li>No response (refused, reset, closed early, garbled): a retryable {@link TransportException}
 *       naming {@code host:port} and the cause, never the full URL.</li>
 *   <li>No response headers within {@link HttpPost#timeout()}: a {@link StreamTimeoutException}
 *       of kind {@code FIRST_EVENT} (not retried: the budget is spent).</li>
 * </ul>
 * Bodies are read through a {@link LosslessBodyStream}: the bytes received before a connection
 * failure are all readable before the failure is thrown. A connection lost once the status and
 * headers have arrived gives the response, whose body then throws; never a failure "before a
 * response arrived" (the HttpClient's own future may say so, depending on timing: see
 * {@link ResponseCapture}). Whenever the transport gives up on an exchange (a cancel, an
 * interrupt, a timeout), a response that arrives anyway is closed; a cancel also cuts short the
 * read of a {@code send} body.
 *
 * <p>Text taken from the server (error messages, excerpts) has the value of every credential
 * header of the request (API key, authorization, cookie; see {@link ServerText#clean}) replaced
 * by {@code [redacted]}, in case a server echoes it, and so has the part after the first space of
 * such a value (the token of {@code Authorization: Bearer <key>}, which servers echo without its
 * scheme).
 *
 * <p>HTTP version: see {@link HttpPost#toRequest}. Over HTTP/2 a transport with clients of its
 * own opens another client (another connection) when a connection refuses a stream beyond the
 * server's limit, and places later exchanges where there is room ({@link ClientLanes}); with a
 * caller's client the refusal is a retryable {@link TransportException}.
 *
 * <p>Engines: the transport's exchanges go through one {@link HttpEngine}, chosen when it is built
 * ({@link Builder#engine}): the blocking HTTP/1.1 one ({@link BlockingHttp1}) or the JDK's client
 * ({@link HttpClientEngine}); what an exchange gives is mapped here, whichever carried it.
 *
 * <p>Ownership: the clients this transport creates (with {@code Redirect.NEVER}, their tasks run
 * by one {@link ClientExecutor}) are closed by {@link #close()}, and the executor shut down;
 * a caller-supplied client is never closed here, and must not follow redirects.
 * Thread-safe: any number of threads may use one transport.
 */
public final class HttpTransport implements AutoCloseable {
    /** The most bytes of an error body that are read. */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    /** The default connect timeout of a client the transport creates. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default longest wait for an error body. */
    public static final Duration DEFAULT_ERROR_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** The default largest non-streaming response body: 64 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

    /**
     * The system property naming the default engine: {@code blocking} (the default) or
     * {@code http-client}. A client's own choice ({@link Builder#engine}) wins.
     */
    public static final String ENGINE_PROPERTY = "sluice.http.engine";

    /** How a transport reaches the server. */
    public enum Engine {
        /** HTTP/1.1 written and read on the calling thread, connections kept alive in a pool of its own. */
        BLOCKING,
        /** The JDK's {@link HttpClient}: HTTP/2 over TLS when the server agrees, proxies, a caller's client. */
        HTTP_CLIENT
    }

    private final HttpEngine engine; // chosen when built; the exchanges never ask which
    private final ErrorResponses errors;
    private final long maxResponseBytes;

    private HttpTransport(Builder b) {
        this.errors = new ErrorResponses(b.errorParser, b.clock, b.errorBodyTimeout, b.requestIdHeader);
        this.engine = engine(b, errors);
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /** {@return the engine the builder asks for: blocking, unless a client, the choice or a proxy says otherwise} */
    private static HttpEngine engine(Builder b, ErrorResponses errors) {
        if (b.client != null) return HttpClientEngine.callers(b.client, errors, b.nanoTime);
        String why = b.engine == Engine.HTTP_CLIENT ? "chosen" : proxied(b.destination);
        if (why == null) {
            return new BlockingHttp1(
                    new Http1Pool(
                            Http1Pool.DEFAULT_MAX_IDLE_PER_HOST, Http1Pool.DEFAULT_KEEP_ALIVE_NANOS, System::nanoTime),
                    b.connectTimeout,
                    b.sslContext,
                    errors);
        }
        return HttpClientEngine.own(why, b.connectTimeout, b.sslContext, errors, b.nanoTime);
    }

    /** {@return a builder with the defaults: own client, standard error parser, no request id header} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the client requests go through (the first, when the transport has opened more)}
     *
     * @throws IllegalStateException if the transport is {@linkplain Engine#BLOCKING blocking}: it has none
     */
    public HttpClient client() {
        if (engine instanceof HttpClientEngine c) return c.client();
        throw new IllegalStateException("a blocking transport has no HttpClient");
    }

    /** {@return the engine requests go through: {@link Engine#HTTP_CLIENT} where the blocking one cannot serve} */
    public Engine engine() {
        return engine.kind();
    }

    /** {@return which engine requests go through, and why the JDK's client when it is: for a client's toString} */
    public String describeEngine() {
        return engine.description();
    }

    /** {@return the blocking engine's connection pool, null with the HttpClient} */
    @Nullable
    Http1Pool pool() {
        return engine instanceof BlockingHttp1 b ? b.pool() : null;
    }

    /**
     * {@return why the JDK's client must serve requests to {@code destination}, or null when the
     * blocking engine can}: a proxy the default {@link ProxySelector} selects for it, or, with no
     * destination, any proxy setting at all
     */
    static @Nullable String proxied(@Nullable URI destination) {
        ProxySelector selector = ProxySelector.getDefault();
        if (selector == null) return null;
        if (destination != null) {
            try {
                for (Proxy proxy : selector.select(destination)) {
                    if (proxy.type() != Proxy.Type.DIRECT) return "a proxy is configured for " + destination.getHost();
                }
                return null;
            } catch (RuntimeException e) {
                return "the ProxySelector failed for " + destination.getHost();
            }
        }
        for (String property : new String[] {"http.proxyHost", "https.proxyHost", "socksProxyHost"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) return "a proxy is configured (" + property + ")";
        }
        if (Boolean.getBoolean("java.net.useSystemProxies")) return "the system's proxies are in use";
        if (!selector.getClass().getName().equals("sun.net.spi.DefaultProxySelector")) {
            return "a ProxySelector is installed";
        }
        return null;
    }

    /** {@return the clients the transport has opened, null with a caller's client} */
    @Nullable
    ClientLanes lanes() {
        return engine instanceof HttpClientEngine c ? c.lanes() : null;
    }

    /** {@return whether {@link #close()} closes the client (the transport created it)} */
    public boolean ownsClient() {
        return engine.ownsClient();
    }

    /**
     * Sends the POST, asking for {@code text/event-stream}, and returns as soon as the response
     * headers arrive.
     *
     * @param cancellation a cancel aborts the wait for the response ({@link CancellationException}),
     *     and closes the response body if it arrived
     * @return the open stream; the caller closes its body
     * @throws RetryableFailure when a retry may help (connection failure, retryable status)
     * @throws SluiceException when it may not ({@link ApiException}, {@link ProtocolException},
     *     {@link StreamTimeoutException})
     * @throws CancellationException if cancelled while waiting
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public StreamResponse openStream(HttpPost post, Cancellation cancellation)
            throws RetryableFailure, InterruptedException {
        return openStream(post, "text/event-stream", cancellation);
    }

    /**
     * As {@link #openStream(HttpPost, Cancellation)}, asking for and requiring another streaming
     * media type, such as {@code application/vnd.amazon.eventstream}.
     *
     * @param mediaType the media type, lower case, without parameters
     */
    public StreamResponse openStream(HttpPost post, String mediaType, Cancellation cancellation)
            throws RetryableFailure, InterruptedException {
        ResponseCapture.Response response = engine.exchange(post, mediaType, cancellation, false, false);
        String requestId = errors.requestId(response.headers());
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (!mediaType(contentType).equals(mediaType)) {
            throw errors.wrongContentType(
                    post, response.statusCode(), contentType, mediaType, requestId, response.body());
        }
        return new StreamResponse(response.statusCode(), response.headers(), requestId, response.body());
    }

    /**
     * Sends the POST, asking for JSON, and reads the whole response body (at most the configured
     * maximum, else a {@link LimitExceededException} naming {@code maxResponseBytes}). A cancel
     * cuts the read short, as it does the wait for the headers.
     *
     * @return the response
     * @throws RetryableFailure when a retry may help (connection failure, retryable status, a body
     *     cut short)
     * @throws SluiceException when it may not
     * @throws CancellationException if cancelled while waiting for the response or reading its body
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public JsonResponse send(HttpPost post, Cancellation cancellation) throws RetryableFailure, InterruptedException {
        return send(post, cancellation, null);
    }

    /**
     * As {@link #send(HttpPost, Cancellation)}, the whole exchange (connect, response headers and
     * body) within {@code total}: when it passes, the connection is closed and a
     * {@link StreamTimeoutException} of kind {@code TOTAL} thrown (not retryable: the time is spent).
     *
     * @param total the overall deadline, from now; null for none
     */
    public JsonResponse send(HttpPost post, Cancellation cancellation, @Nullable Duration total)
            throws RetryableFailure, InterruptedException {
        return send(post, cancellation, total, null, maxResponseBytes);
    }

    /**
     * As {@link #send(HttpPost, Cancellation, Duration)}, reading at most {@code maxBytes} of the
     * body (at most the configured maximum as well), else a {@link LimitExceededException} naming
     * {@code maxResponseBytes}: for a caller that holds answers to a bound of its own (a gateway's);
     * once the response's head has come, each read of its body waits at most {@code idle} for the
     * next bytes, else the connection is closed and a {@link StreamTimeoutException} of kind
     * {@code IDLE} thrown, with the response's request id (not retryable, as a stream's idle
     * timeout). The head itself is not held to {@code idle}: a non-streamed answer's head comes
     * when the whole answer is ready.
     *
     * @param idle the longest wait for the body's next bytes; null for none
     * @param maxBytes the most bytes of the body to read; positive
     * @throws IllegalArgumentException if maxBytes or a timeout is not positive
     */
    public JsonResponse send(
            HttpPost post, Cancellation cancellation, @Nullable Duration total, @Nullable Duration idle, long maxBytes)
            throws RetryableFailure, InterruptedException {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        long limit = Math.min(maxBytes, maxResponseBytes);
        if (total == null && idle == null) {
            return read(
                    post,
                    cancellation,
                    engine.exchange(post, "application/json", cancellation, true, false),
                    limit,
                    null);
        }
        if (total != null && (total.isNegative() || total.isZero()))
            throw new IllegalArgumentException("total must be positive: " + total);
        if (idle != null && (idle.isNegative() || idle.isZero()))
            throw new IllegalArgumentException("idle must be positive: " + idle);
        OverallDeadline overall = total == null ? null : new OverallDeadline(total);
        IdleTimeout quiet = idle == null ? null : new IdleTimeout(idle);
        return engine.send(
                post, cancellation, overall, quiet, response -> read(post, cancellation, response, limit, quiet));
    }

    /**
     * Sends the request and returns its response whatever its status and content type, for a caller
     * that reads every answer itself (the MCP client's Streamable HTTP transport). Nothing is
     * retried or mapped: a failure before a response is the {@link IOException} that caused it (a
     * refused connection, a timeout as an {@link java.net.http.HttpTimeoutException}), a head that
     * breaks HTTP/1.1 an {@code IOException} whose cause names the rule.
     *
     * @param accept the {@code Accept} header, unless the request has one
     * @return the response; the caller reads and closes its body (closing it cancels the exchange)
     * @throws IOException when no response came
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public RawResponse exchange(HttpPost post, String accept) throws IOException, InterruptedException {
        return exchange(post, accept, Cancellation.NONE);
    }

    /**
     * As {@link #exchange(HttpPost, String)}, cut short by {@code cancellation} while it waits for
     * the response (a {@link CancellationException}); once the response is returned, its body is the
     * caller's to close (as {@link ExchangeDeadline#exchange} closes it when its deadline passes).
     *
     * @throws CancellationException if cancelled before the response arrived
     */
    public RawResponse exchange(HttpPost post, String accept, Cancellation cancellation)
            throws IOException, InterruptedException {
        try {
            ResponseCapture.Response r = engine.exchange(post, accept, cancellation, false, true);
            return new RawResponse(r.statusCode(), r.headers(), r.body());
        } catch (RetryableFailure f) {
            throw asIOException(f.failure());
        } catch (StreamTimeoutException e) {
            HttpTimeoutException timedOut = new HttpTimeoutException("no response within " + e.limit());
            timedOut.initCause(e);
            throw timedOut;
        } catch (SluiceException e) {
            throw asIOException(e);
        }
    }

    private static IOException asIOException(SluiceException e) {
        return e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    /**
     * A response of {@link #exchange(HttpPost, String)}, any status.
     *
     * @param statusCode the status
     * @param headers the response headers
     * @param body the body, unread: the caller closes it
     */
    public record RawResponse(int statusCode, HttpHeaders headers, InputStream body) {}

    /** @param idle the body's idle timeout, null for none */
    private JsonResponse read(
            HttpPost post,
            Cancellation cancellation,
            ResponseCapture.Response response,
            long limit,
            @Nullable IdleTimeout idle)
            throws RetryableFailure {
        String requestId = errors.requestId(response.headers());
        ResponseBody body = response.body();
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (!contentType.isBlank() && !mediaType(contentType).contains("json")) {
            throw errors.wrongContentType(
                    post, response.statusCode(), contentType, "application/json", requestId, body);
        }
        InputStream in = body;
        if (idle != null) {
            idle.last = System.nanoTime();
            if (body instanceof Http1Body blocked) blocked.idle(idle.nanos); // a timed socket read
            in = idle.marking(body);
        }
        try (body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ErrorResponses.readAtMost(in, limit + 1, out);
            if (out.size() > limit) {
                throw new LimitExceededException(
                                "maxResponseBytes", limit, "the response body from " + HttpPost.describe(post.uri()))
                        .initContext(requestId, null);
            }
            return new JsonResponse(
                    response.statusCode(), response.headers(), requestId, out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (cancellation.isCancelled().getAsBoolean()) { // the cancel closed the body: not a connection failure
                CancellationException cancelled =
                        new CancellationException("cancelled while reading the response body from " + post.target());
                cancelled.initCause(e);
                throw cancelled;
            }
            if (idle != null && idle.left() <= 0) throw idle.expired(requestId); // it closed the connection
            throw RetryableFailure.of((TransportException) new TransportException(
                            "the connection to " + post.target() + " failed while reading the response body: "
                                    + ErrorResponses.inWords(e),
                            e)
                    .initContext(requestId, null));
        }
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Closes the response bodies still waiting for their end after their stream's terminal event
     * ({@link LosslessBodyStream#closeAtEnd}), and the clients if this transport created them.
     * Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** {@return {@code HttpTransport[<engine>]}: blocking HTTP/1.1, or the HttpClient and why} */
    @Override
    public String toString() {
        return "HttpTransport[" + engine.description() + "]";
    }

    /** Builds an {@link HttpTransport}; each setter checks its argument. */
    public static final class Builder {
        private @Nullable HttpClient client;
        private Engine engine = defaultEngine();
        private @Nullable URI destination;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private @Nullable SSLContext sslContext;
        private @Nullable String requestIdHeader;
        private ErrorBodyParser errorParser = ErrorBodyParser.standard();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private Duration errorBodyTimeout = DEFAULT_ERROR_BODY_TIMEOUT;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder() {}

        /**
         * A caller-supplied client, never closed by the transport.
         * @throws IllegalArgumentException if it follows redirects: the API key must never travel to
         *     another host
         */
        public Builder client(HttpClient client) {
            Objects.requireNonNull(client, "client");
            if (client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("client follows redirects (" + client.followRedirects()
                        + "); build it with followRedirects(HttpClient.Redirect.NEVER) so the API key never travels"
                        + " to another host");
            }
            this.client = client;
            return this;
        }

        /**
         * The engine: {@link Engine#BLOCKING} by default (or as the {@value #ENGINE_PROPERTY} system
         * property says). The blocking engine gives way to the HttpClient, once, when the transport
         * is built: with a caller's {@link #client}, or when a proxy is configured (for the
         * {@link #destination}, or at all when none is given).
         */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Where the transport's requests go (a client's base URL), to see whether a proxy is configured for it. */
        public Builder destination(URI destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        private static Engine defaultEngine() {
            String value = System.getProperty(ENGINE_PROPERTY, "blocking").strip();
            return value.equalsIgnoreCase("http-client") ? Engine.HTTP_CLIENT : Engine.BLOCKING;
        }

        /** The connect timeout of the client the transport creates (ignored with {@link #client}). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** The TLS context of the clients the transport creates (ignored with {@link #client}); by default the JDK's. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** The response header carrying the provider's request id, such as {@code request-id}; null for none. */
        public Builder requestIdHeader(@Nullable String requestIdHeader) {
            if (requestIdHeader != null && requestIdHeader.isBlank()) {
                throw new IllegalArgumentException("requestIdHeader must not be blank");
            }
            this.requestIdHeader = requestIdHeader;
            return this;
        }

        /** The provider's error body parser. */
        public Builder errorParser(ErrorBodyParser errorParser) {
            this.errorParser = Objects.requireNonNull(errorParser, "errorParser");
            return this;
        }

        /** The clock {@code retry-after} dates are counted from. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The time source measuring how long a timed-out request waited. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** The longest wait for an error body (or an excerpt) before it is abandoned. */
        public Builder errorBodyTimeout(Duration errorBodyTimeout) {
            this.errorBodyTimeout = positive(errorBodyTimeout, "errorBodyTimeout");
            return this;
        }

        /** The largest non-streaming response body read by {@link #send}. */
        public Builder maxResponseBytes(long maxResponseBytes) {
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /** {@return the transport} */
        public HttpTransport build() {
            return new HttpTransport(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }
}
