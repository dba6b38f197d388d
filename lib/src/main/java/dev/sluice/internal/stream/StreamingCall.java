package dev.sluice.internal.stream;

import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.internal.http.Cancellation;
import dev.sluice.internal.http.HttpPost;
import dev.sluice.internal.http.HttpTransport;
import dev.sluice.internal.http.Retrier;
import dev.sluice.internal.http.RetryableFailure;
import dev.sluice.internal.http.StreamResponse;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.Producer;
import dev.sluice.stream.SseDecoder;
import dev.sluice.stream.SseSource;
import dev.sluice.stream.StreamController;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One streaming request, provider-neutral: opens a Server-Sent Events response with retries and
 * runs it as an {@link EventStream} of the provider's events, as described by its
 * {@link StreamProtocol}.
 *
 * <pre>{@code
 * StreamingCall<Event> call = StreamingCall.builder(protocol)
 *         .transport(transport).retrier(retrier).controller(controller)
 *         .post(() -> HttpPost.json(uri, headers, body))
 *         .open();                      // throws when the opening fails for good
 * try (EventStream<Event> events = call.events()) { ... }
 * }</pre>
 *
 * <p>{@link Builder#open()}, on the calling thread: starts the controller (so the first-event and
 * total timeouts include the wait for the response), then sends the POST, retrying connection
 * failures and retryable statuses per the {@link Retrier}, each attempt waiting for the response
 * headers at most what is left of the first-event timeout. A failure that is not retried, or the
 * last one, is thrown from {@code open()}. A cancel before or during the opening gives a stream that
 * has already ended as {@link dev.sluice.stream.EndReason#CANCELLED}.
 *
 * <p>The stream's producer thread then reads the body:
 * <ul>
 *   <li>Events before the first content event (or terminal event) are held back. If, before it, an
 *       in-band error the protocol calls retryable arrives, or the connection drops, or the body ends,
 *       the body is closed, the held-back events are dropped, and the request is sent again after the
 *       backoff, from the same retry budget: the opening and these reopenings together make at most
 *       {@code maxRetries + 1} attempts. When the budget is spent, the held-back events are delivered
 *       and the failure is thrown.</li>
 *   <li>At the first content event the held-back events are delivered in order; from then on nothing
 *       is ever retried: an in-band error is thrown after every event before it, a dropped connection
 *       is a {@link TransportException}, an end of body without terminal event the normal end
 *       when an event {@linkplain StreamProtocol#completesAtEndOfInput completed the stream},
 *       else what {@link StreamProtocol#endOfInput()} says. The partial result and the request id are attached
 *       to every failure.</li>
 *   <li>Content events are emitted counted, the others (held-back frames, keep-alives, unknown
 *       events) uncounted, so that keep-alives do not keep a stalled stream alive.</li>
 *   <li>A terminal event ends the stream and closes the body at once: the connection is released
 *       then, not when the server closes it.</li>
 * </ul>
 *
 * <p>Threading: the builder and {@code open()} belong to the calling thread; the producer runs on
 * the stream's own virtual thread; {@link #requestId()} may be read from any thread.
 *
 * @param <E> the provider's event type
 */
public final class StreamingCall<E> {
    private static final System.Logger LOG = System.getLogger(StreamingCall.class.getName());

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

    /** {@return the stream's producer thread once it has started; for diagnostics and tests} */
    public Optional<Thread> producerThread() {
        return Optional.ofNullable(run.producer);
    }

    /** Configures and opens a {@link StreamingCall}. Setters check their argument at once. */
    public static final class Builder<E> {
        private final StreamProtocol<E> protocol;
        private HttpTransport transport;
        private Retrier retrier;
        private StreamController controller;
        private Supplier<HttpPost> post;
        private SseLimits limits = SseLimits.defaults();
        private int capacity = EventStream.Builder.DEFAULT_CAPACITY;
        private String threadName;
        private Consumer<? super E> onItem;
        private Supplier<?> partial = NoPartial.INSTANCE;
        private Runnable onEnd;

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

        /** The stream's controller, not yet started; required. */
        public Builder<E> controller(StreamController controller) {
            this.controller = Objects.requireNonNull(controller, "controller");
            return this;
        }

        /** Makes the POST of each attempt (without a timeout: the call sets it); required. */
        public Builder<E> post(Supplier<HttpPost> post) {
            this.post = Objects.requireNonNull(post, "post");
            return this;
        }

        /** The SSE parser's limits; default {@link SseLimits#defaults()}. */
        public Builder<E> sseLimits(SseLimits limits) {
            this.limits = Objects.requireNonNull(limits, "sseLimits");
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
         * Runs once when the call ends for any reason: when the stream ends, or when {@link #open()}
         * throws. Must not refer to the stream (see {@link EventStream.Builder#onEnd}).
         */
        public Builder<E> onEnd(Runnable onEnd) {
            this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
            return this;
        }

        /**
         * Opens the stream (see the class description).
         *
         * @return the call, its stream running
         * @throws SluiceException when the opening fails for good: an {@link dev.sluice.ApiException}
         *     (HTTP error), {@link TransportException}, {@link dev.sluice.ProtocolException} (not an
         *     event stream, a redirect), {@link StreamTimeoutException} (no response headers within the
         *     first-event timeout), {@link StreamInterruptedException} (the thread was interrupted;
         *     its interrupt status is set again)
         * @throws IllegalStateException if a required setting is missing or the controller was
         *     already started (used by another stream)
         */
        public StreamingCall<E> open() {
            boolean ok = false;
            try {
                require(transport, "transport");
                require(retrier, "retrier");
                require(controller, "controller");
                require(post, "post");
                if (!controller.claim()) { // atomic: of two threads opening with one controller, one sends
                    throw new IllegalStateException("the StreamController was already started by another stream; "
                            + "use controller.newController() for each stream");
                }
                Run<E> run = new Run<>(this, retrier.budget());
                StreamResponse first;
                try {
                    first = run.budget.call(run, run.cancellation);
                } catch (CancellationException e) {
                    LOG.log(System.Logger.Level.DEBUG, "stream cancelled before it opened");
                    first = null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StreamInterruptedException(e);
                }
                run.opened(first);
                EventStream.Builder<E> b = EventStream.<E>builder().controller(controller).capacity(capacity)
                        .failureContext(new RequestIdSupplier(run), partial);
                if (threadName != null) b.threadName(threadName);
                if (onItem != null) b.onItem(onItem);
                if (onEnd != null) b.onEnd(onEnd);
                EventStream<E> events = b.generate(new RunProducer<>(run, first));
                ok = true;
                return new StreamingCall<>(events, run);
            } finally {
                if (!ok && onEnd != null) onEnd.run();
            }
        }

        private static void require(Object value, String name) {
            if (value == null) throw new IllegalStateException(name + " is required: call " + name + "(..)");
        }
    }

    // The functions below are small classes rather than lambdas and method references: a fresh JVM
    // links each lambda the first time it runs, a millisecond or two apiece before its first event.

    /** The default partial result: none. */
    private static final class NoPartial implements Supplier<Object> {
        static final NoPartial INSTANCE = new NoPartial();

        @Override
        public Object get() {
            return null;
        }
    }

    /** The request id for failures: the latest response's. */
    private static final class RequestIdSupplier implements Supplier<String> {
        private final Run<?> run;

        RequestIdSupplier(Run<?> run) {
            this.run = run;
        }

        @Override
        public String get() {
            return run.requestId;
        }
    }

    /** The stream's producer: reads the opened response (none when cancelled while opening). */
    private static final class RunProducer<E> implements Producer<E> {
        private final Run<E> run;
        private final StreamResponse opened;

        RunProducer(Run<E> run, StreamResponse opened) {
            this.run = run;
            this.opened = opened;
        }

        @Override
        public void produce(Emitter<E> out) throws Exception {
            run.producer = Thread.currentThread();
            if (opened != null) run.produce(opened, out);
        }
    }

    /**
     * The state of one call, shared by the opening thread and the producer thread (never refers to
     * the user-facing stream). requestId is volatile, read by any thread; the rest belongs to the
     * thread running the call at the time (the opener, then the producer: Thread.start orders it).
     * As a {@link Callable}, it is one {@linkplain #openAttempt() attempt at opening}, for the budget.
     */
    private static final class Run<E> implements Callable<StreamResponse> {
        private final StreamProtocol<E> protocol;
        private final HttpTransport transport;
        private final StreamController controller;
        private final Supplier<HttpPost> post;
        private final SseLimits limits;
        private final Retrier.Budget budget;
        private final Cancellation cancellation;
        private volatile String requestId;
        private volatile Thread producer;
        private String target = "the server";

        Run(Builder<E> b, Retrier.Budget budget) {
            this.protocol = b.protocol;
            this.transport = b.transport;
            this.controller = b.controller;
            this.post = b.post;
            this.limits = b.limits;
            this.budget = budget;
            this.cancellation = ControllerCancellation.of(controller);
        }

        /** {@link #openAttempt()}. */
        @Override
        public StreamResponse call() throws RetryableFailure, InterruptedException {
            return openAttempt();
        }

        /** One attempt at opening: the POST bounded by what is left of the first-event timeout. */
        StreamResponse openAttempt() throws RetryableFailure, InterruptedException {
            HttpPost p = Objects.requireNonNull(post.get(), "the post supplier returned null");
            target = p.target();
            Optional<Duration> left = controller.remaining(StreamTimeoutException.Timeout.FIRST_EVENT);
            if (left.isPresent()) {
                Duration limit = controller.firstEventTimeout().orElseThrow();
                if (left.get().isZero()) throw new StreamTimeoutException(StreamTimeoutException.Timeout.FIRST_EVENT, limit, limit);
                p = p.withTimeout(left.get(), limit);
            }
            int n = budget.failedAttempts() + 1;
            String to = target;
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) { // guards, not message suppliers (lambdas)
                LOG.log(System.Logger.Level.DEBUG, "POST " + to + " (stream, attempt " + n + ")");
            }
            StreamResponse response = transport.openStream(p, cancellation);
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "stream opened: HTTP " + response.statusCode() + " from " + to
                        + ", request id " + response.requestId());
            }
            return response;
        }

        void opened(StreamResponse response) {
            if (response != null) requestId = response.requestId();
        }

        /** The producer: reads responses until the stream ends, reopening before content when allowed. */
        void produce(StreamResponse first, Emitter<E> out) throws Exception {
            StreamResponse response = first;
            for (;;) {
                Attempt<E> attempt = new Attempt<>(protocol, response.statusCode(), out);
                RetryableFailure retry;
                try {
                    SseSource.pump(response.body(), limits, attempt, out);
                    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                        LOG.log(System.Logger.Level.DEBUG, "stream from " + target + " ended ("
                                + (attempt.terminal ? "terminal event" : out.isOver() ? "stream over" : "end of body")
                                + "), request id " + requestId);
                    }
                    return;
                } catch (RetryBeforeContent r) {
                    retry = r.failure;
                } catch (IOException e) {
                    if (out.isOver()) return; // the body was closed by a cancel, a timeout or a limit
                    TransportException lost = new TransportException("the connection to " + target
                            + " was lost while reading the stream: " + e, e);
                    if (attempt.released) throw lost;
                    retry = RetryableFailure.of(lost);
                } catch (SluiceException e) {
                    if (!out.isOver()) attempt.flush();
                    throw e;
                } catch (CancellationException e) {
                    awaitOver(out);
                    return;
                }
                response.close();
                if (out.isOver()) return;
                try {
                    if (!budget.backOff(retry, cancellation)) {
                        attempt.flush();
                        throw retry.failure();
                    }
                    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                        LOG.log(System.Logger.Level.DEBUG, "reopening the stream before any content: "
                                + retry.failure().getMessage());
                    }
                    response = budget.call(this, cancellation);
                } catch (CancellationException e) {
                    awaitOver(out);
                    return;
                }
                requestId = response.requestId();
            }
        }

        /**
         * A cancel was seen before the controller's listeners ended the stream: wait (briefly; the
         * cancelling thread is running them) so that the stream ends CANCELLED rather than COMPLETED.
         */
        private static void awaitOver(Emitter<?> out) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (!out.isOver() && System.nanoTime() < deadline) Thread.onSpinWait();
        }
    }

    /** Thrown through the SSE parser to ask for a reopening; never escapes the producer. */
    private static final class RetryBeforeContent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RetryableFailure failure;

        RetryBeforeContent(RetryableFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /**
     * The decoding of one response: holds events back until the first content event. As a
     * {@link Consumer}, it receives the protocol's decoded events. Producer thread only.
     */
    private static final class Attempt<E> implements SseDecoder<E>, Consumer<E> {
        private final StreamProtocol<E> protocol;
        private final int status;
        private final Emitter<E> out;
        private final List<E> held = new ArrayList<>();
        boolean released;
        boolean terminal;
        boolean completes;

        Attempt(StreamProtocol<E> protocol, int status, Emitter<E> out) {
            this.protocol = protocol;
            this.status = status;
            this.out = out;
        }

        @Override
        public boolean decode(SseEvent event, Emitter<E> ignored) {
            protocol.decode(event, this);
            return terminal;
        }

        @Override
        public Decoded decode(String type, byte[] data, int offset, int length, String lastEventId, Emitter<E> ignored) {
            if (!protocol.decode(type, data, offset, length, this)) return Decoded.DECLINED;
            return terminal ? Decoded.TERMINAL : Decoded.CONTINUE;
        }

        /** Handles one decoded event. */
        @Override
        public void accept(E e) {
            if (terminal || out.isOver()) return;
            Optional<StreamProtocol.InBandError> error = protocol.inBandError(e, status);
            if (error.isPresent()) {
                if (!released && error.get().retryable()) {
                    throw new RetryBeforeContent(RetryableFailure.of(error.get().error()));
                }
                flush();
                throw error.get().error();
            }
            boolean content = protocol.isContent(e);
            boolean ends = protocol.isTerminal(e);
            if (!released) {
                if (!content && !ends) {
                    held.add(e);
                    return;
                }
                flush();
            }
            if (ends) terminal = true;
            if (protocol.completesAtEndOfInput(e)) completes = true;
            if (content) {
                out.emit(e);
            } else {
                out.emitUncounted(e);
            }
        }

        @Override
        public void endOfInput() {
            Optional<SluiceException> failure = completes ? Optional.empty() : protocol.endOfInput();
            if (failure.isPresent()) {
                if (!released) throw new RetryBeforeContent(new RetryableFailure(failure.get(), null));
                throw failure.get();
            }
            flush();
        }

        /** Delivers the held-back events, in order, and lets later events through. */
        void flush() {
            released = true;
            for (E e : held) {
                boolean go = protocol.isContent(e) ? out.emit(e) : out.emitUncounted(e);
                if (!go) break;
            }
            held.clear();
        }
    }
}
