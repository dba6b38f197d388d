package dev.sluice.relay;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.LocalFailureException;
import dev.sluice.ProtocolException;
import dev.sluice.RelayException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One relayed stream: its pump (a virtual thread pulling from the source into the replay buffer),
 * the buffer, its subscribers' positions, and its timers. With a shared {@link RelayStore}, either
 * a stream this node runs (a {@link StoreMirror} subscribes to copy it to the store; other nodes'
 * clients hold it by leases) or a <em>replica</em> of a stream another node runs, whose pump reads
 * the stored events, ids and all.
 *
 * <p>Threading: {@code lock} guards every mutable field below it; the pump thread appends, each
 * subscriber's thread reads and advances its own position, the timer thread and any caller of
 * {@link #cancel} set the cancel flag. Blocking I/O (the source, the clients) happens outside the
 * lock; waits are on {@code changed}, signalled on every append, position change, attach, detach
 * and cancel.
 */
final class RelayedStream {
    /** An event in the buffer. */
    record Entry(long id, RelayEvent event, int bytes) {}

    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    /** The longest provider message an {@code error} event carries. */
    static final int MAX_SHOWN_MESSAGE_CHARS = 200;
    private static final String INTERNAL_MESSAGE = "the relay failed while streaming; its log says why";

    /** How long another node's clients hold a stream without renewing (a replica renews every second or so). */
    static final Duration REMOTE_LEASE = Duration.ofSeconds(5);
    /** How long a replica's read waits for the next stored event before it checks the running node's liveness. */
    static final Duration STORE_BLOCK = Duration.ofSeconds(1);

    final String id;
    final boolean replica;
    final Consumer<? super RelayEvent> onEnd;
    private final Relay relay;
    private final StartRequest request;
    private final Relay.SourceFactory factory;
    private final StreamController controller = StreamController.create();

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    // guarded by lock:
    private Entry[] ring = new Entry[8];
    private int head;          // index of the oldest entry
    private int size;
    private long firstId = 1;  // id of the oldest entry (or of the next one when empty)
    private long lastId;       // id of the newest entry, 0 before the first
    private long bytes;
    private boolean ended;     // a terminal event is in the buffer
    private RelayEvent last;   // that terminal event
    private boolean cancelRequested;
    private String cancelReason;
    private RelaySource source;
    private final List<Subscription> subscribers = new ArrayList<>();
    private boolean everAttached;
    private ScheduledFuture<?> abandon;
    private final Map<String, Long> remoteLeases = new HashMap<>(); // node -> lease end (nanoTime), other nodes' clients
    private ScheduledFuture<?> leaseCheck;

    RelayedStream(Relay relay, String id, StartRequest request, Relay.SourceFactory factory,
                  Consumer<? super RelayEvent> onEnd) {
        this.relay = relay;
        this.id = id;
        this.request = request;
        this.factory = factory;
        this.onEnd = onEnd;
        this.replica = false;
    }

    /** A replica of a stream another node runs, filled from the store. */
    RelayedStream(Relay relay, String id) {
        this.relay = relay;
        this.id = id;
        this.request = null;
        this.factory = null;
        this.onEnd = last -> { };
        this.replica = true;
    }

    void start() {
        Duration wait = relay.attachTimeout.compareTo(relay.resumeWindow) >= 0 ? relay.attachTimeout : relay.resumeWindow;
        lock.lock();
        try {
            abandon = relay.scheduleCancellable(() -> abandonIfAlone("no client connected within " + seconds(wait)), wait);
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("sluice-relay-" + id).start(this::pump);
    }

    // ---- a replica: the stored events of a stream another node runs

    /** Reads what the store has of the stream so far, without waiting, on the caller's thread. */
    void loadReplica() {
        for (String text : relay.store.read(id, 0, relay.limits.maxReplayEvents(), Duration.ZERO)) {
            StoredEvents.Stored s = StoredEvents.decode(text);
            if (!appendStored(s) || s.event().terminal()) return;
        }
    }

    void startReplica() {
        Thread.ofVirtual().name("sluice-relay-replica-" + id).start(this::pumpReplica);
    }

    private void pumpReplica() {
        RelayStore store = relay.store;
        long announced = System.nanoTime();
        try {
            while (true) {
                long after;
                boolean clients;
                lock.lock();
                try {
                    if (ended || cancelRequested) return;
                    after = lastId;
                    clients = hasLocalClients();
                } finally {
                    lock.unlock();
                }
                if (clients && System.nanoTime() - announced >= STORE_BLOCK.toNanos()) { // renew the running node's lease
                    announced = System.nanoTime();
                    relay.announce(id, true);
                }
                List<String> got;
                try {
                    got = store.read(id, after, BATCH_FROM_STORE, STORE_BLOCK);
                } catch (RuntimeException e) { // the store is away: keep this replica's clients waiting, try again
                    LOG.log(System.Logger.Level.DEBUG, "replica " + id + ": the store cannot be read: " + e.getMessage());
                    awaitQuietly(STORE_BLOCK);
                    continue;
                }
                if (got.isEmpty()) {
                    if (nodeAlive(store)) continue;
                    // its liveness lapsed: one more look for what it stored between the read and the check
                    try {
                        got = store.read(id, after, BATCH_FROM_STORE, Duration.ZERO);
                    } catch (RuntimeException e) {
                        continue;
                    }
                    if (got.isEmpty()) {
                        appendStored(new StoredEvents.Stored(after + 1, new RelayEvent.Error("node_lost",
                                "the relay node running this stream stopped; its stored events were all delivered")));
                        return;
                    }
                }
                for (String text : got) {
                    StoredEvents.Stored s = StoredEvents.decode(text);
                    if (!appendStored(s) || s.event().terminal()) return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "replica " + id + " failed", e);
            appendStored(new StoredEvents.Stored(lastIdLocked() + 1, new RelayEvent.Error("internal_error", INTERNAL_MESSAGE)));
            if (e instanceof VirtualMachineError fatal) throw fatal;
        } finally {
            relay.replicaEnded(this);
        }
    }

    private static final int BATCH_FROM_STORE = 256;

    private boolean nodeAlive(RelayStore store) {
        try {
            return store.running(id);
        } catch (RuntimeException e) {
            return true; // cannot tell while the store is away
        }
    }

    private long lastIdLocked() {
        lock.lock();
        try {
            return lastId;
        } finally {
            lock.unlock();
        }
    }

    private void awaitQuietly(Duration d) {
        lock.lock();
        try {
            if (!cancelRequested && !ended) changed.awaitNanos(d.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel("the relay's thread was interrupted");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends a stored event with its own id; a gap (events trimmed before this node read them)
     * ends the replica with an error. Waits for room as {@link #append} does.
     * {@return false if the replica stopped or ended}
     */
    private boolean appendStored(StoredEvents.Stored s) {
        RelayEvent e = s.event();
        int b = utf8Length(e.data()) + e.type().length() + 16;
        lock.lock();
        try {
            if (ended) return false;
            if (size == 0 && lastId == 0) {
                firstId = s.id();
                lastId = s.id() - 1;
            }
            if (s.id() != lastId + 1) {
                push(new RelayEvent.Error("replay_unavailable", "events of this stream were trimmed from the store before this node read them"), 64);
                return false;
            }
            if (!e.terminal()) awaitRoom(b);
            if (cancelRequested) return false;
            push(e, b);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a replica has the event a resuming client names (a client that read on the
     * running node may be a batch ahead of the store), at most {@code timeout}.
     */
    void awaitEvent(long eventId, Duration timeout) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (lastId < eventId && !ended && !cancelRequested && left > 0) left = changed.awaitNanos(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    // ---- the pump

    private void pump() {
        RelaySource src = null;
        try {
            try {
                src = factory.open(request, controller);
            } catch (IllegalArgumentException refused) { // the provider's client refused the request before sending it
                LOG.log(System.Logger.Level.INFO, "relayed stream " + id + " refused: " + refused.getMessage());
                finish(refusedEvent(refused));
                return;
            }
            boolean cancelled;
            lock.lock();
            try {
                source = src;
                cancelled = cancelRequested;
            } finally {
                lock.unlock();
            }
            if (cancelled) src.cancel(cancelReason);
            while (true) {
                Optional<RelayEvent> next = src.next();
                if (next.isEmpty()) break;
                RelayEvent e = next.get();
                if (!append(e) || e.terminal()) break;
            }
            finish(null);
        } catch (SluiceException e) {
            LOG.log(System.Logger.Level.WARNING, "relayed stream " + id + " failed (request id "
                    + e.requestId().orElse("none") + "): " + e.getClass().getSimpleName() + ": " + e.getMessage());
            finish(errorEvent(e));
        } catch (RuntimeException | Error e) { // a bug, or the JVM out of memory: this stream ends, no other
            LOG.log(System.Logger.Level.ERROR, "relayed stream " + id + " failed in its source", e);
            finish(new RelayEvent.Error("internal_error", INTERNAL_MESSAGE));
            if (e instanceof VirtualMachineError fatal) throw fatal;
        } finally {
            if (src != null) src.close();
            lock.lock();
            try {
                source = null; // the ended stream is kept for replay, not its upstream (a client's whole answer, say)
            } finally {
                lock.unlock();
            }
            controller.cancel("the relayed stream ended");
            relay.ended(this);
        }
    }

    /** Ends the buffer with the terminal event due, unless one is there already. */
    private void finish(RelayEvent failure) {
        lock.lock();
        try {
            if (ended) return;
            RelayEvent last;
            if (cancelRequested) last = new RelayEvent.Cancelled(cancelReason);
            else if (failure != null) last = failure;
            else last = withText(new RelayEvent.Done(null, 0, 0, null, 0));
            push(last, utf8Length(last.data()) + 16);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends a non-terminal or terminal event; waits while the buffer is full and its oldest event
     * may still be needed. {@return false if the stream was cancelled (the event is dropped)}
     */
    private boolean append(RelayEvent e) {
        int b = utf8Length(e.data()) + e.type().length() + 16;
        lock.lock();
        try {
            if (e.terminal()) {
                if (cancelRequested) return false;
                RelayEvent last = withText(e);
                push(last, last == e ? b : utf8Length(last.data()) + last.type().length() + 16);
                return true;
            }
            awaitRoom(b);
            if (cancelRequested) return false;
            push(e, b);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            cancel("the relay's thread was interrupted");
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return a {@code done} without text given the answer's text, from the buffered deltas} Done
     * once per stream, at its end, rather than per event; only while the buffer still holds every
     * delta and the text is at most a quarter of the buffer's bound (the client has the deltas
     * anyway; this spares it the joining). A blank line separates text that tool events interrupt,
     * as a tool runner's turns; a fallback chain's restart (a {@code switch} with reset) discards
     * the text before it. Holding lock.
     */
    private RelayEvent withText(RelayEvent e) {
        if (!(e instanceof RelayEvent.Done d) || d.text() != null || firstId != 1) return e;
        StringBuilder text = new StringBuilder();
        boolean interrupted = false;
        for (int i = 0; i < size; i++) {
            RelayEvent event = ring[(head + i) % ring.length].event();
            if (event instanceof RelayEvent.Delta delta) {
                if (interrupted && !text.isEmpty()) text.append("\n\n");
                interrupted = false;
                text.append(delta.text());
                if (text.length() > relay.limits.maxReplayBytes() / 4) return e;
            } else if (event instanceof RelayEvent.Switch sw) {
                if (sw.reset()) { // a restarted answer: the failed attempt's text is not the answer
                    text.setLength(0);
                    interrupted = false;
                } // a continued one goes on where its text stopped
            } else if (!(event instanceof RelayEvent.Thinking)) {
                interrupted = true;
            }
        }
        return new RelayEvent.Done(d.finishReason(), d.inputTokens(), d.outputTokens(), d.ttftMs(), d.tokensPerSecond(), text.toString());
    }

    /** Waits, holding lock, until an event of {@code b} bytes fits: the oldest is evicted as soon as every subscriber has it. */
    private void awaitRoom(int b) throws InterruptedException {
        RelayLimits limits = relay.limits;
        while (!cancelRequested && (size >= limits.maxReplayEvents() || (size > 0 && bytes + b > limits.maxReplayBytes()))) {
            if (!evictOldest()) changed.await();
        }
    }

    /** Drops the oldest event if every connected client has written it (and one is connected). Holding lock. */
    private boolean evictOldest() {
        if (size == 0 || subscribers.isEmpty()) return false;
        for (Subscription s : subscribers) if (s.position < firstId) return false;
        bytes -= ring[head].bytes();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        firstId++;
        return true;
    }

    private void push(RelayEvent e, int b) {
        if (size == ring.length) {
            Entry[] bigger = new Entry[ring.length * 2];
            for (int i = 0; i < size; i++) bigger[i] = ring[(head + i) % ring.length];
            ring = bigger;
            head = 0;
        }
        ring[(head + size) % ring.length] = new Entry(++lastId, e, b);
        size++;
        bytes += b;
        if (e.terminal()) {
            ended = true;
            this.last = e;
        }
        changed.signalAll();
    }

    // ---- subscribers (called with the lock held unless said otherwise)

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
            if (after > lastId) {
                throw new RelayException(RelayException.Kind.INVALID_REQUEST, "Last-Event-ID " + after
                        + " is beyond this stream's last event, " + lastId + "; resume with an id the stream sent");
            }
            if (after < firstId - 1) {
                throw new RelayException(RelayException.Kind.REPLAY_UNAVAILABLE, "the events after " + after
                        + " are no longer buffered (the oldest kept is " + firstId + "); start a new stream");
            }
            Subscription s = new Subscription(this, after, mirror);
            subscribers.add(s);
            if (!mirror) {
                everAttached = true;
                if (abandon != null) {
                    abandon.cancel(false);
                    abandon = null;
                }
            }
            changed.signalAll();
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Copies the entries after {@code position}, at most {@code max}, into {@code out}. Holding lock. */
    void entriesAfter(long position, int max, List<Entry> out) {
        long from = Math.max(position + 1, firstId);
        for (long i = from; i <= lastId && out.size() < max; i++) {
            out.add(ring[(int) ((head + (i - firstId)) % ring.length)]);
        }
    }

    long firstId() { return firstId; }

    long lastId() { return lastId; }

    boolean ended() { return ended; }

    /** A subscriber left; the resume window starts when it was the last and the stream still runs. Takes the lock. */
    void detach(Subscription s, boolean completed) {
        boolean cancelNow;
        boolean lastLocal = false;
        lock.lock();
        try {
            if (!subscribers.remove(s)) return;
            changed.signalAll();
            if (s.mirror) return;
            lastLocal = replica && !hasLocalClients();
            if (completed) return;
            cancelNow = resumeWindowIfAlone();
        } finally {
            lock.unlock();
            if (lastLocal) relay.announce(id, false);
        }
        if (cancelNow) cancel("the client left and the resume window is 0");
    }

    /**
     * Starts the resume window when the stream runs and no client is left, here or on another
     * node. Holding lock. {@return true when the window is 0: cancel now}
     */
    private boolean resumeWindowIfAlone() {
        if (ended || cancelRequested || hasClients()) return false;
        if (relay.resumeWindow.isZero()) return true;
        if (abandon != null) abandon.cancel(false);
        Duration w = relay.resumeWindow;
        abandon = relay.scheduleCancellable(() -> abandonIfAlone("no client came back within the resume window of " + seconds(w)), w);
        return false;
    }

    /** {@return whether a client reads the stream, on this node (the store's writer aside) or another} Holding lock. */
    private boolean hasClients() {
        if (hasLocalClients()) return true;
        long now = System.nanoTime();
        for (long end : remoteLeases.values()) if (end - now > 0) return true;
        return false;
    }

    private boolean hasLocalClients() {
        for (Subscription s : subscribers) if (!s.mirror) return true;
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
            if (ended || cancelRequested) return;
            if (attached) {
                remoteLeases.put(node, System.nanoTime() + REMOTE_LEASE.toNanos());
                everAttached = true;
                if (abandon != null) {
                    abandon.cancel(false);
                    abandon = null;
                }
                if (leaseCheck != null) leaseCheck.cancel(false);
                leaseCheck = relay.scheduleCancellable(this::leasesLapsed, REMOTE_LEASE);
            } else {
                remoteLeases.remove(node);
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
            long now = System.nanoTime();
            remoteLeases.values().removeIf(end -> end - now <= 0);
            if (!remoteLeases.isEmpty()) {
                long next = remoteLeases.values().stream().mapToLong(end -> end - now).min().orElse(0);
                leaseCheck = relay.scheduleCancellable(this::leasesLapsed, Duration.ofNanos(next));
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
            if (hasClients() || ended) return;
            abandon = null;
        } finally {
            lock.unlock();
        }
        cancel(reason);
    }

    void dropClients() {
        lock.lock();
        try {
            for (Subscription s : subscribers) if (!s.mirror) s.dropped = true;
            changed.signalAll();
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
            if (ended || cancelRequested) return;
            cancelRequested = true;
            cancelReason = reason;
            src = source;
            if (abandon != null) {
                abandon.cancel(false);
                abandon = null;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        controller.cancel(reason);
        if (src != null) src.cancel(reason);
    }

    private void stopReplica(String reason) {
        lock.lock();
        try {
            if (!ended) push(new RelayEvent.Cancelled(reason), 64);
            cancelRequested = true;
            if (abandon != null) abandon.cancel(false);
            abandon = null;
        } finally {
            lock.unlock();
        }
        relay.replicaEnded(this); // forgotten now: a client that comes later reads the store afresh
    }

    /** {@return the terminal event, once the stream has ended} Takes the lock. */
    RelayEvent terminalEvent() {
        lock.lock();
        try {
            return last;
        } finally {
            lock.unlock();
        }
    }

    Duration heartbeat() {
        return relay.heartbeat;
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + " s";
    }

    /** {@return the bytes of a string in UTF-8, what the replay buffer's bound counts} */
    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x800) n += Character.isSurrogate(c) ? 1 : 2; // a pair is 4 bytes in all, 2 per half
            else if (c >= 0x80) n++;
        }
        return n;
    }

    /**
     * {@return the {@code error} event of a failure: its kind, a message safe to show anyone and
     * the provider's request id} A provider's own message (an API error's, already cleaned of
     * credentials by the client) is shown cut short; a raw upstream body (an error body not in
     * the provider's format) and every other failure's text (upstream addresses, class names,
     * excerpts of data) are not: they are in the log.
     */
    static RelayEvent.Error errorEvent(SluiceException e) {
        String message = switch (e) {
            case ApiException a when a.errorType().startsWith("http_error_") || a.errorMessage().isBlank() ->
                    "the provider answered with an error (HTTP " + a.statusCode() + ")";
            case ApiException a -> a.errorMessage().length() <= MAX_SHOWN_MESSAGE_CHARS ? a.errorMessage()
                    : a.errorMessage().substring(0, MAX_SHOWN_MESSAGE_CHARS) + "…";
            case StreamTimeoutException t -> "the provider did not answer within the " + t.timeout().label() + " timeout";
            case TransportException t -> "the connection to the provider failed";
            case IncompleteStreamException i -> "the provider's stream ended early";
            case ProtocolException p -> "the provider sent a stream that could not be read";
            case LimitExceededException l -> "the stream reached a limit";
            case LocalFailureException l -> INTERNAL_MESSAGE;
            default -> "the stream failed";
        };
        return new RelayEvent.Error(errorType(e), message, e.requestId().orElse(null));
    }

    /**
     * {@return the {@code error} event of a request the provider's client refused before sending
     * it (a setting out of its range, such as a temperature above 1 for Anthropic)} Its message is
     * the client's own check, about the caller's own request, so it is shown (cut short); the kind
     * is {@code invalid_request_error}, as a provider's own refusal would be.
     */
    static RelayEvent.Error refusedEvent(IllegalArgumentException e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? "the provider's client refused the request" : e.getMessage();
        return new RelayEvent.Error("invalid_request_error",
                m.length() <= MAX_SHOWN_MESSAGE_CHARS ? m : m.substring(0, MAX_SHOWN_MESSAGE_CHARS) + "…");
    }

    /** The machine-readable kind of a failure, for the {@code error} event. */
    static String errorType(SluiceException e) {
        return switch (e) {
            case ApiException a -> a.errorType();
            case StreamTimeoutException t -> "timeout";
            case TransportException t -> "transport_error";
            case ProtocolException p -> "protocol_error";
            case LimitExceededException l -> "limit_exceeded";
            case LocalFailureException l -> "internal_error";
            default -> "stream_error";
        };
    }
}
