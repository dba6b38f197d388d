package dev.sluice.internal.low.http;

import dev.sluice.StreamTimeoutException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The JDK's {@link HttpClient} as an {@link HttpEngine}: HTTP/2 over TLS when the server agrees,
 * proxies, or a caller's client. With clients of its own ({@link #own}), their tasks run by one
 * {@link ClientExecutor}, it opens another client when an HTTP/2 connection refuses a stream beyond
 * the server's limit and places later exchanges where there is room ({@link ClientLanes}); a
 * caller's client ({@link #callers}) is one client with its own executor, never closed here.
 *
 * <p>Bodies are {@link LosslessBodyStream}s, through a {@link ResponseCapture}: whenever the engine
 * gives up on an exchange (a cancel, an interrupt, a timeout), a response that arrives anyway is
 * closed.
 *
 * <p>Immutable but for the lanes and the bodies waiting for their end; thread-safe.
 */
final class HttpClientEngine implements HttpEngine {
    private final HttpClient client; // the first of the lanes' when they are ours
    private final @Nullable Own own; // the clients we created and their executor, null with a caller's client
    private final String description;
    private final LosslessBodyStream.Drains drains = new LosslessBodyStream.Drains(); // bodies waiting for their end
    private final ErrorResponses errors;
    private final LongSupplier nanoTime;

    /** The clients this engine created, and the executor their tasks run on. */
    private record Own(ClientLanes lanes, ClientExecutor executor) {}

    private HttpClientEngine(
            HttpClient client, @Nullable Own own, String why, ErrorResponses errors, LongSupplier nanoTime) {
        this.client = client;
        this.own = own;
        this.description = "java.net.http HttpClient (" + why + ")";
        this.errors = errors;
        this.nanoTime = nanoTime;
    }

    /** {@return an engine on the caller's client, which it never closes} */
    static HttpClientEngine callers(HttpClient client, ErrorResponses errors, LongSupplier nanoTime) {
        return new HttpClientEngine(client, null, "the caller's HttpClient", errors, nanoTime);
    }

    /**
     * {@return an engine on clients of its own, with {@code Redirect.NEVER}}
     *
     * @param why why the JDK's client serves, for {@link #description()}
     * @param sslContext the clients' TLS context, null for the JDK's
     */
    static HttpClientEngine own(
            String why,
            Duration connectTimeout,
            @Nullable SSLContext sslContext,
            ErrorResponses errors,
            LongSupplier nanoTime) {
        // HttpClient's own tasks run on virtual threads while few exchanges are open and on a
        // few platform threads beyond (ClientExecutor says why). Not on HttpClient's default
        // cached pool: a platform thread per concurrent task (249-315 at C = 1,000).
        // The executor is ours, so close() shuts it down after the client.
        ClientExecutor executor = new ClientExecutor();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(executor);
        if (sslContext != null) builder.sslContext(sslContext);
        ClientLanes lanes =
                new ClientLanes(builder::build, connectTimeout); // more clients when an HTTP/2 connection is full
        return new HttpClientEngine(lanes.first(), new Own(lanes, executor), why, errors, nanoTime);
    }

    @Override
    public HttpTransport.Engine kind() {
        return HttpTransport.Engine.HTTP_CLIENT;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean ownsClient() {
        return own != null;
    }

    /** {@return the client requests go through (the first, when the engine has opened more)} */
    HttpClient client() {
        return client;
    }

    /** {@return the clients the engine has opened, null with a caller's client} */
    @Nullable
    ClientLanes lanes() {
        return own == null ? null : own.lanes();
    }

    /** The exchange is open, for the {@link ClientExecutor}, until it fails here or the response body ends. */
    @Override
    public ResponseCapture.Response exchange(
            HttpPost post, String accept, Cancellation cancellation, boolean readHere, boolean anyStatus)
            throws RetryableFailure, InterruptedException {
        HttpRequest request = post.toRequest(accept);
        // A caller's client has its own executor and one client: nothing to tell, no lane.
        Own o = own;
        Seat seat = o == null ? null : new Seat(o.lanes(), o.lanes().acquire());
        Runnable ended =
                seat == null || o == null ? () -> {} : o.executor().opened(() -> seat.lanes.release(seat.lane));
        boolean handedOver = false; // then the body ends the exchange
        try {
            ResponseCapture.Response response = exchange(post, cancellation, request, seat, ended, readHere, anyStatus);
            handedOver = true;
            return response;
        } finally {
            if (!handedOver) ended.run();
        }
    }

    /**
     * The exchange itself; {@code ended} goes to the response body. Whenever it gives up — a cancel,
     * an interrupt, a timeout, a failure — a response that arrived, or arrives later, is closed
     * ({@link ResponseCapture#abandon}); a cancel after the response was returned closes its body
     * if it is {@code readHere}.
     */
    private ResponseCapture.Response exchange(
            HttpPost post,
            Cancellation cancellation,
            HttpRequest request,
            @Nullable Seat seat,
            Runnable ended,
            boolean readHere,
            boolean anyStatus)
            throws RetryableFailure, InterruptedException {
        long start = nanoTime.getAsLong();
        ResponseCapture.Response response = null;
        ResponseCapture capture = null;
        for (int attempt = 0; response == null; attempt++) {
            capture = new ResponseCapture(ended, drains);
            ClientLanes.Lane lane = seat == null ? null : seat.lane;
            // over HTTP/2 the lane's first exchange opens its connection; the others share it
            ClientLanes ls = seat == null ? null : seat.lanes;
            boolean opener = lane != null
                    && ls != null
                    && post.uri().getScheme().equalsIgnoreCase("https")
                    && ls.awaitOpened(lane, cancellation);
            CompletableFuture<HttpResponse<InputStream>> future =
                    (lane == null ? client : lane.client).sendAsync(request, capture);
            if (opener && ls != null && lane != null) {
                ClientLanes.Lane opened = lane;
                var unused = future.whenComplete((r, t) -> ls.opened(opened)); // the exchange goes on without it
            }
            cancellation.onCancel().accept(new ResponseCapture.Abort(future, capture));
            try {
                response = ResponseCapture.of(future.get());
            } catch (CancellationException e) {
                capture.abandon();
                throw new CancellationException("cancelled while waiting for the response from " + post.target());
            } catch (InterruptedException e) {
                future.cancel(true);
                capture.abandon(); // the response may have completed as the interrupt landed
                throw e;
            } catch (ExecutionException e) {
                response = capture.afterFailure(e.getCause());
                if (response == null) {
                    capture.abandon();
                    // The HTTP/2 connection took no more streams; the request never left: another client's.
                    if (seat != null
                            && ClientLanes.isRefusal(e.getCause())
                            && attempt < ClientLanes.MAX_CLIENTS
                            && !cancellation.isCancelled().getAsBoolean()
                            && seat.moveOn()) {
                        continue;
                    }
                    throw ErrorResponses.noResponse(post, e.getCause(), Duration.ofNanos(nanoTime.getAsLong() - start));
                }
            }
        }
        if (cancellation.isCancelled().getAsBoolean()) {
            response.body().close();
            throw new CancellationException("cancelled while waiting for the response from " + post.target());
        }
        if ((anyStatus || response.statusCode() / 100 == 2) && !readHere) {
            Objects.requireNonNull(capture, "a response came through its capture")
                    .handOver();
        }
        return anyStatus ? response : errors.checked(post, response);
    }

    /**
     * The overall deadline bounds the wait for the head (as the request's timeout, when it is the
     * nearer) and, with the idle timeout, the body's read: a watcher on a thread of its own closes
     * the body when either passes.
     */
    @Override
    public JsonResponse send(
            HttpPost post,
            Cancellation cancellation,
            @Nullable OverallDeadline overall,
            @Nullable IdleTimeout idle,
            BodyRead read)
            throws RetryableFailure, InterruptedException {
        Duration timeout = post.timeout();
        boolean totalFirst = false;
        HttpPost bounded = post;
        if (overall != null && (timeout == null || overall.total.compareTo(timeout) <= 0)) {
            totalFirst = true;
            bounded = post.withTimeout(overall.total, overall.total);
        }
        ResponseCapture.Response response;
        try {
            response = exchange(bounded, "application/json", cancellation, true, false);
        } catch (StreamTimeoutException e) {
            if (overall != null && totalFirst) throw overall.expired();
            throw e;
        }
        if (idle != null) idle.last = System.nanoTime(); // the head has come: the body's wait begins
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().name("sluice-deadline").start(() -> watch(response.body(), overall, idle, done));
        try {
            return read.read(response);
        } catch (RetryableFailure | RuntimeException e) {
            if (overall != null && overall.passed()) throw overall.expired();
            throw e;
        } finally {
            done.countDown();
        }
    }

    /**
     * The watcher of a body read whole: closes it when {@code overall} passes, or when {@code idle}
     * passes with no bytes read, unless {@code done} counts down first.
     */
    private static void watch(
            ResponseBody body, @Nullable OverallDeadline overall, @Nullable IdleTimeout idle, CountDownLatch done) {
        try {
            for (; ; ) {
                long left = overall == null ? Long.MAX_VALUE : overall.deadline - System.nanoTime();
                if (idle != null) left = Math.min(left, idle.left());
                if (left <= 0 || done.await(left, TimeUnit.NANOSECONDS)) break;
            }
            if (done.getCount() > 0) body.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where an exchange is sent: a lane of the engine's {@link ClientLanes}, which it moves off when
     * that client's connection refuses the stream; its count there is given back once, when the
     * exchange ends (with the executor's, {@link ClientExecutor#opened(Runnable)}). Used by the
     * exchange's thread, and by whichever thread ends the exchange (the lane is not changed after
     * the response arrived).
     */
    private static final class Seat {
        final ClientLanes lanes;
        volatile ClientLanes.Lane lane;

        Seat(ClientLanes lanes, ClientLanes.Lane lane) {
            this.lanes = lanes;
            this.lane = lane;
        }

        /** {@return whether another lane was found for the refused exchange (the count moved there)} */
        boolean moveOn() {
            ClientLanes.Lane next = lanes.refused(lane);
            if (next == null) return false; // the count stays where the end gives it back
            lane = next;
            return true;
        }
    }

    /**
     * Closes the response bodies still waiting for their end after their stream's terminal event
     * ({@link LosslessBodyStream#closeAtEnd}), and the clients if this engine created them.
     */
    @Override
    public void close() {
        drains.close(); // bodies past their stream's terminal event: the clients' close would wait for them
        Own o = own;
        if (o != null) {
            o.lanes().close();
            o.executor().shutdown(); // no wait: the client's close has ended its exchanges
        }
    }

    @Override
    public String toString() {
        return "HttpClientEngine[" + description + "]";
    }
}
