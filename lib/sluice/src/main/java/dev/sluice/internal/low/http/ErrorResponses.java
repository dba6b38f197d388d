package dev.sluice.internal.low.http;

import dev.sluice.ApiException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@link HttpTransport} makes of an exchange that failed: no response at all (a retryable
 * {@link TransportException}, or the first-event timeout), and of a response it will not hand
 * over: an error status read into
 * an {@link ApiException} (retryable or not), a 2xx of the wrong content type into a
 * {@link ProtocolException} with an excerpt of its body, a redirect into a {@code ProtocolException}
 * naming the host it points to. Bodies are read bounded in size and in
 * time, and the server's text (the error's type too) is {@linkplain ServerText#clean cleaned} before it
 * goes into an exception.
 *
 * <p>Immutable and thread-safe; a method runs on the calling thread, blocking it while it reads
 * (at most the error-body timeout).
 */
final class ErrorResponses {
    /** The most bytes read from a 2xx body of the wrong content type, for the message. */
    static final int MAX_EXCERPT_BYTES = 2 * 1024;

    private final ErrorBodyParser parser;
    private final Clock clock;
    private final Duration bodyTimeout;
    private final @Nullable String requestIdHeader;

    /** @param requestIdHeader the response header carrying the provider's request id; null for none */
    ErrorResponses(ErrorBodyParser parser, Clock clock, Duration bodyTimeout, @Nullable String requestIdHeader) {
        this.parser = parser;
        this.clock = clock;
        this.bodyTimeout = bodyTimeout;
        this.requestIdHeader = requestIdHeader;
    }

    /** {@return the provider's request id in these headers, null when they have none or it names no header} */
    @Nullable
    String requestId(HttpHeaders headers) {
        return requestIdHeader == null
                ? null
                : headers.firstValue(requestIdHeader).orElse(null);
    }

    /**
     * {@return the response, when it is a 2xx}
     *
     * @throws RetryableFailure or a {@code SluiceException} for any other status: a redirect's
     *     {@link #redirect}, else the error body's {@link #apiError}
     */
    ResponseCapture.Response checked(HttpPost post, ResponseCapture.Response response) throws RetryableFailure {
        int status = response.statusCode();
        if (status >= 200 && status < 300) return response;
        String requestId = requestId(response.headers());
        if (status >= 300 && status < 400) throw redirect(post, response, requestId);
        throw apiError(post, response, requestId);
    }

    /**
     * {@return the exception for a 2xx response whose content type is not {@code expected}},
     * naming the content type and showing the start of the body
     *
     * @throws RetryableFailure if the connection fails while the excerpt is read
     */
    SluiceException wrongContentType(
            HttpPost post,
            int status,
            String contentType,
            String expected,
            @Nullable String requestId,
            InputStream body)
            throws RetryableFailure {
        String excerpt;
        try {
            excerpt = readBounded(body, MAX_EXCERPT_BYTES, new ByteArrayOutputStream());
        } catch (IOException e) {
            throw RetryableFailure.of((TransportException) new TransportException(
                            "the connection to " + post.target() + " failed while reading an HTTP " + status
                                    + " response: " + inWords(e),
                            e)
                    .initContext(requestId, null));
        }
        String shown = contentType.isBlank() ? "no Content-Type" : "Content-Type '" + contentType + "'";
        return new ProtocolException(
                        "expected " + expected + " from " + post.target() + " but HTTP " + status + " came with "
                                + shown
                                + (excerpt.isEmpty()
                                        ? ""
                                        : "; the body begins: " + ServerText.clean(excerpt, post.redactions())),
                        null)
                .initContext(requestId, null);
    }

    /**
     * {@return the exception for an exchange that failed before a response arrived (or that timed
     * out), unless it is thrown: a {@link RetryableFailure} for a connection failure}
     *
     * @param elapsed how long the attempt waited
     */
    static RuntimeException noResponse(HttpPost post, @Nullable Throwable cause, Duration elapsed)
            throws RetryableFailure {
        if (cause instanceof HttpConnectTimeoutException e) {
            throw RetryableFailure.of(new TransportException(
                    "could not connect to " + post.target() + " within the connect timeout: " + e.getMessage(), e));
        }
        Duration timeout = post.timeout();
        Duration limit = post.timeoutLimit();
        if (cause instanceof HttpTimeoutException && timeout != null && limit != null) { // set together
            Duration waited = limit.minus(timeout).plus(elapsed);
            throw new StreamTimeoutException(StreamTimeoutException.Timeout.FIRST_EVENT, limit, waited);
        }
        if (cause instanceof IOException e) {
            throw RetryableFailure.of(new TransportException(
                    "the connection to " + post.target() + " failed before a response arrived: " + inWords(e), e));
        }
        if (cause instanceof RuntimeException e) return e;
        if (cause instanceof Error e) throw e;
        return new IllegalStateException("HttpClient failed unexpectedly", cause);
    }

    /**
     * {@return what an I/O failure was, in words a person reads in an error line: "connection
     * refused", "the host name could not be resolved", or the JDK's message without class names}
     * The JDK's HttpClient throws a {@link ConnectException} without a message for a refused
     * connection and an unresolved host alike; the cause tells them apart.
     */
    static String inWords(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "the host name could not be resolved";
            }
        }
        if (e instanceof ConnectException c
                && c.getMessage() != null
                && c.getMessage().toLowerCase(Locale.ROOT).startsWith("connection refused")) {
            return "connection refused"; // a Socket's own words, as the HttpClient's are said
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null
                    ? ""
                    : CLASS_NAMES.matcher(t.getMessage()).replaceAll("").strip();
            if (!m.isEmpty()) return m;
        }
        if (e instanceof ConnectException) return "connection refused";
        return e instanceof EOFException || e instanceof ClosedChannelException
                ? "the connection was closed"
                : "an I/O error";
    }

    /** A class name that starts a message ({@code java.io.IOException: }), as {@code Throwable.toString()} writes it. */
    private static final Pattern CLASS_NAMES =
            Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?");

    /** {@return the exception for a redirect, which is never followed; the body is closed} */
    static ProtocolException redirect(HttpPost post, ResponseCapture.Response response, @Nullable String requestId) {
        response.body().close();
        String location = response.headers()
                .firstValue("location")
                .map(ErrorResponses::hostOf)
                .orElse("no location");
        return (ProtocolException) new ProtocolException(
                        "HTTP " + response.statusCode() + " from " + post.target()
                                + " redirects to " + location
                                + "; redirects are never followed (the API key must not travel"
                                + " to another host): check the base URL",
                        null)
                .initContext(requestId, null);
    }

    private static String hostOf(String location) {
        try {
            URI uri = URI.create(location.trim());
            return uri.getHost() == null ? "a relative location on the same host" : "host " + uri.getHost();
        } catch (IllegalArgumentException e) {
            return "an unreadable location";
        }
    }

    /**
     * {@return the {@link ApiException} of an error status: its body read (what arrived within the
     * error-body timeout) and parsed by the provider's parser}
     *
     * @throws RetryableFailure carrying it, when the status and headers say a retry may help
     */
    ApiException apiError(HttpPost post, ResponseCapture.Response response, @Nullable String requestId)
            throws RetryableFailure {
        int status = response.statusCode();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String body;
        try {
            body = readBounded(response.body(), HttpTransport.MAX_ERROR_BODY_BYTES, received);
        } catch (IOException e) {
            body = received.toString(StandardCharsets.UTF_8); // what arrived before the failure or the timeout
        }
        Optional<ErrorBodyParser.ErrorBody> parsed = parser.parse(status, response.headers(), body);
        String read = body;
        // a type that held a credential is no identifier once cleaned: ApiException reports it as upstream_error
        String type =
                parsed.map(b -> ServerText.clean(b.type(), post.redactions())).orElse("http_error_" + status);
        String message = ServerText.clean(
                parsed.map(ErrorBodyParser.ErrorBody::message).orElseGet(() -> unparsed(post, read)),
                post.redactions());
        if ((status == 401 || status == 403) && post.refusalNote() != null) { // how it was authorized: what to check
            message = message.strip() + (message.isBlank() ? "" : " ") + "(" + post.refusalNote() + ")";
        }
        HttpHeaders headers = response.headers();
        Optional<Duration> delay = RetryRules.serverDelay(headers, clock);
        OptionalInt retryAfterMillis = delay.isPresent()
                ? OptionalInt.of((int) Math.min(Integer.MAX_VALUE, RetryRules.ceilMillis(delay.get())))
                : OptionalInt.empty();
        ApiException error = new ApiException(status, type, message, false, retryAfterMillis, null);
        error.initContext(requestId, null);
        if (RetryRules.shouldRetry(status, headers)) throw new RetryableFailure(error, delay.orElse(null));
        return error;
    }

    /**
     * {@return the message of an error body the provider's parser does not recognise: the body, or,
     * for an HTML page (a proxy's, or another server's at the base URL), what it is and where from}
     */
    static String unparsed(HttpPost post, String body) {
        String start = body.stripLeading();
        if (!HTML_START.matcher(start).lookingAt()) return body;
        var title = HTML_TITLE.matcher(start);
        String named = title.find() ? title.group(1).replaceAll("\\s+", " ").strip() : "";
        if (named.length() > 80) named = named.substring(0, 80) + "…";
        return "an HTML page from " + post.target() + (named.isEmpty() ? "" : " (\"" + named + "\")")
                + ", not the API's error: is the base URL the provider's?";
    }

    private static final Pattern HTML_START = Pattern.compile("(?i)<!doctype\\s+html|<html[\\s>]");
    private static final Pattern HTML_TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");

    /**
     * Reads at most {@code max} bytes into {@code out}, giving up after the error-body timeout (by
     * closing the body, which ends a blocked read), and closes the body. On an IOException,
     * {@code out} holds what arrived before it.
     */
    private String readBounded(InputStream body, int max, ByteArrayOutputStream out) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Thread watchdog = Thread.ofVirtual().name("sluice-body-watchdog").start(() -> {
            try {
                if (!done.await(bodyTimeout.toNanos(), TimeUnit.NANOSECONDS)) body.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // closing is best effort: the read ends either way, with what arrived
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

    /** Reads from {@code in} into {@code out} until its end or {@code max} bytes. */
    static void readAtMost(InputStream in, long max, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < max && (n = in.read(buf, 0, (int) Math.min(buf.length, max - total))) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
    }
}
