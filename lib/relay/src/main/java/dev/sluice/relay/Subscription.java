package dev.sluice.relay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One client attached to one relayed stream, from {@link Relay#subscribe}: {@link #deliver} writes
 * the events after the client's {@code Last-Event-ID}, then the live rest, to a {@link RelayWriter}
 * until the stream's terminal event, with heartbeats in the silences. It counts as a connected
 * client from {@link Relay#subscribe} until {@code deliver} returns or {@link #close()} is called.
 *
 * <p>Threading: {@link #deliver} runs on the caller's thread (a server's request thread, or a
 * WebSocket's virtual thread) and blocks on the client's writes; {@link #close()} may be called
 * from any thread and makes a running {@code deliver} return.
 */
public final class Subscription implements AutoCloseable {
    // Threading: position, dropped, closed and delivered are guarded by the stream's buffer's lock;
    // position is written by the delivering thread only (the buffer reads it to evict).

    /** How a {@link #deliver} ended. */
    public enum Outcome {
        /** The stream's terminal event ({@code done}, {@code error}, {@code cancelled}) was written: end the response. */
        COMPLETE,
        /** A write failed or {@link #close()} was called: the client is gone, the resume window runs. */
        CLIENT_GONE,
        /** {@link Relay#dropClients} dropped the client: cut its connection (it may resume). */
        DROPPED
    }

    private static final int BATCH = 64;

    private final RelayedStream stream;
    private final ReplayBuffer buffer;
    private final RelayClock clock;
    final boolean mirror; // the store's writer, not a client
    long position;   // the last id written to this client
    boolean dropped;
    private boolean closed;
    private boolean delivered;

    Subscription(RelayedStream stream, long after, boolean mirror) {
        this.stream = stream;
        this.buffer = stream.buffer;
        this.clock = stream.relay.clock;
        this.position = after;
        this.mirror = mirror;
    }

    /** {@return the stream's id} */
    public String streamId() {
        return stream.id;
    }

    /** {@return the id of the last event written to this client (0 before the first)} */
    public long lastEventId() {
        buffer.lock.lock();
        try {
            return position;
        } finally {
            buffer.lock.unlock();
        }
    }

    /**
     * Writes the events to the client until the stream's terminal event, the client's failure, a
     * {@link #close()} or a {@link Relay#dropClients drop}; a heartbeat after each silence as long
     * as the relay's heartbeat interval. Events go out in batches of up to 64, flushed together.
     * May be called once.
     *
     * @param client where to write
     * @return how it ended
     * @throws IllegalStateException if called a second time
     */
    public Outcome deliver(RelayWriter client) {
        java.util.Objects.requireNonNull(client, "client");
        long heartbeat = stream.heartbeat().toNanos();
        List<ReplayBuffer.Entry> batch = new ArrayList<>(BATCH);
        Outcome outcome = Outcome.CLIENT_GONE;
        buffer.lock.lock();
        try {
            if (delivered) throw new IllegalStateException("deliver() may be called once per subscription");
            delivered = true;
        } finally {
            buffer.lock.unlock();
        }
        long resumedFrom = position;
        long replayUpTo;
        buffer.lock.lock();
        try {
            replayUpTo = resumedFrom > 0 ? buffer.lastId() : 0; // what a resuming client gets again from the buffer
        } finally {
            buffer.lock.unlock();
        }
        RelayConnections.Recording recording = mirror ? RelayConnections.NONE
                : RelayConnections.begin(stream.id, resumedFrom, null);
        try {
            long lastWrite = clock.now();
            while (true) {
                boolean ping = false;
                boolean gap = false;
                batch.clear();
                buffer.lock.lock();
                try {
                    while (true) {
                        if (dropped) return outcome = Outcome.DROPPED;
                        if (closed) return outcome = Outcome.CLIENT_GONE;
                        if (position + 1 < buffer.firstId()) {
                            gap = true;
                            break;
                        }
                        if (buffer.lastId() > position) {
                            buffer.entriesAfter(position, BATCH, batch);
                            break;
                        }
                        long wait = heartbeat - (clock.now() - lastWrite);
                        if (wait <= 0) {
                            ping = true;
                            break;
                        }
                        clock.awaitNanos(buffer.changed, wait);
                    }
                } finally {
                    buffer.lock.unlock();
                }
                if (gap) { // cannot happen while attached (eviction waits for us); kept as a clear error if it did
                    client.send(position + 1, new RelayEvent.Error("replay_unavailable", "events were evicted before this client wrote them"));
                    client.flush();
                    return outcome = Outcome.COMPLETE;
                }
                if (ping) {
                    recording.heartbeat();
                    client.heartbeat();
                    client.flush();
                    lastWrite = clock.now();
                    continue;
                }
                boolean terminal = false;
                for (ReplayBuffer.Entry e : batch) {
                    recording.sent(e.id() <= replayUpTo);
                    client.send(e.id(), e.event());
                    terminal |= e.event().terminal();
                }
                client.flush();
                lastWrite = clock.now();
                buffer.lock.lock();
                try {
                    position = batch.getLast().id();
                    buffer.changed.signalAll();
                } finally {
                    buffer.lock.unlock();
                }
                if (terminal) return outcome = Outcome.COMPLETE;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outcome = Outcome.CLIENT_GONE;
        } catch (IOException | RuntimeException e) {
            return outcome = Outcome.CLIENT_GONE;
        } finally {
            stream.detach(this, outcome == Outcome.COMPLETE);
            recording.end(client.bytesWritten(), outcome == Outcome.COMPLETE ? "completed"
                    : outcome == Outcome.DROPPED ? "dropped" : "client left");
        }
    }

    /**
     * Detaches the client: a running {@link #deliver} returns {@link Outcome#CLIENT_GONE}, one not
     * yet called will not write. Idempotent, from any thread.
     */
    @Override
    public void close() {
        buffer.lock.lock();
        try {
            closed = true;
            buffer.changed.signalAll();
        } finally {
            buffer.lock.unlock();
        }
        boolean running;
        buffer.lock.lock();
        try {
            running = delivered;
        } finally {
            buffer.lock.unlock();
        }
        if (!running) stream.detach(this, false);
    }
}
