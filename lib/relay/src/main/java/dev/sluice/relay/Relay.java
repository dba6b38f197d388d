package dev.sluice.relay;

import dev.sluice.RelayException;
import dev.sluice.RelayException.Kind;
import dev.sluice.agent.TurnCheckpoint;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ToolResult;
import dev.sluice.stream.StreamController;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Carries model streams to browsers over any transport: a server hands it start requests and
 * {@code Last-Event-ID}s, and an {@link java.io.OutputStream} (or a WebSocket adapter) to write
 * to; the relay answers with the browser protocol of {@link RelayEvent}, and refuses with a
 * {@link RelayException} whose {@link RelayException#kind() kind} the server maps to its own
 * answer. Routes, status codes, media types and limits per client address are the server's. One
 * relay serves many streams and many clients.
 *
 * <pre>{@code
 * Relay relay = Relay.builder().provider(anthropicClient.providerName(), anthropicClient, ProviderCatalog.ANTHROPIC.defaultModel()).build();
 * // a client starts a stream with a request's JSON (a POST body, a WebSocket frame)
 * try {
 *     String id = relay.start(StartRequest.parse(json));
 *     answerCreated(id);
 * } catch (RelayException e) {
 *     answerRefused(e.kind(), e.getMessage());         // the server maps the kind to its answer
 * }
 * // a client reads it, from the first event or after its Last-Event-ID
 * try {
 *     Subscription s = relay.subscribe(id, lastEventId);
 *     s.deliver(new SseRelayWriter(responseBody));      // until done, error or cancelled, or the client leaves
 * } catch (RelayException e) {
 *     answerRefused(e.kind(), e.getMessage());         // NOT_FOUND, INVALID_REQUEST or REPLAY_UNAVAILABLE
 * }
 * // a client stops it: the upstream is cancelled, connected clients get cancelled
 * relay.cancel(id);
 * }</pre>
 *
 * <h2>What a stream guarantees</h2>
 * <ul>
 * <li>Every event has an id, 1, 2, 3, ... per stream. A bounded replay buffer ({@link RelayLimits})
 *     keeps them, also for the {@linkplain Builder#retention retention} after the end, so a client
 *     that reconnects with {@code Last-Event-ID: n} gets exactly the events after n, then the live
 *     rest: nothing lost, nothing twice. Past the buffer's reach a resume is refused
 *     ({@link RelayException.Kind#REPLAY_UNAVAILABLE}).</li>
 * <li>A client that has had no event for the {@linkplain Builder#heartbeat heartbeat} interval
 *     gets a {@code : ping} comment (how a server notices a gone client while the model is silent).</li>
 * <li>The first failed write detaches that client; the upstream keeps running for the
 *     {@linkplain Builder#resumeWindow resume window}, waiting for a client to come back, then
 *     is cancelled, so an abandoned page stops the spending. A stream that no client reads within
 *     the {@linkplain Builder#attachTimeout attach timeout} is cancelled too.</li>
 * <li>Backpressure: when the buffer is full and a connected client has not yet written its
 *     oldest event (or no client is connected), the stream stops pulling from its upstream. A
 *     slow client thus slows its own stream, with bounded memory, and never another: each stream
 *     fills its buffer on a virtual thread of its own (a model's stream on its producer's thread,
 *     the one that reads the model's socket), each client its own.</li>
 * <li>{@link #cancel} cancels the upstream; connected clients get {@code cancelled} and their
 *     deliveries end.</li>
 * </ul>
 *
 * <h2>Many nodes</h2>
 * With a shared {@linkplain Builder#store store} (Redis, in {@code sluice-relay-redis}) relays on
 * several nodes serve one another's streams: a stream's events are copied to the store as they
 * are buffered, so a client that reconnects to another node with {@code Last-Event-ID} resumes
 * there (nothing lost, nothing twice), several nodes' clients follow one stream, {@link #cancel}
 * on any node stops the upstream on the node that runs it (within a round trip to the store and
 * back, milliseconds), the resume window waits for clients on every node, and
 * {@link RelayLimits#maxStreams()} counts the streams of all nodes. A node reads another node's
 * stream through a replay buffer of its own, of its own limits: a stream larger than that buffer
 * (or an event larger than it) goes through it as the client reads, and a resume past what it
 * still holds is refused ({@link RelayException.Kind#REPLAY_UNAVAILABLE}). When the node that runs a
 * stream stops, the other nodes' clients get an {@code error} ({@code node_lost}) after every
 * event it had stored, within its liveness time plus two seconds. When the store cannot be
 * reached, streams that run keep serving this node's clients, and {@link #start} and
 * {@link #subscribe} of other nodes' streams refuse with
 * {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} until it is back.
 *
 * <p>Threading: every method is safe from any thread. Each stream opens its source on its own
 * virtual thread ({@code sluice-relay-ID}) and pulls from it there; a model's stream
 * ({@link RelaySource#chat}, and so {@link Builder#provider}) is then handed to the thread that
 * reads the model's response, which appends each event as it arrives ({@link
 * dev.sluice.stream.EventStream#pushTo}), and the stream's own thread ends: a stream waiting for
 * its model holds that one thread. The end hook runs on whichever of the two ends the stream.
 * {@link Subscription#deliver} writes on the calling
 * thread; one daemon platform thread ({@code sluice-relay-timer}) runs the resume, attach and
 * retention timers, by the {@linkplain Builder#nanoTime clock} (the system's by default). With a
 * shared store, each stream's events are copied to it by a writer ({@code sluice-relay-store-ID})
 * that runs while they flow and ends in a silence, as {@link Subscription#deliverAsync} does; each
 * stream of another node read here has a watcher ({@code sluice-relay-replica-ID}: its leases and
 * the running node's liveness), while the store hands its events on ({@link RelayStore#follow}).
 * {@link #close()} cancels every stream; it does not close the store.
 *
 * <p>Why this file is long: two fifths Javadoc (the guarantees above and every builder option's);
 * starting, subscribing, cancelling and deciding approvals share the table of running streams and
 * the limits counted against it, so they stay in one class; a stream's own life is
 * {@code RelayedStream}'s, its replay the store's.
 */
public final class Relay implements AutoCloseable {
    /** How long a client may go without an event before it gets a {@code : ping}, by default. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** How long a stream whose last client left keeps running for a resume, by default. */
    public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofSeconds(10);

    // Threading: providers, settings and clock are final; streams is concurrent (replicas adds and
    // removes other nodes' streams); activeLock guards active and endedStreams.

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
        RelaySource open(StartRequest.Resolved request, StreamController controller);

        /**
         * Opens the continuation of a stream whose node stopped while one of its tool calls
         * followed a task (MCP Tasks), on the node that {@linkplain RelayStore#takeOver took it
         * over}: the call's events from here to its end ({@code tool_progress}, {@code tool_input},
         * {@code tool_done} or {@code tool_failed}), following the task from its handle without
         * calling the tool again. The default has no tasks to follow: null.
         *
         * @param callId the call's id
         * @param toolName the tool's name
         * @param taskId the task's handle, as the call was given it
         * @param controller the follow's cancel switch: a cancel of the stream cancels the task
         * @return the source of the call's events, without {@code start} and without a terminal
         *     event; null when this factory follows no tasks
         */
        default @Nullable RelaySource follow(
                String callId, String toolName, String taskId, StreamController controller) {
            return null;
        }

        /**
         * Opens the rest of a tool run whose node stopped while tool calls of its last turn followed
         * tasks, on the node that {@linkplain RelayStore#takeOver took it over}, from the turn's
         * checkpoint the running node kept ({@link dev.sluice.agent.ToolRunner#resume}): the events
         * of the turn's calls from here to their ends, then the run's next turns, then
         * {@code done}; the tasks followed from their handles without calling the tools again. The
         * default goes on with no run: null (the node then follows the tasks alone).
         *
         * @param checkpoint where the run stood
         * @param tasks the handles of the tasks to follow, by call id
         * @param results the results of the turn's calls that had ended, by call id
         * @param controller the run's cancel switch: a cancel of the stream cancels it and its tasks
         * @return the run's events without {@code start}; null when this factory runs no tool runs
         */
        default @Nullable RelaySource resume(
                TurnCheckpoint checkpoint,
                Map<String, String> tasks,
                Map<String, ToolResult> results,
                StreamController controller) {
            return null;
        }
    }

    private record Provider(String name, String defaultModel, SourceFactory factory) {
        /** {@return the request with this provider and, when it names none, this provider's default model} */
        StartRequest.Resolved resolve(StartRequest request) {
            return request.resolved(name, request.model() == null ? defaultModel : request.model());
        }
    }

    private static final SecureRandom IDS = new SecureRandom();
    /** The store's counter of running streams. */
    static final String STREAMS = "streams";

    private final Map<String, Provider> providers;
    private final String defaultProvider;
    /** What the streams' parts read of this relay (they hold it, not the relay). */
    final RelaySettings settings;

    private final Duration heartbeat;
    private final Duration retention;
    private final RelayLimits limits;
    private final RelayClock clock;
    private final RelayStore store;
    private final ConcurrentHashMap<String, RelayedStream> streams = new ConcurrentHashMap<>();
    private final ReentrantLock activeLock = new ReentrantLock();
    private int active;
    private final StreamHost host = new Host();
    /** The streams of lost nodes whose tasks this node finishes, by id. */
    private final Map<String, TaskTakeover> takeovers = new ConcurrentHashMap<>();

    private final Set<DirectRun> directs = ConcurrentHashMap.newKeySet(); // running direct runs
    private final Replicas replicas;
    private final ArrayDeque<RelayedStream> endedStreams = new ArrayDeque<>(); // kept for replay, oldest first
    private volatile boolean closed;

    private Relay(Builder b) {
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(b.providers)); // in the order added
        this.defaultProvider = b.providers.keySet().iterator().next();
        this.heartbeat = b.heartbeat;
        this.retention = b.retention;
        this.limits = b.limits;
        this.store = b.store;
        this.clock = new RelayClock(b.nanoTime);
        this.settings = new RelaySettings(clock, store, limits, heartbeat, b.resumeWindow, retention, b.attachTimeout);
        this.replicas = new Replicas(settings, host, streams);
        if (store.shared()) store.listen(this::command);
    }

    /** {@return a builder; at least one provider is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the providers by name with their default models, in the order added (the default first)} */
    public Map<String, String> providers() {
        Map<String, String> m = new LinkedHashMap<>();
        providers.forEach((name, p) -> m.put(name, p.defaultModel())); // the default is the first added
        return m;
    }

    /** {@return the limits it enforces} */
    public RelayLimits limits() {
        return limits;
    }

    /** {@return the store it keeps and shares its streams in; {@link RelayStore#inMemory()} by default} */
    public RelayStore store() {
        return store;
    }

    /** {@return the heartbeat interval} */
    public Duration heartbeat() {
        return heartbeat;
    }

    /**
     * Starts a stream, as {@link #start(StartRequest, Consumer)} with nothing to run at its end.
     *
     * @param request what to stream
     * @return the stream's id: 22 URL-safe characters, 128 bits from {@link SecureRandom}: unguessable
     * @throws RelayException {@link RelayException.Kind#PROMPT_TOO_LONG PROMPT_TOO_LONG},
     *     {@link RelayException.Kind#UNKNOWN_PROVIDER UNKNOWN_PROVIDER} or
     *     {@link RelayException.Kind#TOO_MANY_STREAMS TOO_MANY_STREAMS}
     */
    public String start(StartRequest request) {
        return start(request, last -> {});
    }

    /**
     * Starts a stream: checks the conversation's size, the provider and the limit on concurrent
     * streams, then starts pulling from the provider at once (the stream's events are buffered
     * until a client reads them). A failure to reach the provider arrives as the stream's
     * {@code error} event.
     *
     * @param request what to stream
     * @param onEnd runs once, on the stream's thread (for a model's stream, the thread that read its
     *     response), when the stream's upstream has ended
     *     (completed, failed or cancelled), with the stream's terminal event ({@code done} with the
     *     usage, {@code error} or {@code cancelled}), just before the stream stops counting against
     *     the limits and before any client can read that event: for a server's own admission, such
     *     as a limit per client address, and its access log. It does not run when this method throws.
     * @return the stream's id: 22 URL-safe characters, 128 bits from {@link SecureRandom}: unguessable
     *     (a shared store may {@linkplain RelayStore#place place} it: 110 random bits then)
     * @throws RelayException {@link RelayException.Kind#PROMPT_TOO_LONG PROMPT_TOO_LONG},
     *     {@link RelayException.Kind#UNKNOWN_PROVIDER UNKNOWN_PROVIDER},
     *     {@link RelayException.Kind#TOO_MANY_STREAMS TOO_MANY_STREAMS} (also once the relay is closed)
     *     or {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} (a shared store cannot be reached)
     */
    public String start(StartRequest request, Consumer<? super RelayEvent> onEnd) {
        return start(request, null, onEnd);
    }

    /**
     * Starts a stream whose events come from a source of the caller's own rather than the
     * provider's registered one, with everything else as {@link #start(StartRequest, Consumer)}:
     * the same checks, limits, ids, buffer, heartbeats and end hook. For a protocol that carries
     * more than a {@link StartRequest} says — the OpenAI-compatible gateway's tools, tool choice
     * and sampling settings ({@link dev.sluice.relay.protocol.GatewayRequest}) — and builds the
     * provider's request itself. The provider named must be one of the relay's; it names the
     * stream's provider.
     *
     * @param request what the stream is, as the limits and the end hook see it
     * @param source opens the stream's source, on the stream's thread; null for the provider's registered one
     * @param onEnd as {@link #start(StartRequest, Consumer)}
     * @return the stream's id
     * @throws RelayException as {@link #start(StartRequest, Consumer)}
     */
    public String start(StartRequest request, @Nullable SourceFactory source, Consumer<? super RelayEvent> onEnd) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onEnd, "onEnd");
        Provider provider = takePlace(request);
        String id = newId();
        if (store.shared()) {
            try {
                id = placed(id);
                store.register(id, settings.storeTtl(false));
            } catch (RuntimeException e) {
                releaseQuietly(STREAMS);
                throw e;
            }
        }
        activeLock.lock();
        try {
            active++;
        } finally {
            activeLock.unlock();
        }
        RelayedStream stream = new RelayedStream(
                settings, host, id, provider.resolve(request), source != null ? source : provider.factory(), onEnd);
        streams.put(id, stream);
        StoreMirror mirror = store.shared() ? new StoreMirror(stream) : null;
        stream.start();
        if (mirror != null) mirror.start();
        return id;
    }

    /**
     * {@return the request's provider, once the checks of {@link #start(StartRequest, SourceFactory,
     * Consumer)} passed and a place among the relay's streams is taken}
     */
    private Provider takePlace(StartRequest request) {
        long chars = request.chars();
        if (chars > limits.maxPromptChars()) {
            throw new RelayException(
                    Kind.PROMPT_TOO_LONG,
                    (request.messages().size() == 1 ? "the prompt" : "the conversation") + " and system prompt have "
                            + chars + " characters; at most " + limits.maxPromptChars() + " are accepted");
        }
        if (request.messages().size() > limits.maxMessages()) {
            throw new RelayException(
                    Kind.PROMPT_TOO_LONG,
                    "the conversation has " + request.messages().size() + " messages; at most " + limits.maxMessages()
                            + " are accepted: start a new one");
        }
        Provider provider = provider(request);
        if (closed) throw new RelayException(Kind.TOO_MANY_STREAMS, "the relay is shutting down");
        if (!store.acquire(STREAMS, limits.maxStreams())) {
            throw new RelayException(
                    Kind.TOO_MANY_STREAMS,
                    (store.shared() ? "the relays sharing this store already run " : "the relay already runs ")
                            + limits.maxStreams() + " streams, the limit; try again when one has ended");
        }
        return provider;
    }

    /**
     * {@return the request with its provider filled in (the relay's default when it names none) and
     * its model (that provider's default when it names none), as {@link #start(StartRequest,
     * SourceFactory, Consumer)} hands it to the source}
     *
     * @param request the request
     * @throws RelayException {@link Kind#UNKNOWN_PROVIDER UNKNOWN_PROVIDER} if the relay has no
     *     provider of the name the request gives
     */
    public StartRequest.Resolved resolve(StartRequest request) {
        return provider(Objects.requireNonNull(request, "request")).resolve(request);
    }

    private Provider provider(StartRequest request) {
        String name = request.provider() == null ? defaultProvider : request.provider();
        Provider provider = providers.get(name);
        if (provider == null) {
            throw new RelayException(
                    Kind.UNKNOWN_PROVIDER,
                    "no provider named \"" + name + "\"; this relay has: "
                            + String.join(", ", providers().keySet()));
        }
        return provider;
    }

    /**
     * Admits a stream for one client that will not resume it, run straight to that client
     * ({@link DirectRun#start}): the checks and limits of {@link #start(StartRequest, SourceFactory,
     * Consumer)} (the conversation's size, the provider, the relay's limit of streams), but no id,
     * replay buffer, resume window or thread of the relay's own. For the OpenAI-compatible gateway,
     * whose clients cannot resume. It counts against the limits until its upstream ends or it is
     * cancelled; {@link #close()} cancels it.
     *
     * @param request what the stream is, as the limits and the end hook see it
     * @param source opens the stream's source, on the thread that calls {@link DirectRun#start}
     * @param onEnd runs once, with the terminal event, when the run's upstream has ended (or it was
     *     cancelled before it started), before that event is written
     * @return the run, to start
     * @throws RelayException as {@link #start(StartRequest, SourceFactory, Consumer)}
     */
    public DirectRun direct(StartRequest request, SourceFactory source, Consumer<? super RelayEvent> onEnd) {
        return direct(request, source, onEnd, "");
    }

    /**
     * As {@link #direct(StartRequest, SourceFactory, Consumer)}, naming the run: its
     * {@code dev.sluice.RelayConnection} event (JDK Flight Recorder) carries the name where a
     * relayed stream's carries its id.
     *
     * @param request what the stream is, as the limits and the end hook see it
     * @param source opens the stream's source, on the thread that calls {@link DirectRun#start}
     * @param onEnd runs once, with the terminal event, when the run's upstream has ended (or it was
     *     cancelled before it started), before that event is written
     * @param name what the run is called where a stream id would go: the gateway's completion id
     * @return the run, to start
     * @throws RelayException as {@link #start(StartRequest, SourceFactory, Consumer)}
     */
    public DirectRun direct(
            StartRequest request, SourceFactory source, Consumer<? super RelayEvent> onEnd, String name) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(onEnd, "onEnd");
        Objects.requireNonNull(name, "name");
        Provider provider = takePlace(request);
        DirectRun run = new DirectRun(settings, this::directEnded, provider.resolve(request), source, onEnd, name);
        activeLock.lock();
        try {
            active++;
        } finally {
            activeLock.unlock();
        }
        directs.add(run);
        if (closed) run.cancel("the relay is closing");
        return run;
    }

    /** A direct run has ended with {@code last}: its end hook, then its places. */
    private void directEnded(DirectRun run, RelayEvent last, Consumer<? super RelayEvent> onEnd) {
        try {
            onEnd.accept(last);
        } finally {
            directs.remove(run);
            releaseQuietly(STREAMS);
            activeLock.lock();
            try {
                active--;
            } finally {
                activeLock.unlock();
            }
        }
    }

    /**
     * Attaches a client to a stream after {@code lastEventId}. The client counts as connected from
     * now on (it holds back the resume window and the buffer's eviction), so
     * {@linkplain Subscription#deliver deliver} or {@linkplain Subscription#close close} it.
     *
     * @param streamId the stream's id
     * @param lastEventId the id of the last event the client has (a {@code Last-Event-ID}), or
     *     null or blank to start from the first event
     * @return the subscription
     * @throws RelayException {@link RelayException.Kind#NOT_FOUND NOT_FOUND};
     *     {@link RelayException.Kind#INVALID_REQUEST INVALID_REQUEST} for an id that is not a whole
     *     number or is beyond the stream's last event; {@link RelayException.Kind#REPLAY_UNAVAILABLE
     *     REPLAY_UNAVAILABLE} when the events after it are no longer buffered;
     *     {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} for another node's stream while the
     *     shared store cannot be reached; {@link RelayException.Kind#TOO_MANY_STREAMS TOO_MANY_STREAMS}
     *     for another node's stream when this node already follows {@link RelayLimits#maxStreams()}
     *     streams of other nodes
     */
    public Subscription subscribe(String streamId, @Nullable String lastEventId) {
        Objects.requireNonNull(streamId, "streamId");
        RelayedStream stream = streams.get(streamId);
        if (stream == null && !store.shared()) throw notFound(streamId);
        long after = 0;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                after = -1;
            }
            if (after < 0) {
                throw new RelayException(
                        Kind.INVALID_REQUEST,
                        "Last-Event-ID must be the id of an event of this stream (a whole number), not \""
                                + shorten(lastEventId) + "\"");
            }
        }
        if (stream != null && !stream.replica) return stream.attach(after);
        Subscription s = replicas.subscribe(streamId, after); // another node's stream, read through the store
        if (s == null) throw notFound(streamId);
        return s;
    }

    /** {@return the stream of that id this node holds (its own or a replica), or null} */
    @Nullable
    RelayedStream held(String streamId) {
        return streams.get(streamId);
    }

    private static RelayException notFound(String streamId) {
        return new RelayException(
                Kind.NOT_FOUND,
                "no stream \"" + shorten(streamId)
                        + "\": it never existed, or it ended longer ago than the relay keeps streams");
    }

    /**
     * Cancels the stream's upstream; connected clients get {@code cancelled}. Cancelling an ended
     * stream does nothing. With a shared store, the stream may run on another node: the cancel is
     * sent to it.
     *
     * @param streamId the stream's id
     * @return false if there is no such stream, true otherwise
     * @throws RelayException {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} when the stream is
     *     not this node's and the shared store cannot be reached
     */
    public boolean cancel(String streamId) {
        RelayedStream stream = streams.get(Objects.requireNonNull(streamId, "streamId"));
        if (stream != null && !stream.replica) {
            stream.cancel("cancelled by the client");
            return true;
        }
        return store.shared() && store.send(streamId, "cancel"); // to the node that runs it
    }

    /** What {@link #approve} did. */
    public enum Approval {
        /** The call was waiting and is now decided; the stream goes on with {@code tool_approval_decided}. */
        DECIDED,
        /** No such stream: it never existed, or it ended longer ago than the relay keeps streams. */
        NO_SUCH_STREAM,
        /** The stream has no call of that id waiting for approval or an answer, nor had one. */
        NO_SUCH_CALL,
        /**
         * The call was decided already (by a person, or by the runner's timeout), its question
         * answered already or its tool ended, or its stream has ended.
         */
        ALREADY_DECIDED
    }

    /**
     * Decides a tool call that waits for a person's approval ({@code tool_approval}): approved, it
     * runs; denied, the model is told so. For a call whose tool asks a question ({@code tool_input}),
     * false declines the question (the tool is told the person declined) and true answers it with
     * nothing ({@link #answer} gives the content). With a shared store the stream may run on another node:
     * the decision is sent to it, and of two decisions of the same call on any nodes only the first
     * counts.
     *
     * @param streamId the stream's id
     * @param callId the tool call's id, as the {@code tool_approval} event names it
     * @param approved whether the call may run
     * @param reason why, for the model and the page; null for none
     * @return what happened
     * @throws NullPointerException if streamId or callId is null
     * @throws RelayException {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} when the stream is
     *     not this node's and the shared store cannot be reached
     */
    public Approval approve(String streamId, String callId, boolean approved, @Nullable String reason) {
        return decide(streamId, callId, approved, reason, null, 0);
    }

    /**
     * Answers a running tool's question ({@code tool_input}: an MCP server's elicitation, an MCP
     * task's {@code input_required}): the tool gets the content and goes on. To decline the
     * question, {@link #approve} the call with false. With a shared store the stream may run on
     * another node: the answer is sent to it, and of two answers of the same question on any nodes
     * only the first counts.
     *
     * @param streamId the stream's id
     * @param callId the tool call's id, as the {@code tool_input} event names it
     * @param content the answer: an object of the question's fields, in the JSON value model of
     *     {@link dev.sluice.chat.PartialJson} (strings, numbers, booleans, lists of strings)
     * @return what happened: {@link Approval#DECIDED} when the question waited and is now answered;
     *     {@link Approval#ALREADY_DECIDED} when it was answered already, or the tool or stream ended
     * @throws NullPointerException if an argument is null
     * @throws RelayException {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} when the stream is
     *     not this node's and the shared store cannot be reached
     */
    public Approval answer(String streamId, String callId, Map<String, Object> content) {
        return decide(streamId, callId, true, null, Map.copyOf(Objects.requireNonNull(content, "content")), 0);
    }

    /**
     * Answers, or declines, one question a running tool asked: the one of the {@code tool_input}
     * event of id {@code question}, and only while it is the call's open question (not answered,
     * not asked again since, its tool not ended). What a frontend protocol's answer uses, as the
     * client names the question it saw ({@link dev.sluice.relay.protocol.ToolInputResponse}). With a
     * shared store the stream may run on another node, as for {@link #answer(String, String, Map)}.
     *
     * @param streamId the stream's id
     * @param callId the tool call's id, as the {@code tool_input} event names it
     * @param question the id of the {@code tool_input} event that asked the question
     * @param content the answer, as for {@link #answer(String, String, Map)}; null declines the
     *     question
     * @return what happened: {@link Approval#DECIDED} when the question waited and is now answered
     *     (or declined); {@link Approval#NO_SUCH_CALL} when that event is no question of that call;
     *     {@link Approval#ALREADY_DECIDED} when it was answered already, the call asked again
     *     since, or the tool or stream ended
     * @throws NullPointerException if streamId or callId is null
     * @throws IllegalArgumentException if question is not positive
     * @throws RelayException {@link RelayException.Kind#UNAVAILABLE UNAVAILABLE} when the stream is
     *     not this node's and the shared store cannot be reached
     */
    public Approval answer(String streamId, String callId, long question, @Nullable Map<String, Object> content) {
        if (question <= 0) throw new IllegalArgumentException("question must be a tool_input event's id: " + question);
        return decide(streamId, callId, content != null, null, content == null ? null : Map.copyOf(content), question);
    }

    private Approval decide(
            String streamId,
            String callId,
            boolean approved,
            @Nullable String reason,
            @Nullable Map<String, Object> content,
            long question) {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(callId, "callId");
        RelayedStream stream = streams.get(streamId);
        if (stream != null && !stream.replica) return stream.approve(callId, approved, reason, content, question);
        if (!store.shared() || !store.exists(streamId)) return Approval.NO_SUCH_STREAM;
        ApprovalCommand.Known known = ApprovalCommand.stored(store, streamId, callId, question);
        if (known.approval() != Approval.DECIDED) return known.approval();
        if (!ApprovalCommand.firstDecision(store, streamId, known.gate(), settings.storeTtl(false)))
            return Approval.ALREADY_DECIDED;
        return store.send(streamId, ApprovalCommand.encode(callId, approved, reason, content, question))
                ? Approval.DECIDED
                : Approval.NO_SUCH_STREAM;
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

    /** {@return how many streams are running on this relay (not counting ended ones kept for replay, nor other nodes')} */
    public int activeStreams() {
        activeLock.lock();
        try {
            return active;
        } finally {
            activeLock.unlock();
        }
    }

    /** {@return whether a stream of that id is known here: running, ended within the retention, or another node's followed here} */
    public boolean contains(String streamId) {
        return streams.containsKey(streamId);
    }

    /** Cancels every stream and stops the timers. Idempotent; throws nothing. */
    @Override
    public void close() {
        closed = true;
        for (RelayedStream s : streams.values()) s.cancel("the relay is closing");
        for (DirectRun d : directs) d.cancel("the relay is closing");
        clock.shutdown();
    }

    // ---- with a shared store

    /** A command from another node about a stream this node runs. */
    private void command(String streamId, String command) {
        TaskTakeover takeover = takeovers.get(streamId);
        if (takeover != null) {
            takeover.command(command);
            return;
        }
        RelayedStream stream = streams.get(streamId);
        if (stream == null || stream.replica) return;
        if (command.equals("cancel")) stream.cancel("cancelled by the client");
        else if (command.startsWith("attach ")) stream.remote(command.substring(7), true);
        else if (command.startsWith("detach ")) stream.remote(command.substring(7), false);
        else if (command.startsWith(ApprovalCommand.PREFIX)) ApprovalCommand.apply(stream, command);
    }

    /** The relay as its streams see it ({@link StreamHost}). */
    private final class Host implements StreamHost {
        @Override
        public void ended(RelayedStream stream, @Nullable RelayEvent last) {
            Relay.this.ended(stream, last);
        }

        @Override
        public boolean keeps(RelayedStream stream) {
            return Relay.this.keeps(stream);
        }

        @Override
        public Replicas replicas() {
            return replicas;
        }

        @Override
        public boolean takeOver(RelayedStream replica, long after) {
            if (closed) return false;
            if (takeovers.containsKey(replica.id)) return true;
            TaskTakeover t = TaskTakeover.tryStart(
                    settings,
                    replica.id,
                    after,
                    name -> {
                        Provider p = providers.get(name);
                        return p == null ? null : p.factory();
                    },
                    () -> takeovers.remove(replica.id));
            if (t != null) {
                takeovers.put(replica.id, t);
                t.start();
                return true;
            }
            return store.running(replica.id); // another node took it over first
        }
    }

    /** {@return whether the relay still keeps the stream (it has not forgotten it, nor closed)} */
    private boolean keeps(RelayedStream stream) {
        return !closed && streams.get(stream.id) == stream;
    }

    private void releaseQuietly(String counter) {
        try {
            store.release(counter);
        } catch (RuntimeException e) { // a shared store recounts a node's places by itself
            System.getLogger(Relay.class.getName())
                    .log(System.Logger.Level.DEBUG, "could not release a place of " + counter + ": " + e.getMessage());
        }
    }

    // ---- called by RelayedStream

    /**
     * The stream's upstream has ended with {@code last}, which its clients are about to read: its
     * end hook runs (first, so that whoever sees the stream stop counting sees the server's own
     * count released too), it no longer counts against the limits, and it is forgotten after the
     * retention. All of it before a client can read {@code last}: one that starts its next stream
     * the moment it has read this one's end finds this one ended.
     */
    private void ended(RelayedStream stream, @Nullable RelayEvent last) {
        try {
            stream.onEnd.accept(last);
        } finally {
            RelayedStream forget = null;
            releaseQuietly(STREAMS);
            activeLock.lock();
            try {
                active--;
                endedStreams.addLast(stream);
                // at most maxStreams ended streams are kept for replay, so their buffers stay bounded too
                if (endedStreams.size() > limits.maxStreams()) forget = endedStreams.pollFirst();
            } finally {
                activeLock.unlock();
            }
            if (forget != null) streams.remove(forget.id, forget);
            Future<?> unused = clock.schedule(
                    () -> {
                        streams.remove(stream.id, stream);
                        activeLock.lock();
                        try {
                            endedStreams.remove(stream);
                        } finally {
                            activeLock.unlock();
                        }
                    },
                    retention);
        }
    }

    /** {@return a client's text cut to 40 chars, for a message} */
    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** {@return the id the shared store gives a new stream: as random past its first three characters} */
    private String placed(String random) {
        String id = store.place(random);
        if (id.length() != random.length()
                || !id.endsWith(random.substring(3))
                || !id.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c)) || c == '-' || c == '_')) {
            throw new IllegalStateException(
                    store + " placed a stream under an id that is not 22 URL-safe characters ending as it was given");
        }
        return id;
    }

    private static String newId() {
        byte[] b = new byte[16];
        IDS.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Builds a {@link Relay}. Each setter checks its argument at once.
     */
    public static final class Builder {
        private final Map<String, Provider> providers = new LinkedHashMap<>();
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration resumeWindow = DEFAULT_RESUME_WINDOW;
        private Duration retention = Duration.ofSeconds(60);
        private Duration attachTimeout = Duration.ofSeconds(30);
        private RelayLimits limits = RelayLimits.defaults();
        private RelayStore store = RelayStore.inMemory();
        private LongSupplier nanoTime = RelayClock.SYSTEM;

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
            return source(
                    name,
                    defaultModel,
                    (request, controller) -> RelaySource.chat(
                            request.provider(), request.model(), provider.stream(request.toChatRequest(), controller)));
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
            if (providers.containsKey(name))
                throw new IllegalArgumentException("a provider named " + name + " was already added");
            providers.put(name, new Provider(name, defaultModel, factory));
            return this;
        }

        /**
         * Sets how long a client may go without an event before it gets a {@code : ping}.
         *
         * @param interval positive; default {@link #DEFAULT_HEARTBEAT}
         * @return this builder
         */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = positive("heartbeat", interval);
            return this;
        }

        /**
         * Sets how long a stream whose last client left keeps running, waiting for it to resume.
         *
         * @param window zero or more; default {@link #DEFAULT_RESUME_WINDOW}; zero cancels the upstream when the last client leaves
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
            if (retention.isNegative())
                throw new IllegalArgumentException("retention must not be negative: " + retention);
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
         * Sets where streams are kept and shared: a shared store (Redis, in
         * {@code sluice-relay-redis}) lets relays on several nodes serve one another's streams and
         * count their limits together. The relay does not close it.
         *
         * @param store the store; default {@link RelayStore#inMemory()}
         * @return this builder
         */
        public Builder store(RelayStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets the clock that the relay's timeouts read: the attach timeout, the resume window,
         * the retention, the heartbeat silences, the leases of other nodes' clients and the wait
         * of a client resuming on a node that follows another's stream. Tests pass a fake one to
         * drive them without waiting. With a clock other than the default, the relay's timer
         * thread and each waiting client read it again at least every 10 ms of real time, so a
         * deadline passes within about that much after the clock does. Calls to the store (its
         * blocking reads, the pauses between retries) keep to real time.
         *
         * @param nanoTime a monotonic clock in nanoseconds, as {@link System#nanoTime()}; default
         *     the system's
         * @return this builder
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * {@return the relay}
         *
         * @throws IllegalStateException if no provider was added
         */
        public Relay build() {
            if (providers.isEmpty())
                throw new IllegalStateException("a relay needs a provider: call provider(..) or source(..)");
            return new Relay(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }
}
