package dev.sluice.relay;

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
 * Finishes, on this node, the tasks of a stream whose node stopped while its tool calls followed
 * them (MCP Tasks). The running node keeps each task's handle with the stream in the shared store
 * ({@link #keep}, as the call gets it); when a replica here finds that node lost, {@link #tryStart}
 * reads the stream's stored events and handles, and when a task's call has not ended and this
 * node is the first to {@linkplain RelayStore#takeOver take the stream over}, it follows each such
 * task from its handle ({@link Relay.SourceFactory#follow}: no second {@code tools/call}) and
 * appends the calls' events to the store after the last one stored — the status messages not yet
 * stored, {@code tool_done} or {@code tool_failed} — and then the stream's end, an {@code error}
 * of type {@code node_lost} that says the tools' results are in but the model's next turn did not
 * run. Every node's replica follows those events as it follows any, so the clients see each once.
 * A cancel of the stream (sent here by the store as to any running node) cancels the task on its
 * server; a tool's question goes on the stream, and its answer comes here as a command.
 *
 * <p>Threading: one virtual thread ({@code sluice-relay-takeover-ID}) follows the tasks and appends;
 * {@link #command} runs on the store's listener thread; {@code lock} orders the appends with the
 * heartbeat's, which runs on a virtual thread of its own while the tasks work.
 */
final class TaskTakeover implements Runnable {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    private static final int BATCH = 256;

    /** A task whose call has not ended: its handle and what the stored events say of its call. */
    private record Open(
            String callId,
            String tool,
            String taskId,
            boolean started,
            @Nullable String lastMessage) {}

    private final RelaySettings settings;
    private final String streamId;
    private final Relay.SourceFactory factory;
    private final List<Open> open;
    private final long keepFrom;
    private final Runnable ended;
    private final StreamController controller = StreamController.create();
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private long next;
    private @Nullable RelaySource source;
    private volatile boolean over;

    private TaskTakeover(
            RelaySettings settings,
            String streamId,
            Relay.SourceFactory factory,
            List<Open> open,
            long next,
            long keepFrom,
            Runnable ended) {
        this.settings = settings;
        this.streamId = streamId;
        this.factory = factory;
        this.open = open;
        this.next = next;
        this.keepFrom = keepFrom;
        this.ended = ended;
    }

    /** {@return a task's handle as the store keeps it} */
    static String encode(String tool, String taskId) {
        return "{\"tool\":" + Json.string(tool) + ",\"task\":" + Json.string(taskId) + "}";
    }

    /** Keeps a task's handle with a stream this node runs; a store that cannot be reached loses it (the stream then ends with node_lost should this node stop). */
    static void keep(RelayStore store, String streamId, String callId, String tool, String taskId) {
        try {
            store.putTask(streamId, callId, encode(tool, taskId));
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "stream " + streamId + ": the handle of the task of call " + callId
                            + " could not be kept in the store; another node cannot finish it: " + e.getMessage());
        }
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
        Set<String> done = new HashSet<>();
        Map<String, String> lastMessage = new HashMap<>();
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
                    case RelayEvent.ToolProgress p -> lastMessage.put(p.id(), p.message());
                    case RelayEvent.ToolDone d -> done.add(d.id());
                    case RelayEvent.ToolFailed f -> done.add(f.id());
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
            if (done.contains(h.getKey())) continue;
            Map<?, ?> m = Json.object(h.getValue());
            if (m == null || !(m.get("tool") instanceof String tool) || !(m.get("task") instanceof String task))
                continue;
            open.add(new Open(h.getKey(), tool, task, started.contains(h.getKey()), lastMessage.get(h.getKey())));
        }
        if (open.isEmpty() || provider == null) return null;
        Relay.SourceFactory factory = factories.apply(provider);
        if (factory == null) return null;
        if (!store.takeOver(streamId, settings.storeTtl(false))) return null;
        LOG.log(
                System.Logger.Level.INFO,
                "stream " + streamId + ": its node stopped while " + open.size()
                        + " task(s) worked; this node follows them to their end");
        return new TaskTakeover(settings, streamId, factory, List.copyOf(open), after + 1, Math.max(1, first), ended);
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
        lock.lock();
        try {
            source = src;
        } finally {
            lock.unlock();
        }
        try (RelaySource s = src) {
            String repeated = task.lastMessage();
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
                if (e instanceof RelayEvent.ToolStarted && task.started()) continue; // stored before the node stopped
                if (e instanceof RelayEvent.ToolProgress p && repeated != null) {
                    boolean same = p.message().equals(repeated);
                    repeated = null;
                    if (same) continue; // the status the stream already has
                }
                append(e);
            }
        } finally {
            lock.lock();
            try {
                source = null;
            } finally {
                lock.unlock();
            }
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

    /** A command sent to the stream's node, now this one: a cancel, or a decision for a tool's question. */
    void command(String command) {
        RelaySource src;
        lock.lock();
        try {
            src = source;
        } finally {
            lock.unlock();
        }
        if (command.equals("cancel")) {
            over = true;
            controller.cancel("cancelled by the client");
            if (src != null) src.cancel("cancelled by the client");
        } else if (command.startsWith(ApprovalCommand.PREFIX) && src != null) {
            ApprovalCommand.apply(src, command);
        }
    }
}
