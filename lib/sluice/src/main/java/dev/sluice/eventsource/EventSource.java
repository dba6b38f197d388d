package dev.sluice.eventsource;

import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.client.RetryPolicy;
import dev.sluice.internal.low.http.Sleeper;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A Server-Sent Events client held to the WHATWG {@code EventSource} rules, on
 * {@code java.net.http}: it connects, delivers the events as an {@link EventStream}, and reconnects
 * when the connection drops, resuming with {@code Last-Event-ID}. An {@code EventSource} is the
 * immutable description of a stream; each {@link #open()} starts one, on its own virtual thread.
 *
 * <pre>{@code
 * EventSource source = EventSource.builder(URI.create("https://example.com/feed"))
 *         .header("Authorization", "Bearer " + token)
 *         .readTimeout(Duration.ofMinutes(1))
 *         .build();
 * try (EventSourceStream stream = source.open()) {
 *     for (SourceSignal signal : stream) {
 *         if (signal instanceof SourceSignal.Message(SseEvent event)) System.out.println(event.data());
 *     }
 * }
 * }</pre>
 *
 * <p>The request: {@code GET} unless another method (with a body, sent again on every reconnection)
 * is set; {@code Accept: text/event-stream}, {@code Cache-Control: no-cache}, the caller's headers,
 * and {@code Last-Event-ID} whenever a last event ID is set and not empty (initially when the caller
 * gave one, then the one the server's {@code id:} fields set; an empty {@code id:} clears it).
 *
 * <p>The response: a 2xx with content type {@code text/event-stream} opens the stream; 301, 302,
 * 303, 307 and 308 are followed as a browser's fetch does (up to 20 in a row; 301 and 302 turn a
 * {@code POST} into a {@code GET}, 303 turns anything but {@code GET} into a {@code GET}; a redirect
 * to another origin drops {@code Authorization}, {@code Cookie} and {@code Proxy-Authorization});
 * every reconnection starts again from the URI given here. {@code 204 No Content} tells the
 * client to stop: the stream ends normally. Any other status, a wrong content type and a redirect
 * without a usable {@code Location} are errors: as WHATWG says, the first one fails the stream,
 * unless the {@link RetryPolicy} allows retries ({@link RetryPolicy#maxRetries()} errors in a row
 * are retried; a connection that opens ends the series). Network failures (a refused or reset
 * connection, a dropped stream, a read timeout) are always followed by a reconnection, as in a
 * browser.
 *
 * <p>Reconnection: after the server ends the response, a dropped connection, a read timeout or
 * a failed attempt the client waits {@link RetryPolicy#delay(int, Duration, double)} — the
 * {@code n}-th reconnection in a row from the reconnection time (the policy's initial backoff
 * until the server's {@code retry:} sets it), capped by the policy's maximum but never below the
 * server's {@code retry:}, shortened by the jitter — and reconnects. A connection that stayed open
 * for at least a minute counts as healthy: the next reconnection starts a new series. An event cut
 * off by the drop is discarded, its {@code id:} with it. {@link EventSourceStream#restart()} drops
 * the connection and reconnects at once.
 *
 * <p>Time: the stream's {@link StreamOptions} clock measures the healthy period. By default the
 * engine's first-event and idle timeouts are off (a feed may be quiet for hours: the read timeout
 * guards the connection instead); any {@link StreamOptions} given apply as they are.
 *
 * <p>Resources: the stream owns an {@link HttpClient} of its own unless one is given, and shuts it
 * down when the stream ends; closing the stream, cancelling its controller, or dropping it
 * unclosed (the engine's {@link java.lang.ref.Cleaner}) closes the connection and ends its thread.
 *
 * <p>Thread-safety: immutable; {@link #open()} may be called from any thread, any number of times.
 */
public final class EventSource {
    /**
     * The default {@linkplain Builder#retryPolicy retry policy}: the first HTTP error fails the stream
     * (WHATWG's rule); reconnections wait from 1 s, doubling up to 30 s, shortened by up to half at
     * random. Derive others from it ({@code DEFAULT_RETRY_POLICY.withMaxRetries(5)}).
     */
    public static final RetryPolicy DEFAULT_RETRY_POLICY = RetryPolicy.none()
            .withInitialBackoff(Duration.ofSeconds(1))
            .withMaxBackoff(Duration.ofSeconds(30))
            .withJitter(0.5);

    private static final AtomicLong STREAM_NUMBERS = new AtomicLong();
    private static final List<String> RESTRICTED =
            List.of("connection", "content-length", "expect", "host", "upgrade", "last-event-id");

    final URI uri;
    final String method;
    final byte @Nullable [] body;
    final List<String[]> headers;
    final @Nullable String lastEventId;
    final @Nullable Duration readTimeout;
    final Duration connectTimeout;
    final RetryPolicy retryPolicy;
    final boolean comments;
    final SseLimits limits;
    final StreamOptions options;
    final @Nullable HttpClient httpClient;
    final Sleeper sleeper;
    final DoubleSupplier random;

    private EventSource(Builder b) {
        this.uri = b.uri;
        this.method = b.method;
        this.body = b.body;
        this.headers = List.copyOf(b.headers);
        this.lastEventId = b.lastEventId;
        this.readTimeout = b.readTimeout;
        this.connectTimeout = b.connectTimeout;
        this.retryPolicy = b.retryPolicy;
        this.comments = b.comments;
        this.limits = b.limits;
        this.options = b.options;
        this.httpClient = b.httpClient;
        this.sleeper = b.sleeper;
        this.random = b.random;
    }

    /**
     * {@return a builder of an event source reading {@code uri}}
     *
     * @param uri an absolute {@code http} or {@code https} URI
     * @throws IllegalArgumentException if {@code uri} is not absolute http(s)
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** {@return the URI every connection starts from} */
    public URI uri() {
        return uri;
    }

    /**
     * Starts the stream: connects on a new virtual thread and delivers what arrives.
     *
     * @return the running stream, to be closed
     */
    public EventSourceStream open() {
        return open(StreamController.create());
    }

    /**
     * Starts the stream under a controller made beforehand (to cancel it from elsewhere).
     *
     * @param controller the stream's controller, not yet used by another stream
     * @return the running stream, to be closed
     * @throws IllegalStateException if the controller already belongs to a stream
     */
    public EventSourceStream open(StreamController controller) {
        Objects.requireNonNull(controller, "controller");
        Session session = new Session(lastEventId, retryPolicy.initialBackoff().toMillis(), uri);
        EventStream<SourceSignal> stream = EventStream.<SourceSignal>builder()
                .options(options)
                .controller(controller)
                .threadName("sluice-eventsource-" + STREAM_NUMBERS.incrementAndGet())
                .generate(new EventSourceLoop(this, session));
        return new EventSourceStream(stream, session);
    }

    @Override
    public String toString() {
        // no headers, body or query: they may hold credentials
        return "EventSource[" + method + " " + redact(uri) + ", readTimeout=" + readTimeout + ", " + retryPolicy + "]";
    }

    /** {@return the URI without its query, fragment and user info: safe for messages and logs} */
    static String redact(URI u) {
        String port = u.getPort() < 0 ? "" : ":" + u.getPort();
        return u.getScheme() + "://" + u.getHost() + port + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    /** Builds an {@link EventSource}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private String method = "GET";
        private byte @Nullable [] body;
        private final List<String[]> headers = new ArrayList<>();
        private @Nullable String lastEventId;
        private @Nullable Duration readTimeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
        private boolean comments;
        private SseLimits limits = SseLimits.defaults();
        private StreamOptions options = StreamOptions.builder()
                .noTimeout(Timeout.FIRST_EVENT)
                .noTimeout(Timeout.IDLE)
                .build();
        private @Nullable HttpClient httpClient;
        private Sleeper sleeper = Sleeper.REAL;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "uri must be an absolute http or https URI with a host: " + redact(uri));
            }
            this.uri = uri;
        }

        /**
         * Sets the method and the body sent with every request, the reconnections included.
         *
         * @param method the HTTP method, such as {@code POST} or {@code REPORT}
         * @param body the request body; null for none
         * @return this builder
         * @throws IllegalArgumentException if {@code method} is not a valid method name
         */
        public Builder method(String method, byte @Nullable [] body) {
            Objects.requireNonNull(method, "method");
            HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()); // checks the name
            this.method = method;
            this.body = body == null ? null : body.clone();
            return this;
        }

        /**
         * Sets the method and a text body, sent as UTF-8.
         *
         * @param method the HTTP method
         * @param body the request body; null for none
         * @return this builder
         */
        public Builder method(String method, @Nullable String body) {
            return method(method, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Adds a header to every request (a body without a {@code Content-Type} header is sent as
         * {@code text/plain; charset=utf-8}). Setting {@code Accept} or {@code Cache-Control}
         * replaces the default.
         *
         * @param name the header's name
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException if the name or value is not allowed (the JDK's
         *     restricted headers, {@code Last-Event-ID}, which {@link #lastEventId} sets)
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " cannot be set here"
                        + (name.equalsIgnoreCase("last-event-id")
                                ? ": use lastEventId(..)"
                                : ": the HTTP client sets it"));
            }
            HttpRequest.newBuilder(uri).header(name, value); // checks the name and the value
            headers.add(new String[] {name, value});
            return this;
        }

        /**
         * Sets the last event ID the first request sends, as if a previous event had set it.
         *
         * @param id the ID; null or empty for none (the default)
         * @return this builder
         * @throws IllegalArgumentException if it contains CR, LF or NUL
         */
        public Builder lastEventId(@Nullable String id) {
            if (id != null && (id.indexOf('\r') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\0') >= 0)) {
                throw new IllegalArgumentException("lastEventId must not contain CR, LF or NUL");
            }
            this.lastEventId = id;
            return this;
        }

        /**
         * Sets the read timeout: a connection that receives no byte for this long is dropped and
         * reconnected (a {@link SourceSignal.Fault} says so); it also bounds the wait for the
         * response headers. Servers send comments as heartbeats to stay under it.
         *
         * @param timeout positive; default 5 minutes
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /**
         * Turns the read timeout off: a silent connection is kept for ever.
         *
         * @return this builder
         */
        public Builder noReadTimeout() {
            this.readTimeout = null;
            return this;
        }

        /**
         * Sets the connect timeout of the HTTP client the stream creates (not of one given with
         * {@link #httpClient}).
         *
         * @param timeout positive; default 10 seconds
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Sets the reconnection delays and how many HTTP errors in a row are retried (see above);
         * the policy's {@code maxRetryAfter} does not apply.
         *
         * @param policy the policy; default {@link EventSource#DEFAULT_RETRY_POLICY}
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * Delivers comment lines as {@link SourceSignal.Comment}s.
         *
         * @param deliver whether to; default false
         * @return this builder
         */
        public Builder comments(boolean deliver) {
            this.comments = deliver;
            return this;
        }

        /**
         * Sets the SSE parser's limits; a line or an event past them ends the stream with a
         * {@link dev.sluice.LimitExceededException}.
         *
         * @param limits the limits; default {@link SseLimits#defaults()}
         * @return this builder
         */
        public Builder limits(SseLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets the engine's options: its timeouts (counting {@link SourceSignal.Message}s only),
         * chunk and byte limits, and the clock that measures the healthy period.
         *
         * @param options the options; default: the engine's defaults without first-event and idle timeouts
         * @return this builder
         */
        public Builder streamOptions(StreamOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sends the requests with this client, which the caller owns and closes; it must not
         * follow redirects itself (the source applies the rules above).
         *
         * @param client the client; default: one per stream, shut down when the stream ends
         * @return this builder
         * @throws IllegalArgumentException if the client follows redirects
         */
        public Builder httpClient(HttpClient client) {
            Objects.requireNonNull(client, "client");
            if (client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("the HttpClient must not follow redirects (Redirect.NEVER): "
                        + "the event source follows them itself");
            }
            this.httpClient = client;
            return this;
        }

        /** Tests: what waits out the reconnection delays (a restart, cancel or close interrupts it). */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Tests: the jitter's draws, from 0 to 1. */
        Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** {@return the event source} */
        public EventSource build() {
            return new EventSource(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }

    /** {@return the caller's value for a header, if set} */
    Optional<String> header(String name) {
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return Optional.of(h[1]);
        return Optional.empty();
    }
}
