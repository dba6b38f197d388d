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
 *
 * <p>The live path has no thread hop: when a stream has one subscriber, caught up and waiting, the
 * pump writes the event it just appended to that client itself ({@link #writeDirect}) instead of
 * waking the subscriber's thread to do it (a virtual-thread wake-up per event was the relay's
 * latency tail over plain SSE on a busy machine). The subscriber's thread stays parked meanwhile and
 * does the writing whenever it is behind (a replay, a batch that piled up, a heartbeat). A direct
 * write may block on a slow client, which only slows that client's own stream; but should a second
 * client attach, or the stream be cancelled, while the pump is stuck in such a write, the pump's
 * role passes to a new virtual thread ({@link #handOffIfWriting}) that carries on reading the source,
 * and the stuck thread leaves once its write returns. So a blocked write never holds up another
 * client, nor a cancel. {@link #generation} counts these hand-offs: only the thread of the current
 * generation reads the source.
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
    private long generation;         // the pump thread that reads the source: a hand-off starts the next
    private Subscription writing;    // the subscriber the pump is writing to directly, or null
    private long writingGeneration;  // the generation of the pump doing that write

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
        RelaySource src;
        try {
            src = factory.open(request, controller);
        } catch (SluiceException e) {
            if (finish(new RelayEvent.Error(errorType(e), e.getMessage()), 0)) done(null);
            return;
        } catch (RuntimeException e) {
            if (finish(new RelayEvent.Error("internal_error", "the relay's source failed: " + e), 0)) done(null);
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
        pull(src, 0);
    }

    /**
     * The pump of the given generation: reads the source into the buffer until its end, then ends
     * the stream; returns early, leaving all that to its successor, once its role is handed off.
     */
    private void pull(RelaySource src, long gen) {
        boolean current;
        try {
            current = read(src, gen) && finish(null, gen);
        } catch (SluiceException e) {
            current = finish(new RelayEvent.Error(errorType(e), e.getMessage()), gen);
        } catch (RuntimeException e) {
            current = finish(new RelayEvent.Error("internal_error", "the relay's source failed: " + e), gen);
        }
        if (current) done(src);
    }

    /** Reads the source until its end or a cancel. {@return false if the pump's role was handed off} */
    private boolean read(RelaySource src, long gen) {
        lock.lock();
        try {
            if (ended) return true; // a successor of a pump stuck writing the terminal event: only the end is left
        } finally {
            lock.unlock();
        }
        while (true) {
            Optional<RelayEvent> next = src.next();
            if (next.isEmpty()) return true;
            Appended a = append(next.get());
            if (a == null) return true;
            if (a.direct() != null && !writeDirect(a.direct(), a.entry(), gen)) return false;
            if (a.entry().event().terminal()) return true;
        }
    }

    private void done(RelaySource src) {
        if (src != null) src.close();
        controller.cancel("the relayed stream ended");
        relay.ended(this);
    }

    /**
     * The pump writes an event it just appended to the one subscriber waiting for it (marked
     * {@code pumpWriting} under the lock, so that subscriber's thread stays out of its client).
     * {@return false if the pump's role was handed off meanwhile: the calling thread must stop}
     */
    private boolean writeDirect(Subscription s, Entry e, long gen) {
        boolean ok = s.writeFromPump(e);
        long now = System.nanoTime();
        lock.lock();
        try {
            s.pumpWriting = false;
            if (writing == s) writing = null;
            if (ok) {
                s.position = e.id();
                s.lastWrite = now;
                if (e.event().terminal()) s.completedByPump = true;
            } else {
                s.failedByPump = true;
            }
            boolean current = gen == generation;
            // the subscriber's thread waits only for an outcome; a successor pump may wait for room
            if (!ok || !current || s.completedByPump || s.closed || s.dropped || s.waitsForPump) changed.signalAll();
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Lets a new thread take over the pump while the current one is stuck in a direct write. Holding lock. */
    private void handOffIfWriting() {
        if (writing == null || writingGeneration != generation) return;
        long gen = ++generation;
        RelaySource src = source;
        Thread.ofVirtual().name("sluice-relay-" + id).start(() -> pull(src, gen));
    }

    /**
     * Ends the buffer with the terminal event due, unless one is there already, and writes it to the
     * waiting subscriber itself when that is due (see {@link #push}). {@return false if the pump's
     * role was handed off during that write: the calling thread must stop}
     */
    private boolean finish(RelayEvent failure, long gen) {
        Appended a;
        lock.lock();
        try {
            if (ended) return true;
            RelayEvent last;
            if (cancelRequested) last = new RelayEvent.Cancelled(cancelReason);
            else if (failure != null) last = failure;
            else last = new RelayEvent.Done(null, 0, 0, null, 0);
            a = push(last, last.data().length() + 16);
        } finally {
            lock.unlock();
        }
        return a.direct() == null || writeDirect(a.direct(), a.entry(), gen);
    }

    /** An appended event, and the subscriber the pump is to write it to itself (or null). */
    private record Appended(Entry entry, Subscription direct) {}

    /**
     * Appends a non-terminal or terminal event; waits while the buffer is full and its oldest event
     * may still be needed. {@return what was appended, or null if the stream was cancelled (the event is dropped)}
     */
    private Appended append(RelayEvent e) {
        int b = e.data().length() + e.type().length() + 16;
        lock.lock();
        try {
            if (e.terminal()) {
                if (cancelRequested) return null;
                return push(e, b);
            }
            RelayLimits limits = relay.limits;
            while (!cancelRequested && (size >= limits.maxReplayEvents() || (size > 0 && bytes + b > limits.maxReplayBytes()))) {
                if (!evictOldest()) changed.await();
            }
            if (cancelRequested) return null;
            return push(e, b);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            cancel("the relay's thread was interrupted");
            return null;
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

    /**
     * Adds an event to the buffer. When the stream's one subscriber waits caught up, it is marked
     * for the pump to write to directly and is not woken; otherwise the waiting threads are.
     * Holding lock.
     */
    private Appended push(RelayEvent e, int b) {
        if (size == ring.length) {
            Entry[] bigger = new Entry[ring.length * 2];
            for (int i = 0; i < size; i++) bigger[i] = ring[(head + i) % ring.length];
            ring = bigger;
            head = 0;
        }
        Entry entry = new Entry(++lastId, e, b);
        ring[(head + size) % ring.length] = entry;
        size++;
        bytes += b;
        if (e.terminal()) ended = true;
        Subscription direct = null;
        if (subscribers.size() == 1) {
            Subscription s = subscribers.getFirst();
            if (s.waitsCaughtUp(entry.id())) {
                direct = s;
                s.pumpWriting = true;
                writing = s;
                writingGeneration = generation;
            }
        }
        if (direct == null) changed.signalAll();
        return new Appended(entry, direct);
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
            handOffIfWriting(); // the pump may be stuck writing to the other client: this one must not wait for it
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
            handOffIfWriting(); // so that the stream ends (cancelled) even while the pump is stuck writing
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
