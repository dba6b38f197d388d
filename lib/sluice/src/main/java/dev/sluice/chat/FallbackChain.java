package dev.sluice.chat;

import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import dev.sluice.client.StreamObserver;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import jdk.jfr.FlightRecorder;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatProvider} over an ordered list of targets (a provider and a model each): a stream
 * starts on the first target and, when it fails in a way the next target would not repeat, goes
 * on with the next, as one stream. Take it wherever a provider is taken: the tool runner, the
 * relay, your own code.
 *
 * <pre>{@code
 * FallbackChain chain = FallbackChain.builder()
 *         .target(anthropic, "claude-sonnet-5-5")
 *         .target(openai, "gpt-6-luna")
 *         .build();
 * try (EventStream<MessageChunk> chunks = chain.stream(request)) {
 *     for (MessageChunk chunk : chunks) {
 *         if (chunk.failover() != null && chunk.failover().reset()) System.out.print("\n[restarted] ");
 *         System.out.print(chunk.text());
 *     }
 * }
 * }</pre>
 *
 * <p><b>What moves a stream on:</b> the provider overloaded, rate limited (or a client's own limit
 * refusing it), a server error, the first-event or idle timeout, the connection lost or the body
 * cut, a malformed stream, and a target whose circuit breaker is open (skipped without a request).
 * Never a cancel, the total timeout, the chunk limit, or an error the next target would repeat (a
 * 400 for a bad request, a 401): those end the stream as they would without the chain. Each
 * target's own retries before content run first, as its client is configured.
 *
 * <p><b>Before content</b> the switch is silent: the consumer sees one stream (and a chunk whose
 * {@link MessageChunk#failover()} says what happened, with nothing to discard). <b>After content</b>,
 * by the chain's {@linkplain Builder#mode mode}: {@link Failover.Mode#CONTINUE} (the default) sends
 * the conversation with the answer so far as the assistant's message to a next target that
 * {@linkplain ChatProvider#continuesAssistantTurn() continues an assistant turn} (Anthropic), so the
 * answer goes on where it stopped, every character once (trailing whitespace as the Anthropic
 * resume handles it); elsewhere, and always in {@link Failover.Mode#RESTART} mode, the turn starts
 * again on the next target and the switch chunk says to discard the answer so far
 * ({@link Failover#reset()}). A turn with a tool call or thinking in it is never continued: a cut
 * tool call's input would be invented; nor is one with a {@link ChatRequest#responseFormat()}: a
 * prefill cannot go with structured output, and the next target may send the object as a tool call.
 *
 * <p>Each target's client sends the request's response format in its own way, decided for its
 * model (see {@link ResponseFormat}): one target may answer in text, the next through a forced
 * tool call.
 *
 * <p>The chunks' usage is summed over the targets; each {@link Failover} carries what the failed
 * attempt reported. {@link ChunkAggregator} applies the switches: its response is the finishing
 * target's answer, or the kept text and its continuation, and its metadata lists the switches and
 * names the model that finished. When every target fails, the stream fails with an
 * {@link dev.sluice.IncompleteStreamException} naming each target and why, the partial answer
 * attached and each target's failure suppressed in it.
 *
 * <p><b>Provider state</b> (thinking signatures and the like, {@link ProviderState}) goes back only
 * to the target that produced it. A target is identified by its name in the builder (its model,
 * unless {@link Builder#target(String, ChatProvider, String)} names it): the chain stamps the state
 * of each chunk with the name of the target that sent it, and before it sends a request to a
 * target — the first, the next after a failover, a hedge — it strips from the request every state
 * not stamped for that target (a message that was only that state is left out). So the new target
 * of a failover or a hedge starts with a clean history, and the next turn, when it lands on the
 * target that answered, gets that target's state back verbatim. Keep target names stable across a
 * conversation: a renamed target gets no state. A state without a stamp (from a plain client) is
 * stripped too; a wrapped chain used as a target adds its name in front of the inner chain's. A tool
 * loop that another target began (an assistant message of the turn in progress calls tools without
 * a state for this target) continues on this target without thinking: the loop's thinking cannot
 * be given back to it, and an API that thinks wants it (Anthropic refuses the request otherwise).
 *
 * <p><b>Cooldown</b> (opt-in, {@link Builder#cooldown}): a target whose stream failed after content
 * is asked last by the chain's next streams and answers for that long, so that a client's retry of
 * the cut answer goes to the next target first. <b>A consumer that cannot discard</b> what it has
 * handed on takes the chain's {@link #continuingOnly()} view: after content, where the next target
 * cannot continue the answer, the stream fails at once with the running target's failure instead
 * of paying for a restarted answer nobody would read.
 *
 * <p>Timeouts: each attempt runs under its target's stream options (or those given to
 * {@link #stream(ChatRequest, StreamOptions)}); the chain's own stream keeps only the total timeout
 * and the limits, so that a target's first-event and idle timeouts move the answer on rather than
 * end it. A controller of your own ({@link #stream(ChatRequest, StreamController)}) cancels
 * whichever attempt is running.
 *
 * <p><b>Hedging</b> (opt-in, {@link Builder#hedging}): when the running target has produced no
 * content after a threshold, the next target starts as well, and the stream commits to whichever
 * produces content first; the other is cancelled at once (its connection closed) and nothing of it
 * reaches the consumer. The chunk before the winner's first carries the {@link Hedge}
 * ({@link MessageChunk#hedge()}), the aggregated {@link ResponseMetadata#hedge()} names the
 * winner and the loser's tokens, the observers' {@link StreamObserver#onHedge} and the
 * {@code dev.sluice.Hedge} JFR event see it, and {@link #hedgeCounts()} counts it. A hedge is
 * decided before any content, so the tool runner and typed objects never see a reset; at most one
 * hedge runs per stream, none after content, none under the {@linkplain Hedging cap}, and none
 * while the next target {@linkplain ChatProvider#refusesNewStreams() refuses new streams} or has
 * reported an exhausted rate limit. The hedge's request, like a failover's, carries only the state
 * stamped for its own target. Times are read from the clock of the stream's
 * {@link StreamOptions} (the system's for {@link #stream(ChatRequest)}). When one of the two
 * fails before content, the other goes on alone.
 *
 * <p>Threading: immutable and safe to share; each stream switches on its own producer thread,
 * after opening its first target on the calling thread (so {@code stream} throws as a provider's
 * does when no target can be opened).
 *
 * <p>Why this file is long: half of them Javadoc; the chain's public face (its builder's every setting, its
 * views, its passthrough) is documented here; the running of a stream is {@code FallbackRun}'s.
 */
public final class FallbackChain implements ChatProvider {
    /** {@code serve}'s {@code --failover-cooldown} when none is given: how long a target that failed mid-answer is asked last. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(60);

    private final List<Target> targets;
    private final Failover.Mode mode;
    private final List<StreamObserver> observers;
    private final @Nullable HedgeState hedges; // null: no hedging
    private final AtomicLong failovers;
    private final Cooldowns cooldowns; // shared with the views of the chain
    private final boolean restarts; // false: a view that fails rather than restart an answer after content
    private final Optional<WireApi> passthroughApi; // the API every target passes through, if they share one
    private final ChainPassthrough passthrough; // shared with the views: the signatures each target issued
    private static final AtomicLong STREAMS = new AtomicLong();

    /** A provider and the model asked of it, under a name for switches and messages. */
    record Target(String name, ChatProvider provider, String model) {}

    private FallbackChain(Builder b) {
        this.targets = List.copyOf(b.targets);
        this.mode = b.mode;
        this.observers = List.copyOf(b.observers);
        this.hedges = b.hedging == null ? null : new HedgeState(b.hedging, targets.size());
        this.failovers = new AtomicLong();
        this.cooldowns = new Cooldowns(targets.size(), b.cooldown, System::nanoTime);
        this.restarts = true;
        this.passthroughApi = ChainPassthrough.api(targets);
        this.passthrough = new ChainPassthrough(this, passthroughApi.orElse(null));
    }

    private FallbackChain(FallbackChain of, boolean restarts) {
        this.targets = of.targets;
        this.mode = of.mode;
        this.observers = of.observers;
        this.hedges = of.hedges;
        this.failovers = of.failovers;
        this.cooldowns = of.cooldowns;
        this.restarts = restarts;
        this.passthroughApi = of.passthroughApi;
        this.passthrough = of.passthrough;
    }

    /**
     * {@return this chain for a consumer that cannot discard what it has handed on (an HTTP
     * client that has read part of an answer): after content, where the next target cannot
     * continue the answer, its stream fails at once with the running target's failure, and no
     * next target is asked for an answer nobody would read} Before content it fails over as this
     * chain does. It shares this chain's targets, hedging, counts and cooldowns.
     */
    public FallbackChain continuingOnly() {
        return restarts ? new FallbackChain(this, false) : this;
    }

    /** {@return false for a {@link #continuingOnly()} chain: an answer is never restarted after content} */
    boolean restarts() {
        return restarts;
    }

    /**
     * {@return the chain's passthrough when every target passes Anthropic's Messages API
     * ({@link WireApi#MESSAGES}) through, or every target the Responses API
     * ({@link WireApi#RESPONSES}): the APIs whose opaque state (thinking signatures;
     * encrypted reasoning) the chain routes to the target that issued it; else empty}
     *
     * <p>Its {@link Passthrough#stream} passes a request body through to the first target that
     * opens (in the chain's order, those cooling down last), and its events back as they came. The
     * body goes as it came but for the model (each target asks its own; the one given is ignored)
     * and the opaque state other targets issued: a thinking block's {@code signature} (a redacted
     * one's {@code data}) reaches only the target whose answer carried it, the chain remembering
     * each target's (a digest of the last 65,536); where the tool loop in progress lost one, the body
     * goes without {@code thinking}. On the Responses API an input item's {@code encrypted_content}
     * (a reasoning or compaction item's) is routed the same way: another target gets the body without
     * that item. A target whose stream does not open (after its client's own
     * retries) moves the call on as a stream's failure before content would (told to the observers);
     * once it opened, a failure is the stream's (its events cannot be handed on twice), and after an
     * event passed, with a {@linkplain Builder#cooldown cooldown}, the target is asked last. No hedge
     * runs. Its {@link Passthrough#answer} does the same for a body that asked for no stream, and
     * returns the first answer a target gives, as it came.
     */
    @Override
    public Optional<Passthrough> passthrough() {
        return passthroughApi.map(api -> new Passthrough() {
            @Override
            public WireApi api() {
                return api;
            }

            @Override
            public EventStream<SseEvent> stream(
                    String body, String model, List<String> betas, StreamController controller) {
                Objects.requireNonNull(body, "body");
                Objects.requireNonNull(betas, "betas");
                Objects.requireNonNull(controller, "controller");
                return passthrough.stream(body, betas, controller);
            }

            @Override
            public String answer(
                    String body, String model, List<String> betas, StreamController controller, long maxBytes) {
                Objects.requireNonNull(body, "body");
                Objects.requireNonNull(betas, "betas");
                Objects.requireNonNull(controller, "controller");
                return passthrough.answer(body, betas, controller, maxBytes);
            }

            // the first target's count, as firstTargetTokenCount()
            @Override
            public Optional<TokenCount> tokenCount() {
                return firstTargetTokenCount();
            }
        });
    }

    /**
     * {@return the Anthropic Messages count ({@link Passthrough#tokenCount()}) of the target a new
     * answer would ask first, counting with that target's own model (the one given is ignored),
     * where that target speaks Anthropic Messages and has a count; empty otherwise} The chain's
     * targets need not share an API: a gateway's {@code count_tokens} on a route asks it.
     */
    public Optional<Passthrough.TokenCount> firstTargetTokenCount() {
        Target first = order().getFirst();
        return first.provider()
                .passthrough()
                .filter(p -> p.api() == WireApi.MESSAGES)
                .flatMap(Passthrough::tokenCount)
                .map(count -> (Passthrough.TokenCount) (body, model, betas) -> count.count(body, first.model(), betas));
    }

    /** {@return the targets in the order a new stream or answer asks them: those cooling down last} */
    List<Target> order() {
        return cooldowns.order(targets);
    }

    /** The target at position {@code index} of the chain failed mid-answer: it is asked last for the cooldown. */
    void failedMidAnswer(Target t) {
        cooldowns.start(targets.indexOf(t));
    }

    /**
     * How often a target of a hedging chain was started as a hedge, and how those hedges ended.
     *
     * @param started hedges started on the target
     * @param won of those, the ones that answered
     * @param lost of those, the ones cancelled because the other attempt answered first, or that
     *     failed; {@code started - won - lost} are running, or ended with their whole stream's cancel
     */
    public record HedgeCounts(long started, long won, long lost) {}

    /** {@return a builder with no target yet, in {@link Failover.Mode#CONTINUE} mode} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Streams the answer, starting on the first target that opens; the request's model is replaced
     * by each target's.
     *
     * @throws NullPointerException if request is null
     * @throws SluiceException what the last target tried threw, when no target opened (an
     *     {@link dev.sluice.IncompleteStreamException} naming each when all failed over)
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request) {
        return open(request, StreamController.create(), null);
    }

    /**
     * Streams the answer under a controller made beforehand, which the chain claims as its cancel
     * switch: cancelling it cancels the running attempt, opening or streaming. Options of its own
     * ({@link StreamController#of}) are every attempt's; the stream returned has a controller of
     * its own, which keeps only their total timeout and limits.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the controller already belongs to a stream
     * @throws SluiceException as {@link #stream(ChatRequest)}
     */
    @Override
    @SuppressWarnings("ReferenceEquality") // identity: the defaults' one instance means no options of its own
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        // the defaults' one instance: a controller without options of its own, whose attempts run under their targets'
        StreamOptions own = controller.options() == StreamOptions.defaults() ? null : controller.options();
        controller.start(StreamOptions.defaults()); // claims it; throws if it belongs to a stream already
        StreamController chained = StreamController.create();
        controller.onCancel(() -> chained.cancel(controller.cancelReason().orElse("cancelled")));
        return open(request, chained, own);
    }

    /**
     * Streams the answer with every attempt under {@code options} instead of its target's defaults.
     *
     * @throws NullPointerException if an argument is null
     * @throws SluiceException as {@link #stream(ChatRequest)}
     */
    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamOptions options) {
        Objects.requireNonNull(options, "options");
        return open(request, StreamController.create(), options);
    }

    /**
     * Asks for the whole answer in one piece ({@link ChatProvider#answer}), from the first target
     * that gives it: each target's {@link ChatProvider#answer} (one call not streamed where its API
     * has one), and on a failure that moves a stream on before content (see the class: overloaded,
     * rate limited, a server error, a timeout other than the total, a lost connection, a malformed
     * answer, an open breaker) the next target is asked, with the request as a failover before
     * content would send it (its model, only the state stamped for it). Never on a cancel, the
     * total timeout, a limit, or an error the next target would repeat. Each switch is told to the
     * chain's observers and Flight Recorder and counted ({@link #failovers()}), and listed in the
     * answer's {@link ResponseMetadata#failovers()}; the answer's provider state is stamped for the
     * target that gave it. No hedge runs: a whole answer has no first content to race for.
     *
     * <p>The controller is the chain's cancel switch, as for {@link #stream(ChatRequest,
     * StreamController)}: options of its own are every attempt's; without them each attempt runs
     * under its target's. Its total timeout ({@link StreamController#withTotalTimeout} gives one
     * that keeps the targets' other timeouts) bounds all the attempts together: each is given what
     * is left of it, and none starts once it has passed.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if maxBytes is not positive
     * @throws IllegalStateException if the controller already belongs to a stream
     * @throws dev.sluice.StreamTimeoutException of kind {@code TOTAL} once the total timeout has passed
     * @throws IncompleteStreamException naming each target and why, when every target failed over
     *     (each failure suppressed in it), or when cancelled
     * @throws SluiceException what a target threw that does not move the answer on
     */
    @Override
    @SuppressWarnings("ReferenceEquality") // identity: the defaults' one instance means no options of its own
    public ChatResponse answer(ChatRequest request, StreamController controller, long maxBytes) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(controller, "controller");
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        StreamOptions own = controller.options() == StreamOptions.defaults() ? null : controller.options();
        controller.start(StreamOptions.defaults()); // claims it; throws if it belongs to a stream already
        Duration total = controller.options().totalTimeout().orElse(null); // its own, or withTotalTimeout's
        LongSupplier clock = controller.options().nanoTime();
        long startNanos = clock.getAsLong();
        AtomicReference<StreamController> running = new AtomicReference<>();
        controller.onCancel(() -> {
            StreamController a = running.get();
            if (a != null) a.cancel(controller.cancelReason().orElse("cancelled"));
        });
        List<Failover> switches = new ArrayList<>(0);
        List<String> failures = new ArrayList<>(0);
        List<SluiceException> causes = new ArrayList<>(0);
        List<Target> order = order();
        for (int i = 0; ; i++) {
            Target t = order.get(i);
            StreamController attempt;
            if (total == null) {
                attempt = own != null ? StreamController.of(own) : StreamController.create();
            } else {
                long spent = clock.getAsLong() - startNanos;
                if (spent >= total.toNanos()) {
                    throw new StreamTimeoutException(Timeout.TOTAL, total, Duration.ofNanos(spent));
                }
                Duration left = total.minusNanos(spent);
                attempt = own != null
                        ? StreamController.of(own.toBuilder().totalTimeout(left).build())
                        : StreamController.withTotalTimeout(left);
            }
            running.set(attempt);
            if (controller.isCancelled()) {
                throw new IncompleteStreamException("the answer was cancelled ("
                        + controller.cancelReason().orElse("cancelled") + ") before it came");
            }
            try {
                return answered(
                        t.provider().answer(FallbackRun.requestFor(request, t, null, 0), attempt, maxBytes),
                        t,
                        switches);
            } catch (SluiceException e) {
                Failover.Reason reason = FallbackRun.reasonOf(e);
                boolean cancelled = controller.isCancelled();
                if (reason == null || cancelled || i + 1 >= order.size())
                    throw FallbackRun.finalFailure(e, reason, cancelled, t.name(), failures, causes);
                Failover f = new Failover(
                        t.name(),
                        order.get(i + 1).name(),
                        reason,
                        Failover.Mode.CONTINUE,
                        "",
                        0,
                        0,
                        e.requestId().orElse(null));
                report(f);
                switches.add(f);
                failures.add(t.name() + ": " + f.reasonName());
                causes.add(e);
            }
        }
    }

    /** {@return target t's answer as the chain gives it: its state stamped for t, the switches before it listed} */
    private static ChatResponse answered(ChatResponse r, Target t, List<Failover> switches) {
        ProviderState state =
                r.providerState() == null ? null : r.providerState().stampedFor(t.name());
        if (switches.isEmpty() && state == null) return r;
        ResponseMetadata m = r.metadata();
        List<Failover> all = new ArrayList<>(switches);
        all.addAll(m.failovers());
        return new ChatResponse(
                r.id(),
                r.text(),
                r.toolCalls(),
                r.thinking(),
                r.finishReason(),
                r.usage(),
                new ResponseMetadata(m.model(), m.chunks(), m.timeToFirstChunk(), m.latency(), all, m.hedge()),
                r.complete(),
                state);
    }

    private EventStream<MessageChunk> open(
            ChatRequest request, StreamController outer, @Nullable StreamOptions attempts) {
        Objects.requireNonNull(request, "request");
        FallbackRun run = new FallbackRun(this, request, attempts, outer);
        outer.onCancel(run::cancel);
        run.openFirst();
        ChunkAggregator aggregator = new ChunkAggregator();
        StreamOptions own = attempts != null ? attempts : StreamOptions.defaults();
        return EventStream.<MessageChunk>builder()
                .controller(outer)
                .options(own.toBuilder()
                        .noTimeout(Timeout.FIRST_EVENT)
                        .noTimeout(Timeout.IDLE)
                        .build())
                .threadName("sluice-fallback-" + STREAMS.incrementAndGet())
                .onItem(aggregator::accept)
                .failureContext(run::requestId, aggregator::snapshot) // the answering target's
                .onEnd(run::closeAttempt)
                .generate(run);
    }

    /** {@return how many switches this chain's streams have made so far, for metrics} Any thread. */
    public long failovers() {
        return failovers.get();
    }

    /**
     * {@return per target name, in order, the hedges started on it and how they ended; empty when
     * the chain does not hedge} Any thread.
     */
    public Map<String, HedgeCounts> hedgeCounts() {
        Map<String, HedgeCounts> counts = new LinkedHashMap<>();
        if (hedges == null) return counts;
        for (int i = 0; i < targets.size(); i++) counts.put(targets.get(i).name(), hedges.counts(i));
        return Collections.unmodifiableMap(counts);
    }

    /** {@return how this chain hedges, if it does} */
    public Optional<Hedging> hedging() {
        return Optional.ofNullable(hedges).map(HedgeState::hedging);
    }

    @Nullable
    HedgeState hedgeState() {
        return hedges;
    }

    /** {@return the targets' names, in order} */
    public List<String> targetNames() {
        return targets.stream().map(Target::name).toList();
    }

    /** {@return the chain's mode after content} */
    public Failover.Mode mode() {
        return mode;
    }

    List<Target> targets() {
        return targets;
    }

    /** Tells the observers and Flight Recorder of a switch, and counts it. */
    void report(Failover f) {
        failovers.incrementAndGet();
        tell(o -> o.onFailover(f), "onFailover");
        if (FlightRecorder.isInitialized()) { // else the event class is never loaded
            FailoverEvent event = new FailoverEvent();
            if (event.shouldCommit()) {
                event.from = f.from();
                event.to = f.to();
                event.reason = f.reasonName();
                event.mode = f.mode().name().toLowerCase(Locale.ROOT);
                event.keptChars = f.keptText().length();
                event.inputTokens = f.inputTokens();
                event.outputTokens = f.outputTokens();
                event.commit();
            }
        }
    }

    private void tell(Consumer<StreamObserver> call, String method) {
        for (StreamObserver o : observers) {
            try {
                call.accept(o);
            } catch (RuntimeException e) {
                System.getLogger(FallbackChain.class.getName())
                        .log(System.Logger.Level.WARNING, "a StreamObserver's " + method + " threw; ignored", e);
            }
        }
    }

    /** Tells the observers and Flight Recorder of a hedge's end. */
    void report(Hedge h) {
        tell(o -> o.onHedge(h), "onHedge");
        if (FlightRecorder.isInitialized()) {
            HedgeEvent event = new HedgeEvent();
            if (event.shouldCommit()) {
                event.from = h.from();
                event.to = h.to();
                event.winner = h.winner();
                event.after = h.after().toNanos();
                event.loserInputTokens = h.loserInputTokens();
                event.loserOutputTokens = h.loserOutputTokens();
                event.commit();
            }
        }
    }

    @Override
    public String toString() {
        return "FallbackChain[" + String.join(" -> ", targetNames()) + ", " + mode
                + (hedges == null ? "" : ", " + hedges.hedging()) + "]";
    }

    /**
     * Builds a {@link FallbackChain}; each setter checks its argument at once. Not thread-safe.
     */
    public static final class Builder {
        private final List<Target> targets = new ArrayList<>();
        private Failover.Mode mode = Failover.Mode.CONTINUE;
        private final List<StreamObserver> observers = new ArrayList<>();
        private @Nullable Hedging hedging;
        private Duration cooldown = Duration.ZERO;

        private Builder() {}

        /**
         * Sets how long a target whose stream failed after content (mid-answer) is asked last: the
         * chain's next streams and answers start on the targets after it, so that a client's retry
         * is answered by another target; it is still tried, last, when they fail. {@link Duration#ZERO}
         * (the default) for none; {@code serve} uses {@link #DEFAULT_COOLDOWN}.
         *
         * @param cooldown how long; zero for none
         * @return this builder
         * @throws IllegalArgumentException if cooldown is negative
         */
        public Builder cooldown(Duration cooldown) {
            if (Objects.requireNonNull(cooldown, "cooldown").isNegative())
                throw new IllegalArgumentException("the cooldown must not be negative: " + cooldown);
            this.cooldown = cooldown;
            return this;
        }

        /**
         * Makes the chain hedge its streams (see the class comment): after the threshold without
         * content the next target starts as well, and the first to produce content answers.
         *
         * @param hedging when to hedge and how often at most; null for no hedging (the default)
         * @return this builder
         */
        public Builder hedging(@Nullable Hedging hedging) {
            this.hedging = hedging;
            return this;
        }

        /**
         * Adds a target after those added before, named by its model.
         *
         * @param provider the provider, with its own options (retries, timeouts, breaker)
         * @param model the model to ask of it
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if model is blank, or a target of that name was added
         */
        public Builder target(ChatProvider provider, String model) {
            return target(model, provider, model);
        }

        /**
         * Adds a target after those added before.
         *
         * @param name the target's name in switches, messages and logs (such as
         *     {@code anthropic:claude-sonnet-5-5}), and the stamp on the {@link ProviderState} it
         *     produces, which goes back to this target only; never a key
         * @param provider the provider, with its own options (retries, timeouts, breaker)
         * @param model the model to ask of it
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if name or model is blank, a target of that name was
         *     added, or provider is a chain (list its targets instead)
         */
        public Builder target(String name, ChatProvider provider, String model) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
            if (name.isBlank()) throw new IllegalArgumentException("name must not be blank");
            if (model.isBlank()) throw new IllegalArgumentException("model must not be blank");
            if (provider instanceof FallbackChain) {
                throw new IllegalArgumentException("provider must not be a FallbackChain: add its targets instead");
            }
            for (Target t : targets) {
                if (t.name().equals(name)) throw new IllegalArgumentException("a target is named " + name + " already");
            }
            targets.add(new Target(name, provider, model));
            return this;
        }

        /**
         * Sets what a switch after content does.
         *
         * @param mode {@link Failover.Mode#CONTINUE} (the default): continue the answer on a
         *     target that can continue an assistant turn, else restart; {@link Failover.Mode#RESTART}:
         *     always restart the turn on the next target
         * @return this builder
         * @throws NullPointerException if mode is null
         */
        public Builder mode(Failover.Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Adds an observer told of every switch ({@link StreamObserver#onFailover}); the targets'
         * streams are observed by their own clients' observers.
         *
         * @param observer the observer
         * @return this builder
         * @throws NullPointerException if observer is null
         */
        public Builder observer(StreamObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /**
         * {@return the chain}
         *
         * @throws IllegalStateException if no target was added: call {@link #target(ChatProvider, String)}
         */
        public FallbackChain build() {
            if (targets.isEmpty())
                throw new IllegalStateException("a fallback chain needs a target: call target(provider, model)");
            return new FallbackChain(this);
        }
    }
}
