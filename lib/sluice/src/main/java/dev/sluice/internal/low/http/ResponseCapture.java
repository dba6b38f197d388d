package dev.sluice.internal.low.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The body handler of one {@link HttpTransport} exchange, which remembers the response it was
 * applied to: so that a response is used when the HttpClient fails the future after it arrived
 * ({@link #afterFailure}), and closed when the opener gave up on it ({@link #abandon}).
 *
 * <p>Why the first: the HttpClient may fail the response future although the status and headers
 * have arrived, when the body fails early. It hands the body over in one of its tasks and reads it
 * in another; when the connection is lost before the first of these runs (a server that writes a
 * few events and closes at once), the reading task fails the future with the body's error,
 * depending on timing. The bytes received before the failure are then in the
 * {@link LosslessBodyStream}, and the response is used as if the future had succeeded: its body
 * yields them, then throws the failure. So the outcome does not depend on which task won.
 *
 * <p>Why the second: an opener that gives up (interrupted, cancelled, timed out, or failed) cannot
 * tell whether the response arrived at that very moment: a future that completes as the waiting
 * thread is interrupted still throws {@code InterruptedException}, and cancelling it then does
 * nothing. Whatever response was applied, or is applied later, is closed: its connection is
 * released, not leaked.
 *
 * <p>Threading: {@link #apply} runs on an HttpClient thread once the headers are parsed;
 * {@link #afterFailure} on the sending thread, after the future has failed; {@link #abandon} on the
 * sending thread or a cancelling one. {@code applied} and {@code abandoned} are volatile: of
 * {@code apply} and {@code abandon} running at once, at least one sees the other's write, so the
 * body is closed either way.
 */
final class ResponseCapture implements HttpResponse.BodyHandler<InputStream> {

    /** A response whose status and headers arrived. */
    record Response(int statusCode, HttpHeaders headers, ResponseBody body) {}

    private final Runnable ended;
    private final LosslessBodyStream.Drains drains;
    private volatile @Nullable Response applied;
    private volatile boolean abandoned;
    private volatile boolean handedOver;

    /**
     * @param ended the end of the exchange, for the response body (see {@link LosslessBodyStream})
     * @param drains the transport's bodies waiting for their end, for the response body
     */
    ResponseCapture(Runnable ended, LosslessBodyStream.Drains drains) {
        this.ended = ended;
        this.drains = drains;
    }

    @Override
    public HttpResponse.BodySubscriber<InputStream> apply(HttpResponse.ResponseInfo info) {
        LosslessBodyStream body = new LosslessBodyStream(ended, info.version() == HttpClient.Version.HTTP_2, drains);
        applied = new Response(info.statusCode(), info.headers(), body);
        if (abandoned) body.close(); // given up on already: the subscription is cancelled at once
        return body;
    }

    /** {@return the response of the completed future} */
    static Response of(HttpResponse<InputStream> r) {
        return new Response(r.statusCode(), r.headers(), (LosslessBodyStream) r.body());
    }

    /**
     * {@return the response whose body failed with {@code cause}, or null when the failure came
     * before the headers, is not an I/O failure, or is the request timeout (the first-event
     * timeout, reported as such even if the headers had just arrived): then there is no response}
     * The body is given the failure too (kept only if it has not ended already), so that a read
     * after the bytes received cannot wait for an end that the HttpClient will not signal.
     */
    @Nullable
    Response afterFailure(@Nullable Throwable cause) {
        Response r = applied;
        if (r == null || !(cause instanceof IOException) || cause instanceof HttpTimeoutException) return null;
        ((LosslessBodyStream) r.body()).onError(cause); // the bodies of this capture are its own
        return r;
    }

    /**
     * The response now belongs to the caller (a stream, which closes its body itself when
     * cancelled): a cancel no longer closes it here. Sending thread.
     */
    void handOver() {
        handedOver = true;
    }

    /**
     * The opener gave up on this exchange, or the caller cancelled it: the response, if one was
     * applied, is closed, and one applied later is closed at once. Idempotent; any thread.
     */
    void abandon() {
        abandoned = true;
        Response r = applied;
        if (r != null) r.body().close();
    }

    /**
     * The cancel listener of an exchange: cancels its future (which aborts the exchange) and closes
     * its response, if one arrived and was not {@linkplain #handOver handed over} (the body of a
     * response the transport is reading).
     */
    static final class Abort implements Runnable {
        private final CompletableFuture<?> future;
        private final ResponseCapture capture;

        Abort(CompletableFuture<?> future, ResponseCapture capture) {
            this.future = future;
            this.capture = capture;
        }

        @Override
        public void run() {
            future.cancel(true);
            if (!capture.handedOver) capture.abandon();
        }
    }
}
