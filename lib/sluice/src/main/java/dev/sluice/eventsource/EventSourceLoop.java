package dev.sluice.eventsource;

import dev.sluice.ApiException;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseListener;
import dev.sluice.sse.SseParser;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.Producer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The producer of one {@link EventSourceStream}: connect, read, reconnect, until the stream is
 * over. Runs on the stream's one virtual thread; every field but {@link #session} is the
 * producer's alone.
 */
final class EventSourceLoop implements Producer<SourceSignal> {
    private static final int MAX_REDIRECTS = 20;
    private static final int EXCERPT_BYTES = 512;
    private static final List<String> CREDENTIALS = List.of("authorization", "cookie", "proxy-authorization");
    private static final long HEALTHY_NANOS =
            Duration.ofMinutes(1).toNanos(); // open this long: the next reconnection starts a new series
    private static final CountDownLatch NEVER = new CountDownLatch(1); // waits end by interrupt: restart, cancel, close

    private final EventSource config;
    private final Session session;
    private HttpClient client;
    private Emitter<SourceSignal> out;
    private LongSupplier clock;
    private byte[] scratch = new byte[0];

    @SuppressWarnings("NullAway.Init") // client, out and clock are set by produce, which runs everything else
    EventSourceLoop(EventSource config, Session session) {
        this.config = config;
        this.session = session;
    }

    /** A connection attempt failed; {@code httpError} marks what the retry policy's maxRetries limits. */
    private static final class AttemptFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient SluiceException error;
        final boolean httpError;

        AttemptFailed(SluiceException error, boolean httpError) {
            super(null, null, false, false);
            this.error = error;
            this.httpError = httpError;
        }
    }

    /** An open connection: where it came from, its response and its body. */
    private record Connected(URI uri, HttpResponse<?> response, BodyReader body) {}

    /** How an open connection ended, and the error when it broke. */
    private record Ending(
            SourceSignal.Closed.Reason reason, @Nullable SluiceException error) {}

    @Override
    public void produce(Emitter<SourceSignal> emitter) throws Exception {
        this.out = emitter;
        this.clock = emitter.controller().options().nanoTime();
        session.bind(Thread.currentThread());
        emitter.attach(session);
        HttpClient given = config.httpClient;
        boolean own = given == null;
        client = given != null
                ? given
                : HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(config.connectTimeout)
                        .build();
        try {
            run();
        } finally {
            session.close();
            if (own) client.shutdownNow();
        }
    }

    private void run() throws InterruptedException {
        int series = 0; // reconnections in a row, for the back-off
        int failures = 0; // failed attempts in a row, for maxRetries
        int connections = 0;
        while (!out.isOver()) {
            Connected c;
            try {
                c = connect();
            } catch (AttemptFailed f) {
                if (out.isOver()) return;
                boolean retry = !f.httpError || ++failures <= config.retryPolicy.maxRetries();
                if (!retry) {
                    out.emitUncounted(new SourceSignal.Fault(f.error, false, Duration.ZERO));
                    throw f.error;
                }
                Duration delay = delay(++series);
                if (!out.emitUncounted(new SourceSignal.Fault(f.error, true, delay))) return;
                if (!await(delay)) return;
                continue;
            }
            if (c == null) return; // 204: the server says stop
            failures = 0;
            long openedAt = clock.getAsLong();
            int number = ++connections;
            session.uri(c.uri());
            if (!out.emitUncounted(new SourceSignal.Opened(
                    c.uri(), c.response().statusCode(), c.response().headers(), number))) {
                c.body().close();
                return;
            }
            session.opened(c.body());
            Ending end = read(c.body());
            if (out.isOver()) return;
            if (clock.getAsLong() - openedAt >= HEALTHY_NANOS) series = 0;
            if (!out.emitUncounted(new SourceSignal.Closed(end.reason(), number))) return;
            switch (end.reason()) {
                case RESTARTED -> {
                    continue;
                }
                case FAILED -> {
                    SluiceException error = Objects.requireNonNull(end.error(), "a broken connection has its error");
                    out.emitUncounted(new SourceSignal.Fault(error, false, Duration.ZERO));
                    throw error;
                }
                default -> {}
            }
            Duration delay = delay(++series);
            if (end.error() != null && !out.emitUncounted(new SourceSignal.Fault(end.error(), true, delay))) return;
            if (!await(delay)) return;
        }
    }

    /** {@return the wait before the {@code n}-th reconnection in a row, from the reconnection time in effect} */
    private Duration delay(int n) {
        return config.retryPolicy.delay(n, Duration.ofMillis(session.retryMillis()), config.random.getAsDouble());
    }

    /** Waits out a delay; {@return false when the stream is over} A restart ends the wait early. */
    private boolean await(Duration delay) throws InterruptedException {
        if (!session.waiting() || delay.isZero()) return !out.isOver();
        try {
            config.sleeper.sleep(delay, NEVER);
        } catch (InterruptedException e) {
            if (out.isOver()) return false;
            if (!session.restartRequested()) throw e;
        }
        return !out.isOver();
    }

    // ------------------------------------------------------------------ connecting

    /** {@return the open connection, or null when the server answered 204} */
    private @Nullable Connected connect() throws AttemptFailed, InterruptedException {
        URI uri = config.uri;
        String method = config.method;
        byte[] body = config.body;
        List<String[]> headers = new ArrayList<>(config.headers);
        for (int redirects = 0; ; redirects++) {
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(request(uri, method, body, headers));
            BodyReader reader = new BodyReader();
            response.body().subscribe(reader);
            int status = response.statusCode();
            if (status == 204) {
                reader.close();
                return null;
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                reader.close();
                String location =
                        response.headers().firstValue("Location").orElse("").trim();
                if (location.isEmpty()) {
                    throw httpError(new ProtocolException(
                            "HTTP " + status + " redirect without a Location header from " + EventSource.redact(uri)
                                    + ": nowhere to go",
                            null));
                }
                if (redirects == MAX_REDIRECTS) {
                    throw httpError(new ProtocolException(
                            "more than " + MAX_REDIRECTS + " redirects in a row, the last from "
                                    + EventSource.redact(uri) + ": a redirect loop?",
                            null));
                }
                URI next = resolve(uri, location, status);
                if (((status == 301 || status == 302) && method.equals("POST"))
                        || (status == 303 && !method.equals("GET") && !method.equals("HEAD"))) {
                    method = "GET";
                    body = null;
                    headers.removeIf(h -> h[0].equalsIgnoreCase("content-type"));
                }
                if (!sameOrigin(uri, next)) headers.removeIf(h -> CREDENTIALS.contains(h[0].toLowerCase(Locale.ROOT)));
                uri = next;
                continue;
            }
            if (status < 200 || status > 299) {
                String excerpt = reader.excerpt(EXCERPT_BYTES, readTimeoutNanos());
                throw httpError(new ApiException(
                        status,
                        "unknown",
                        "the event source at " + EventSource.redact(uri) + " answered HTTP " + status
                                + (excerpt.isBlank() ? "" : ": " + excerpt.strip()),
                        false,
                        null));
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!isEventStream(type)) {
                reader.close();
                throw httpError(new ProtocolException(
                        "the response from " + EventSource.redact(uri) + " has content type '" + type
                                + "', not text/event-stream: not an event stream",
                        null));
            }
            return new Connected(uri, response, reader);
        }
    }

    private static AttemptFailed httpError(SluiceException e) {
        return new AttemptFailed(e, true);
    }

    private URI resolve(URI from, String location, int status) throws AttemptFailed {
        try {
            URI next = from.resolve(location);
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && next.getHost() != null) return next;
        } catch (IllegalArgumentException e) {
            // falls through to the error
        }
        throw httpError(new ProtocolException(
                "HTTP " + status + " redirect from " + EventSource.redact(from)
                        + " to an unusable Location (not an absolute http or https URI)",
                null));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    static boolean isEventStream(String contentType) {
        int semi = contentType.indexOf(';');
        String essence = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return essence.equalsIgnoreCase("text/event-stream");
    }

    private HttpRequest request(URI uri, String method, byte @Nullable [] body, List<String[]> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.readTimeout != null) b.timeout(config.readTimeout);
        boolean accept = false, cacheControl = false, contentType = false;
        for (String[] h : headers) {
            b.header(h[0], h[1]);
            String name = h[0].toLowerCase(Locale.ROOT);
            accept |= name.equals("accept");
            cacheControl |= name.equals("cache-control");
            contentType |= name.equals("content-type");
        }
        if (!accept) b.header("Accept", "text/event-stream");
        if (!cacheControl) b.header("Cache-Control", "no-cache");
        if (body != null && !contentType) b.header("Content-Type", "text/plain; charset=utf-8");
        String id = session.lastEventId();
        if (id != null && !id.isEmpty()) b.header("Last-Event-ID", id);
        return b.build();
    }

    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(HttpRequest request)
            throws AttemptFailed, InterruptedException {
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher());
        session.connecting(() -> pending.cancel(true));
        try {
            return pending.get();
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new AttemptFailed(
                    new TransportException(
                            "the connection to " + EventSource.redact(request.uri()) + " was abandoned", e),
                    false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String what = cause instanceof HttpTimeoutException
                    ? "no response from " + EventSource.redact(request.uri()) + " within "
                            + describe(config.readTimeout) + " (the read timeout)"
                    : "could not connect to " + EventSource.redact(request.uri()) + ": " + cause;
            throw new AttemptFailed(new TransportException(what, cause), false);
        }
    }

    private static String describe(@Nullable Duration d) {
        return d == null ? "the connect timeout" : d.toMillis() + " ms";
    }

    private long readTimeoutNanos() {
        return config.readTimeout == null ? 0 : config.readTimeout.toNanos();
    }

    // ------------------------------------------------------------------ reading

    private Ending read(BodyReader body) throws InterruptedException {
        SseParser parser = new SseParser(config.limits, new Listener(), config.comments);
        long timeout = readTimeoutNanos();
        try {
            while (!out.isOver()) {
                List<ByteBuffer> buffers = body.read(timeout);
                if (buffers == null) {
                    parser.finish(); // an event cut off at the end is discarded, its id with it
                    return new Ending(SourceSignal.Closed.Reason.SERVER_CLOSED, null);
                }
                for (ByteBuffer b : buffers) {
                    out.bytesRead(b.remaining());
                    feed(parser, b);
                }
            }
            return new Ending(SourceSignal.Closed.Reason.SERVER_CLOSED, null);
        } catch (BodyReader.ReadTimeoutException e) {
            return new Ending(
                    SourceSignal.Closed.Reason.READ_TIMEOUT,
                    new TransportException(
                            "the connection to "
                                    + EventSource.redact(session.uri()) + " was silent for "
                                    + describe(config.readTimeout)
                                    + " (the read timeout): reconnecting",
                            e));
        } catch (IOException e) {
            if (session.restartRequested()) return new Ending(SourceSignal.Closed.Reason.RESTARTED, null);
            return new Ending(
                    SourceSignal.Closed.Reason.CONNECTION_LOST,
                    new TransportException(
                            "the connection to " + EventSource.redact(session.uri())
                                    + " was lost while reading the stream: " + e,
                            e));
        } catch (LimitExceededException e) {
            return new Ending(SourceSignal.Closed.Reason.FAILED, e);
        } finally {
            body.close();
        }
    }

    private void feed(SseParser parser, ByteBuffer b) {
        int n = b.remaining();
        if (b.hasArray()) {
            parser.feed(b.array(), b.arrayOffset() + b.position(), n);
        } else {
            if (scratch.length < n) scratch = new byte[Math.max(n, 16 * 1024)];
            b.get(scratch, 0, n);
            parser.feed(scratch, 0, n);
        }
    }

    /** Turns the parser's findings into signals; the ID carries over reconnections. */
    private final class Listener implements SseListener {
        @Override
        public void onEvent(SseEvent event) {
            String id = event.lastEventId();
            if (id == null) {
                // no id: field on this connection yet: the one in effect comes from earlier connections
                String carried = session.lastEventId();
                if (carried != null) event = new SseEvent(event.type(), event.data(), carried);
            } else {
                session.lastEventId(id);
            }
            out.emit(new SourceSignal.Message(event));
        }

        @Override
        public void onEmptyEvent(@Nullable String lastEventId) {
            if (lastEventId != null) session.lastEventId(lastEventId); // an id:-only event still moves the ID
        }

        @Override
        public void onRetry(long millis) {
            session.retryMillis(millis);
        }

        @Override
        public void onComment(String comment) {
            out.emitUncounted(new SourceSignal.Comment(comment));
        }
    }
}
