package dev.sluice.relay;

import dev.sluice.ApiException;
import dev.sluice.LimitExceededException;
import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.TransportException;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One relayed stream: its pump (a virtual thread pulling from the source into the replay buffer),
 * the buffer, its subscribers' positions, and its timers.
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

    final String id;
    final String clientAddress;
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
    private boolean cancelRequested;
    private String cancelReason;
    private RelaySource source;
    private final List<Subscription> subscribers = new ArrayList<>();
    private boolean everAttached;
    private ScheduledFuture<?> abandon;

    RelayedStream(Relay relay, String id, String clientAddress, StartRequest request, Relay.SourceFactory factory) {
        this.relay = relay;
        this.id = id;
        this.clientAddress = clientAddress;
        this.request = request;
        this.factory = factory;
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

    // ---- the pump

    private void pump() {
        RelaySource src = null;
        try {
            src = factory.open(request, controller);
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
            finish(new RelayEvent.Error(errorType(e), e.getMessage()));
        } catch (RuntimeException e) {
            finish(new RelayEvent.Error("internal_error", "the relay's source failed: " + e));
        } finally {
            if (src != null) src.close();
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
            else last = new RelayEvent.Done(null, 0, 0, null, 0);
            push(last, last.data().length() + 16);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends a non-terminal or terminal event; waits while the buffer is full and its oldest event
     * may still be needed. {@return false if the stream was cancelled (the event is dropped)}
     */
    private boolean append(RelayEvent e) {
        int b = e.data().length() + e.type().length() + 16;
        lock.lock();
        try {
            if (e.terminal()) {
                if (cancelRequested) return false;
                push(e, b);
                return true;
            }
            RelayLimits limits = relay.limits;
            while (!cancelRequested && (size >= limits.maxReplayEvents() || (size > 0 && bytes + b > limits.maxReplayBytes()))) {
                if (!evictOldest()) changed.await();
            }
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
        if (e.terminal()) ended = true;
        changed.signalAll();
    }

    // ---- subscribers (called with the lock held unless said otherwise)

    /** Attaches a subscriber after the given id, or refuses. Takes the lock. */
    Relay.SubscribeOutcome attach(long after) {
        lock.lock();
        try {
            if (after > lastId) {
                return new RelayError(400, "invalid_request", "Last-Event-ID " + after + " is beyond this stream's last event, "
                        + lastId + "; resume with an id the stream sent");
            }
            if (after < firstId - 1) {
                return new RelayError(410, "replay_unavailable", "the events after " + after
                        + " are no longer buffered (the oldest kept is " + firstId + "); start a new stream");
            }
            Subscription s = new Subscription(this, after);
            subscribers.add(s);
            everAttached = true;
            if (abandon != null) {
                abandon.cancel(false);
                abandon = null;
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
        boolean cancelNow = false;
        lock.lock();
        try {
            if (!subscribers.remove(s)) return;
            changed.signalAll();
            if (completed || ended || !subscribers.isEmpty() || cancelRequested) return;
            if (relay.resumeWindow.isZero()) {
                cancelNow = true;
            } else {
                if (abandon != null) abandon.cancel(false);
                Duration w = relay.resumeWindow;
                abandon = relay.scheduleCancellable(() -> abandonIfAlone("no client came back within the resume window of " + seconds(w)), w);
            }
        } finally {
            lock.unlock();
        }
        if (cancelNow) cancel("the client left and the resume window is 0");
    }

    private void abandonIfAlone(String reason) {
        lock.lock();
        try {
            if (!subscribers.isEmpty() || ended) return;
            abandon = null;
        } finally {
            lock.unlock();
        }
        cancel(reason);
    }

    void dropClients() {
        lock.lock();
        try {
            for (Subscription s : subscribers) s.dropped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the upstream; the pump then ends the buffer with {@code cancelled}. Idempotent. */
    void cancel(String reason) {
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

    Duration heartbeat() {
        return relay.heartbeat;
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + " s";
    }

    /** The machine-readable kind of a failure, for the {@code error} event. */
    static String errorType(SluiceException e) {
        return switch (e) {
            case ApiException a -> a.errorType();
            case StreamTimeoutException t -> "timeout";
            case TransportException t -> "transport_error";
            case ProtocolException p -> "protocol_error";
            case LimitExceededException l -> "limit_exceeded";
            default -> "stream_error";
        };
    }
}
