package dev.sluice.relay;

import dev.sluice.RelayException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Copies a stream this node runs to the shared {@link RelayStore}: a subscriber of the stream's
 * buffer (so the buffer keeps each event until it is stored) whose batches become one
 * {@link RelayStore#append} each, trimmed to the replay limits. When the store cannot be reached
 * it lets go of the buffer (the stream's own clients go on), tries again with a growing pause,
 * and resumes from the last event stored; when the store says it lacks events it had taken (a
 * failover to a replica that had not got them, a restart), it resumes from the last one it holds,
 * or from the oldest within the replay limits. When the events it must write again have left the
 * buffer, it stores an {@code error} event in their place and stops. It ends with the stream's
 * terminal event stored, or when the relay forgets the stream.
 *
 * <p>Threading: the copy is an {@linkplain Subscription#deliverAsync asynchronous delivery}, so a
 * stream waiting for its model holds no thread for it: its writes run on virtual threads
 * ({@code sluice-relay-store-ID}), one at a time, that linger while events flow and end in a
 * silence; after a failure, one waits the pause and tries again. Those threads follow one another
 * (each handing on through the buffer's lock or a thread's start), so the fields, used by one at
 * a time, need no lock. Storing a gap runs on a thread of its own.
 */
final class StoreMirror implements RelayWriter {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    private static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    private final RelaySettings settings;
    private final StreamHost host;
    private final RelayedStream stream;
    private final List<String> pending = new ArrayList<>(64);
    private final List<Integer> pendingBytes = new ArrayList<>(64);
    private long pendingFirst;
    private boolean terminal;
    private final ArrayDeque<long[]> kept = new ArrayDeque<>(); // {id, bytes} of the stored events within the limits
    private long keptBytes;
    private long stored; // the last id stored
    private long held = -1; // when the store said it lacks events: the last id it holds, written again from there
    private long pause = Duration.ofMillis(50).toNanos(); // before the next attempt after a failure
    private @Nullable Subscription first;

    /** Attaches to the stream before it starts, so that the buffer keeps its first event for the store. */
    StoreMirror(RelayedStream stream) {
        this.settings = stream.settings;
        this.host = stream.host;
        this.stream = stream;
        this.first = stream.attach(0, true);
    }

    /** Starts the copy; returns at once. */
    void start() {
        attempt();
    }

    /**
     * Attaches from the last event stored and delivers asynchronously; after a failure, a thread of
     * its own waits the pause and makes the next attempt. Never blocks.
     */
    private void attempt() {
        Subscription s = first;
        first = null;
        long from = stored;
        if (held
                >= 0) { // what the store lost, from the last event it holds, or from the oldest it must keep or we have
            ReplayBuffer buffer = stream.buffer;
            buffer.lock.lock();
            try {
                long oldest = Math.max(kept.isEmpty() ? 0 : kept.peekFirst()[0], buffer.firstId());
                // from the last event it holds, or, when it lacks even the oldest the limits keep, from that one: the
                // events between have left the limits (and maybe the buffer: a reader let them go while the write
                // failed)
                from = Math.max(held, oldest - 1);
                s = stream.attach(from, true); // under the lock: nothing leaves the buffer meanwhile
            } catch (RelayException e) {
                s = null; // the events after `stored` left the buffer too: the gap below
            } finally {
                buffer.lock.unlock();
            }
            held = -1;
        }
        try {
            if (s == null) s = stream.attach(from, true);
        } catch (RelayException e) { // the events after `from` left the buffer while the store was away
            thread(() -> storeGap(pause));
            return;
        }
        stored = from;
        while (!kept.isEmpty() && kept.peekLast()[0] > stored)
            keptBytes -= kept.pollLast()[1]; // a failed batch is sent again
        pending.clear();
        pendingBytes.clear();
        terminal = false;
        s.deliverAsync(this).whenComplete((outcome, failure) -> {
            if (outcome == Subscription.Outcome.COMPLETE || !host.keeps(stream)) return;
            thread(() -> {
                LockSupport.parkNanos(pause); // the retry period, in real time as the store's
                pause = Math.min(pause * 2, MAX_PAUSE.toNanos());
                attempt();
            });
        });
    }

    private void thread(Runnable task) {
        Thread.ofVirtual().name("sluice-relay-store-" + stream.id).start(task);
    }

    @Override
    public void send(long id, RelayEvent event) {
        if (pending.isEmpty()) pendingFirst = id;
        pending.add(StoredEvents.encode(id, event));
        pendingBytes.add(ReplayBuffer.bytesOf(event));
        terminal |= event.terminal();
    }

    @Override
    public void flush() throws IOException {
        if (pending.isEmpty()) return;
        RelayLimits limits = settings.limits();
        for (int i = 0; i < pending.size(); i++) {
            kept.addLast(new long[] {pendingFirst + i, pendingBytes.get(i)});
            keptBytes += pendingBytes.get(i);
        }
        while (kept.size() > limits.maxReplayEvents() || (kept.size() > 1 && keptBytes > limits.maxReplayBytes())) {
            keptBytes -= kept.pollFirst()[1];
        }
        long last = pendingFirst + pending.size() - 1;
        long holds;
        try {
            holds = settings.store()
                    .append(
                            stream.id,
                            pendingFirst,
                            List.copyOf(pending),
                            kept.peekFirst()[0],
                            settings.storeTtl(terminal));
        } catch (RuntimeException e) {
            // the store says so once for all its streams; each stream's retries are detail
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "stream " + stream.id + ": the relay's store cannot be written; retrying: " + e.getMessage());
            throw new IOException(e);
        }
        if (holds < last) throw lost(holds);
        stored = last;
        pending.clear();
        pendingBytes.clear();
    }

    @Override
    public void heartbeat() throws IOException {
        long holds;
        try { // extends the stream's life in the store while it is silent
            holds = settings.store()
                    .append(
                            stream.id,
                            stored + 1,
                            List.of(),
                            kept.isEmpty() ? 1 : kept.peekFirst()[0],
                            settings.storeTtl(false));
        } catch (RuntimeException e) {
            throw new IOException(e);
        }
        if (holds < stored) throw lost(holds);
    }

    /** The store lacks events it had taken: the next attempt writes them again. {@return the failure that ends this one} */
    private IOException lost(long holds) {
        held = holds;
        LOG.log(
                System.Logger.Level.INFO,
                "stream " + stream.id + ": the relay's store lacks events it had taken (up to " + stored + ", it holds "
                        + holds + "): writing them again");
        return new IOException("the relay's store holds stream " + stream.id + " up to event " + holds + " only");
    }

    /** Stores the error that ends the stream for other nodes, once the store can be written again. */
    private void storeGap(long pause) {
        LOG.log(
                System.Logger.Level.WARNING,
                "stream " + stream.id + ": events left the buffer while the relay's store was away;"
                        + " other nodes' clients get an error after event " + stored);
        RelayEvent gap = new RelayEvent.Error(
                "replay_unavailable",
                "events of this stream were lost while the relay's store was unavailable; start a new stream");
        long keepFrom = kept.isEmpty() ? 1 : kept.peekFirst()[0];
        while (true) {
            try {
                long holds = settings.store()
                        .append(
                                stream.id,
                                stored + 1,
                                List.of(StoredEvents.encode(stored + 1, gap)),
                                keepFrom,
                                settings.storeTtl(true));
                if (holds > stored) return;
                keepFrom = stored + 1; // the store lost what it held before: the gap is all it keeps
                continue;
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "stream " + stream.id + ": the gap cannot be stored yet: " + e.getMessage());
            }
            if (!host.keeps(stream)) return;
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_PAUSE.toNanos());
        }
    }
}
