package dev.sluice.chat;

import dev.sluice.ApiException;
import dev.sluice.CircuitOpenException;
import dev.sluice.ConcurrencyLimitException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.LocalFailureException;
import dev.sluice.ProtocolException;
import dev.sluice.RequestRateLimitException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import dev.sluice.client.RateLimits;
import dev.sluice.internal.low.http.RetryRules;
import dev.sluice.internal.low.value.Prefill;
import dev.sluice.stream.Emitter;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.Producer;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One stream of a {@link FallbackChain}: opens the targets in turn, hands their chunks on (the
 * continuation's repeated whitespace dropped, usage summed, times counted from the chain's start)
 * and makes the switches; in a hedging chain, races the next target against a slow first one
 * ({@link #race}).
 *
 * <p>Threading: {@link #openFirst()} runs on the calling thread, then {@link #produce} on the
 * stream's producer thread (started after it), which owns every field but {@code cancelled},
 * {@code attempt} and {@code hedge} (volatile: {@link #cancel()} and {@link #closeAttempt()} run on
 * any thread). During a race each attempt is read up to its first content by a {@link Racer} on a
 * virtual thread of its own, which hands what it reads to the producer through {@code signals};
 * the winner's iterator then passes to the producer.
 *
 * <p>Why this file is long: the race and the failover share the running attempt's state (its target, its
 * stream, the answer delivered), so they stay in one class.
 */
final class FallbackRun implements Producer<MessageChunk> {
    /**
     * The most characters of an answer a failover continues (262,144, some 65,000 tokens, sent again
     * as the next target's prefill): past it the answer is not continued but restarted (or, for a
     * {@linkplain FallbackChain#continuingOnly continuing-only} chain, failed), so that the text kept
     * for a continuation stays bounded whatever the answer's length.
     */
    static final int MAX_CONTINUED_CHARS = 1 << 18;

    private final FallbackChain chain;
    private final List<FallbackChain.Target> targets; // in the order this run asks them (cooling targets last)
    private final int[] positions; // each of them's place in the chain, where its hedge counts and times are kept
    private final ChatRequest request;
    private final @Nullable StreamOptions attemptOptions; // null: each target's defaults
    private final StreamController outer;
    private final long startNanos = System.nanoTime();

    private volatile boolean cancelled;
    private volatile boolean producing; // from then on the stream's own cancel closes the attempt (attached)
    private volatile @Nullable StreamController attemptController;
    private volatile @Nullable EventStream<MessageChunk> attempt;
    private int index = -1; // the target of the running attempt
    private boolean attemptContent; // the running attempt delivered content
    private long attemptStartNanos;

    private final List<MessageChunk> switches = new ArrayList<>(0); // made while opening, not yet emitted
    private final List<String> failures = new ArrayList<>(0); // "target: reason (message)" of each failed attempt
    private final List<SluiceException> causes = new ArrayList<>(0);

    // Hedging (hedges null: the chain does not hedge).
    private final @Nullable HedgeState hedges;
    private final LongSupplier clock; // the stream options' clock, for the threshold
    private long ticket; // the stream's place in the cap's window
    private long attemptClock; // clock() when the running attempt started
    private boolean raced; // a race ran (or content came): no other
    private volatile @Nullable Racer hedge; // the hedge while it races
    private final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();

    // The answer as delivered since the last restart, up to MAX_CONTINUED_CHARS: past it the answer is not continued.
    private final StringBuilder delivered = new StringBuilder();
    private boolean overlong; // more was delivered than a continuation carries
    private boolean textOnly = true; // no thinking and no tool call delivered
    private boolean content; // anything delivered
    private @Nullable Prefill prefill; // while a continuation's first text may repeat whitespace
    private long carriedIn; // usage of the finished attempts, summed
    private long carriedOut;
    private long keptOut; // output tokens of the attempts whose text is kept

    FallbackRun(
            FallbackChain chain, ChatRequest request, @Nullable StreamOptions attemptOptions, StreamController outer) {
        this.chain = chain;
        this.targets = chain.order();
        this.positions = new int[targets.size()];
        for (int i = 0; i < positions.length; i++)
            positions[i] = chain.targets().indexOf(targets.get(i));
        this.request = request;
        this.attemptOptions = attemptOptions;
        this.outer = outer;
        this.hedges = chain.hedgeState();
        this.clock = (attemptOptions != null ? attemptOptions : StreamOptions.defaults()).nanoTime();
    }

    /** {@return the hedging state, for a chain that hedges: only such a chain races} */
    private HedgeState hedges() {
        return Objects.requireNonNull(hedges, "only a hedging chain races");
    }

    /** The chain's stream was cancelled: while it opens on the calling thread, the attempt is cancelled here. */
    void cancel() {
        cancelled = true;
        if (!producing) cancelAttempt();
    }

    /** Ends the running attempt, opening or streaming: the stream's source, and its end hook. */
    void closeAttempt() {
        cancelAttempt();
        EventStream<MessageChunk> a = attempt;
        if (a != null) a.close();
        Racer h = hedge;
        if (h != null) h.drop(outer.cancelReason().orElse("cancelled"));
    }

    private void cancelAttempt() {
        StreamController c = attemptController;
        if (c != null) c.cancel(outer.cancelReason().orElse("cancelled"));
    }

    /** Opens the first target that opens; the switches before it wait for the producer. */
    void openFirst() {
        if (hedges != null) ticket = hedges.admit();
        openFrom(0, null, null, null);
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // identity: whether a race left another attempt standing
    public void produce(Emitter<MessageChunk> out) {
        producing = true;
        out.attach(this::closeAttempt);
        while (true) {
            if (!emitSwitches(out)) return;
            SluiceException failure;
            EventStream<MessageChunk> a = attempt;
            if (a == null || cancelled) return; // cancelled while opening
            try {
                Iterator<MessageChunk> it;
                if (mayRace()) {
                    it = race(out);
                    if (it == null) return;
                    a = Objects.requireNonNull(attempt, "a race commits to an attempt");
                } else {
                    it = a.iterator();
                }
                while (it.hasNext()) {
                    if (!out.emit(handOn(it.next()))) return;
                }
                EndReason end = a.endReason().orElse(EndReason.COMPLETED);
                if (end == EndReason.CHUNK_LIMIT || end == EndReason.TOKEN_BUDGET) out.end(end);
                else if (end == EndReason.CANCELLED && !cancelled) {
                    outer.cancel(a.controller().cancelReason().orElse("cancelled"));
                }
                return;
            } catch (SluiceException e) {
                failure = e;
            } finally {
                EventStream<MessageChunk> last = attempt; // after a race: the attempt left standing
                if (last != null) last.close();
                if (last != a) a.close();
                Racer h = hedge;
                if (h != null) h.drop("the stream ended");
            }
            Failover.Reason reason = reasonOf(failure);
            if (reason != null && attemptContent && !cancelled) chain.failedMidAnswer(targets.get(index));
            if (reason == null || cancelled || index + 1 >= targets.size()) throw finalFailure(failure, reason);
            // a consumer that cannot discard what it passed on: no next target's answer that nobody would read
            if (content && !chain.restarts() && !canContinue(targets.get(index + 1))) throw failure;
            causes.add(failure);
            ChatResponse partial = failure.partial(ChatResponse.class).orElse(null);
            try {
                openFrom(index + 1, reason, partial, failure.requestId().orElse(null));
            } catch (SluiceException e) { // the switches made reach the consumer before the failure
                if (!emitSwitches(out)) return;
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ hedging

    /** {@return whether the running attempt is raced: the chain hedges, no race ran, nothing was delivered, a next target exists} */
    private boolean mayRace() {
        return hedges != null && !raced && !content && index + 1 < targets.size();
    }

    private boolean isContent(MessageChunk c) {
        return !c.text().isEmpty()
                || !c.toolCalls().isEmpty()
                || (hedges().hedging().thinkingAsContent() && !c.thinking().isEmpty());
    }

    /** What a racer hands the producer: a chunk, its end, or its failure. */
    private record Signal(
            Racer from,
            @Nullable MessageChunk chunk,
            @Nullable RuntimeException failure) {}

    /**
     * One attempt of a race, read up to its first content on a virtual thread of its own: it opens
     * the target first when it is the hedge. Its iterator passes to the producer with the signal of
     * that content (or of its end).
     */
    private final class Racer implements Runnable {
        final int target;
        final @Nullable ChatRequest request; // null: the attempt was opened already
        final StreamController controller;
        final long startNanos;
        final long startClock;
        volatile @Nullable EventStream<MessageChunk> stream;
        volatile boolean dropped;

        @Nullable
        Iterator<MessageChunk> it; // written before the signal that hands it over

        final List<MessageChunk> held = new ArrayList<>(2); // the producer's: chunks before content

        @Nullable
        Usage usage; // the producer's: the latest the attempt reported

        @Nullable
        SluiceException failure; // the producer's: why it failed before content

        Racer(
                int target,
                @Nullable EventStream<MessageChunk> opened,
                StreamController controller,
                long startNanos,
                long startClock) {
            this.target = target;
            this.request = opened == null ? requestFor(targets.get(target)) : null;
            this.stream = opened;
            this.controller = controller;
            this.startNanos = startNanos;
            this.startClock = startClock;
        }

        void start() {
            Thread.ofVirtual()
                    .name("sluice-hedge-" + targets.get(target).name())
                    .start(this);
        }

        @Override
        public void run() {
            try {
                EventStream<MessageChunk> s = stream;
                if (s == null) {
                    s = targets.get(target).provider().stream(
                            Objects.requireNonNull(request, "made when not opened"), controller);
                    stream = s;
                    if (dropped) {
                        s.close();
                        return;
                    }
                }
                Iterator<MessageChunk> i = s.iterator();
                it = i;
                while (i.hasNext()) {
                    MessageChunk c = i.next();
                    signals.add(new Signal(this, c, null));
                    if (isContent(c)) return;
                }
                signals.add(new Signal(this, null, null));
            } catch (RuntimeException e) {
                signals.add(new Signal(this, null, e));
            } catch (Error e) { // never escapes the attempt's thread: the chain ends with it, as with any failure
                signals.add(new Signal(
                        this,
                        null,
                        new LocalFailureException(
                                "the attempt at " + name() + " failed on this side, not the server's: " + e, e)));
            }
        }

        /** Cancels the attempt: its connection is closed. Any thread, idempotent. */
        void drop(String reason) {
            dropped = true;
            controller.cancel(reason);
            EventStream<MessageChunk> s = stream;
            if (s != null) s.close();
        }

        String name() {
            return targets.get(target).name();
        }
    }

    /**
     * Reads the running attempt up to its first content, starting the next target beside it when
     * the threshold passes first (if the cap, its breaker and its rate limits let it), and commits to
     * the first of the two to produce content or end: the other is dropped, the hedge reported, the
     * winner's chunks so far emitted. When one fails before content the other goes on alone.
     *
     * @return the winner's iterator, its chunks so far emitted; null when the stream is over
     * @throws SluiceException the failure of the attempt left standing (the running attempt, its
     *     target {@link #index}), for the caller to fail over as without a race
     */
    private @Nullable Iterator<MessageChunk> race(Emitter<MessageChunk> out) {
        Racer first = new Racer(
                index,
                attempt,
                Objects.requireNonNull(attemptController, "an attempt runs"),
                attemptStartNanos,
                attemptClock);
        first.start();
        long threshold = hedges().thresholdNanos(positions[index]);
        Racer second = null;
        Racer standing = first; // the attempt whose failure ends the race
        boolean decided = false; // whether the hedge was started or refused
        while (true) {
            Signal s;
            try {
                s = signals.poll(10, TimeUnit.MILLISECONDS); // the clock may be a test's: read it at least every 10 ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s = null;
            }
            if (cancelled || out.isOver() || Thread.currentThread().isInterrupted()) {
                first.drop("cancelled");
                if (second != null) second.drop("cancelled");
                return null;
            }
            if (s == null) {
                if (!decided && clock.getAsLong() - first.startClock >= threshold) {
                    decided = true;
                    second = startHedge(first);
                }
                continue;
            }
            Racer r = s.from();
            if (r.dropped) continue; // what a racer read before it was let go
            Racer other = r == first ? second : first;
            if (s.chunk() != null) {
                r.held.add(s.chunk());
                if (s.chunk().usage() != null) r.usage = s.chunk().usage();
                if (!isContent(s.chunk())) continue;
                return commit(r, other, second, threshold, out);
            }
            if (s.failure() == null) return commit(r, other, second, threshold, out); // ended without content
            if (!(s.failure() instanceof SluiceException e)) {
                if (other != null) other.drop("failed");
                throw s.failure();
            }
            r.failure = e;
            r.drop("failed");
            if (r == second && standing == first) { // the hedge failed: the first goes on alone
                hedges().ended(positions[second.target], false);
                hedge = null;
                continue;
            }
            Failover.Reason reason = reasonOf(e);
            if (r == first
                    && second != null
                    && !second.dropped
                    && reason != null
                    && !cancelled) { // the hedge goes on alone
                causes.add(e);
                failures.add(first.name() + ": " + reason.name().toLowerCase(Locale.ROOT));
                standing = second;
                continue;
            }
            if (other != null) other.drop("failed");
            index = r.target;
            attempt = r.stream;
            attemptController = r.controller;
            hedge = null;
            throw e;
        }
    }

    /** {@return the hedge started beside {@code first}, or null when the cap, the next target's breaker or its rate limits forbid it} */
    private @Nullable Racer startHedge(Racer first) {
        int next = first.target + 1;
        ChatProvider p = targets.get(next).provider();
        if (p.refusesNewStreams()) return null;
        Instant exhaustedUntil =
                p.rateLimits().flatMap(RateLimits::exhaustedUntil).orElse(null);
        if (exhaustedUntil != null && exhaustedUntil.isAfter(Instant.now())) return null;
        if (!hedges().tryHedge(ticket)) return null;
        StreamController c = attemptOptions != null ? StreamController.of(attemptOptions) : StreamController.create();
        Racer h = new Racer(next, null, c, System.nanoTime(), clock.getAsLong());
        hedge = h;
        raced = true;
        hedges().started(positions[next]);
        if (cancelled) h.drop("cancelled");
        else h.start();
        return h;
    }

    /**
     * Makes {@code winner} the running attempt: drops the other, reports the hedge (when one ran),
     * takes note of the times to first content, and emits the winner's chunks so far.
     *
     * @return the winner's iterator; null when the consumer went away
     */
    private @Nullable Iterator<MessageChunk> commit(
            Racer winner, @Nullable Racer other, @Nullable Racer second, long threshold, Emitter<MessageChunk> out) {
        long now = clock.getAsLong();
        if (other != null && !other.dropped) other.drop("a hedge answered first");
        index = winner.target;
        attempt = winner.stream;
        attemptController = winner.controller;
        attemptStartNanos = winner.startNanos;
        hedge = null;
        hedges().sample(positions[winner.target], now - winner.startClock);
        MessageChunk report = null;
        if (second != null) {
            Racer first = winner == second ? Objects.requireNonNull(other, "a race of two") : winner;
            Racer loser = winner == second ? first : second;
            if (winner == second)
                hedges().sample(positions[first.target], now - first.startClock); // at least this long
            if (second.failure == null) hedges().ended(positions[second.target], winner == second);
            Usage u = loser.usage;
            if (u == null && loser.failure != null) {
                u = loser.failure
                        .partial(ChatResponse.class)
                        .map(ChatResponse::usage)
                        .orElse(null);
            }
            Hedge h = new Hedge(
                    first.name(),
                    second.name(),
                    winner.name(),
                    Duration.ofNanos(threshold),
                    u == null ? 0 : u.inputTokens(),
                    u == null ? 0 : u.outputTokens());
            chain.report(h);
            report = MessageChunk.builder(
                            new ChunkMetadata(targets.get(winner.target).model(), Instant.now(), since(startNanos)))
                    .hedge(h)
                    .build();
        }
        if (!emitSwitches(out)) return null;
        if (report != null && !out.emit(report)) return null;
        for (MessageChunk c : winner.held) {
            if (!out.emit(handOn(c))) return null;
        }
        return winner.it;
    }

    /**
     * Opens targets from {@code first} on until one opens, making a switch for each move.
     *
     * @param reason why the running attempt failed, or null for the stream's first opening
     * @param partial the failed attempt's partial answer, or null
     * @param failedId the failed attempt's request id, or null
     */
    private void openFrom(
            int first, Failover.@Nullable Reason reason, @Nullable ChatResponse partial, @Nullable String failedId) {
        for (int i = first; i < targets.size(); i++) {
            if (reason != null) switchTo(i, reason, partial, failedId);
            partial = null;
            if (cancelled) return;
            FallbackChain.Target t = targets.get(i);
            index = i;
            SluiceException failed = openOn(t);
            if (failed != null
                    && prefill != null
                    && refusesPrefill(failed)
                    && chain.restarts()
                    && !cancelled) { // Claude 4.6 and later: no prefill
                restartInstead();
                failed = openOn(t);
            }
            if (failed == null) return;
            reason = reasonOf(failed);
            failedId = failed.requestId().orElse(null);
            if (reason == null || cancelled || i + 1 >= targets.size()) throw finalFailure(failed, reason);
            if (content && !chain.restarts() && !canContinue(targets.get(i + 1))) throw failed;
            causes.add(failed);
        }
    }

    /** {@return null when target t opened (its stream is the running attempt), else why not} */
    private @Nullable SluiceException openOn(FallbackChain.Target t) {
        StreamController c = attemptOptions != null ? StreamController.of(attemptOptions) : StreamController.create();
        attemptController = c;
        attemptContent = false;
        attemptStartNanos = System.nanoTime();
        attemptClock = clock.getAsLong();
        try {
            attempt = t.provider().stream(requestFor(t), c);
            if (cancelled) closeAttempt();
            return null;
        } catch (SluiceException e) {
            return e;
        }
    }

    /**
     * {@return the request id of the running attempt (after the stream, the one that answered or failed
     * last), once its provider sent it} Any thread.
     */
    @Nullable
    String requestId() {
        EventStream<MessageChunk> a = attempt;
        return a == null ? null : a.requestId().orElse(null);
    }

    /** Records the move from the current target to target {@code next}: its switch chunk, accounts, observers. */
    private void switchTo(int next, Failover.Reason reason, @Nullable ChatResponse partial, @Nullable String failedId) {
        FallbackChain.Target from = targets.get(index);
        FallbackChain.Target to = targets.get(next);
        long in = 0;
        long outTokens = 0;
        if (partial != null
                && partial.usage() != null) { // the attempt's own: its chunks were summed only on their way out
            in = partial.usage().inputTokens();
            outTokens = partial.usage().outputTokens();
        }
        carriedIn += in;
        carriedOut += outTokens;
        Failover.Mode applied;
        if (!content) {
            applied = Failover.Mode.CONTINUE;
        } else if (canContinue(to)) {
            applied = Failover.Mode.CONTINUE;
            keptOut += outTokens;
        } else {
            applied = Failover.Mode.RESTART;
        }
        String kept = applied == Failover.Mode.CONTINUE ? delivered.toString() : "";
        Failover f = new Failover(from.name(), to.name(), reason, applied, kept, in, outTokens, failedId);
        if (applied == Failover.Mode.RESTART) {
            delivered.setLength(0);
            overlong = false;
            textOnly = true;
            content = false;
            keptOut = 0;
            prefill = null;
        } else {
            prefill = content ? Prefill.of(kept) : null;
        }
        failures.add(from.name() + ": " + f.reasonName());
        switches.add(switchChunk(f, to));
    }

    private MessageChunk switchChunk(Failover f, FallbackChain.Target to) {
        return MessageChunk.builder(new ChunkMetadata(to.model(), Instant.now(), since(startNanos)))
                .usage(carriedIn + carriedOut > 0 ? Usage.of(carriedIn, carriedOut) : null)
                .failover(f)
                .build();
    }

    /** Hands the switches made on to the consumer, telling the observers as it does. {@return false when the stream is over} */
    private boolean emitSwitches(Emitter<MessageChunk> out) {
        for (MessageChunk s : switches) {
            chain.report(Objects.requireNonNull(s.failover(), "a switch chunk carries its failover"));
            if (!out.emit(s)) return false;
        }
        switches.clear();
        return true;
    }

    /** {@return whether a target refused the continuation's request as such (a model that takes no prefill)} */
    private static boolean refusesPrefill(SluiceException e) {
        return e instanceof ApiException a
                && !a.inStream()
                && reasonOf(a) == null
                && a.errorType().toLowerCase(Locale.ROOT).contains("invalid_request");
    }

    /** The last switch continued the answer on a target that refused to: it restarts it there instead. */
    private void restartInstead() {
        Failover c = Objects.requireNonNull(switches.getLast().failover(), "a switch chunk carries its failover");
        Failover f = new Failover(
                c.from(),
                c.to(),
                c.reason(),
                Failover.Mode.RESTART,
                "",
                c.inputTokens(),
                c.outputTokens(),
                c.fromRequestId());
        switches.set(switches.size() - 1, switchChunk(f, targets.get(index)));
        delivered.setLength(0);
        overlong = false;
        textOnly = true;
        content = false;
        keptOut = 0;
        prefill = null;
    }

    private boolean canContinue(FallbackChain.Target to) {
        return chain.mode() == Failover.Mode.CONTINUE
                && textOnly
                && !overlong
                && !delivered.isEmpty()
                && !delivered.toString().isBlank()
                && to.provider().continuesAssistantTurn(to.model())
                && request.thinkingBudget() == null
                && request.responseFormat() == null
                && request.messages().getLast().role() != ChatMessage.Role.ASSISTANT;
    }

    /**
     * {@return the request for target t: its model, only the provider state stamped for t (see
     * {@link ProviderState}), and the answer so far as the assistant's message when continuing}
     */
    private ChatRequest requestFor(FallbackChain.Target t) {
        return requestFor(request, t, prefill == null ? null : prefill.text(), keptOut);
    }

    /**
     * {@return {@code request} for target t: its model, only the provider state stamped for t, and
     * {@code prefill} (when not null) as the assistant's message, the token cap less the {@code keptOut}
     * tokens it holds}
     */
    static ChatRequest requestFor(ChatRequest request, FallbackChain.Target t, @Nullable String prefill, long keptOut) {
        List<ChatMessage> messages = stateFor(t.name(), request.messages());
        Integer maxTokens = request.maxTokens();
        if (prefill != null) {
            messages = new ArrayList<>(messages);
            messages.add(ChatMessage.assistant(prefill));
            if (maxTokens != null) maxTokens = (int) Math.max(1, maxTokens - keptOut);
        }
        Integer thinking = loopFromElsewhere(t.name(), request.messages()) ? null : request.thinkingBudget();
        return new ChatRequest(
                t.model(),
                request.system(),
                messages,
                request.tools(),
                maxTokens,
                request.temperature(),
                request.stopSequences(),
                thinking,
                request.responseFormat(),
                request.toolChoice(),
                request.effort(),
                request.promptCache(),
                request.showThinking());
    }

    /**
     * {@return whether the turn in progress (after the last user text) is a tool loop that another
     * target began: an assistant message of it calls tools without a state for target {@code name}}
     * That target's thinking cannot go to this one, and an API that thinks wants the
     * thinking of the turn's tool calls back (Anthropic refuses the request without it): this target
     * continues the turn without thinking.
     */
    static boolean loopFromElsewhere(String name, List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            ChatMessage m = messages.get(i);
            if (m.role() == ChatMessage.Role.USER && m.toolResults().isEmpty()) return false;
            if (!m.toolCalls().isEmpty()
                    && (m.providerState() == null || m.providerState().forTarget(name) == null)) return true;
        }
        return false;
    }

    /**
     * {@return the messages as target {@code name} gets them} A state stamped for it goes with its
     * name taken off the route; any other state is stripped (and a message that was nothing but
     * that state left out): one target's opaque state never reaches another.
     */
    static List<ChatMessage> stateFor(String name, List<ChatMessage> messages) {
        List<ChatMessage> out = null;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.providerState() == null) {
                if (out != null) out.add(m);
                continue;
            }
            if (out == null) out = new ArrayList<>(messages.subList(0, i));
            ProviderState kept = m.providerState().forTarget(name);
            if (kept == null && m.text().isEmpty() && m.toolCalls().isEmpty()) continue;
            out.add(new ChatMessage(
                    m.role(),
                    m.text(),
                    m.toolCalls(),
                    m.toolResults(),
                    kept,
                    m.images(),
                    m.documents(),
                    m.cacheMark(),
                    m.files()));
        }
        return out == null ? messages : out;
    }

    /** {@return the chunk as the chain hands it on: its state stamped with the running target} Per chunk: kept cheap; the first attempt's chunks pass as they are. */
    @SuppressWarnings("ReferenceEquality") // identity: the chunk's own text, not aligned, means nothing changed
    private MessageChunk handOn(MessageChunk c) {
        String text = c.text();
        if (!text.isEmpty()) {
            if (prefill != null) {
                text = prefill.align(text);
                if (prefill.aligned()) prefill = null;
            }
            if (overlong || delivered.length() + text.length() > MAX_CONTINUED_CHARS) {
                overlong = true;
                delivered.setLength(0); // never continued now: keep none of it
            } else {
                delivered.append(text);
            }
            content = true;
            attemptContent = true;
            raced = true;
        }
        if (!c.thinking().isEmpty() || !c.toolCalls().isEmpty()) {
            textOnly = false;
            content = true;
            attemptContent = true;
            raced = true;
            if (prefill != null) prefill = null;
        }
        ProviderState state = c.providerState() == null
                ? null
                : c.providerState().stampedFor(targets.get(index).name());
        boolean later = index > 0 || carriedIn + carriedOut > 0;
        if (!later && text == c.text() && state == null) return c;
        Usage usage = c.usage();
        if (usage != null && carriedIn + carriedOut > 0) {
            usage = new Usage(
                    usage.inputTokens() + carriedIn,
                    usage.outputTokens() + carriedOut,
                    usage.cacheReadTokens(),
                    usage.cacheWriteTokens());
        }
        ChunkMetadata m = c.metadata();
        if (attemptStartNanos > startNanos) {
            m = new ChunkMetadata(m.model(), m.timestamp(), m.sinceRequest().plusNanos(attemptStartNanos - startNanos));
        }
        return new MessageChunk(
                c.id(), text, c.toolCalls(), c.thinking(), c.finishReason(), usage, m, state, c.failover(), c.hedge());
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - nanos));
    }

    /**
     * {@return what the stream ends with} A failure that does not fail over is thrown as it is; when
     * the last target failed over too, an {@link IncompleteStreamException} names every target and
     * why, with each failure suppressed in it.
     */
    private SluiceException finalFailure(SluiceException last, Failover.@Nullable Reason reason) {
        return finalFailure(last, reason, cancelled, targets.get(index).name(), failures, causes);
    }

    /**
     * {@return what a stream or an answer ends with, when {@code last} failed on target {@code name}}
     * As {@link #finalFailure(SluiceException, Failover.Reason)}; {@code failures} and {@code causes}
     * are those of the targets before, added to.
     */
    static SluiceException finalFailure(
            SluiceException last,
            Failover.@Nullable Reason reason,
            boolean cancelled,
            String name,
            List<String> failures,
            List<SluiceException> causes) {
        if (reason == null || cancelled) return last;
        failures.add(name + ": " + reason.name().toLowerCase(Locale.ROOT));
        causes.add(last);
        IncompleteStreamException all = new IncompleteStreamException("every target of the fallback chain failed ("
                + String.join(", ", failures) + "); the last: " + last.getMessage());
        for (SluiceException c : causes) all.addSuppressed(c);
        all.initContext(last.requestId().orElse(null), null);
        return all;
    }

    /**
     * {@return the kind of a failure that moves the stream to the next target, or null for one that
     * ends it}: overloaded, rate limited (the provider's or a client's own limit), another retryable
     * server status or in-stream API error, the first-event or idle timeout, a lost connection or
     * cut body, a malformed stream, an open breaker. Not a request the next target would refuse as
     * well, a cancel, the total timeout, a limit of the stream.
     */
    static Failover.@Nullable Reason reasonOf(SluiceException e) {
        return switch (e) {
            case CircuitOpenException c -> Failover.Reason.BREAKER_OPEN;
            case ConcurrencyLimitException c -> Failover.Reason.RATE_LIMITED;
            case RequestRateLimitException r -> Failover.Reason.RATE_LIMITED;
            case StreamTimeoutException t ->
                t.timeout() == StreamTimeoutException.Timeout.TOTAL ? null : Failover.Reason.TIMEOUT;
            case TransportException t -> Failover.Reason.CONNECTION_LOST;
            case IncompleteStreamException i -> Failover.Reason.CONNECTION_LOST;
            case ProtocolException p -> Failover.Reason.MALFORMED;
            case ApiException a -> apiReason(a);
            default -> null;
        };
    }

    private static Failover.@Nullable Reason apiReason(ApiException a) {
        String type = a.errorType().toLowerCase(Locale.ROOT);
        if (!a.inStream() && !RetryRules.isRetryableStatus(a.statusCode())) return null;
        if (a.inStream()
                && (type.contains("invalid")
                        || type.contains("authentication")
                        || type.contains("permission")
                        || type.contains("not_found")
                        || type.contains("too_large"))) {
            return null;
        }
        if (type.contains("overloaded") || type.contains("unavailable")) return Failover.Reason.OVERLOADED;
        if (type.contains("rate")
                || type.contains("throttl") // AWS's ThrottlingException, Bedrock's throttlingException
                || type.contains("exhausted")
                || type.contains("quota")) return Failover.Reason.RATE_LIMITED;
        return Failover.Reason.SERVER_ERROR;
    }
}
