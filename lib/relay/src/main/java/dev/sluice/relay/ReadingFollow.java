package dev.sluice.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link RelayStore#follow}'s default: a virtual thread per followed stream
 * ({@code sluice-relay-follow-ID}) that reads the store with a blocking {@link RelayStore#read}
 * and hands each batch to the handler; while the handler has declined, it waits for a
 * {@link #resume}. A read that fails is tried again a second later.
 *
 * <p>Threading: {@code after}, {@code resumes}, {@code paused} and {@code closed} are guarded by {@code lock};
 * the reading thread alone calls the store and the handler.
 */
final class ReadingFollow implements RelayStore.Follow, Runnable {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final int BATCH = 256;

    private final RelayStore store;
    private final String streamId;
    private final RelayStore.FollowHandler handler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private long after;
    private long resumes; // how many times resume() was called
    private boolean paused;
    private boolean closed;

    private ReadingFollow(RelayStore store, String streamId, long after, RelayStore.FollowHandler handler) {
        this.store = store;
        this.streamId = streamId;
        this.after = after;
        this.handler = handler;
    }

    static RelayStore.Follow start(RelayStore store, String streamId, long after, RelayStore.FollowHandler handler) {
        ReadingFollow f = new ReadingFollow(store, streamId, after, handler);
        Thread.ofVirtual().name("sluice-relay-follow-" + streamId).start(f);
        return f;
    }

    @Override
    public void run() {
        while (true) {
            long from;
            lock.lock();
            try {
                while (paused && !closed) resumed.await();
                if (closed) return;
                from = after;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            List<String> got;
            try {
                got = store.read(streamId, from, BATCH, BLOCK);
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "stream " + streamId + ": the store cannot be read: " + e.getMessage());
                pause(BLOCK);
                continue;
            }
            if (got.isEmpty()) continue;
            long last = StoredEvents.decode(got.getLast()).id();
            long seen;
            lock.lock();
            try {
                if (closed) return;
                if (after != from) continue; // resumed meanwhile: read again from there
                after = last;
                seen = resumes;
            } finally {
                lock.unlock();
            }
            if (!handler.stored(got)) {
                lock.lock();
                try {
                    if (resumes == seen) paused = true; // unless resumed while the handler ran
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @SuppressWarnings("WaitNotInLoop") // a pause that a resume may end early: waking early is what it is for
    private void pause(Duration d) {
        lock.lock();
        try {
            if (!closed) resumed.awaitNanos(d.toNanos());
        } catch (InterruptedException e) {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resume(long after) {
        lock.lock();
        try {
            this.after = after;
            resumes++;
            paused = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
