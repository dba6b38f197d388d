package dev.sluice.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The events of one relayed stream, with their ids, in a growable ring bounded by
 * {@link RelayLimits#maxReplayEvents()} and {@link RelayLimits#maxReplayBytes()}: the stream's
 * pump appends, each {@link Subscription} reads after its own position. When the bound is
 * reached the oldest event is evicted as soon as every subscriber has written it, while a client
 * reads the stream (here, or on another node through the shared store: the store's writer alone
 * frees no room, so a client that comes late, or comes back, finds every event); until then the
 * pump waits for room (the backpressure that slows a stream to its slowest client). A cancel
 * stops that wait, and the buffer takes no more events but the terminal one.
 *
 * <p>Threading: {@code lock} guards every mutable field, the stream's own state and its
 * subscribers' positions as well (one lock per stream); the pump thread (or a pushing source's producer) appends, each
 * subscriber's thread reads and advances its own position, any thread cancels. Waits are on
 * {@code changed}, signalled on every append, position change, attach, detach and cancel; an
 * append also wakes the subscribers that wait without a thread ({@link Subscription#deliverAsync}).
 */
final class ReplayBuffer {
    /** An event in the buffer, with what it counts against the byte bound. */
    record Entry(long id, RelayEvent event, int bytes) {}

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    private final RelayLimits limits;
    // guarded by lock:
    private Entry[] ring = new Entry[8];
    private int head; // index of the oldest entry
    private int size;
    private long firstId = 1; // id of the oldest entry (or of the next one when empty)
    private long lastId; // id of the newest entry, 0 before the first
    private long bytes;
    private boolean ended; // a terminal event is in the buffer
    private @Nullable RelayEvent last; // that terminal event
    private boolean cancelRequested;
    private @Nullable String cancelReason;
    private boolean readElsewhere; // another node's clients read the stream through the store
    private final List<Subscription> subscribers = new ArrayList<>();

    ReplayBuffer(RelayLimits limits) {
        this.limits = limits;
    }

    /** {@return what an event counts against the byte bound} */
    static int bytesOf(RelayEvent e) {
        return utf8Length(e.data()) + e.type().length() + 16;
    }

    /** {@return the bytes of a string in UTF-8, what the byte bound counts} */
    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x800) n += Character.isSurrogate(c) ? 1 : 2; // a pair is 4 bytes in all, 2 per half
            else if (c >= 0x80) n++;
        }
        return n;
    }

    // ---- all below holding lock

    long firstId() {
        return firstId;
    }

    long lastId() {
        return lastId;
    }

    boolean ended() {
        return ended;
    }

    /** {@return the terminal event, once the stream has ended} */
    @Nullable
    RelayEvent terminalEvent() {
        return last;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /** {@return why the stream was cancelled, once it was} */
    @Nullable
    String cancelReason() {
        return cancelReason;
    }

    /** Stops the pump's wait for room; from now on only a terminal event is taken. */
    void cancel(String reason) {
        cancelRequested = true;
        cancelReason = reason;
        changed.signalAll();
    }

    /** Numbers the events from {@code id} on; for a replica, whose first event is the store's oldest. */
    void startAt(long id) {
        firstId = id;
        lastId = id - 1;
    }

    /** {@return whether nothing was ever appended} */
    boolean fresh() {
        return size == 0 && lastId == 0;
    }

    List<Subscription> subscribers() {
        return subscribers;
    }

    /** {@return whether an event of {@code b} bytes fits now (into an empty buffer, any event does)} */
    boolean fits(int b) {
        return size < limits.maxReplayEvents() && (size == 0 || bytes + b <= limits.maxReplayBytes());
    }

    /** Waits until an event of {@code b} bytes fits, or the stream is cancelled: the oldest is evicted as soon as every subscriber has it. */
    void awaitRoom(int b) throws InterruptedException {
        while (!cancelRequested && !fits(b)) {
            if (!evictOldest()) changed.await();
        }
    }

    /** {@return whether an event of {@code b} bytes fits, after evicting what every subscriber has written; never waits} */
    boolean makeRoom(int b) {
        while (!fits(b)) if (!evictOldest()) return false;
        return true;
    }

    /** Whether another node's clients read the stream (through the store); they let the store's writer free room. */
    void readElsewhere(boolean reading) {
        readElsewhere = reading;
        if (reading) changed.signalAll();
    }

    /** {@return whether a client reads the stream, here or on another node; the store's writer is none} */
    private boolean read() {
        if (readElsewhere) return true;
        for (Subscription s : subscribers) if (!s.mirror) return true;
        return false;
    }

    /** Drops the oldest event if every subscriber has written it and a client reads the stream. */
    private boolean evictOldest() {
        if (size == 0 || subscribers.isEmpty() || !read()) return false;
        for (Subscription s : subscribers) if (s.position < firstId) return false;
        dropOldest();
        return true;
    }

    /**
     * Drops the oldest event if its id is at most {@code id}: for a replica's load, before any
     * client reads it, whose first client has the events up to {@code id} already.
     * {@return whether one was dropped}
     */
    boolean evictUpTo(long id) {
        if (size == 0 || firstId > id) return false;
        dropOldest();
        return true;
    }

    @SuppressWarnings("NullAway") // the slot at head holds an entry while size > 0; it is cleared for the collector
    private void dropOldest() {
        bytes -= ring[head].bytes();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        firstId++;
    }

    /** Appends an event with the next id, whatever the bound; a terminal one ends the buffer. */
    void push(RelayEvent e, int b) {
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
        for (Subscription s : subscribers) s.wakeLocked(); // those delivering without a thread
    }

    /** Copies the entries after {@code position}, at most {@code max}, into {@code out}. */
    void entriesAfter(long position, int max, List<Entry> out) {
        long from = Math.max(position + 1, firstId);
        for (long i = from; i <= lastId && out.size() < max; i++) {
            out.add(ring[(int) ((head + (i - firstId)) % ring.length)]);
        }
    }

    /**
     * {@return a {@code done} without text given the answer's text, from the buffered deltas} Done
     * once per stream, at its end, rather than per event; only while the buffer still holds every
     * delta and the text is at most a quarter of the buffer's bound (the client has the deltas
     * anyway; this spares it the joining). A blank line separates text that tool events interrupt,
     * as a tool runner's turns; a fallback chain's restart (a {@code switch} with reset) discards
     * the text before it.
     */
    RelayEvent withText(RelayEvent e) {
        if (!(e instanceof RelayEvent.Done d) || d.text() != null || firstId != 1) return e;
        StringBuilder text = new StringBuilder();
        boolean interrupted = false;
        for (int i = 0; i < size; i++) {
            RelayEvent event = ring[(head + i) % ring.length].event();
            if (event instanceof RelayEvent.Delta delta) {
                if (interrupted && !text.isEmpty()) text.append("\n\n");
                interrupted = false;
                text.append(delta.text());
                if (text.length() > limits.maxReplayBytes() / 4) return e;
            } else if (event instanceof RelayEvent.Switch sw) {
                if (sw.reset()) { // a restarted answer: the failed attempt's text is not the answer
                    text.setLength(0);
                    interrupted = false;
                } // a continued one goes on where its text stopped
            } else if (!(event instanceof RelayEvent.Thinking || event instanceof RelayEvent.Hedge)) {
                interrupted = true;
            }
        }
        return new RelayEvent.Done(
                d.finishReason(),
                d.inputTokens(),
                d.outputTokens(),
                d.ttftMs(),
                d.tokensPerSecond(),
                text.toString(),
                d.finishMessage(),
                d.cacheReadTokens(),
                d.cacheWriteTokens());
    }
}
