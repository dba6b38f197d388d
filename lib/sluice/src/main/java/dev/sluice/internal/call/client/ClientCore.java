package dev.sluice.internal.call.client;

import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.StreamInterruptedException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Usage;
import dev.sluice.client.ClientOptions;
import dev.sluice.client.RateLimits;
import dev.sluice.client.ResilienceMetrics;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.client.Transport;
import dev.sluice.internal.call.jfr.JfrStreamObserver;
import dev.sluice.internal.call.stream.ControllerCancellation;
import dev.sluice.internal.call.stream.MappedEventStream;
import dev.sluice.internal.call.stream.Retrier;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.call.stream.StreamingCall;
import dev.sluice.internal.call.stream.VerbatimProtocol;
import dev.sluice.internal.low.http.Cancellation;
import dev.sluice.internal.low.http.Deadline;
import dev.sluice.internal.low.http.ErrorBodyParser;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.http.JsonResponse;
import dev.sluice.internal.low.http.RequestAuth;
import dev.sluice.internal.low.http.ServerText;
import dev.sluice.internal.low.http.UserAgent;
import dev.sluice.internal.low.json.Excerpts;
import dev.sluice.sse.SseEvent;
import dev.sluice.sse.SseLimits;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What every provider client is made of, apart from its wire format: the transport and the
 * retrier, the stream defaults, and the life cycle — the set of open streams and requests, each
 * registered while it runs, and {@link #close()}, which cancels them before closing the transport.
 * A provider client builds one from its {@link ClientOptions} and asks it for
 * {@linkplain #streamingCall streaming calls} preset with the client's limits, for
 * {@linkplain #chatStream provider-neutral chat streams} and for {@linkplain #send non-streaming
 * requests}; so retries, timeouts, cancellation and limits are the same code for every provider.
 *
 * <p>Messages name the client ({@code "the AnthropicClient is closed"}).
 *
 * <p>Why this file is long: a quarter of it is Javadoc; every way a provider client calls out
 * (streams, verbatim streams, chat streams, non-streaming requests) shares the one life cycle, the
 * limits and the open set kept here, so each is a few methods beside the state they register in.
 */
public final class ClientCore {
    /**
     * The most characters of an answer's text, thinking and tool calls' arguments a chat stream holds
     * for the partial response its failure carries ({@link #chatStream}): 64 KiB as UTF-16.
     */
    public static final int PARTIAL_CHARS = 32 * 1024;

    // Threading: configuration fields are final. open: concurrent map of the controllers of running
    // streams and requests to how many calls registered each (registered by the calling thread,
    // deregistered by onEnd or by send() on whichever thread ends them; a controller that two
    // threads pass to two calls at once is registered twice, and each call's end removes only its
    // own registration). closed: set once by close(). STREAM_NUMBERS: one counter per thread-name
    // prefix, shared by every client of a provider.

    private static final Map<String, AtomicLong> STREAM_NUMBERS = new ConcurrentHashMap<>();

    private final RequestAuth auth;
    private final String clientName;
    private final String threadNamePrefix;
    private final System.Logger log;
    private final URI baseUrl;
    private final Map<String, String> extraHeaders;
    private final HttpTransport transport;
    private final Retrier retrier;
    private final StreamOptions streamOptions;
    private final int queueCapacity;
    private final SseLimits sseLimits;
    private final List<StreamObserver> observers;
    private final String provider;
    private final String operation;
    private final String serverHost;
    private final int serverPort;
    private final ConcurrentHashMap<StreamController, Integer> open = new ConcurrentHashMap<>();
    private final StreamGuard
            guard; // the concurrency limit, circuit breaker, request rate and rate-limit hold (issue 19)
    private final RateLimitTracker rateLimits;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the transport (the caller's HttpClient, or its own with the connect timeout) and the
     * retrier from the options.
     *
     * @param clientName the public client's simple name, for messages and logs
     * @param threadNamePrefix the prefix of the streams' producer threads, numbered from 1 per prefix
     * @param log the client's logger
     * @param requestIdHeader the response header carrying the provider's request id
     * @param options the client's options, with its base URL
     */
    public ClientCore(
            String clientName,
            String threadNamePrefix,
            System.Logger log,
            String requestIdHeader,
            ClientOptions options) {
        this(clientName, threadNamePrefix, log, requestIdHeader, ErrorBodyParser.standard(), options);
    }

    /**
     * As {@link #ClientCore(String, String, System.Logger, String, ClientOptions)}, for a provider
     * whose error responses the {@linkplain ErrorBodyParser#standard() standard parser} does not read.
     *
     * @param errorParser reads the provider's error responses
     */
    public ClientCore(
            String clientName,
            String threadNamePrefix,
            System.Logger log,
            String requestIdHeader,
            ErrorBodyParser errorParser,
            ClientOptions options) {
        this(clientName, threadNamePrefix, log, requestIdHeader, errorParser, options, RequestAuth.NONE);
    }

    /**
     * As {@link #ClientCore(String, String, System.Logger, String, ErrorBodyParser, ClientOptions)},
     * for a client whose requests are each authorized afresh (a cloud's refreshed token, a SigV4
     * signature): every attempt of every stream and request gets {@code auth}'s headers.
     *
     * @param auth how each attempt is authorized
     */
    public ClientCore(
            String clientName,
            String threadNamePrefix,
            System.Logger log,
            String requestIdHeader,
            ErrorBodyParser errorParser,
            ClientOptions options,
            RequestAuth auth) {
        this(
                clientName,
                clientName.replace("Client", "").toLowerCase(Locale.ROOT),
                threadNamePrefix,
                log,
                requestIdHeader,
                errorParser,
                options,
                auth); // AnthropicClient -> anthropic
    }

    /**
     * As {@link #ClientCore(String, String, System.Logger, String, ErrorBodyParser, ClientOptions, RequestAuth)},
     * for a client that reaches its provider's API through another service (Gemini or Claude on
     * Vertex AI): observers see {@code provider} ({@link dev.sluice.client.StreamStart#provider()}).
     *
     * @param provider the provider's name for observers, such as {@code vertex}
     */
    public ClientCore(
            String clientName,
            String provider,
            String threadNamePrefix,
            System.Logger log,
            String requestIdHeader,
            ErrorBodyParser errorParser,
            ClientOptions options,
            RequestAuth auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.clientName = Objects.requireNonNull(clientName, "clientName");
        this.threadNamePrefix = Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        this.log = Objects.requireNonNull(log, "log");
        this.baseUrl =
                options.baseUrl().orElseThrow(() -> new IllegalArgumentException("the options have no base URL"));
        this.extraHeaders = options.headers();
        HttpTransport.Builder t =
                HttpTransport.builder().requestIdHeader(requestIdHeader).errorParser(errorParser);
        options.httpClient().ifPresent(t::client);
        options.connectTimeout().ifPresent(t::connectTimeout);
        options.sslContext().ifPresent(t::sslContext);
        options.transport()
                .ifPresent(chosen -> t.engine(
                        chosen == Transport.BLOCKING
                                ? HttpTransport.Engine.BLOCKING
                                : HttpTransport.Engine.HTTP_CLIENT));
        t.destination(baseUrl);
        this.transport = t.build();
        this.retrier = new Retrier(options.retryPolicy());
        this.streamOptions = options.streamOptions();
        this.queueCapacity = options.queueCapacity();
        this.sseLimits = options.sseLimits();
        List<StreamObserver> all = new ArrayList<>();
        all.add(JfrStreamObserver.INSTANCE); // every stream is a JDK Flight Recorder event
        JfrStreamObserver.prepare();
        all.addAll(options.observers());
        this.observers = List.copyOf(all);
        this.provider = Objects.requireNonNull(provider, "provider");
        // OpenTelemetry's names: Gemini's API (AI Studio's or Vertex AI's) generates content
        this.operation = clientName.equals("GeminiClient") ? "generate_content" : "chat";
        this.serverHost = baseUrl.getHost();
        this.serverPort =
                baseUrl.getPort() >= 0 ? baseUrl.getPort() : "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
        Duration hold = options.rateLimitHold().orElse(null);
        this.guard = new StreamGuard(
                clientName,
                options.concurrencyLimit().orElse(null),
                options.circuitBreaker().orElse(null),
                options.requestRateLimit().orElse(null),
                hold);
        this.rateLimits = new RateLimitTracker(guard, hold != null);
    }

    /** {@return the base URL} */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@return the base URL without trailing slashes, for appending the endpoint's path} */
    public String base() {
        return withoutTrailingSlash(baseUrl);
    }

    /** {@return the URI without trailing slashes, as a string} */
    public static String withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    /**
     * {@return the request headers: the provider's own, then {@code user-agent}, then the extra
     * headers of the options (which may replace {@code user-agent}; the provider's names were refused)}
     */
    public Map<String, String> headers(Map<String, String> providerHeaders) {
        Map<String, String> h = new LinkedHashMap<>(providerHeaders);
        h.put("user-agent", UserAgent.VALUE);
        h.putAll(extraHeaders);
        return Collections.unmodifiableMap(h);
    }

    /**
     * {@return the rate limits reported with the latest response of any of the client's streams
     * (or the delay named by the latest refused opening), when one came}
     */
    public Optional<RateLimits> rateLimits() {
        return rateLimits.latest();
    }

    /**
     * Takes rate limits a response reported in its body (OpenAI's
     * {@code response.rate_limits.updated}) as the client's latest report: {@link #rateLimits()}
     * returns them, and a client that holds new streams while rate limited watches them. Any thread.
     *
     * @param limits the limits, observed when the event arrived
     */
    public void reportRateLimits(RateLimits limits) {
        rateLimits.reported(Objects.requireNonNull(limits, "limits"));
    }

    /** {@return whether a stream opened now would be refused without a request (breaker open, limit full)} */
    public boolean refusesNewStreams() {
        return guard.refusesNow();
    }

    /** {@return the state of the concurrency limit and circuit breaker} */
    public ResilienceMetrics resilienceMetrics() {
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
        open.merge(c, 1, Integer::sum);
        if (closed.get()) { // close() may have run between the caller's requireOpen() and add()
            deregister(open, c);
            throw closedException();
        }
    }

    /** Ends what one {@link #register} began. */
    public void deregister(StreamController c) {
        deregister(open, c);
    }

    private static void deregister(ConcurrentHashMap<StreamController, Integer> open, StreamController c) {
        open.computeIfPresent(c, (controller, n) -> n == 1 ? null : n - 1);
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
    public <E> StreamingCall.Builder<E> streamingCall(
            StreamProtocol<E> protocol, StreamController c, Supplier<HttpPost> post) {
        return streamingCall(protocol, c, "", post);
    }

    /**
     * A passthrough's stream: the request {@code post} makes, under {@code model}, its events decoded
     * by {@code protocol} for the call (its rules, observers, breaker and usage) and handed on as
     * they came, each its {@link VerbatimProtocol.Verbatim#handedOut()} event.
     */
    public <E> EventStream<SseEvent> verbatimStream(
            StreamProtocol<VerbatimProtocol.Verbatim<E>> protocol,
            StreamController c,
            String model,
            Supplier<HttpPost> post) {
        return MappedEventStream.open(
                streamingCall(protocol, c, model, post), VerbatimProtocol.Verbatim::handedOut, e -> {});
    }

    /**
     * As {@link #streamingCall(StreamProtocol, StreamController, Supplier)}, for a request naming
     * {@code model}: the stream is shown to the client's {@link StreamObserver}s (and recorded as a
     * JDK Flight Recorder event) under that model.
     */
    public <E> StreamingCall.Builder<E> streamingCall(
            StreamProtocol<E> protocol, StreamController c, String model, Supplier<HttpPost> post) {
        if (c == null) c = StreamController.create();
        Runnable release = claim(c);
        LongSupplier clock = c.options().nanoTime();
        StreamObservation observation = new StreamObservation(
                observers,
                new StreamStart(
                        provider, operation, model == null ? "" : model, serverHost, serverPort, clock.getAsLong()),
                clock,
                log);
        Runnable end = new Deregistration(open, c, observation);
        if (release != null) end = new Both(end, release);
        StreamingCall.Builder<E> call = StreamingCall.builder(protocol);
        @Nullable Consumer<E> tap = observation.tap(protocol);
        if (tap != null) call.onDecoded(tap);
        return call.transport(transport)
                .retrier(retrier)
                .controller(c)
                .options(streamOptions)
                .post(observation.post(post))
                .auth(auth)
                .sseLimits(sseLimits)
                .capacity(queueCapacity)
                .threadName(threadNamePrefix + streamNumbers(threadNamePrefix).incrementAndGet())
                .observer(rateLimits.watching(observation))
                .onEnd(end);
    }

    /**
     * Claims the controller for one call: registered as open (so that {@link #close()} cancels it),
     * a place taken under the client's guard (its concurrency limit, its breaker), and started with
     * the client's options unless it has its own. {@return the guard's release, to run when the
     * call ends; null without a guard}
     *
     * @throws IllegalStateException if the controller belongs to another stream (nothing is registered)
     */
    private StreamGuard.@Nullable Permit claim(StreamController c) {
        if (c.isStarted()) c.start(streamOptions); // throws: the controller has a stream already (before any wait)
        register(c);
        StreamGuard.Permit release = null;
        if (!guard.isEmpty()) {
            try {
                release = guard.acquire(c); // may wait (the limit) or fail fast (the breaker); close() cancels c
            } catch (RuntimeException e) {
                deregister(open, c);
                throw e;
            }
        }
        try {
            c.start(streamOptions); // atomically: of two calls with one controller, one fails here, before sending
        } catch (RuntimeException e) {
            deregister(open, c);
            if (release != null) release.run();
            throw e;
        }
        return release;
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

    /** A stream's onEnd: it is no longer open, and its observers are told how it ended. Runs once (the call's onEnd contract). */
    private static final class Deregistration implements Runnable {
        private final ConcurrentHashMap<StreamController, Integer> open;
        private final StreamController controller;
        private final StreamObservation observation;

        Deregistration(
                ConcurrentHashMap<StreamController, Integer> open,
                StreamController controller,
                StreamObservation observation) {
            this.open = open;
            this.controller = controller;
            this.observation = observation;
        }

        @Override
        public void run() {
            deregister(open, controller);
            observation.end(controller);
        }
    }

    /**
     * Opens a call as a provider-neutral stream: each event is mapped to at most one chunk, the
     * chunks handed to the consumer are aggregated, and a failure — the mapper's too, which ends
     * the stream (see {@link MappedEventStream}) — carries the aggregate so far as its partial
     * {@link dev.sluice.chat.ChatResponse}, and the request id. The aggregate holds the first
     * {@value #PARTIAL_CHARS} characters of the answer's text, thinking and tool calls' arguments, no
     * more: the chunks are the answer; a failure's partial reports it, and a stream of any length
     * holds no more than that for it.
     */
    public <E> EventStream<MessageChunk> chatStream(
            StreamingCall.Builder<E> call, Function<? super E, Optional<MessageChunk>> mapper) {
        ChunkAggregator aggregator = new ChunkAggregator(PARTIAL_CHARS);
        return MappedEventStream.open(call.partial(aggregator::snapshot), mapper, aggregator::accept);
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
        return send(post, new AtomicReference<>(post));
    }

    /**
     * As {@link #send(HttpPost)}, then reads the response with {@code read} on this thread, where
     * what a message shows of the body ({@link Excerpts}) is cleaned of the request's
     * credentials meanwhile, as an error body is: a server may echo a key in a malformed answer.
     *
     * @param read reads the answer (and throws what its shape calls for)
     * @return what {@code read} returns
     * @throws IllegalStateException if the client is closed, before or during the request
     * @throws StreamInterruptedException if the calling thread is interrupted
     * @throws dev.sluice.SluiceException subtypes for the request's failure, after retries
     */
    public <T> T send(HttpPost post, Function<JsonResponse, T> read) {
        AtomicReference<HttpPost> sent = new AtomicReference<>(post);
        return read(send(post, sent), sent, read);
    }

    /**
     * Sends one non-streaming request as a stream's controller's call: the controller claimed as
     * {@link #streamingCall} claims it (registered, a place under the client's guard, started), the
     * request sent with retries, cut short by the controller's cancel switch, the whole exchange
     * within its total timeout, each wait for the body's next bytes within its idle timeout (a
     * {@link dev.sluice.StreamTimeoutException} of kind {@code IDLE} with the request id, as a
     * stream's), at most {@code maxBytes} of the body read, then read with
     * {@code read} as {@link #send(HttpPost, Function)} reads it; the controller released after.
     *
     * <p>The call is seen as a stream is: the client's {@link StreamObserver}s (Flight Recorder's
     * {@code dev.sluice.Stream} event among them) are told of its start, its retries and its end, the
     * answer one chunk that arrives whole, with the usage {@code usage} finds in it; and the circuit
     * breaker records its outcome (a failure or a timeout an error, an answer a success, a cancel
     * nothing).
     *
     * @param post the request
     * @param c the call's controller, not claimed by another stream
     * @param model the model the request names, as the observers see it
     * @param maxBytes the most bytes of the body to read; positive
     * @param read reads the answer
     * @param usage the usage an answer reports, or null where it reports none (or is not read)
     * @return what {@code read} returns
     * @throws IllegalStateException if the controller belongs to another stream (nothing is sent)
     * @throws dev.sluice.IncompleteStreamException if the controller was cancelled before the answer came
     * @throws StreamInterruptedException if the calling thread is interrupted
     * @throws dev.sluice.SluiceException subtypes for the request's failure, after retries (a body
     *     past {@code maxBytes}: a {@link dev.sluice.LimitExceededException} naming {@code maxResponseBytes})
     */
    public <T> T send(
            HttpPost post,
            StreamController c,
            String model,
            long maxBytes,
            Function<JsonResponse, T> read,
            Function<? super T, @Nullable Usage> usage) {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        StreamGuard.Permit permit = claim(c);
        LongSupplier clock = c.options().nanoTime();
        StreamObservation observation = new StreamObservation(
                observers,
                new StreamStart(provider, operation, model, serverHost, serverPort, clock.getAsLong()),
                clock,
                log);
        EndReason end = EndReason.FAILED;
        SluiceException failure = null;
        String id = null;
        long bytes = 0;
        Usage used = null;
        try {
            AtomicReference<HttpPost> sent = new AtomicReference<>(post);
            JsonResponse response;
            try {
                response = send(
                        post,
                        sent,
                        ControllerCancellation.of(c),
                        c.options().totalTimeout().orElse(null),
                        c.options().idleTimeout().orElse(null),
                        maxBytes,
                        observation);
            } catch (CancellationException e) {
                end = EndReason.CANCELLED;
                throw new IncompleteStreamException("the request to " + clientName + " was cancelled ("
                        + c.cancelReason().orElse("cancelled") + ") before its answer came");
            }
            id = response.requestId();
            if (observation.active()) bytes = utf8Length(response.body()); // else no one reads it
            T result = read(response, sent, read);
            used = usage.apply(result);
            end = EndReason.COMPLETED;
            return result;
        } catch (SluiceException e) {
            failure = e;
            if (e.requestId().isPresent()) id = e.requestId().get();
            if (end != EndReason.CANCELLED)
                end = e instanceof StreamTimeoutException ? EndReason.TIMED_OUT : EndReason.FAILED;
            throw e;
        } finally {
            deregister(open, c);
            if (permit != null) permit.ended(end == EndReason.CANCELLED ? null : end);
            observation.answered(end, failure, id, bytes, used);
        }
    }

    /** {@return how many bytes {@code s} takes in UTF-8} */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4
        }
        return n;
    }

    /** Reads a response with {@code read}, what a message shows of its body cleaned of the credentials {@code sent} carried. */
    private static <T> T read(JsonResponse response, AtomicReference<HttpPost> sent, Function<JsonResponse, T> read) {
        Map<String, String> credentials = sent.get().redactions();
        Excerpts.ThreadRedaction thisThreadRedacts =
                Excerpts.redactOnThisThread(data -> ServerText.redact(data, credentials));
        try {
            return read.apply(response);
        } finally {
            thisThreadRedacts.close();
        }
    }

    /** Sends the post, the last one sent (signed, with its credentials) left in {@code sent}. */
    private JsonResponse send(HttpPost post, AtomicReference<HttpPost> sent) {
        StreamController cancelSwitch = StreamController.create(); // only its cancel switch is used
        register(cancelSwitch);
        try {
            return send(post, sent, ControllerCancellation.of(cancelSwitch), null, null, Long.MAX_VALUE, null);
        } catch (CancellationException e) {
            throw new IllegalStateException("the " + clientName + " was closed while the request was in flight", e);
        } finally {
            deregister(cancelSwitch);
        }
    }

    /**
     * Sends the post with retries, the last one sent (signed, with its credentials) left in {@code sent},
     * each attempt and each wait before a retry told to {@code observation} when there is one.
     *
     * @throws CancellationException if {@code cancellation} cut it short
     */
    private JsonResponse send(
            HttpPost post,
            AtomicReference<HttpPost> sent,
            Cancellation cancellation,
            @Nullable Duration total,
            @Nullable Duration idle,
            long maxBytes,
            @Nullable StreamObservation observation) {
        try {
            return (observation == null ? retrier.budget() : retrier.budget(observation::retrying))
                    .call(
                            () -> {
                                if (observation != null) observation.attempt();
                                HttpPost signed = auth.apply(post, Deadline.NONE, cancellation);
                                sent.set(signed);
                                return transport.send(signed, cancellation, total, idle, maxBytes);
                            },
                            cancellation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamInterruptedException(e);
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
        for (StreamController c : List.copyOf(open.keySet())) c.cancel("the " + clientName + " was closed");
        transport.close();
        log.log(System.Logger.Level.DEBUG, clientName + " closed");
    }

    /**
     * {@return {@code <clientName>[<configuration>, apiKey=(hidden), <n> open]}, or {@code closed}
     * in place of the count: the client's toString}
     */
    public String describe(String configuration) {
        return clientName + "[" + configuration + ", apiKey=(hidden), transport=" + transport.describeEngine() + ", "
                + (closed.get() ? "closed" : open.size() + " open") + "]";
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the " + clientName + " is closed");
    }
}
