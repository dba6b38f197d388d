package dev.sluice.relay;

import dev.sluice.SluiceException;
import dev.sluice.agent.AgentEvent;
import dev.sluice.agent.ToolApprovals;
import dev.sluice.chat.MessageChunk;
import dev.sluice.internal.low.json.text.JsonText;
import dev.sluice.sse.SseEvent;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stream of a model's chunks ({@link RelaySource#chat}) or of a tool runner's events
 * ({@link RelaySource#toolRunner}) mapped to relay events: {@code start} first, the model's events
 * as {@link ChunkEvents} makes them (turn after turn for a tool runner, with the tools' events
 * between), and {@code done} last, with the usage of every turn.
 *
 * @param <E> what the stream yields
 */
final class MappedRelaySource<E> implements RelaySource {
    // Threading: the pump thread (next()) owns every field but events, which is safe from any
    // thread; once pushing (pushTo), the stream's producer thread owns them.

    /**
     * Where a pushing source's events go, on its producer's thread: a relayed stream's pump (into the
     * replay buffer) or a {@link DirectRun} (straight to its client).
     */
    interface Target {
        /**
         * Takes one event, waiting while the client is slow (backpressure). {@return false if the
         * stream was cancelled (the event is dropped)}
         */
        boolean append(RelayEvent e);

        /**
         * The events appended so far are all the source has for now: a target that holds back what
         * it writes writes it out ({@link EventStream.Sink#flush}). Nothing by default.
         */
        default void flush() {}

        /** The source has ended: its last event taken, or {@code failure} (null if none) to end the stream with. */
        void pushEnded(RelaySource src, @Nullable Throwable failure);
    }

    /** Maps one item of the stream, appending its relay events. */
    @FunctionalInterface
    interface Mapping<E> {
        void map(E item, ChunkEvents chunks, ArrayDeque<RelayEvent> out);
    }

    private final String provider;
    private final String model;
    private final EventStream<E> events;
    private final Mapping<E> mapping;
    private final ArrayDeque<RelayEvent> pending = new ArrayDeque<>();
    private final ChunkEvents chunks = new ChunkEvents();
    private final @Nullable ToolApprovals approvals; // a tool run's decisions; null for a model's chunks
    private @Nullable Iterator<E> iterator;
    private boolean started;
    private boolean ended;
    /** A follow's continuation of a stream: no {@code done}. */
    private boolean bare;

    private MappedRelaySource(
            String provider,
            String model,
            EventStream<E> events,
            Mapping<E> mapping,
            @Nullable ToolApprovals approvals) {
        this.approvals = approvals;
        this.provider = provider;
        this.model = model;
        this.events = events;
        this.mapping = mapping;
    }

    /** {@return a model's chunks as relay events} */
    static MappedRelaySource<MessageChunk> chat(String provider, String model, EventStream<MessageChunk> chunks) {
        return new MappedRelaySource<>(provider, model, chunks, (chunk, c, out) -> out.addAll(c.map(chunk)), null);
    }

    /** {@return an upstream's own events as relay events, their usage observed ({@link RelaySource#verbatim})} */
    static MappedRelaySource<SseEvent> verbatim(String provider, String model, EventStream<SseEvent> events) {
        return new MappedRelaySource<>(
                provider,
                model,
                events,
                (event, c, out) -> {
                    out.add(new RelayEvent.Verbatim(event.type(), event.data()));
                    VerbatimUsage.observe(event, c);
                },
                null);
    }

    /**
     * {@return a tool runner's run as relay events: the turns' events, and the tools' between them}
     * {@link #approve} decides its calls that wait for approval, and {@link #answer} answers its
     * tools' questions, through {@code approvals}, the run's.
     */
    static MappedRelaySource<AgentEvent> toolRun(
            String provider, String model, EventStream<AgentEvent> run, ToolApprovals approvals) {
        return new MappedRelaySource<>(provider, model, run, MappedRelaySource::mapToolRun, approvals);
    }

    /**
     * {@return the continuation of a run another node started, without {@code start}: a follow of
     * one task ({@link RelaySource#toolRunner}'s {@link Relay.SourceFactory#follow}: the call's
     * events only, and no {@code done} when {@code bare}), or the rest of the run
     * ({@link Relay.SourceFactory#resume}: its calls' events, its next turns and {@code done})}
     */
    static MappedRelaySource<AgentEvent> followed(
            EventStream<AgentEvent> follow, ToolApprovals approvals, boolean bare) {
        MappedRelaySource<AgentEvent> m =
                new MappedRelaySource<>("follow", "follow", follow, MappedRelaySource::mapToolRun, approvals);
        m.started = true;
        m.bare = bare;
        return m;
    }

    /** Hands the handles of the tasks the run's calls start to {@code listener}; nothing for a model's chunks. */
    void keepTasks(ToolApprovals.TaskListener listener) {
        if (approvals != null) approvals.onTask(listener);
    }

    private static void mapToolRun(AgentEvent event, ChunkEvents chunks, ArrayDeque<RelayEvent> out) {
        switch (event) {
            case AgentEvent.TurnStarted t -> {
                if (t.turn() > 1) chunks.nextTurn();
            }
            case AgentEvent.ModelChunk c -> out.addAll(chunks.map(c.chunk()));
            case AgentEvent.ToolStarted s -> out.add(new RelayEvent.ToolStarted(s.id(), s.name()));
            case AgentEvent.ToolProgress p ->
                out.add(new RelayEvent.ToolProgress(
                        p.id(), FailureEvents.withoutAddresses(p.message()), p.percent(), p.progress(), p.total()));
            case AgentEvent.ApprovalRequested a ->
                out.add(new RelayEvent.ToolApproval(a.id(), a.name(), a.arguments()));
            case AgentEvent.ApprovalDecided d ->
                out.add(new RelayEvent.ToolApprovalDecided(
                        d.id(), d.approved(), d.reason() == null || d.reason().isEmpty() ? null : d.reason()));
            case AgentEvent.InputRequested q -> {
                StringBuilder schema = new StringBuilder();
                JsonText.write(q.schema(), schema);
                out.add(new RelayEvent.ToolInput(
                        q.id(), q.name(), FailureEvents.withoutAddresses(q.message()), schema.toString()));
            }
            case AgentEvent.ToolCompleted d -> out.add(new RelayEvent.ToolDone(d.id(), d.result()));
            case AgentEvent.ToolFailed f ->
                out.add(new RelayEvent.ToolFailed(f.id(), FailureEvents.withoutAddresses(f.error())));
            case AgentEvent.RunFinished f -> {
                chunks.runUsage(f.usage()); // the whole run's: a run resumed from a checkpoint counts the turns before
                if (f.reason() == AgentEvent.RunFinished.StopReason.TURN_LIMIT) chunks.finishReasonIfNone("turn_limit");
            }
            default -> {} // turn ends: nothing for the page
        }
    }

    @Override
    public Optional<RelayEvent> next() {
        if (!started) {
            started = true;
            return Optional.of(new RelayEvent.Start(provider, model));
        }
        if (iterator == null) iterator = events.iterator();
        while (pending.isEmpty()) {
            if (ended) return Optional.empty();
            if (!iterator.hasNext()) { // throws the stream's failure
                ended = true;
                return Optional.ofNullable(last(events.endReason().orElse(EndReason.COMPLETED)));
            }
            mapping.map(iterator.next(), chunks, pending);
        }
        return Optional.of(pending.poll());
    }

    /** {@return the last event of a stream that ended normally for {@code why}: done, or null after a cancel} */
    private @Nullable RelayEvent last(EndReason why) {
        if (why == EndReason.CANCELLED || bare) return null;
        if (why == EndReason.CHUNK_LIMIT) chunks.finishReasonIfNone("length");
        return chunks.done();
    }

    /**
     * Runs this source on its stream's producer thread ({@link EventStream#pushTo}) rather than
     * the pump's: appends {@code start} on the calling thread, then each item's events as the
     * producer produces it, then the last event, and tells the pump the end. No thread waits for
     * the stream but its producer. {@return false if the stream cannot push (nothing was
     * taken but {@code start}): pull with {@link #next()}}
     *
     * @param pump where the events go; its {@link Target#append} waits for room (backpressure)
     */
    boolean pushTo(Target pump) {
        if (!started) {
            started = true;
            if (!pump.append(new RelayEvent.Start(provider, model))) return false; // cancelled: the pump ends it
            pump.flush(); // what a writer writes for the start goes out before the upstream's first event
        }
        return events.pushTo(new EventStream.Sink<E>() {
            private boolean stopped; // the relayed stream was cancelled: the rest is dropped
            private @Nullable Throwable bug;

            @Override
            public void accept(E item) {
                if (stopped) return;
                try {
                    mapping.map(item, chunks, pending);
                    for (RelayEvent e; (e = pending.poll()) != null; ) {
                        if (!pump.append(e)) {
                            stopped = true;
                            pending.clear();
                        }
                    }
                } catch (RuntimeException | Error e) { // a bug: this stream ends with internal_error, as a pump's would
                    bug = e;
                    stopped = true;
                    events.controller().cancel("the relay failed while mapping the stream"); // never rethrown
                }
            }

            @Override
            public void flush() {
                if (!stopped) pump.flush();
            }

            @Override
            public void end(EndReason reason, @Nullable SluiceException failure) {
                ended = true;
                Throwable why = bug != null ? bug : failure;
                if (why == null && !stopped) {
                    RelayEvent done = last(reason);
                    if (done != null) pump.append(done);
                }
                pump.pushEnded(MappedRelaySource.this, why);
            }
        });
    }

    @Override
    public void cancel(String reason) {
        events.controller().cancel(reason);
    }

    @Override
    @SuppressWarnings(
            "NullAway") // ToolApprovals takes a null reason (none given); lib/sluice's agent package does not say so
    // yet
    public boolean approve(String callId, boolean approved, @Nullable String reason) {
        return approvals != null && approvals.decide(callId, approved, reason);
    }

    @Override
    public boolean answer(String callId, Map<String, Object> content) {
        return approvals != null && approvals.answer(callId, content);
    }

    @Override
    public void close() {
        events.close();
    }
}
