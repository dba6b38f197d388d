package dev.sluice.internal.client;

import dev.sluice.StreamInterruptedException;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.internal.http.Cancellation;
import dev.sluice.internal.http.HttpPost;
import dev.sluice.internal.http.HttpTransport;
import dev.sluice.internal.http.JsonResponse;
import dev.sluice.internal.http.Retrier;
import dev.sluice.internal.stream.ControllerCancellation;
import dev.sluice.internal.stream.EngineAccess;
import dev.sluice.internal.stream.MappedEventStream;
import dev.sluice.internal.stream.StreamProtocol;
import dev.sluice.internal.stream.StreamingCall;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every provider client is made of, apart from its wire format: the transport and the
 * retrier, the stream defaults, and the life cycle — the set of open streams and requests, each
 * registered while it runs, and {@link #close()}, which cancels them before closing the transport.
 * A provider client builds one from its {@link CommonSettings} and asks it for
 * {@linkplain #streamingCall streaming calls} preset with the client's limits, for
 * {@linkplain #chatStream provider-neutral chat streams} and for {@linkplain #send non-streaming
 * requests}; so retries, timeouts, cancellation and limits are the same code for every provider.
 *
 * <p>Messages name the client ({@code "the AnthropicClient is closed"}).
 */
public final class ClientCore {
    // Threading: configuration fields are final. open: concurrent set of the controllers of running
    // streams and requests (added by the calling thread, removed by onEnd or by send() on whichever
    // thread ends them). closed: set once by close(). STREAM_NUMBERS: one counter per thread-name
    // prefix, shared by every client of a provider.

    private static final Map<String, AtomicLong> STREAM_NUMBERS = new ConcurrentHashMap<>();

    private final String clientName;
    private final String threadNamePrefix;
    private final System.Logger log;
    private final HttpTransport transport;
    private final Retrier retrier;
    private final StreamOptions streamOptions;
    private final int queueCapacity;
    private final SseLimits sseLimits;
    private final StreamGuard guard; // the concurrency limit and circuit breaker (issue 19)
    private final Set<StreamController> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the transport (the caller's HttpClient, or its own with the connect timeout) and the
     * retrier from the settings.
     *
     * @param clientName the public client's simple name, for messages and logs
     * @param threadNamePrefix the prefix of the streams' producer threads, numbered from 1 per prefix
     * @param log the client's logger
     * @param requestIdHeader the response header carrying the provider's request id
     * @param settings the validated settings
     */
    public ClientCore(String clientName, String threadNamePrefix, System.Logger log, String requestIdHeader,
                      CommonSettings settings) {
        this.clientName = Objects.requireNonNull(clientName, "clientName");
        this.threadNamePrefix = Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        this.log = Objects.requireNonNull(log, "log");
        HttpTransport.Builder t = HttpTransport.builder().requestIdHeader(requestIdHeader);
        if (settings.httpClient() != null) t.client(settings.httpClient());
        if (settings.connectTimeout() != null) t.connectTimeout(settings.connectTimeout());
        this.transport = t.build();
        this.retrier = new Retrier(settings.retryPolicy());
        this.streamOptions = settings.streamOptions();
        this.queueCapacity = settings.queueCapacity();
        this.sseLimits = settings.sseLimits();
        this.guard = new StreamGuard(clientName, settings.concurrencyLimit(), settings.circuitBreaker(),
                settings.rateLimitHold());
    }

    /** Takes note of the rate limits a response reported (see {@link StreamGuard#observe}). */
    public void observeRateLimits(dev.sluice.RateLimits limits) {
        guard.observe(limits);
    }

    /** {@return the state of the concurrency limit and circuit breaker} */
    public dev.sluice.ResilienceMetrics resilienceMetrics() {
        return guard.metrics();
    }

    /** {@return the options of streams whose controller has none of its own} */
    public StreamOptions streamOptions() {
        return streamOptions;
    }

    /**
     * Refuses new work once closed.
     *
     * @throws IllegalStateException if {@link #close()} has run
     */
    public void requireOpen() {
        if (closed.get()) throw closedException();
    }

    /**
     * Counts a stream or request as open until {@link #deregister}, so that {@link #close()} cancels it.
     *
     * @throws IllegalStateException if the client is closed (the controller is then not kept)
     */
    public void register(StreamController c) {
        open.add(c);
        if (closed.get()) { // close() may have run between the caller's requireOpen() and add()
            open.remove(c);
            throw closedException();
        }
    }

    /** Ends what {@link #register} began. */
    public void deregister(StreamController c) {
        open.remove(c);
    }

    /**
     * Claims the controller for this call (a controller without options of its own takes the
     * client's), registers it and returns a streaming call preset with the client's transport,
     * retrier, SSE limits, queue capacity and a numbered thread name, deregistering when the stream
     * ends. The caller adds what is its own ({@code partial}, {@code onItem}) and opens it.
     *
     * @param c the stream's controller; null for a new one
     * @throws IllegalStateException if the client is closed, or the controller belongs to another
     *     stream (nothing is registered or sent then)
     */
    public <E> StreamingCall.Builder<E> streamingCall(StreamProtocol<E> protocol, StreamController c,
                                                      Supplier<HttpPost> post) {
        if (c == null) c = StreamController.create();
        EngineAccess.engine().claim(c, streamOptions); // atomically: two calls with one controller never both send
        register(c);
        Runnable end = new Deregistration(open, c);
        if (!guard.isEmpty()) {
            StreamGuard.Permit permit;
            try {
                permit = guard.acquire(c); // may wait (the limit) or fail fast (the breaker); close() cancels c
            } catch (RuntimeException e) {
                open.remove(c);
                throw e;
            }
            end = new Both(end, permit);
        }
        return StreamingCall.builder(protocol)
                .transport(transport).retrier(retrier).controller(c).options(streamOptions)
                .post(post)
                .sseLimits(sseLimits).capacity(queueCapacity)
                .threadName(threadNamePrefix + streamNumbers(threadNamePrefix).incrementAndGet())
                .onEnd(end);
    }

    /** Two end hooks, in order. */
    private record Both(Runnable first, Runnable second) implements Runnable {
        @Override
        public void run() {
            try {
                first.run();
            } finally {
                second.run();
            }
        }
    }

    // No lambdas on the way to a stream's first event: a fresh JVM links each one the first time it
    // runs (a millisecond or two apiece).

    /** {@return the counter of the streams of this thread-name prefix, created at its first stream} */
    private static AtomicLong streamNumbers(String prefix) {
        AtomicLong n = STREAM_NUMBERS.get(prefix);
        if (n == null) {
            AtomicLong created = new AtomicLong();
            n = STREAM_NUMBERS.putIfAbsent(prefix, created);
            if (n == null) n = created;
        }
        return n;
    }

    /** A stream's onEnd: it is no longer open. */
    private static final class Deregistration implements Runnable {
        private final Set<StreamController> open;
        private final StreamController controller;

        Deregistration(Set<StreamController> open, StreamController controller) {
            this.open = open;
            this.controller = controller;
        }

        @Override
        public void run() {
            open.remove(controller);
        }
    }

    /**
     * Opens a call as a provider-neutral stream: each event is mapped to at most one chunk, the
     * chunks handed to the consumer are aggregated, and a failure carries the aggregate so far as
     * its partial {@link dev.sluice.chat.ChatResponse}.
     */
    public <E> EventStream<MessageChunk> chatStream(StreamingCall.Builder<E> call,
                                                    Function<? super E, Optional<MessageChunk>> mapper) {
        ChunkAggregator aggregator = new ChunkAggregator();
        StreamingCall<E> opened = call.partial(aggregator::snapshot).open();
        return new MappedEventStream<>(opened.events(), mapper, aggregator::accept);
    }

    /**
     * Sends one non-streaming request with retries, registered as open so that {@link #close()}
     * cancels it.
     *
     * @throws IllegalStateException if the client is closed, before or during the request
     * @throws StreamInterruptedException if the calling thread is interrupted
     * @throws dev.sluice.SluiceException subtypes for the request's failure, after retries
     */
    public JsonResponse send(HttpPost post) {
        StreamController cancelSwitch = StreamController.create(); // only its cancel switch is used
        register(cancelSwitch);
        Cancellation cancellation = ControllerCancellation.of(cancelSwitch);
        try {
            return retrier.budget().call(() -> transport.send(post, cancellation), cancellation);
        } catch (CancellationException e) {
            throw new IllegalStateException("the " + clientName + " was closed while the request was in flight", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamInterruptedException(e);
        } finally {
            open.remove(cancelSwitch);
        }
    }

    /** {@return how many streams and requests are running} */
    public int openCount() {
        return open.size();
    }

    /**
     * Cancels every open stream and request, then closes the transport (and with it the HttpClient
     * if the client created it). Idempotent, safe from any thread.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (StreamController c : List.copyOf(open)) c.cancel("the " + clientName + " was closed");
        transport.close();
        log.log(System.Logger.Level.DEBUG, clientName + " closed");
    }

    /**
     * {@return {@code <clientName>[<configuration>, apiKey=(hidden), <n> open]}, or {@code closed}
     * in place of the count: the client's toString}
     */
    public String describe(String configuration) {
        return clientName + "[" + configuration + ", apiKey=(hidden), "
                + (closed.get() ? "closed" : open.size() + " open") + "]";
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the " + clientName + " is closed");
    }
}
