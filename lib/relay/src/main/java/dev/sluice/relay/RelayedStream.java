package dev.sluice.relay;

import dev.sluice.RelayException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One relayed stream: its {@link ReplayBuffer}, what fills it, its clients and its timers. Either
 * a stream this node runs, filled by a {@link SourcePump} (with a shared {@link RelayStore}, a
 * {@link StoreMirror} subscribes to copy it to the store, and other nodes' clients hold it by
 * leases), or a <em>replica</em> of a stream another node runs, filled by a {@link StoreFollower}
 * from the store. Here: attaching and detaching clients, the attach timeout and the resume window
 * that cancel a stream no client reads, other nodes' leases, and the cancel.
 *
 * <p>Threading: the buffer's {@code lock} guards every mutable field below; any client's thread
 * attaches and detaches, the timer thread runs the timeouts, the store's listener records other
 * nodes' leases, any thread cancels. Blocking I/O (the source, the clients) happens outside the
 * lock.
 */
final class RelayedStream {
    /** How long another node's clients hold a stream without renewing (a replica renews every second or so). */
    static final Duration REMOTE_LEASE = Duration.ofSeconds(5);

    final String id;
    final boolean replica;
    final Consumer<? super RelayEvent> onEnd;
    final RelaySettings settings;
    final StreamHost host;
    final ReplayBuffer buffer;
    /** Fills a stream this node runs; null in a replica. */
    private final @Nullable SourcePump pump;
    /** Fills a replica; null in a stream this node runs. */
    final @Nullable StoreFollower follower;

    private final ReentrantLock lock;
    // guarded by lock:
    private @Nullable Future<?> abandon;
    private final Map<String, Long> remoteLeases =
            new HashMap<>(); // node -> lease end (by the relay's clock), other nodes' clients
    private @Nullable Future<?> leaseCheck;
    private int joining; // a replica's: clients of this node on their way to attach (waiting for it to catch up)
    private final Map<String, Boolean> approvals =
            new HashMap<>(); // tool call id -> decided, of the calls that asked for approval
    private final Map<String, Long> questions =
            new HashMap<>(); // tool call id -> id of its last tool_input event (0 once its tool ended), of the calls
    // whose tool asked a person
    private final Map<Long, String> asked = new HashMap<>(); // id of each tool_input event -> its call's id

    RelayedStream(
            RelaySettings settings,
            StreamHost host,
            String id,
            StartRequest.Resolved request,
            Relay.SourceFactory factory,
            Consumer<? super RelayEvent> onEnd) {
        this.settings = settings;
        this.host = host;
        this.id = id;
        this.onEnd = onEnd;
        this.replica = false;
        this.buffer = new ReplayBuffer(settings.limits());
        this.lock = buffer.lock;
        this.pump = new SourcePump(this, request, factory);
        this.follower = null;
    }

    /** A replica of a stream another node runs, filled from the store. */
    RelayedStream(RelaySettings settings, StreamHost host, String id) {
        this.settings = settings;
        this.host = host;
        this.id = id;
        this.onEnd = last -> {};
        this.replica = true;
        this.buffer = new ReplayBuffer(settings.limits());
        this.lock = buffer.lock;
        this.pump = null;
        this.follower = new StoreFollower(this);
    }

    /** Starts the pump, and the attach timeout (or the resume window, when longer). */
    void start() {
        Duration wait = settings.attachTimeout().compareTo(settings.resumeWindow()) >= 0
                ? settings.attachTimeout()
                : settings.resumeWindow();
        lock.lock();
        try {
            abandon = settings.clock()
                    .schedule(() -> abandonIfAlone("no client connected within " + seconds(wait)), wait);
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("sluice-relay-" + id).start(pump);
    }

    /** Attaches a subscriber after the given id, or refuses. Takes the lock. */
    Subscription attach(long after) {
        return attach(after, false);
    }

    /**
     * Attaches a subscriber; a {@code mirror} (the store's writer) holds back eviction like a
     * client but is no client: it neither holds back the resume window nor counts as attached.
     */
    Subscription attach(long after, boolean mirror) {
        lock.lock();
        try {
            long lastId = buffer.lastId();
            if (after > lastId) {
                throw new RelayException(
                        RelayException.Kind.INVALID_REQUEST,
                        "Last-Event-ID " + after + " is beyond this stream's last event, " + lastId
                                + "; resume with an id the stream sent");
            }
            if (after < buffer.firstId() - 1) {
                throw new RelayException(
                        RelayException.Kind.REPLAY_UNAVAILABLE,
                        "the events after " + after + " are no longer buffered (the oldest kept is " + buffer.firstId()
                                + "); start a new stream");
            }
            Subscription s = new Subscription(this, after, mirror);
            buffer.subscribers().add(s);
            if (!mirror) {
                cancelAbandon();
            }
            buffer.changed.signalAll();
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** A subscriber left; the resume window starts when it was the last and the stream still runs. Takes the lock. */
    void detach(Subscription s, boolean completed) {
        boolean cancelNow;
        boolean lastLocal = false;
        lock.lock();
        try {
            if (!buffer.subscribers().remove(s)) return;
            buffer.changed.signalAll();
            if (s.mirror) return;
            lastLocal = replica && !hasLocalClients();
            if (completed) return;
            cancelNow = resumeWindowIfAlone();
        } finally {
            lock.unlock();
            if (lastLocal) host.replicas().announce(id, false);
        }
        if (cancelNow) cancel("the client left and the resume window is 0");
    }

    /**
     * Starts the resume window when the stream runs and no client is left, here or on another
     * node. Holding lock. {@return true when the window is 0: cancel now}
     */
    private boolean resumeWindowIfAlone() {
        if (buffer.ended() || buffer.cancelRequested() || hasClients()) return false;
        if (settings.resumeWindow().isZero()) return true;
        if (abandon != null) abandon.cancel(false);
        Duration w = settings.resumeWindow();
        abandon = settings.clock()
                .schedule(() -> abandonIfAlone("no client came back within the resume window of " + seconds(w)), w);
        return false;
    }

    /**
     * A client of this node is on its way to attach to this replica: the replica follows for it
     * until it {@linkplain #joined attached or was refused}. {@return false if the replica has
     * stopped following: follow the stream afresh}
     */
    boolean join() {
        lock.lock();
        try {
            if (buffer.cancelRequested()) return false;
            joining++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A client that {@linkplain #join joined} has attached, or was refused; a replica that no
     * client of this node reads, nor is on its way to, stops following at once and gives its
     * place back.
     */
    void joined() {
        boolean alone;
        lock.lock();
        try {
            joining--;
            alone = joining == 0 && !hasLocalClients() && !buffer.cancelRequested();
        } finally {
            lock.unlock();
        }
        if (alone) stopReplica("no client of this node reads the stream");
    }

    /** {@return whether a client reads the stream, on this node (the store's writer aside) or another} Holding lock. */
    private boolean hasClients() {
        if (hasLocalClients() || joining > 0) return true;
        long now = settings.clock().now();
        for (long end : remoteLeases.values()) if (end - now > 0) return true;
        return false;
    }

    /** {@return whether a client of this node reads the stream (the store's writer aside)} Holding lock. */
    boolean hasLocalClients() {
        for (Subscription s : buffer.subscribers()) if (!s.mirror) return true;
        return false;
    }

    /**
     * Another node's clients attached (or renewed their lease) or left. A lease not renewed within
     * {@link #REMOTE_LEASE} lapses (that node stopped), and the resume window starts as when a
     * client here leaves.
     */
    void remote(String node, boolean attached) {
        boolean cancelNow = false;
        lock.lock();
        try {
            if (buffer.ended() || buffer.cancelRequested()) return;
            if (attached) {
                remoteLeases.put(node, settings.clock().now() + REMOTE_LEASE.toNanos());
                buffer.readElsewhere(true);
                cancelAbandon();
                if (leaseCheck != null) leaseCheck.cancel(false);
                leaseCheck = settings.clock().schedule(this::leasesLapsed, REMOTE_LEASE);
            } else {
                remoteLeases.remove(node);
                buffer.readElsewhere(!remoteLeases.isEmpty());
                cancelNow = resumeWindowIfAlone();
            }
        } finally {
            lock.unlock();
        }
        if (cancelNow) cancel("the client left and the resume window is 0");
    }

    private void leasesLapsed() {
        boolean cancelNow;
        lock.lock();
        try {
            long now = settings.clock().now();
            remoteLeases.values().removeIf(end -> end - now <= 0);
            buffer.readElsewhere(!remoteLeases.isEmpty());
            if (!remoteLeases.isEmpty()) {
                long next = remoteLeases.values().stream()
                        .mapToLong(end -> end - now)
                        .min()
                        .orElse(0);
                leaseCheck = settings.clock().schedule(this::leasesLapsed, Duration.ofNanos(next));
                return;
            }
            leaseCheck = null;
            cancelNow = resumeWindowIfAlone();
        } finally {
            lock.unlock();
        }
        if (cancelNow) cancel("the client left and the resume window is 0");
    }

    private void abandonIfAlone(String reason) {
        lock.lock();
        try {
            if (hasClients() || buffer.ended()) return;
            abandon = null;
        } finally {
            lock.unlock();
        }
        cancel(reason);
    }

    /** Holding lock. */
    private void cancelAbandon() {
        if (abandon != null) {
            abandon.cancel(false);
            abandon = null;
        }
    }

    void dropClients() {
        lock.lock();
        try {
            for (Subscription s : buffer.subscribers()) {
                if (s.mirror) continue;
                s.dropped = true;
                s.wakeLocked();
            }
            buffer.changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels the upstream; the pump then ends the buffer with {@code cancelled}. Idempotent. A
     * replica stops following instead (its clients get {@code cancelled}); cancelling the stream
     * itself is the running node's, through {@link Relay#cancel}.
     */
    void cancel(String reason) {
        if (replica) {
            stopReplica(reason);
            return;
        }
        RelaySource src;
        lock.lock();
        try {
            if (buffer.ended() || buffer.cancelRequested()) return;
            buffer.cancel(reason);
            src = Objects.requireNonNull(pump, "a stream this node runs has its pump")
                    .source();
            cancelAbandon();
        } finally {
            lock.unlock();
        }
        pump.cancelUpstream(src, reason);
    }

    private void stopReplica(String reason) {
        lock.lock();
        try {
            if (!buffer.ended()) buffer.push(new RelayEvent.Cancelled(reason), 64);
            buffer.cancel(reason);
            cancelAbandon();
        } finally {
            lock.unlock();
        }
        host.replicas().ended(this); // forgotten now: a client that comes later reads the store afresh
    }

    /** Notes an approval's request or decision, or a tool's question or end, as the pump appends it. Holding lock. */
    void appended(RelayEvent e) {
        switch (e) {
            case RelayEvent.ToolApproval a -> approvals.putIfAbsent(a.id(), false);
            case RelayEvent.ToolApprovalDecided d -> approvals.put(d.id(), true);
            case RelayEvent.ToolInput q -> {
                questions.put(q.id(), buffer.lastId());
                asked.put(buffer.lastId(), q.id());
            }
            case RelayEvent.ToolDone d -> questions.replace(d.id(), 0L);
            case RelayEvent.ToolFailed f -> questions.replace(f.id(), 0L);
            default -> {}
        }
    }

    /**
     * {@link Relay#approve} of a stream this node runs (and {@link Relay#answer} with
     * {@code content}): a call waiting for approval is decided; a call whose tool asks a question
     * gets the answer, or is declined. With {@code question} (the id of a {@code tool_input} event;
     * 0 for whichever the call asks now), only while that question is the call's open one. Takes
     * the lock; calls the store when it is shared.
     */
    Relay.Approval approve(
            String callId,
            boolean approved,
            @Nullable String reason,
            @Nullable Map<String, Object> content,
            long question) {
        String gate;
        lock.lock();
        try {
            Boolean decided = approvals.get(callId);
            Long open = questions.get(callId);
            if (question != 0) {
                if (!callId.equals(asked.get(question))) return Relay.Approval.NO_SUCH_CALL;
                if (open == null || open != question) return Relay.Approval.ALREADY_DECIDED; // answered, or asked anew
            }
            boolean approval = question == 0 && decided != null && !decided;
            if (!approval && (open == null || open == 0)) {
                return decided == null && open == null ? Relay.Approval.NO_SUCH_CALL : Relay.Approval.ALREADY_DECIDED;
            }
            if (buffer.ended()
                    || buffer.cancelRequested()
                    || Objects.requireNonNull(pump, "a stream this node runs has its pump")
                                    .source()
                            == null) return Relay.Approval.ALREADY_DECIDED;
            gate = open != null && !approval ? ApprovalCommand.questionGate(callId, open) : callId;
        } finally {
            lock.unlock();
        }
        if (settings.store().shared()
                && !ApprovalCommand.firstDecision(settings.store(), id, gate, settings.storeTtl(false))) {
            return Relay.Approval.ALREADY_DECIDED;
        }
        return decide(callId, approved, reason, content, question)
                ? Relay.Approval.DECIDED
                : Relay.Approval.ALREADY_DECIDED;
    }

    /**
     * Hands a decision, or an answer ({@code content} not null), to the source; with
     * {@code question} not 0, only while the call's open question is the one that event asked.
     * {@return whether the call waited and is now decided} Takes the lock.
     */
    boolean decide(
            String callId,
            boolean approved,
            @Nullable String reason,
            @Nullable Map<String, Object> content,
            long question) {
        RelaySource src;
        lock.lock();
        try {
            if (question != 0 && !Long.valueOf(question).equals(questions.get(callId))) return false;
            src = pump == null ? null : pump.source();
        } finally {
            lock.unlock();
        }
        if (src == null) return false;
        return (content != null && approved) ? src.answer(callId, content) : src.approve(callId, approved, reason);
    }

    /** {@return the terminal event, once the stream has ended} Takes the lock. */
    @Nullable
    RelayEvent terminalEvent() {
        lock.lock();
        try {
            return buffer.terminalEvent();
        } finally {
            lock.unlock();
        }
    }

    Duration heartbeat() {
        return settings.heartbeat();
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + " s";
    }
}
