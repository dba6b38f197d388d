package dev.sluice.relay;

import dev.sluice.SluiceException;
import dev.sluice.agent.ToolApprovals;
import dev.sluice.agent.TurnCheckpoint;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.ToolResult;
import dev.sluice.relay.internal.Json;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Goes on, on this node, with a stream whose node stopped while its tool calls followed tasks (MCP
 * Tasks). The running node keeps each task's handle with the stream in the shared store, as the
 * call gets it, and with them the checkpoint of the turn whose calls started them: the run's
 * conversation up to the model's calls ({@link Keeper}, {@link StoredCheckpoint}). When a replica
 * here finds that node lost, {@link #tryStart} reads the stream's stored events and handles, and
 * when a task's call has not ended and this node is the first to
 * {@linkplain RelayStore#takeOver take the stream over}, it goes on with the run from the
 * checkpoint ({@link Relay.SourceFactory#resume}): each task followed from its handle (no second
 * {@code tools/call}), the turn's other calls' results read from the stored events, then the
 * model's next turns, to the run's {@code done}. Without a checkpoint it can read (the node
 * stopped before it was kept, or the source runs no tool runs) it follows the tasks alone
 * ({@link Relay.SourceFactory#follow}) and ends the stream with an {@code error} of type
 * {@code node_lost} that says the tools' results are in but the model's next turn did not run.
 * Either way it appends the events to the store after the last one stored, leaving out a call's
 * {@code tool_started} and its last status when they are stored already, so every node's replica
 * follows them as it follows any and the clients see each once. A cancel of the stream (sent here
 * by the store as to any running node) cancels the run and its tasks on their servers; a tool's
 * question goes on the stream, and its answer comes here as a command. A question the stream holds
 * already (asked before the node stopped, not answered since as far as the stream shows) is not
 * asked twice: when the task here asks it again (the same call, question and fields), the reader's
 * answer to the stored one, given before or after, reaches the tool once.
 *
 * <p>Threading: one virtual thread ({@code sluice-relay-takeover-ID}) follows the tasks and appends;
 * {@link #command} runs on the store's listener thread; {@code lock} orders the appends with the
 * heartbeat's, which runs on a virtual thread of its own while the tasks work.
 */
final class TaskTakeover implements Runnable {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    private static final int BATCH = 256;

    /**
     * A task whose call has not ended: its handle and what the stored events say of its call: its
     * {@code tool_started}, the status it showed last, and the question it asked last when no
     * answer has reached the tool since as far as the stream shows (null: none).
     */
    private record Open(
            String callId,
            String tool,
            String taskId,
            boolean started,
            @Nullable String lastMessage,
            RelayEvent.@Nullable ToolInput question) {}

    private final RelaySettings settings;
    private final String streamId;
    private final Relay.SourceFactory factory;
    private final List<Open> open;
    private final @Nullable TurnCheckpoint checkpoint;
    private final Map<String, ToolResult> results;
    private final long keepFrom;
    private final Runnable ended;
    private final StreamController controller = StreamController.create();
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private long next;
    private @Nullable RelaySource source;
    /** The calls whose stored question the run here has not asked yet, and an answer given to it meanwhile. */
    private final Map<String, @Nullable String> unasked = new HashMap<>();

    private volatile boolean over;

    private TaskTakeover(
            RelaySettings settings,
            String streamId,
            Relay.SourceFactory factory,
            List<Open> open,
            @Nullable TurnCheckpoint checkpoint,
            Map<String, ToolResult> results,
            long next,
            long keepFrom,
            Runnable ended) {
        this.settings = settings;
        this.streamId = streamId;
        this.factory = factory;
        this.open = open;
        this.checkpoint = checkpoint;
        this.results = results;
        this.next = next;
        this.keepFrom = keepFrom;
        this.ended = ended;
        for (Open o : open) if (o.question() != null) unasked.put(o.callId(), null);
    }

    /** {@return a task's handle as the store keeps it} */
    static String encode(String tool, String taskId) {
        return "{\"tool\":" + Json.string(tool) + ",\"task\":" + Json.string(taskId) + "}";
    }

    /** Has the handles of the tasks a tool run's calls start kept with a stream this node runs, and the checkpoints of their turns; nothing for another source. */
    static void keepTasks(RelaySettings settings, String streamId, RelaySource source) {
        if (source instanceof MappedRelaySource<?> run) run.keepTasks(new Keeper(settings, streamId));
    }

    /**
     * Keeps with a stream this node runs the handles of its run's tasks and the checkpoint of each
     * turn whose calls started one: a checkpoint is written once the turn has both (a call's task
     * may start before the model's turn has ended), so a stream without tasks writes none. A store
     * that cannot be reached loses what it was given: another node then cannot go on with the run
     * (the stream ends with node_lost should this node stop). On the run's and its calls' threads.
     */
    static final class Keeper implements ToolApprovals.TaskListener {
        private final RelaySettings settings;
        private final String streamId;
        private final ReentrantLock lock = new ReentrantLock();
        // guarded by lock
        private final Set<String> tasked = new HashSet<>();
        private @Nullable TurnCheckpoint latest;
        private boolean kept;

        Keeper(RelaySettings settings, String streamId) {
            this.settings = settings;
            this.streamId = streamId;
        }

        @Override
        public void started(String callId, String toolName, String taskId) {
            put(callId, encode(toolName, taskId), "the handle of the task of call " + callId);
            TurnCheckpoint due = null;
            lock.lock();
            try {
                tasked.add(callId);
                if (latest != null && !kept && calls(latest).contains(callId)) {
                    due = latest;
                    kept = true;
                }
            } finally {
                lock.unlock();
            }
            if (due != null) keep(due);
        }

        @Override
        public void calledTools(TurnCheckpoint checkpoint) {
            boolean due;
            lock.lock();
            try {
                latest = checkpoint;
                due = calls(checkpoint).stream().anyMatch(tasked::contains);
                kept = due;
            } finally {
                lock.unlock();
            }
            if (due) keep(checkpoint);
        }

        private void keep(TurnCheckpoint checkpoint) {
            String json = StoredCheckpoint.encode(checkpoint, settings.limits().maxReplayBytes());
            if (json == null) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "stream " + streamId + ": the conversation of turn " + checkpoint.turn()
                                + " is not kept with its tasks (too long, or it has images or settings a relayed"
                                + " stream does not carry); another node could only follow its tasks");
                return;
            }
            put(StoredCheckpoint.KEY, json, "the checkpoint of turn " + checkpoint.turn());
        }

        private void put(String key, String value, String what) {
            try {
                settings.store().putTask(streamId, key, value);
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "stream " + streamId + ": " + what
                                + " could not be kept in the store; another node cannot finish it: " + e.getMessage());
            }
        }
    }

    /** {@return the ids of a checkpoint's calls} */
    private static Set<String> calls(TurnCheckpoint checkpoint) {
        Set<String> ids = new HashSet<>();
        for (ToolCall c : checkpoint.calls()) ids.add(c.id());
        return ids;
    }

    /**
     * The node running a stream was found lost with nothing more stored after {@code after}: takes
     * the stream over when it has a task whose call has not ended and this node is the first.
     * {@return the takeover, this node's now, to {@link #start}; null when there is nothing to take over or another node was first}
     *
     * @param factories the relay's source factories by provider, to follow the tasks with the
     *     stream's own
     * @param ended called when the takeover has appended the stream's end
     */
    static @Nullable TaskTakeover tryStart(
            RelaySettings settings,
            String streamId,
            long after,
            Function<String, Relay.@Nullable SourceFactory> factories,
            Runnable ended) {
        RelayStore store = settings.store();
        Map<String, String> handles = store.tasks(streamId);
        if (handles.isEmpty()) return null;
        String provider = null;
        long first = 0;
        Set<String> started = new HashSet<>();
        Map<String, ToolResult> done = new HashMap<>();
        Map<String, String> lastMessage = new HashMap<>();
        Map<String, RelayEvent.ToolInput> asked = new HashMap<>();
        long read = 0;
        while (read < after) {
            List<String> events = store.read(streamId, read, BATCH, Duration.ZERO);
            if (events.isEmpty()) break;
            for (String text : events) {
                StoredEvents.Stored s;
                try {
                    s = StoredEvents.decode(text);
                } catch (IllegalArgumentException e) { // a newer node's event: none of a call's
                    read++;
                    continue;
                }
                read = s.id();
                if (first == 0) first = s.id();
                switch (s.event()) {
                    case RelayEvent.Start st -> provider = st.provider();
                    case RelayEvent.ToolStarted t -> started.add(t.id());
                    case RelayEvent.ToolProgress p -> {
                        lastMessage.put(p.id(), p.message());
                        asked.remove(p.id()); // the task went on: answered, as far as the stream shows
                    }
                    case RelayEvent.ToolInput q -> asked.put(q.id(), q);
                    case RelayEvent.ToolApprovalDecided d -> asked.remove(d.id());
                    case RelayEvent.ToolDone d -> done.put(d.id(), ToolResult.of(d.id(), d.result()));
                    case RelayEvent.ToolFailed f -> done.put(f.id(), ToolResult.error(f.id(), f.message()));
                    case RelayEvent e
                    when e.terminal() -> {
                        return null; // it ended after all
                    }
                    default -> {}
                }
            }
        }
        List<Open> open = new ArrayList<>();
        for (Map.Entry<String, String> h : handles.entrySet()) {
            if (h.getKey().equals(StoredCheckpoint.KEY) || done.containsKey(h.getKey())) continue;
            Map<?, ?> m = Json.object(h.getValue());
            if (m == null || !(m.get("tool") instanceof String tool) || !(m.get("task") instanceof String task))
                continue;
            open.add(new Open(
                    h.getKey(),
                    tool,
                    task,
                    started.contains(h.getKey()),
                    lastMessage.get(h.getKey()),
                    asked.get(h.getKey())));
        }
        if (open.isEmpty() || provider == null) return null;
        Relay.SourceFactory factory = factories.apply(provider);
        if (factory == null) return null;
        TurnCheckpoint checkpoint = StoredCheckpoint.decode(handles.get(StoredCheckpoint.KEY));
        if (checkpoint != null) {
            Set<String> calls = calls(checkpoint);
            for (Open o : open) if (!calls.contains(o.callId())) checkpoint = null; // an earlier turn's
        }
        if (!store.takeOver(streamId, settings.storeTtl(false))) return null;
        LOG.log(
                System.Logger.Level.INFO,
                "stream " + streamId + ": its node stopped while " + open.size() + " task(s) worked; this node "
                        + (checkpoint != null ? "goes on with its run" : "follows them to their end"));
        return new TaskTakeover(
                settings,
                streamId,
                factory,
                List.copyOf(open),
                checkpoint,
                Map.copyOf(done),
                after + 1,
                Math.max(1, first),
                ended);
    }

    /** Starts following the tasks, on a thread of the takeover's own. */
    void start() {
        Thread.ofVirtual().name("sluice-relay-takeover-" + streamId).start(this);
    }

    @Override
    public void run() {
        Thread beat = Thread.ofVirtual()
                .name("sluice-relay-takeover-beat-" + streamId)
                .start(this::beat);
        try {
            RelaySource run = checkpoint == null ? null : resumed(checkpoint);
            if (run != null) {
                goOn(run);
                return;
            }
            for (Open task : open) {
                if (over) break;
                follow(task);
            }
            append(
                    over
                            ? new RelayEvent.Cancelled("cancelled by the client")
                            : new RelayEvent.Error(
                                    "node_lost",
                                    "the relay node running this stream stopped while a tool's task worked; another"
                                            + " node followed the task to its end (its result is above), but the"
                                            + " model's next turn did not run: send the message again to go on",
                                    null));
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "stream " + streamId + ": taking over its tasks failed", e);
            try {
                append(FailureEvents.internalError());
            } catch (RuntimeException again) {
                // the store is away: its followers end when its record lapses
            }
        } finally {
            over = true;
            beat.interrupt();
            ended.run();
        }
    }

    /** Follows one task to its end, appending its call's events that are not stored yet. */
    private void follow(Open task) {
        RelaySource src;
        try {
            src = factory.follow(task.callId(), task.tool(), task.taskId(), controller);
        } catch (RuntimeException e) {
            src = null;
        }
        if (src == null) {
            append(new RelayEvent.ToolFailed(
                    task.callId(), "the task of tool '" + task.tool() + "' cannot be followed from this relay node"));
            return;
        }
        use(src);
        try (RelaySource s = src) {
            Stored stored = new Stored(List.of(task));
            while (true) {
                RelayEvent e;
                try {
                    var got = s.next();
                    if (got.isEmpty()) break;
                    e = got.get();
                } catch (RuntimeException failure) {
                    e = new RelayEvent.ToolFailed(
                            task.callId(), FailureEvents.withoutAddresses(String.valueOf(failure.getMessage())));
                    append(e);
                    break;
                }
                boolean repeated = stored.has(e);
                if (!repeated) append(e);
                asked(e, repeated);
            }
        } finally {
            use(null);
        }
    }

    /** {@return the rest of the run from its checkpoint, its new tasks kept as the running node's; null when the source runs no tool runs} */
    private @Nullable RelaySource resumed(TurnCheckpoint checkpoint) {
        Map<String, String> tasks = new HashMap<>();
        for (Open task : open) tasks.put(task.callId(), task.taskId());
        RelaySource src;
        try {
            src = factory.resume(checkpoint, tasks, results, controller);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "stream " + streamId + ": its run cannot go on from its checkpoint here: " + e.getMessage());
            return null;
        }
        if (src != null) keepTasks(settings, streamId, src);
        return src;
    }

    /** Goes on with the run: appends its events not stored yet, to its end ({@code done}, its failure's {@code error}, or {@code cancelled}). */
    private void goOn(RelaySource src) {
        use(src);
        try (RelaySource s = src) {
            Stored stored = new Stored(open);
            while (true) {
                var got = s.next();
                if (got.isEmpty()) break;
                RelayEvent e = got.get();
                boolean repeated = stored.has(e);
                asked(e, repeated);
                if (repeated) continue;
                append(e);
                if (e.terminal()) return;
            }
            append(new RelayEvent.Cancelled("cancelled by the client"));
        } catch (SluiceException failure) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "stream " + streamId + " failed after its takeover (request id "
                            + failure.requestId().orElse("none") + "): "
                            + failure.getClass().getSimpleName() + ": " + failure.getMessage());
            append(FailureEvents.errorEvent(failure));
        } finally {
            use(null);
        }
    }

    /** Makes {@code src} the source a command reaches (null: none). */
    private void use(@Nullable RelaySource src) {
        lock.lock();
        try {
            source = src;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The run here asked a call's question, or the call ended: a question the stream holds already,
     * asked here again the same ({@code repeated}), gets the answer given to it meanwhile, if one
     * was; once the call asks another question or ends, an answer to the stored one is dropped (no
     * one asks it any more).
     */
    private void asked(RelayEvent e, boolean repeated) {
        String call = switch (e) {
            case RelayEvent.ToolInput q -> q.id();
            case RelayEvent.ToolDone d -> d.id();
            case RelayEvent.ToolFailed f -> f.id();
            default -> null;
        };
        if (call == null) return;
        String answer;
        RelaySource src;
        lock.lock();
        try {
            if (!unasked.containsKey(call)) return;
            answer = unasked.remove(call);
            src = source;
        } finally {
            lock.unlock();
        }
        if (repeated && answer != null && src != null) ApprovalCommand.apply(src, answer);
    }

    /**
     * What the stream holds already of the calls followed: their {@code tool_started}, the status
     * each showed last, and the question each asked and no one answered yet.
     */
    private static final class Stored {
        private final Map<String, Open> calls = new HashMap<>();
        private final Map<String, String> lastMessages = new HashMap<>();
        private final Map<String, RelayEvent.ToolInput> questions = new HashMap<>();

        Stored(List<Open> open) {
            for (Open o : open) {
                calls.put(o.callId(), o);
                String last = o.lastMessage();
                if (last != null) lastMessages.put(o.callId(), last);
                RelayEvent.ToolInput question = o.question();
                if (question != null) questions.put(o.callId(), question);
            }
        }

        /** {@return whether the event is one the stream has already: to leave out} */
        boolean has(RelayEvent e) {
            if (e instanceof RelayEvent.ToolStarted s) {
                Open o = calls.get(s.id());
                return o != null && o.started(); // stored before the node stopped
            }
            if (e instanceof RelayEvent.ToolProgress p) {
                String last = lastMessages.remove(p.id()); // only the first status after the takeover can repeat
                return last != null && last.equals(p.message());
            }
            if (e instanceof RelayEvent.ToolInput q) {
                // the task still asks what the stream asked before the takeover (the same call, question and
                // fields): the reader has it, and its answer comes to this node by the relay's answer route
                return same(q, questions.remove(q.id())); // only the first question after the takeover can repeat
            }
            return false;
        }

        /**
         * {@return whether two questions are one: the same call, tool and message, and the same
         * schema by its JSON value (its text's member order is not the server's and may differ)}
         */
        private static boolean same(RelayEvent.ToolInput asked, RelayEvent.@Nullable ToolInput stored) {
            if (stored == null
                    || !asked.id().equals(stored.id())
                    || !asked.name().equals(stored.name())
                    || !asked.message().equals(stored.message())) return false;
            Map<?, ?> schema = Json.object(asked.schema());
            return schema != null
                    ? schema.equals(Json.object(stored.schema()))
                    : asked.schema().equals(stored.schema());
        }
    }

    /** Appends one event after the last stored, as the stream's running node. */
    private void append(RelayEvent e) {
        lock.lock();
        try {
            long id = next;
            long holds = settings.store()
                    .append(
                            streamId,
                            id,
                            List.of(StoredEvents.encode(id, e)),
                            keepFrom,
                            settings.storeTtl(e.terminal()));
            if (holds < id) throw new IllegalStateException("the store lost events of stream " + streamId);
            next = id + 1;
        } finally {
            lock.unlock();
        }
    }

    /** Extends the stream's life in the store while its tasks work in silence. */
    private void beat() {
        while (!over) {
            LockSupport.parkNanos(settings.heartbeat().toNanos());
            if (over || Thread.currentThread().isInterrupted()) return;
            lock.lock();
            try {
                if (!over) settings.store().append(streamId, next, List.of(), keepFrom, settings.storeTtl(false));
            } catch (RuntimeException e) {
                // the store is away: the next beat tries again
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * A command sent to the stream's node, now this one: a cancel, or a decision for a tool's
     * question. An answer to a question the stream holds from before the takeover, which the run
     * here has not asked again yet, waits until it has (then it reaches the tool, once).
     */
    void command(String command) {
        RelaySource src;
        boolean answer = command.startsWith(ApprovalCommand.PREFIX);
        String call = answer ? ApprovalCommand.call(command) : null;
        lock.lock();
        try {
            if (call != null && unasked.containsKey(call)) {
                if (unasked.get(call) == null) unasked.put(call, command);
                return;
            }
            src = source;
        } finally {
            lock.unlock();
        }
        if (command.equals("cancel")) {
            over = true;
            controller.cancel("cancelled by the client");
            if (src != null) src.cancel("cancelled by the client");
        } else if (answer && src != null) {
            ApprovalCommand.apply(src, command);
        }
    }
}
