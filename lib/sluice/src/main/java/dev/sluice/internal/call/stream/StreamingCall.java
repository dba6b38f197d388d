package dev.sluice.internal.call.stream;

import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.TransportException;
import dev.sluice.client.RateLimits;
import dev.sluice.internal.low.http.Cancellation;
import dev.sluice.internal.low.http.Deadline;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.http.RequestAuth;
import dev.sluice.internal.low.http.RetryableFailure;
import dev.sluice.internal.low.http.ServerText;
import dev.sluice.internal.low.http.StreamResponse;
import dev.sluice.internal.low.json.Excerpts;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One streaming request, provider-neutral: opens a streaming response (Server-Sent Events, or another
 * {@linkplain StreamProtocol#framing() framing} such as AWS's event stream) with retries and runs it
 * as an {@link EventStream} of the provider's events, as its {@link StreamProtocol} says: the
 * framing decodes the body, the provider family's {@link StreamRules} judge each event.
 *
 * <p>{@link Builder#open()} starts the controller's clocks and sends the request on the calling
 * thread, retrying per the {@link Retrier}; no attempt and no back-off outlasts the nearer of the
 * first-event and total timeouts (then a {@link StreamTimeoutException} names the one that passed).
 * A failure that is not retried is thrown from {@code open()}; a cancel while opening gives a stream
 * that has already ended cancelled.
 *
 * <p>The producer thread then reads the body. Events before the first event of
 * {@linkplain StreamRules#isSubstance substance} are held back (bounded, {@link Builder#holdBack});
 * a retryable in-band error, a dropped connection or an end of body before it reopens the request
 * from the same retry budget and drops them unseen. After substance nothing is retried: a failure is
 * thrown after every event before it, with the partial result and the request id, unless a
 * {@link Resumer} continues the stream. Content events are counted (timeouts, chunk limit), the
 * others not. A terminal event closes the body at once.
 *
 * <p>Threading: the builder and {@code open()} belong to the calling thread; the producer runs on
 * the stream's own virtual thread; {@link #requestId()} and {@link #rateLimits()} may be read from
 * any thread.
 *
 * @param <E> the provider's event type
 *
 * <p>Why this file is long: opening with retries and running the stream share the one attempt's state (its
 * response, its deadline, its request id), so the builder and the run stay in one class.
 */
public final class StreamingCall<E> {
    private static final System.Logger LOG = System.getLogger(StreamingCall.class.getName());

    /** The default bound on the number of events held back before the first event of substance. */
    public static final int DEFAULT_MAX_HELD_EVENTS = 1_000;
    /** The default bound on the data held back before the first event of substance: 1 MiB, in characters. */
    public static final int DEFAULT_MAX_HELD_BYTES = 1 << 20;

    private final EventStream<E> events;
    private final Run<E> run;

    private StreamingCall(EventStream<E> events, Run<E> run) {
        this.events = events;
        this.run = run;
    }

    /** {@return a builder of a call following {@code protocol}} */
    public static <E> Builder<E> builder(StreamProtocol<E> protocol) {
        return new Builder<>(protocol);
    }

    /** {@return the running stream of events; the caller closes it} */
    public EventStream<E> events() {
        return events;
    }

    /** {@return the request id of the response being read (the latest one after a reopening), when known} */
    public Optional<String> requestId() {
        return Optional.ofNullable(run.requestId);
    }

    /** {@return the headers of the response being read (the latest one after a reopening), once it arrived} */
    public Optional<HttpHeaders> responseHeaders() {
        Arrival a = run.arrival;
        return a == null ? Optional.empty() : Optional.of(a.headers());
    }

    /**
     * {@return the rate limits reported by the headers of the response being read (the latest one
     * after a reopening or a resume), once it arrived; a relative reset counted from its arrival}
     */
    public Optional<RateLimits> rateLimits() {
        Arrival a = run.arrival;
        return a == null ? Optional.empty() : Optional.of(a.rateLimits());
    }

    /** A response's headers and when they arrived (the base of OpenAI's relative resets). */
    private record Arrival(HttpHeaders headers, Instant at) {
        RateLimits rateLimits() {
            return RateLimitHeaders.parse(headers, Clock.fixed(at, ZoneOffset.UTC));
        }
    }

    /** {@return the stream's producer thread once it has started; for diagnostics and tests} */
    public Optional<Thread> producerThread() {
        return Optional.ofNullable(run.producer);
    }

    /** Configures and opens a {@link StreamingCall}. Setters check their argument at once. */
    public static final class Builder<E> {
        private final StreamProtocol<E> protocol;
        private @Nullable HttpTransport transport;
        private @Nullable Retrier retrier;
        private @Nullable StreamController controller;
        private StreamOptions options = StreamOptions.defaults();
        private @Nullable Supplier<HttpPost> post;
        private RequestAuth auth = RequestAuth.NONE;
        private SseLimits limits = SseLimits.defaults();
        private int maxHeldEvents = DEFAULT_MAX_HELD_EVENTS;
        private long maxHeldBytes = DEFAULT_MAX_HELD_BYTES;
        private int capacity = EventStream.Builder.DEFAULT_CAPACITY;
        private @Nullable String threadName;
        private @Nullable Consumer<? super E> onItem;
        private Supplier<?> partial = () -> null;
        private @Nullable Runnable onEnd;
        private @Nullable CallObserver observer;
        private @Nullable Resumer<E> resumer;
        private @Nullable Consumer<? super E> afterTerminal;
        private @Nullable Consumer<? super E> tap;

        private Builder(StreamProtocol<E> protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
        }

        /** The transport to send through; required. */
        public Builder<E> transport(HttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The retry policy's retrier; required. */
        public Builder<E> retrier(Retrier retrier) {
            this.retrier = Objects.requireNonNull(retrier, "retrier");
            return this;
        }

        /** The stream's controller, not yet claimed by another stream; required. */
        public Builder<E> controller(StreamController controller) {
            this.controller = Objects.requireNonNull(controller, "controller");
            return this;
        }

        /** The call's options, taken by a controller without options of its own; default {@link StreamOptions#defaults()}. */
        public Builder<E> options(StreamOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Makes the POST of each attempt (without a timeout: the call sets it); required. */
        public Builder<E> post(Supplier<HttpPost> post) {
            this.post = Objects.requireNonNull(post, "post");
            return this;
        }

        /**
         * How each attempt is authorized (a continuation's as well), just before it is sent; default
         * {@link RequestAuth#NONE}.
         */
        public Builder<E> auth(RequestAuth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** The SSE parser's limits; default {@link SseLimits#defaults()}. */
        public Builder<E> sseLimits(SseLimits limits) {
            this.limits = Objects.requireNonNull(limits, "sseLimits");
            return this;
        }

        /**
         * Bounds what is held back before the first event of substance (see the class description);
         * default {@value #DEFAULT_MAX_HELD_EVENTS} events and {@value #DEFAULT_MAX_HELD_BYTES}
         * characters of data.
         *
         * @param maxEvents the most events held back, not negative (0 holds nothing back: no event
         *     before content is then retried)
         * @param maxBytes the most characters of Server-Sent Events data held back, not negative
         * @throws IllegalArgumentException if a bound is negative
         */
        public Builder<E> holdBack(int maxEvents, long maxBytes) {
            if (maxEvents < 0) throw new IllegalArgumentException("maxEvents must not be negative: " + maxEvents);
            if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
            this.maxHeldEvents = maxEvents;
            this.maxHeldBytes = maxBytes;
            return this;
        }

        /** The stream's queue capacity; default {@link EventStream.Builder#DEFAULT_CAPACITY}. */
        public Builder<E> capacity(int capacity) {
            if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive: " + capacity);
            this.capacity = capacity;
            return this;
        }

        /** The producer thread's name. */
        public Builder<E> threadName(String threadName) {
            this.threadName = Objects.requireNonNull(threadName, "threadName");
            return this;
        }

        /** Runs on the consumer thread as each event is handed out (see {@link EventStream.Builder#onItem}). */
        public Builder<E> onItem(Consumer<? super E> onItem) {
            this.onItem = Objects.requireNonNull(onItem, "onItem");
            return this;
        }

        /** The partial result to attach to failures, evaluated on the consumer thread; default none. */
        public Builder<E> partial(Supplier<?> partial) {
            this.partial = Objects.requireNonNull(partial, "partial");
            return this;
        }

        /**
         * Continues the stream when its connection is lost after content (see {@link Resumer});
         * default none: such a loss fails the stream with a {@link TransportException}. A lost
         * connection, or a body that ends without its terminal event, after content then asks the
         * resumer for a continuation, which is opened (retried like an opening, from a fresh retry
         * budget, bounded by the total timeout) and read as part of the same stream.
         */
        public Builder<E> resumer(Resumer<E> resumer) {
            this.resumer = Objects.requireNonNull(resumer, "resumer");
            return this;
        }

        /**
         * Runs once when the call ends for any reason: when the stream ends, or when {@link #open()}
         * throws. Must not refer to the stream (see {@link EventStream.Builder#onEnd}).
         */
        public Builder<E> onEnd(Runnable onEnd) {
            this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
            return this;
        }

        /**
         * Told the events a response sends after its terminal event: the body is read on to its end
         * (at most a second and 64 KiB, as it is anyway to keep its connection), after the stream
         * has completed, and what it holds is decoded and handed over on the producer thread. What
         * cannot be parsed or decoded there is dropped (logged at DEBUG), never an error: the stream
         * has completed. Default none: the rest of the body is not parsed. Server-Sent Events only.
         */
        public Builder<E> afterTerminal(Consumer<? super E> listener) {
            this.afterTerminal = Objects.requireNonNull(listener, "afterTerminal");
            return this;
        }

        /**
         * Shown each event as the framing decodes it, on the producer thread, before the call handles
         * it (events held back, dropped by a reopening, or decoded after the terminal event
         * included): what a client's stream observers count. Default none: no per-event work.
         */
        public Builder<E> onDecoded(Consumer<? super E> tap) {
            this.tap = Objects.requireNonNull(tap, "onDecoded");
            return this;
        }

        /** Told each response's request id and headers, and a failed opening (see {@link CallObserver}); default none. */
        public Builder<E> observer(CallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Opens the stream (see the class description).
         *
         * @return the call, its stream running
         * @throws SluiceException when the opening fails for good: an {@link dev.sluice.ApiException}
         *     (HTTP error), {@link TransportException}, {@link dev.sluice.ProtocolException} (not an
         *     event stream, a redirect), {@link StreamTimeoutException} (the first-event or total
         *     timeout passed while waiting for the response headers or for a retry),
         *     {@link StreamInterruptedException} (the thread was interrupted; its interrupt status is
         *     set again)
         * @throws IllegalStateException if a required setting is missing or the controller was
         *     already claimed by another stream (nothing is sent then)
         */
        public StreamingCall<E> open() {
            boolean ok = false;
            try {
                require(transport, "transport");
                require(retrier, "retrier");
                StreamController controller = require(this.controller, "controller");
                require(post, "post");
                Run<E> run = new Run<>(this);
                if (!controller.isStarted())
                    controller.start(options); // a client starts it before its permit wait ends
                run.startNanos = controller.options().nanoTime().getAsLong();
                StreamResponse first;
                try {
                    first = run.budget.call(run, run.cancellation, run);
                } catch (CancellationException e) {
                    LOG.log(System.Logger.Level.DEBUG, "stream cancelled before it opened");
                    first = null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StreamInterruptedException(e);
                }
                run.opened(first);
                EventStream.Builder<E> b = EventStream.<E>builder()
                        .controller(controller)
                        .capacity(capacity)
                        .failureContext(() -> run.requestId, partial);
                if (threadName != null) b.threadName(threadName);
                if (onItem != null) b.onItem(onItem);
                Runnable then = onEnd;
                CountDownLatch over = run.over;
                b.onEnd(() -> {
                    over.countDown();
                    if (then != null) then.run();
                });
                StreamResponse opened = first;
                EventStream<E> events = b.generate(out -> {
                    run.producer = Thread.currentThread();
                    if (opened != null) run.produce(opened, out);
                    else run.over.await(); // cancelled while opening: the cancel has ended the stream already
                });
                ok = true;
                return new StreamingCall<>(events, run);
            } catch (RuntimeException e) {
                if (observer != null) observer.openFailed(e);
                throw e;
            } finally {
                if (!ok && onEnd != null) onEnd.run();
            }
        }

        private static <T> T require(@Nullable T value, String name) {
            if (value == null) throw new IllegalStateException(name + " is required: call " + name + "(..)");
            return value;
        }
    }

    /**
     * The state of one call, shared by the opening thread and the producer thread (never refers to
     * the user-facing stream). requestId is volatile, read by any thread; over is counted down by
     * whichever thread ends the stream; the rest belongs to the thread running the call at the time
     * (the opener, then the producer: Thread.start orders it). As a {@link Callable}, it is one
     * {@linkplain #openAttempt() attempt at opening}, for the budget; as a {@link Deadline}, the
     * nearer of the first-event and total timeouts, which no attempt and no back-off outlasts.
     */
    private static final class Run<E> implements Callable<StreamResponse>, Deadline {
        private final StreamProtocol<E> protocol;
        private final HttpTransport transport;
        private final StreamController controller;
        private Supplier<HttpPost> post; // replaced by a continuation's, on the producer thread
        private final RequestAuth auth;
        private final @Nullable Resumer<E> resumer;
        private final Retrier retrier;
        private final SseLimits limits;
        private final int maxHeldEvents;
        private final long maxHeldBytes;
        private Retrier.Budget budget; // a fresh one for each continuation (resume)
        private final Cancellation cancellation;
        /** Counted down when the stream has ended, for whatever reason (the stream's end hook). */
        final CountDownLatch over = new CountDownLatch(1);

        private final @Nullable CallObserver observer;
        private final @Nullable Consumer<? super E> afterTerminal;
        private final @Nullable Consumer<? super E> tap;
        private volatile @Nullable String requestId;
        private volatile @Nullable Arrival arrival; // the latest response's headers
        private volatile @Nullable Thread producer;
        private String target = "the server";
        private Map<String, String> requestHeaders =
                Map.of(); // the latest request's: in-band errors are cleaned of its credentials
        long startNanos; // the controller's clock when it started

        Run(Builder<E> b) {
            this.protocol = b.protocol;
            this.transport = Objects.requireNonNull(b.transport, "transport"); // open() required them
            this.controller = Objects.requireNonNull(b.controller, "controller");
            this.post = Objects.requireNonNull(b.post, "post");
            this.auth = b.auth;
            this.resumer = b.resumer;
            this.retrier = Objects.requireNonNull(b.retrier, "retrier");
            this.limits = b.limits;
            this.maxHeldEvents = b.maxHeldEvents;
            this.maxHeldBytes = b.maxHeldBytes;
            this.cancellation = ControllerCancellation.of(controller);
            this.observer = b.observer;
            this.afterTerminal = b.afterTerminal;
            this.tap = b.tap;
            this.budget = budget();
        }

        /** {@return a fresh retry budget, whose waits the observer is told of} */
        private Retrier.Budget budget() {
            CallObserver o = observer;
            return o == null ? retrier.budget() : retrier.budget(o::retrying);
        }

        /** {@link #openAttempt()}. */
        @Override
        public StreamResponse call() throws RetryableFailure, InterruptedException {
            return openAttempt();
        }

        /**
         * One attempt at opening: the POST waits for the response headers at most what is left of
         * the nearer timeout; when that passes, the timeout is reported as {@link #expired()} does.
         */
        StreamResponse openAttempt() throws RetryableFailure, InterruptedException {
            // getting credentials counts against the stream's timeouts and ends with its cancel, as the opening does
            HttpPost p = auth.apply(
                    Objects.requireNonNull(post.get(), "the post supplier returned null"), this, cancellation);
            target = p.target();
            requestHeaders = p.redactions();
            long first = nanosLeft(Timeout.FIRST_EVENT);
            long total = nanosLeft(Timeout.TOTAL);
            long left = Math.min(first, total);
            boolean bounded = left != Long.MAX_VALUE;
            if (bounded) {
                if (left <= 0) throw expired();
                Duration limit = (first <= total
                                ? controller.options().firstEventTimeout()
                                : controller.options().totalTimeout())
                        .orElseThrow();
                p = p.withTimeout(Duration.ofNanos(left), limit);
            }
            int n = budget.failedAttempts() + 1;
            String to = target;
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "POST " + to + " (stream, attempt " + n + ")");
            }
            StreamResponse response;
            try {
                response = transport.openStream(p, protocol.framing().mediaType(), cancellation);
            } catch (StreamTimeoutException e) {
                // The transport counts from its own send and calls every request timeout a first-event
                // one; the deadline knows which timeout it was and how long the opening really took.
                if (bounded) throw expired();
                throw e;
            }
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "stream opened: HTTP " + response.statusCode() + " from " + to + ", request id "
                                + response.requestId());
            }
            return response;
        }

        /** {@return the nanoseconds left of the nearer of the first-event and total timeouts} */
        @Override
        public long nanosLeft() {
            return Math.min(nanosLeft(Timeout.FIRST_EVENT), nanosLeft(Timeout.TOTAL));
        }

        /** {@return the nanoseconds left of a timeout (never negative), or MAX_VALUE when it is off or no longer runs} */
        private long nanosLeft(Timeout which) {
            Optional<Duration> left = controller.remaining(which);
            if (left.isEmpty()) return Long.MAX_VALUE;
            try {
                return Math.min(left.get().toNanos(), Long.MAX_VALUE - 1);
            } catch (ArithmeticException centuries) {
                return Long.MAX_VALUE - 1;
            }
        }

        /**
         * {@return the timeout that has passed (the earlier deadline when both have; else the one
         * nearer to passing), with the time really waited since the stream started}
         */
        @Override
        public StreamTimeoutException expired() {
            long first = nanosLeft(Timeout.FIRST_EVENT);
            long total = nanosLeft(Timeout.TOTAL);
            Optional<Duration> firstLimit = controller.options().firstEventTimeout();
            Optional<Duration> totalLimit = controller.options().totalTimeout();
            Timeout which;
            if (first <= 0 && total <= 0) {
                which = firstLimit.orElseThrow().compareTo(totalLimit.orElseThrow()) <= 0
                        ? Timeout.FIRST_EVENT
                        : Timeout.TOTAL;
            } else {
                which = first <= total ? Timeout.FIRST_EVENT : Timeout.TOTAL;
            }
            Duration limit = (which == Timeout.FIRST_EVENT ? firstLimit : totalLimit).orElseThrow();
            // At least the limit: the HttpClient's request timer may fire microseconds before the deadline.
            Duration waited =
                    Duration.ofNanos(Math.max(controller.options().nanoTime().getAsLong() - startNanos, 0));
            if (waited.compareTo(limit) < 0) waited = limit;
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "the " + which.label() + " timeout passed while opening the stream to " + target + " ("
                                + waited.toMillis() + " ms)");
            }
            return new StreamTimeoutException(which, limit, waited);
        }

        void opened(@Nullable StreamResponse response) {
            if (response == null) return;
            requestId = response.requestId();
            arrived(response);
            if (observer != null) observer.opened(requestId);
        }

        /** Keeps a response's headers and shows them to the observer (the opening, a reopening, a resume's continuation). */
        private void arrived(StreamResponse response) {
            Instant at = Instant.now();
            arrival = new Arrival(response.headers(), at);
            if (observer != null) observer.responded(response.headers(), at);
        }

        /**
         * The producer: reads responses until the stream ends, reopening before substance when
         * allowed. What a decoder's message shows of the data ({@link Excerpts}) is cleaned of
         * the request's credentials on this thread meanwhile, as an error body is: a server may echo
         * a key in a malformed event.
         */
        void produce(StreamResponse first, Emitter<E> out) throws Exception {
            Excerpts.ThreadRedaction thisThreadRedacts =
                    Excerpts.redactOnThisThread(data -> ServerText.redact(data, requestHeaders));
            try {
                readAll(first, out);
            } finally {
                thisThreadRedacts.close();
            }
        }

        private void readAll(StreamResponse first, Emitter<E> out) throws Exception {
            StreamResponse response = first;
            Emitter<E> decoded = resumer == null ? out : resumer.wrap(out);
            for (; ; ) {
                HoldBackDecoder<E> attempt = new HoldBackDecoder<>(
                                protocol,
                                maxHeldEvents,
                                maxHeldBytes,
                                response.statusCode(),
                                requestHeaders,
                                tap,
                                decoded)
                        .afterTerminal(afterTerminal);
                RetryableFailure retry;
                try {
                    protocol.framing().pump(response.body(), limits, attempt, out);
                    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                        LOG.log(
                                System.Logger.Level.DEBUG,
                                "stream from " + target + " ended ("
                                        + (attempt.terminal
                                                ? "terminal event"
                                                : out.isOver() ? "stream over" : "end of body")
                                        + "), request id " + requestId);
                    }
                    return;
                } catch (HoldBackDecoder.RetryBeforeContent r) {
                    retry = r.failure();
                } catch (IOException e) {
                    if (out.isOver()) return; // the body was closed by a cancel, a timeout or a limit
                    TransportException lost = new TransportException(
                            "the connection to " + target + " was lost while reading the stream: " + e, e);
                    if (attempt.released) {
                        if (resumer == null) throw lost;
                        response = resume(response, lost, out);
                        if (response == null) return;
                        continue;
                    }
                    retry = RetryableFailure.of(lost);
                } catch (IncompleteStreamException e) {
                    if (!out.isOver() && attempt.released && resumer != null) {
                        response = resume(response, e, out);
                        if (response == null) return;
                        continue;
                    }
                    if (!out.isOver()) attempt.flush();
                    throw e;
                } catch (SluiceException e) {
                    if (!out.isOver()) attempt.flush();
                    throw e;
                } catch (CancellationException e) {
                    awaitEnd(e);
                    return;
                }
                response.close();
                if (out.isOver()) return;
                try {
                    boolean again;
                    try {
                        again = budget.backOff(retry, cancellation, this);
                    } catch (StreamTimeoutException e) {
                        attempt.flush();
                        throw e;
                    }
                    if (!again) {
                        attempt.flush();
                        throw retry.failure();
                    }
                    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                        LOG.log(
                                System.Logger.Level.DEBUG,
                                "reopening the stream before any content: "
                                        + retry.failure().getMessage());
                    }
                    response = budget.call(this, cancellation, this);
                } catch (CancellationException e) {
                    awaitEnd(e);
                    return;
                }
                opened(response);
            }
        }

        /**
         * Opens the continuation of a stream that lost its connection after content, as the resumer
         * asks (it throws when the stream cannot be continued). {@return the continuation's response,
         * or null when the stream was cancelled meanwhile and is over}
         */
        private @Nullable StreamResponse resume(StreamResponse dropped, SluiceException lost, Emitter<E> out)
                throws Exception {
            dropped.close();
            Resumer<E> resumer = Objects.requireNonNull(this.resumer, "resumed only with a resumer");
            HttpPost next = resumer.continuation(lost);
            if (observer != null) observer.resuming(lost);
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "resuming the stream from " + target + " after: " + lost.getMessage());
            }
            post = () -> next;
            StreamResponse response;
            try {
                budget = budget(); // the continuation's openings and reopenings before its content
                response = budget.call(this, cancellation, this);
            } catch (CancellationException e) {
                awaitEnd(e);
                return null;
            }
            requestId = response.requestId();
            arrived(response);
            if (out.isOver()) {
                response.close();
                return null;
            }
            return response;
        }

        /**
         * A cancel was seen (during a reopening: the back-off, the new request): waits, blocked, until
         * the stream is over, so that it ends as CANCELLED, never COMPLETED by this producer's return.
         * The cancelling thread ends it, through the listener the stream registered with the
         * controller before this producer started (an end of another kind, a timeout, may come first);
         * the wait ends at the end (its hook counts {@link #over} down) or at the interrupt the end
         * sends this thread.
         */
        private void awaitEnd(CancellationException e) throws InterruptedException {
            if (!controller.isCancelled()) throw e; // not this stream's cancel: a bug, not to be hidden
            over.await();
        }
    }
}
