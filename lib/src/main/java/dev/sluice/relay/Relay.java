package dev.sluice.relay;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.stream.StreamController;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries model streams to browsers, with no server library: a server hands it the parts of each
 * request and an {@link java.io.OutputStream} (or a WebSocket adapter), and it answers with the
 * browser protocol of {@link RelayEvent}. One relay serves many streams and many clients.
 *
 * <pre>{@code
 * Relay relay = Relay.builder().provider("anthropic", anthropicClient, "claude-sonnet-4-5").build();
 * // POST /api/streams
 * switch (relay.create(contentType, body, remoteAddress)) {
 *     case Created c -> respond(201, c.json());
 *     case RelayError e -> respond(e.status(), e.json());
 * }
 * // GET /api/streams/ID/events
 * switch (relay.subscribe(id, lastEventIdHeader)) {
 *     case RelayError e -> respond(e.status(), e.json());
 *     case Subscription s -> {
 *         startResponse(200, "text/event-stream");
 *         s.deliver(new SseRelayClient(responseBody));
 *     }
 * }
 * // DELETE /api/streams/ID
 * respond(relay.cancel(id) ? 204 : 404);
 * }</pre>
 *
 * <h2>What a stream guarantees</h2>
 * <ul>
 * <li>Every event has an id, 1, 2, 3, ... per stream. A bounded replay buffer ({@link RelayLimits})
 *     keeps them, also for the {@linkplain Builder#retention retention} after the end, so a client
 *     that reconnects with {@code Last-Event-ID: n} gets exactly the events after n, then the live
 *     rest: nothing lost, nothing twice. Past the buffer's reach a resume is refused (410).</li>
 * <li>A client that has had no event for the {@linkplain Builder#heartbeat heartbeat} interval
 *     gets a {@code : ping} comment (how a server notices a gone client while the model is silent).</li>
 * <li>The first failed write detaches that client; the upstream keeps running for the
 *     {@linkplain Builder#resumeWindow resume window}, waiting for a client to come back, then
 *     is cancelled, so an abandoned page stops the spending. A stream that no client reads within
 *     the {@linkplain Builder#attachTimeout attach timeout} is cancelled too.</li>
 * <li>Backpressure: when the buffer is full and a connected client has not yet written its
 *     oldest event (or no client is connected), the stream stops pulling from its upstream. A
 *     slow client thus slows its own stream, with bounded memory, and never another: each stream
 *     has its own virtual thread, each client its own.</li>
 * <li>{@link #cancel} cancels the upstream; connected clients get {@code cancelled} and their
 *     responses end.</li>
 * </ul>
 *
 * <p>Threading: every method is safe from any thread. Each stream pulls from its source on its
 * own virtual thread ({@code sluice-relay-ID}); {@link Subscription#deliver} writes on the calling
 * thread; one daemon platform thread ({@code sluice-relay-timer}) runs the resume, attach and
 * retention timers. {@link #close()} cancels every stream.
 */
public final class Relay implements AutoCloseable {
    // Threading: providers, settings and timer are final; streams is concurrent; the admission lock
    // guards active and activeByClient together.

    /** What {@link #create} answers: {@link Created} or {@link RelayError}. */
    public sealed interface CreateOutcome permits Created, RelayError {
        /** {@return the HTTP status to answer with} */
        int status();

        /** {@return the JSON body to answer with} */
        String json();
    }

    /** What {@link #subscribe} answers: a {@link Subscription} to deliver, or a {@link RelayError}. */
    public sealed interface SubscribeOutcome permits Subscription, RelayError {}

    /**
     * Opens the upstream of one stream; runs on the stream's own thread.
     */
    @FunctionalInterface
    public interface SourceFactory {
        /**
         * Opens the source.
         *
         * @param request the request, with its provider and model resolved
         * @param controller the stream's cancel switch, cancelled by {@link Relay#cancel} and the
         *     resume window: pass it to {@link ChatProvider#stream(ChatRequest, StreamController)}
         * @return the source
         * @throws dev.sluice.SluiceException if the upstream cannot be opened (the stream then ends with {@code error})
         */
        RelaySource open(StartRequest request, StreamController controller);
    }

    private record Provider(String defaultModel, SourceFactory factory) {}

    private static final SecureRandom IDS = new SecureRandom();

    private final Map<String, Provider> providers;
    private final String defaultProvider;
    final Duration heartbeat;
    final Duration resumeWindow;
    final Duration retention;
    final Duration attachTimeout;
    final RelayLimits limits;
    final ScheduledThreadPoolExecutor timer;
    private final ConcurrentHashMap<String, RelayedStream> streams = new ConcurrentHashMap<>();
    private final ReentrantLock admission = new ReentrantLock();
    private int active;
    private final Map<String, Integer> activeByClient = new HashMap<>();
    private final java.util.ArrayDeque<RelayedStream> endedStreams = new java.util.ArrayDeque<>(); // kept for replay, oldest first
    private volatile boolean closed;

    private Relay(Builder b) {
        this.providers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.providers)); // in the order added
        this.defaultProvider = b.providers.keySet().iterator().next();
        this.heartbeat = b.heartbeat;
        this.resumeWindow = b.resumeWindow;
        this.retention = b.retention;
        this.attachTimeout = b.attachTimeout;
        this.limits = b.limits;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sluice-relay-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** {@return a builder; at least one provider is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the providers by name with their default models, in the order added (the default first)} */
    public Map<String, String> providers() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(defaultProvider, providers.get(defaultProvider).defaultModel());
        providers.forEach((name, p) -> m.putIfAbsent(name, p.defaultModel()));
        return m;
    }

    /** {@return the limits it enforces} */
    public RelayLimits limits() {
        return limits;
    }

    /** {@return the heartbeat interval} */
    public Duration heartbeat() {
        return heartbeat;
    }

    /**
     * {@code POST /api/streams}: reads at most {@link RelayLimits#maxRequestBytes()} of the body,
     * then as {@link #create(StartRequest, String)}.
     *
     * @param contentType the request's {@code Content-Type}, or null; anything but JSON is refused (415)
     * @param body the request body; read, not closed
     * @param clientAddress the client's address, for the per-client limit
     * @return {@link Created} (201) or a {@link RelayError}
     * @throws NullPointerException if body or clientAddress is null
     */
    public CreateOutcome create(String contentType, InputStream body, String clientAddress) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(clientAddress, "clientAddress");
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return new RelayError(415, "unsupported_media_type", "send the request as Content-Type: application/json, not " + contentType);
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes(limits.maxRequestBytes() + 1);
        } catch (IOException e) {
            return new RelayError(400, "invalid_request", "the request body could not be read: " + e.getMessage());
        }
        if (bytes.length > limits.maxRequestBytes()) {
            return new RelayError(413, "request_too_large", "the request body is larger than " + limits.maxRequestBytes() + " bytes");
        }
        StartRequest request;
        try {
            request = StartRequest.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return new RelayError(400, "invalid_request", e.getMessage());
        }
        return create(request, clientAddress);
    }

    /**
     * Starts a stream: checks the prompt size, the provider and the limits on concurrent streams,
     * then starts pulling from the provider at once (the stream's events are buffered until a
     * client reads them). A failure to reach the provider arrives as the stream's {@code error} event.
     *
     * @param request what to stream
     * @param clientAddress the client's address, for the per-client limit
     * @return {@link Created} (201) or a {@link RelayError}: 413 {@code prompt_too_long}, 400
     *     {@code unknown_provider}, 429 {@code too_many_streams}
     * @throws NullPointerException if an argument is null
     */
    public CreateOutcome create(StartRequest request, String clientAddress) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(clientAddress, "clientAddress");
        long chars = (long) request.prompt().length() + (request.system() == null ? 0 : request.system().length());
        if (chars > limits.maxPromptChars()) {
            return new RelayError(413, "prompt_too_long", "the prompt and system prompt have " + chars
                    + " characters; at most " + limits.maxPromptChars() + " are accepted");
        }
        String providerName = request.provider() == null ? defaultProvider : request.provider();
        Provider provider = providers.get(providerName);
        if (provider == null) {
            return new RelayError(400, "unknown_provider", "no provider named \"" + providerName + "\"; this relay has: "
                    + String.join(", ", providers().keySet()));
        }
        if (closed) return new RelayError(429, "too_many_streams", "the relay is shutting down");
        admission.lock();
        try {
            if (active >= limits.maxStreams()) {
                return new RelayError(429, "too_many_streams", "the relay already runs " + active
                        + " streams, its limit; try again when one has ended");
            }
            int mine = activeByClient.getOrDefault(clientAddress, 0);
            if (mine >= limits.maxStreamsPerClient()) {
                return new RelayError(429, "too_many_streams", "this client already runs " + mine
                        + " streams, the limit per client; cancel one (DELETE) or wait for one to end");
            }
            active++;
            activeByClient.put(clientAddress, mine + 1);
        } finally {
            admission.unlock();
        }
        String id = newId();
        StartRequest resolved = request.resolved(providerName, request.model() == null ? provider.defaultModel() : request.model());
        RelayedStream stream = new RelayedStream(this, id, clientAddress, resolved, provider.factory());
        streams.put(id, stream);
        stream.start();
        return new Created(id, "/api/streams/" + id + "/events");
    }

    /**
     * {@code GET /api/streams/ID/events}: attaches a client after {@code lastEventId}. The client
     * counts as connected from now on (it holds back the resume window and the buffer's eviction),
     * so {@linkplain Subscription#deliver deliver} or {@linkplain Subscription#close close} it.
     *
     * @param streamId the stream's id
     * @param lastEventId the {@code Last-Event-ID} header, or null/empty to start from the first event
     * @return a {@link Subscription}, or a {@link RelayError}: 404 {@code not_found}, 400
     *     {@code invalid_request} (an id that is not a number, or beyond the last event), 410
     *     {@code replay_unavailable}
     * @throws NullPointerException if streamId is null
     */
    public SubscribeOutcome subscribe(String streamId, String lastEventId) {
        Objects.requireNonNull(streamId, "streamId");
        RelayedStream stream = streams.get(streamId);
        if (stream == null) return notFound(streamId);
        long after = 0;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                after = -1;
            }
            if (after < 0) {
                return new RelayError(400, "invalid_request", "Last-Event-ID must be the id of an event of this stream (a whole number), not \""
                        + (lastEventId.length() > 40 ? lastEventId.substring(0, 40) + "..." : lastEventId) + "\"");
            }
        }
        return stream.attach(after);
    }

    /**
     * {@code DELETE /api/streams/ID}: cancels the stream's upstream; connected clients get
     * {@code cancelled}. Cancelling an ended stream does nothing.
     *
     * @param streamId the stream's id
     * @return false if there is no such stream (404), true otherwise (204)
     */
    public boolean cancel(String streamId) {
        RelayedStream stream = streams.get(Objects.requireNonNull(streamId, "streamId"));
        if (stream == null) return false;
        stream.cancel("cancelled by the client");
        return true;
    }

    /**
     * Drops every client of a stream as if its connection had failed: their
     * {@link Subscription#deliver} returns {@link Subscription.Outcome#DROPPED} and the server cuts
     * the connection; the stream keeps running for the resume window. For draining a server, and
     * for tests of resuming.
     *
     * @param streamId the stream's id
     * @return false if there is no such stream
     */
    public boolean dropClients(String streamId) {
        RelayedStream stream = streams.get(Objects.requireNonNull(streamId, "streamId"));
        if (stream == null) return false;
        stream.dropClients();
        return true;
    }

    /** {@return how many streams are running (not counting ended ones kept for replay)} */
    public int activeStreams() {
        admission.lock();
        try {
            return active;
        } finally {
            admission.unlock();
        }
    }

    /** {@return whether a stream of that id is known: running, or ended within the retention} */
    public boolean contains(String streamId) {
        return streams.containsKey(streamId);
    }

    /** Cancels every stream and stops the timers. Idempotent; throws nothing. */
    @Override
    public void close() {
        closed = true;
        for (RelayedStream s : streams.values()) s.cancel("the relay is closing");
        timer.shutdownNow();
    }

    // ---- called by RelayedStream

    /** The stream's upstream has ended: it no longer counts against the limits; forget it after the retention. */
    void ended(RelayedStream stream) {
        RelayedStream forget = null;
        admission.lock();
        try {
            active--;
            activeByClient.computeIfPresent(stream.clientAddress, (k, n) -> n <= 1 ? null : n - 1);
            endedStreams.addLast(stream);
            // at most maxStreams ended streams are kept for replay, so their buffers stay bounded too
            if (endedStreams.size() > limits.maxStreams()) forget = endedStreams.pollFirst();
        } finally {
            admission.unlock();
        }
        if (forget != null) streams.remove(forget.id, forget);
        schedule(() -> {
            streams.remove(stream.id, stream);
            admission.lock();
            try {
                endedStreams.remove(stream);
            } finally {
                admission.unlock();
            }
        }, retention);
    }

    void schedule(Runnable task, Duration delay) {
        if (timer.isShutdown()) return;
        try {
            timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing left to time
        }
    }

    java.util.concurrent.ScheduledFuture<?> scheduleCancellable(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    private static RelayError notFound(String streamId) {
        String shown = streamId.length() > 40 ? streamId.substring(0, 40) + "..." : streamId;
        return new RelayError(404, "not_found", "no stream \"" + shown + "\": it never existed, or it ended longer ago than the relay keeps streams");
    }

    private static String newId() {
        byte[] b = new byte[16];
        IDS.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** {@return the request as a provider-neutral chat request} */
    /**
     * Builds a {@link Relay}. Each setter checks its argument at once.
     */
    public static final class Builder {
        private final Map<String, Provider> providers = new LinkedHashMap<>();
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration resumeWindow = Duration.ofSeconds(10);
        private Duration retention = Duration.ofSeconds(60);
        private Duration attachTimeout = Duration.ofSeconds(30);
        private RelayLimits limits = RelayLimits.defaults();

        private Builder() {}

        /**
         * Adds a model provider: its streams are relayed through {@link RelaySource#chat}. The first
         * provider added is the default.
         *
         * @param name the name clients ask for ({@code "provider"}); not blank, not already added
         * @param provider the provider
         * @param defaultModel the model when a request names none; not blank
         * @return this builder
         * @throws IllegalArgumentException if the name or model is blank, or the name already added
         */
        public Builder provider(String name, ChatProvider provider, String defaultModel) {
            Objects.requireNonNull(provider, "provider");
            return source(name, defaultModel, (request, controller) ->
                    RelaySource.chat(request.provider(), request.model(), provider.stream(request.toChatRequest(), controller)));
        }

        /**
         * Adds a source of any kind under a provider name: a tool runner, a recorded stream. The
         * first added is the default.
         *
         * @param name the name clients ask for; not blank, not already added
         * @param defaultModel the model when a request names none; not blank
         * @param factory opens a stream's source, on the stream's thread
         * @return this builder
         * @throws IllegalArgumentException if the name or model is blank, or the name already added
         */
        public Builder source(String name, String defaultModel, SourceFactory factory) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(defaultModel, "defaultModel");
            Objects.requireNonNull(factory, "factory");
            if (name.isBlank()) throw new IllegalArgumentException("the provider name must not be blank");
            if (defaultModel.isBlank()) throw new IllegalArgumentException("defaultModel must not be blank");
            if (providers.containsKey(name)) throw new IllegalArgumentException("a provider named " + name + " was already added");
            providers.put(name, new Provider(defaultModel, factory));
            return this;
        }

        /**
         * Sets how long a client may go without an event before it gets a {@code : ping}.
         *
         * @param interval positive; default 15 s
         * @return this builder
         */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = positive("heartbeat", interval);
            return this;
        }

        /**
         * Sets how long a stream whose last client left keeps running, waiting for it to resume.
         *
         * @param window zero or more; default 10 s; zero cancels the upstream when the last client leaves
         * @return this builder
         */
        public Builder resumeWindow(Duration window) {
            Objects.requireNonNull(window, "resumeWindow");
            if (window.isNegative()) throw new IllegalArgumentException("resumeWindow must not be negative: " + window);
            this.resumeWindow = window;
            return this;
        }

        /**
         * Sets how long an ended stream stays available for replay and resume.
         *
         * @param retention zero or more; default 60 s
         * @return this builder
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) throw new IllegalArgumentException("retention must not be negative: " + retention);
            this.retention = retention;
            return this;
        }

        /**
         * Sets how long a created stream waits for its first client before it is cancelled.
         *
         * @param timeout positive; default 30 s
         * @return this builder
         */
        public Builder attachTimeout(Duration timeout) {
            this.attachTimeout = positive("attachTimeout", timeout);
            return this;
        }

        /**
         * Sets the limits.
         *
         * @param limits the limits; default {@link RelayLimits#defaults()}
         * @return this builder
         */
        public Builder limits(RelayLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * {@return the relay}
         *
         * @throws IllegalStateException if no provider was added
         */
        public Relay build() {
            if (providers.isEmpty()) throw new IllegalStateException("a relay needs a provider: call provider(..) or source(..)");
            return new Relay(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }

}
