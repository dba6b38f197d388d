package dev.sluice.internal.low.http;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link HttpTransport} reaches the server, chosen once when it is built: the blocking
 * HTTP/1.1 engine ({@link BlockingHttp1}) or the JDK's client ({@link HttpClientEngine}). The
 * transport maps what an exchange gives onto the exception family and never asks which engine
 * carried it (as OkHttp's {@code ExchangeCodec} keeps HTTP/1 and HTTP/2 behind one interface).
 *
 * <p>Thread-safe: any number of threads may run exchanges on one engine.
 */
sealed interface HttpEngine extends AutoCloseable permits BlockingHttp1, HttpClientEngine {
    /** {@return which engine this is} */
    HttpTransport.Engine kind();

    /** {@return which engine, and why the JDK's client when it is: for a client's toString} */
    String description();

    /** {@return whether {@link #close()} closes the connections' owner (the engine created it)} */
    boolean ownsClient();

    /**
     * Sends the request and returns as soon as the response headers arrive. The response is handed
     * over (a cancel no longer closes it: its reader's close does) when it is the caller's to read
     * ({@code !readHere}) and its status is a 2xx or {@code anyStatus}.
     *
     * @param readHere whether the caller reads the body at once, so that a cancel must close it
     * @param anyStatus whether every status is the caller's; else one but a 2xx is mapped
     *     ({@link ErrorResponses#checked})
     * @throws RetryableFailure when a retry may help
     * @throws dev.sluice.SluiceException when it may not
     * @throws CancellationException if cancelled while waiting
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    ResponseCapture.Response exchange(
            HttpPost post, String accept, Cancellation cancellation, boolean readHere, boolean anyStatus)
            throws RetryableFailure, InterruptedException;

    /**
     * Sends the POST asking for JSON, a 2xx mapped as {@link #exchange} maps it, and reads its body
     * with {@code read}: the whole exchange within {@code overall}, each read of the body within
     * {@code idle}; a failure once the overall deadline has passed is its {@code TOTAL} timeout.
     *
     * @param overall the overall deadline, null for none
     * @param idle the body's idle timeout, null for none
     */
    JsonResponse send(
            HttpPost post,
            Cancellation cancellation,
            @Nullable OverallDeadline overall,
            @Nullable IdleTimeout idle,
            BodyRead read)
            throws RetryableFailure, InterruptedException;

    /** Closes what the engine created (connections, clients, their executor). Idempotent. */
    @Override
    void close();

    /** Reads a response's body whole: the transport's part of {@link #send}. */
    @FunctionalInterface
    interface BodyRead {
        /** {@return the response read} @throws RetryableFailure when a retry may help */
        JsonResponse read(ResponseCapture.Response response) throws RetryableFailure;
    }
}
