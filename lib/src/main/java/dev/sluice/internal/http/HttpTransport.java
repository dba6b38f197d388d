package dev.sluice.internal.http;

import dev.sluice.ApiException;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One JSON POST over {@link java.net.http.HttpClient}, its outcome mapped onto the
 * {@link SluiceException} family. Provider-neutral: the provider passes its headers, its request
 * id header name and its {@link ErrorBodyParser}. Each method is one <em>attempt</em>, meant to
 * run inside {@link Retrier#call}: failures that a retry may fix are thrown as
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
 *       waiting at most the error-body timeout), closed, and parsed by the provider's parser into an
 *       {@link ApiException} with the status, type, message, server delay and request id. When the
 *       parser does not recognise the body, the type is {@code http_error_NNN} (NNN the status) and
 *       the message the body, truncated. Retryable per {@link RetryRules#shouldRetry}.</li>
 *   <li>No response (refused, reset, closed early, garbled): a retryable {@link TransportException}
 *       naming {@code host:port} and the cause, never the full URL.</li>
 *   <li>No response headers within {@link HttpPost#timeout()}: a {@link StreamTimeoutException}
 *       of kind {@code FIRST_EVENT} (not retried: the budget is spent).</li>
 * </ul>
 * Bodies are read through a {@link LosslessBodyStream}: the bytes received before a connection
 * failure are all readable before the failure is thrown. A connection lost once the status and
 * headers have arrived gives the response, whose body then throws; never a failure "before a
 * response arrived" (the HttpClient's own future may say so, depending on timing: see
 * {@link ResponseCapture}).
 *
 * <p>Text taken from the server (error messages, excerpts) has every request header value of eight
 * characters or more replaced by {@code [redacted]}, in case a server echoes the key, and so has
 * the part after the first space of such a value (the token of {@code Authorization: Bearer <key>},
 * which servers echo without its scheme).
 *
 * <p>HTTP version: requests to an {@code https} URI use the client's version (by default HTTP/2,
 * negotiated by ALPN, falling back to HTTP/1.1); requests to a cleartext {@code http} URI use
 * HTTP/1.1, so no h2c upgrade is attempted.
 *
 * <p>Ownership: a client this transport creates (with {@code Redirect.NEVER}, its tasks run by a
 * {@link ClientExecutor}) is closed by {@link #close()}, and its executor shut down;
 * a caller-supplied client is never closed here, and must not follow redirects.
 * Thread-safe: any number of threads may use one transport.
 */
public final class HttpTransport implements AutoCloseable {
    /** The most bytes of an error body that are read. */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    /** The most bytes read from a 2xx body of the wrong content type, for the message. */
    static final int MAX_EXCERPT_BYTES = 2 * 1024;
    /** The most characters of server text put into a message. */
    static final int MAX_MESSAGE_CHARS = 500;
    /** The default connect timeout of a client the transport creates. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default longest wait for an error body. */
    public static final Duration DEFAULT_ERROR_BODY_TIMEOUT = Duration.ofSeconds(10);
    /** The default largest non-streaming response body: 64 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

    private final HttpClient client;
    private final boolean ownsClient;
    private final ClientExecutor executor; // of a client we created, else null
    private final String requestIdHeader;
    private final ErrorBodyParser errorParser;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Duration errorBodyTimeout;
    private final long maxResponseBytes;

    private HttpTransport(Builder b) {
        if (b.client != null) {
            this.client = b.client;
            this.ownsClient = false;
            this.executor = null;
        } else {
            // HttpClient's own tasks run on virtual threads while few exchanges are open and on a
            // few platform threads beyond (ClientExecutor says why). Not on HttpClient's default
            // cached pool: a platform thread per concurrent task (249-315 at C = 1,000).
            // The executor is ours, so close() shuts it down after the client.
            this.executor = new ClientExecutor();
            this.client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(b.connectTimeout)
                    .executor(executor)
                    .build();
            this.ownsClient = true;
        }
        this.requestIdHeader = b.requestIdHeader;
        this.errorParser = b.errorParser;
        this.clock = b.clock;
        this.nanoTime = b.nanoTime;
        this.errorBodyTimeout = b.errorBodyTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /** {@return a builder with the defaults: own client, standard error parser, no request id header} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the client requests go through} */
    public HttpClient client() {
        return client;
    }

    /** {@return whether {@link #close()} closes the client (the transport created it)} */
    public boolean ownsClient() {
        return ownsClient;
    }

    /**
     * Sends the POST, asking for {@code text/event-stream}, and returns as soon as the response
     * headers arrive.
     *
     * @param cancellation a cancel aborts the wait for the response ({@link CancellationException})
     * @return the open stream; the caller closes its body
     * @throws RetryableFailure when a retry may help (connection failure, retryable status)
     * @throws SluiceException when it may not ({@link ApiException}, {@link ProtocolException},
     *     {@link StreamTimeoutException})
     * @throws CancellationException if cancelled while waiting
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public StreamResponse openStream(HttpPost post, Cancellation cancellation)
            throws RetryableFailure, InterruptedException {
        Response response = exchange(post, "text/event-stream", cancellation);
        String requestId = requestId(response.headers());
        InputStream body = response.body();
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (!mediaType(contentType).equals("text/event-stream")) {
            throw wrongContentType(post, response.statusCode(), contentType, "text/event-stream", requestId, body);
        }
        return new StreamResponse(response.statusCode(), response.headers(), requestId, body);
    }

    /**
     * Sends the POST, asking for JSON, and reads the whole response body (at most the configured
     * maximum, else a {@link LimitExceededException} naming {@code maxResponseBytes}).
     *
     * @return the response
     * @throws RetryableFailure when a retry may help (connection failure, retryable status, a body
     *     cut short)
     * @throws SluiceException when it may not
     * @throws CancellationException if cancelled while waiting for the response headers
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public JsonResponse send(HttpPost post, Cancellation cancellation) throws RetryableFailure, InterruptedException {
        Response response = exchange(post, "application/json", cancellation);
        String requestId = requestId(response.headers());
        InputStream body = response.body();
        String contentType = response.headers().firstValue("content-type").orElse("");
        if (!contentType.isBlank() && !mediaType(contentType).contains("json")) {
            throw wrongContentType(post, response.statusCode(), contentType, "application/json", requestId, body);
        }
        try (body) {
            byte[] bytes = readAtMost(body, maxResponseBytes + 1);
            if (bytes.length > maxResponseBytes) {
                throw new LimitExceededException("maxResponseBytes", maxResponseBytes,
                        "the response body from " + describe(post.uri())).initContext(requestId, null);
            }
            return new JsonResponse(response.statusCode(), response.headers(), requestId,
                    new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw RetryableFailure.of((TransportException) new TransportException("the connection to "
                    + target(post.uri()) + " failed while reading the response body: " + e, e)
                    .initContext(requestId, null));
        }
    }

    /**
     * Sends and maps every outcome but a 2xx to an exception. The exchange is open, for the
     * {@link ClientExecutor}, until it fails here or the response body ends.
     */
    private Response exchange(HttpPost post, String accept, Cancellation cancellation)
            throws RetryableFailure, InterruptedException {
        HttpRequest request = request(post, accept);
        Runnable ended = executor == null ? NoAction.INSTANCE : executor.opened();
        boolean handedOver = false; // then the body ends the exchange
        try {
            Response response = exchange(post, accept, cancellation, request, ended);
            handedOver = true;
            return response;
        } finally {
            if (!handedOver) ended.run();
        }
    }

    /** The exchange itself; {@code ended} goes to the response body. */
    private Response exchange(HttpPost post, String accept, Cancellation cancellation, HttpRequest request,
                              Runnable ended) throws RetryableFailure, InterruptedException {
        long start = nanoTime.getAsLong();
        ResponseCapture capture = new ResponseCapture(ended);
        CompletableFuture<HttpResponse<InputStream>> future = client.sendAsync(request, capture);
        cancellation.onCancel().accept(new FutureCancel(future));
        Response response;
        try {
            HttpResponse<InputStream> r = future.get();
            response = new Response(r.statusCode(), r.headers(), r.body());
        } catch (CancellationException e) {
            throw new CancellationException("cancelled while waiting for the response from " + target(post.uri()));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            response = capture.afterFailure(e.getCause());
            if (response == null) throw mapSendFailure(post, e.getCause(), start);
        }
        if (cancellation.isCancelled().getAsBoolean()) {
            closeQuietly(response.body());
            throw new CancellationException("cancelled while waiting for the response from " + target(post.uri()));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) return response;
        String requestId = requestId(response.headers());
        if (status >= 300 && status < 400) {
            closeQuietly(response.body());
            String location = response.headers().firstValue("location").map(HttpTransport::hostOf).orElse("no location");
            throw new ProtocolException("HTTP " + status + " from " + target(post.uri())
                    + " redirects to " + location + "; redirects are never followed (the API key must not travel"
                    + " to another host): check the base URL", null).initContext(requestId, null);
        }
        throw apiError(post, response, requestId);
    }

    /** A response whose status and headers arrived; its body is a {@link LosslessBodyStream}. */
    private record Response(int statusCode, HttpHeaders headers, InputStream body) {}

    /**
     * The body handler of one exchange, which remembers the response it was applied to.
     *
     * <p>Why: the HttpClient may fail the response future although the status and headers have
     * arrived, when the body fails early. It hands the body over in one of its tasks and reads it
     * in another; when the connection is lost before the first of these runs (a server that writes
     * a few events and closes at once), the reading task fails the future with the body's error,
     * depending on timing. The bytes received before the failure are then in the
     * {@link LosslessBodyStream}, and the response is used as if the future had succeeded: its
     * body yields them, then throws the failure. So the outcome does not depend on which task won.
     *
     * <p>Threading: {@link #apply} runs on an HttpClient thread once the headers are parsed;
     * {@link #afterFailure} on the sending thread, after the future has failed (the field is volatile).
     */
    private static final class ResponseCapture implements HttpResponse.BodyHandler<InputStream> {
        private final Runnable ended;
        private volatile Response applied;

        ResponseCapture(Runnable ended) {
            this.ended = ended;
        }

        @Override
        public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
            LosslessBodyStream body = new LosslessBodyStream(ended);
            applied = new Response(info.statusCode(), info.headers(), body);
            return body;
        }

        /**
         * {@return the response whose body failed with {@code cause}, or null when the failure came
         * before the headers, is not an I/O failure, or is the request timeout (the first-event
         * timeout, reported as such even if the headers had just arrived): then there is no response}
         * The body is given the failure too (kept only if it has not ended already), so that a read
         * after the bytes received cannot wait for an end that the HttpClient will not signal.
         */
        Response afterFailure(Throwable cause) {
            Response r = applied;
            if (r == null || !(cause instanceof IOException) || cause instanceof HttpTimeoutException) return null;
            ((LosslessBodyStream) r.body()).onError(cause);
            return r;
        }
    }

    private RuntimeException mapSendFailure(HttpPost post, Throwable cause, long start) throws RetryableFailure {
        if (cause instanceof HttpConnectTimeoutException e) {
            throw RetryableFailure.of(new TransportException("could not connect to " + target(post.uri())
                    + " within the connect timeout: " + e.getMessage(), e));
        }
        if (cause instanceof HttpTimeoutException && post.timeout() != null) {
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
            Duration waited = post.timeoutLimit().minus(post.timeout()).plus(elapsed);
            throw new StreamTimeoutException(StreamTimeoutException.Timeout.FIRST_EVENT, post.timeoutLimit(), waited);
        }
        if (cause instanceof IOException e) {
            throw RetryableFailure.of(new TransportException("the connection to " + target(post.uri())
                    + " failed before a response arrived: " + e, e));
        }
        if (cause instanceof RuntimeException e) return e;
        if (cause instanceof Error e) throw e;
        return new IllegalStateException("HttpClient failed unexpectedly", cause);
    }

    private HttpRequest request(HttpPost post, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(post.uri());
        if (post.method().equals("GET")) {
            b.GET();
        } else {
            b.POST(HttpRequest.BodyPublishers.ofString(post.body(), StandardCharsets.UTF_8));
        }
        boolean hasContentType = post.method().equals("GET"); // nothing to describe
        boolean hasAccept = false;
        for (var h : post.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            hasContentType |= name.equals("content-type");
            hasAccept |= name.equals("accept");
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // The JDK's message may quote the value; name the header only.
                throw new IllegalArgumentException("header " + h.getKey() + " is not allowed by java.net.http"
                        + " (restricted or malformed)");
            }
        }
        if (!hasContentType) b.header("Content-Type", "application/json");
        if (!hasAccept) b.header("Accept", accept);
        if (post.timeout() != null) b.timeout(post.timeout());
        // Cleartext http: HTTP/1.1, set on the request so that it holds for a caller's client too.
        // The client's default, HTTP/2, makes every such request an h2c upgrade attempt
        // (Connection: Upgrade, HTTP2-Settings, Upgrade: h2c), which local and proxy servers
        // ignore or refuse. Over https the client's version stands: HTTP/2 when ALPN agrees.
        if ("http".equalsIgnoreCase(post.uri().getScheme())) b.version(HttpClient.Version.HTTP_1_1);
        return b.build();
    }

    private SluiceException wrongContentType(HttpPost post, int status, String contentType, String expected,
                                             String requestId, InputStream body) throws RetryableFailure {
        String excerpt;
        try {
            excerpt = readBounded(body, MAX_EXCERPT_BYTES, new ByteArrayOutputStream());
        } catch (IOException e) {
            throw RetryableFailure.of((TransportException) new TransportException("the connection to "
                    + target(post.uri()) + " failed while reading an HTTP " + status + " response: " + e, e)
                    .initContext(requestId, null));
        }
        String shown = contentType.isBlank() ? "no Content-Type" : "Content-Type '" + contentType + "'";
        return new ProtocolException("expected " + expected + " from " + target(post.uri()) + " but HTTP " + status
                + " came with " + shown + (excerpt.isEmpty() ? "" : "; the body begins: " + clean(excerpt, post)), null)
                .initContext(requestId, null);
    }

    private ApiException apiError(HttpPost post, Response response, String requestId)
            throws RetryableFailure {
        int status = response.statusCode();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String body;
        try {
            body = readBounded(response.body(), MAX_ERROR_BODY_BYTES, received);
        } catch (IOException e) {
            body = received.toString(StandardCharsets.UTF_8); // what arrived before the failure or the timeout
        }
        Optional<ErrorBodyParser.ErrorBody> parsed = errorParser.parse(status, body);
        String type = parsed.map(ErrorBodyParser.ErrorBody::type).orElse("http_error_" + status);
        String message = clean(parsed.map(ErrorBodyParser.ErrorBody::message).orElse(body), post);
        HttpHeaders headers = response.headers();
        Optional<Duration> delay = RetryRules.serverDelay(headers, clock);
        OptionalInt retryAfterMillis = delay.map(d -> OptionalInt.of((int) Math.min(Integer.MAX_VALUE, ceilMillis(d))))
                .orElse(OptionalInt.empty());
        ApiException error = new ApiException(status, type, message, false, retryAfterMillis, null);
        error.initContext(requestId, null);
        if (RetryRules.shouldRetry(status, headers)) throw new RetryableFailure(error, delay.orElse(null));
        return error;
    }

    /**
     * Reads at most {@code max} bytes into {@code out}, giving up after the error-body timeout (by
     * closing the body, which ends a blocked read), and closes the body. On an IOException,
     * {@code out} holds what arrived before it.
     */
    private String readBounded(InputStream body, int max, ByteArrayOutputStream out) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Thread watchdog = Thread.ofVirtual().name("sluice-body-watchdog").start(() -> {
            try {
                if (!done.await(errorBodyTimeout.toNanos(), TimeUnit.NANOSECONDS)) closeQuietly(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (body) {
            readAtMost(body, max, out);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            done.countDown();
            watchdog.interrupt();
        }
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readAtMost(in, max, out);
        return out.toByteArray();
    }

    private static void readAtMost(InputStream in, long max, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < max && (n = in.read(buf, 0, (int) Math.min(buf.length, max - total))) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
    }

    /** Server text fit for a message: secrets redacted, whitespace collapsed, truncated. */
    private static String clean(String text, HttpPost post) {
        String s = text;
        for (String value : post.headers().values()) {
            if (value.length() >= 8) s = s.replace(value, "[redacted]");
            // An Authorization credential ("Bearer <key>") is echoed by servers without its scheme.
            int space = value.indexOf(' ');
            if (space > 0 && value.length() - space - 1 >= 8) s = s.replace(value.substring(space + 1).strip(), "[redacted]");
        }
        s = s.replaceAll("\\s+", " ").strip();
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    private String requestId(HttpHeaders headers) {
        return requestIdHeader == null ? null : headers.firstValue(requestIdHeader).orElse(null);
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static long ceilMillis(Duration d) {
        long ms = d.toMillis();
        return d.minusMillis(ms).isZero() ? ms : ms + 1;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing is best effort: the response is abandoned either way.
        }
    }

    /** {@return {@code host:port} of a URI, with the scheme's default port when none is given} */
    static String target(URI uri) {
        int port = uri.getPort();
        if (port < 0) port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /** {@return the URI without user info, query or fragment, for messages} */
    static String describe(URI uri) {
        if (uri.getHost() == null) return "<" + (uri.getScheme() == null ? "relative" : uri.getScheme()) + " URI>";
        return uri.getScheme() + "://" + target(uri) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static String hostOf(String location) {
        try {
            URI uri = URI.create(location.trim());
            return uri.getHost() == null ? "a relative location on the same host" : "host " + uri.getHost();
        } catch (IllegalArgumentException e) {
            return "an unreadable location";
        }
    }

    /** Closes the client if this transport created it; otherwise does nothing. Idempotent. */
    @Override
    public void close() {
        if (ownsClient) client.close();
        if (executor != null) executor.shutdown(); // no wait: the client's close has ended its exchanges
    }

    // Classes, not lambdas, on the way to the first response: a fresh JVM links each lambda or
    // method reference the first time it runs (a millisecond or two apiece).

    /** A cancel listener: cancels the exchange's future (which aborts the exchange). */
    private static final class FutureCancel implements Runnable {
        private final CompletableFuture<?> future;

        FutureCancel(CompletableFuture<?> future) {
            this.future = future;
        }

        @Override
        public void run() {
            future.cancel(true);
        }
    }

    /** Does nothing: the end of an exchange of a caller's client (a class: no lambda to link). */
    private static final class NoAction implements Runnable {
        static final NoAction INSTANCE = new NoAction();

        @Override
        public void run() {
            // the caller's client has its own executor: nothing to tell
        }
    }

    /** {@link System#nanoTime()}, the default clock. */
    private static final class NanoClock implements LongSupplier {
        static final NanoClock INSTANCE = new NanoClock();

        @Override
        public long getAsLong() {
            return System.nanoTime();
        }
    }

    /** Builds an {@link HttpTransport}; each setter checks its argument. */
    public static final class Builder {
        private HttpClient client;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private String requestIdHeader;
        private ErrorBodyParser errorParser = ErrorBodyParser.standard();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = NanoClock.INSTANCE;
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

        /** The connect timeout of the client the transport creates (ignored with {@link #client}). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** The response header carrying the provider's request id, such as {@code request-id}; null for none. */
        public Builder requestIdHeader(String requestIdHeader) {
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
