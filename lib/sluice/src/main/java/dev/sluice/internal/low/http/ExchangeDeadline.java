package dev.sluice.internal.low.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One deadline for a whole exchange, the wait for its response and the reading of its body alike:
 * for the small answers of a credential or metadata endpoint, which must come whole within a few
 * seconds. A request's own timeout ({@code HttpRequest.timeout}, {@link HttpPost#timeout()}) bounds
 * only the wait for the response headers, and a per-read timeout would not do either: a body that
 * trickles a byte a second never lets one read wait long. When the deadline passes, what was
 * registered with {@link #onPass} runs (the body is closed, which ends a blocked read on every JDK;
 * the wait for the response is cut short) and {@link #passed()} is true from then on, so that the
 * exchange's failure is reported as the timeout it is.
 *
 * <p>The deadline is a property of the exchange, not of the transport: as a {@link Cancellation}
 * ({@link #cancellation()}) it cuts short {@link HttpTransport#send}, whose contract is that a cancel
 * ends the wait for the response and the read of its body, whichever transport carries it.
 *
 * <p>Threads: made and {@linkplain #close() closed} by the exchange's thread; the actions run on the
 * JDK's delayed-task thread when the deadline passes, or at once on the registering thread when it
 * has passed already. {@code passed} is volatile; the actions are a copy-on-write list, each run once.
 */
public final class ExchangeDeadline implements AutoCloseable {
    private final Duration limit;
    private final long deadlineNanos;
    private final CompletableFuture<Void> timer = new CompletableFuture<>();
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile boolean passed;

    private ExchangeDeadline(Duration limit) {
        this.limit = limit;
        long nanos = nanos(limit);
        this.deadlineNanos = System.nanoTime() + nanos;
        // orTimeout's delayed task is cancelled when the future completes first (close)
        var unused = timer.orTimeout(nanos, TimeUnit.NANOSECONDS).whenComplete((v, failure) -> {
            if (failure != null) pass();
        });
    }

    /**
     * {@return a deadline {@code limit} from now, running}
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public static ExchangeDeadline start(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero())
            throw new IllegalArgumentException("limit must be positive: " + limit);
        return new ExchangeDeadline(limit);
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException centuries) {
            return Long.MAX_VALUE / 4;
        }
    }

    /**
     * A whole answer: its status and headers, and its body read up to a bound.
     *
     * @param status the status code
     * @param headers the response headers
     * @param body the body, decoded as UTF-8, at most the bound asked for
     * @param tooLong whether the body went past the bound (then {@code body} is its start)
     */
    public record Answer(int status, HttpHeaders headers, String body, boolean tooLong) {}

    /**
     * {@return the answer to {@code request} through {@code transport}, any status, its body read up
     * to {@code maxBytes} bytes (and one more, to tell a longer one), all of it within the request's
     * timeout} The one exchange of a credential or metadata endpoint: the timeout is the deadline of
     * the whole answer, body included; when it passes, the wait or the read is cut short (the
     * connection closed) and an {@link HttpTimeoutException} thrown. Redirects are answers like any
     * other: never followed. The transport's own failures name {@code host:port} and are made
     * without the request's secrets ({@link HttpPost#secrets()}).
     *
     * @throws HttpTimeoutException if the whole answer did not come within the request's timeout
     * @throws IOException if no answer came (a refused connection, a reset, a head that breaks HTTP/1.1)
     * @throws InterruptedException if the thread is interrupted while waiting (the exchange is given up)
     * @throws IllegalArgumentException if the request has no timeout
     */
    public static Answer exchange(HttpTransport transport, HttpPost request, int maxBytes)
            throws IOException, InterruptedException {
        Duration limit = request.timeout();
        if (limit == null) throw new IllegalArgumentException("the request needs a timeout: its whole answer's");
        try (ExchangeDeadline deadline = start(limit)) {
            HttpTransport.RawResponse r;
            try {
                r = transport.exchange(request, "*/*", deadline.cancellation());
            } catch (CancellationException e) {
                throw deadline.timedOut(); // only the deadline cancels it
            } catch (IOException e) {
                if (deadline.passed()) throw deadline.timedOut();
                throw e;
            }
            InputStream in = r.body();
            deadline.onPass(() -> closeQuietly(in));
            try (in) {
                byte[] body = in.readNBytes(maxBytes + 1);
                if (deadline.passed()) throw deadline.timedOut();
                boolean tooLong = body.length > maxBytes;
                return new Answer(
                        r.statusCode(),
                        r.headers(),
                        new String(body, 0, Math.min(body.length, maxBytes), StandardCharsets.UTF_8),
                        tooLong);
            } catch (IOException e) {
                if (deadline.passed()) throw deadline.timedOut();
                throw e;
            }
        }
    }

    private HttpTimeoutException timedOut() {
        return new HttpTimeoutException("no whole answer within " + inWords(limit)
                + " (the deadline covers the whole answer, its body included)");
    }

    /** {@return a duration as a message says it: {@code 5 s}, {@code 250 ms}} */
    public static String inWords(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the read it ends fails either way
        }
    }

    /** {@return the limit the deadline was started with} */
    public Duration limit() {
        return limit;
    }

    /** {@return whether the deadline has passed (and the registered actions have been run)} */
    public boolean passed() {
        return passed;
    }

    /** {@return what is left before the deadline, zero once it has passed} */
    public Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return passed || left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /**
     * Runs {@code action} when the deadline passes, or at once if it has. An action must be quick
     * and must not throw (closing a body, cancelling a future).
     */
    public void onPass(Runnable action) {
        Objects.requireNonNull(action, "action");
        actions.add(action);
        if (passed && actions.remove(action)) action.run();
    }

    /** {@return the deadline as a cancellation: cancelled once it has passed} */
    public Cancellation cancellation() {
        return Cancellation.of(this::passed, this::onPass);
    }

    private void pass() {
        passed = true;
        for (Runnable a : actions.toArray(new Runnable[0])) {
            if (actions.remove(a)) a.run();
        }
    }

    /** Stops the deadline: nothing registered runs after this. Idempotent. */
    @Override
    public void close() {
        timer.complete(null);
        actions.clear();
    }

    @Override
    public String toString() {
        return "ExchangeDeadline[" + limit + (passed ? ", passed" : "") + "]";
    }
}
