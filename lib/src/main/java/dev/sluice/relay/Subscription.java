package dev.sluice.relay;

import dev.sluice.internal.jfr.RelayConnections;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One client attached to one relayed stream, from {@link Relay#subscribe}: {@link #deliver} writes
 * the events after the client's {@code Last-Event-ID}, then the live rest, to a {@link RelayClient}
 * until the stream's terminal event, with heartbeats in the silences. It counts as a connected
 * client from {@link Relay#subscribe} until {@code deliver} returns or {@link #close()} is called.
 *
 * <p>Threading: {@link #deliver} runs on the caller's thread (a server's request thread, or a
 * WebSocket's virtual thread) and blocks on the client's writes; {@link #close()} may be called
 * from any thread and makes a running {@code deliver} return. While {@code deliver} waits, caught
 * up with the stream, the stream's own thread may write the next live event to the client itself
 * (saving a thread wake-up per event); the client is used by one thread at a time all the same,
 * and {@code deliver} returns only once such a write has finished.
 */
public final class Subscription implements Relay.SubscribeOutcome, AutoCloseable {
    // Threading: every field but stream is guarded by the stream's lock. position and lastWrite are
    // written by whichever thread wrote to the client last: the delivering thread, or the stream's
    // pump while pumpWriting (the pump sets it only while the delivering thread waits caught up,
    // and that thread does not touch the client until it is cleared). client and recording are set
    // once by deliver before the pump may use them.

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
    long position;   // the last id written to this client
    long lastWrite;  // System.nanoTime() of the last write, for the heartbeat
    boolean dropped;
    boolean closed;
    private boolean delivered;
    private RelayClient client;
    private RelayConnections.Recording recording;
    private boolean idle;     // deliver waits, caught up: the pump may write the next event itself
    boolean pumpWriting;      // the pump is writing to the client now
    boolean waitsForPump;     // deliver waits for the pump's write to finish
    boolean completedByPump;  // the pump wrote the terminal event
    boolean failedByPump;     // the pump's write failed: the client is gone

    Subscription(RelayedStream stream, long after) {
        this.stream = stream;
        this.position = after;
    }

    /** {@return the stream's id} */
    public String streamId() {
        return stream.id;
    }

    /** {@return the id of the last event written to this client (0 before the first)} */
    public long lastEventId() {
        stream.lock.lock();
        try {
            return position;
        } finally {
            stream.lock.unlock();
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
    public Outcome deliver(RelayClient client) {
        java.util.Objects.requireNonNull(client, "client");
        long heartbeat = stream.heartbeat().toNanos();
        List<RelayedStream.Entry> batch = new ArrayList<>(BATCH);
        Outcome outcome = Outcome.CLIENT_GONE;
        long resumedFrom;
        long replayUpTo;
        stream.lock.lock();
        try {
            if (delivered) throw new IllegalStateException("deliver() may be called once per subscription");
            delivered = true;
            resumedFrom = position;
            replayUpTo = resumedFrom > 0 ? stream.lastId() : 0; // what a resuming client gets again from the buffer
        } finally {
            stream.lock.unlock();
        }
        RelayConnections.Recording recording = RelayConnections.begin(stream.id, resumedFrom, null);
        stream.lock.lock();
        try {
            this.recording = recording;
            this.client = client;
            lastWrite = System.nanoTime();
        } finally {
            stream.lock.unlock();
        }
        try {
            while (true) {
                boolean ping = false;
                boolean gap = false;
                batch.clear();
                stream.lock.lock();
                try {
                    while (true) {
                        if (pumpWriting) { // its outcome decides what comes next
                            waitsForPump = true;
                            stream.changed.await();
                            continue;
                        }
                        waitsForPump = false;
                        if (failedByPump) return outcome = Outcome.CLIENT_GONE;
                        if (completedByPump) return outcome = Outcome.COMPLETE;
                        if (dropped) return outcome = Outcome.DROPPED;
                        if (closed) return outcome = Outcome.CLIENT_GONE;
                        if (position + 1 < stream.firstId()) {
                            gap = true;
                            break;
                        }
                        if (stream.lastId() > position) {
                            stream.entriesAfter(position, BATCH, batch);
                            break;
                        }
                        long wait = heartbeat - (System.nanoTime() - lastWrite);
                        if (wait <= 0) {
                            ping = true;
                            break;
                        }
                        idle = true;
                        try {
                            stream.changed.awaitNanos(wait);
                        } finally {
                            idle = false;
                        }
                    }
                } finally {
                    stream.lock.unlock();
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
                    stream.lock.lock();
                    try {
                        lastWrite = System.nanoTime();
                    } finally {
                        stream.lock.unlock();
                    }
                    continue;
                }
                boolean terminal = false;
                for (RelayedStream.Entry e : batch) {
                    recording.sent(e.id() <= replayUpTo);
                    client.send(e.id(), e.event());
                    terminal |= e.event().terminal();
                }
                client.flush();
                stream.lock.lock();
                try {
                    position = batch.getLast().id();
                    lastWrite = System.nanoTime();
                    stream.changed.signalAll();
                } finally {
                    stream.lock.unlock();
                }
                if (terminal) return outcome = Outcome.COMPLETE;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outcome = Outcome.CLIENT_GONE;
        } catch (IOException | RuntimeException e) {
            return outcome = Outcome.CLIENT_GONE;
        } finally {
            awaitPumpWrite();
            stream.detach(this, outcome == Outcome.COMPLETE);
            recording.end(client.bytesWritten(), outcome == Outcome.COMPLETE ? "completed"
                    : outcome == Outcome.DROPPED ? "dropped" : "client left");
        }
    }

    /** Waits until a write by the pump (after an interrupt, say) has finished: only then may the client go. */
    private void awaitPumpWrite() {
        stream.lock.lock();
        try {
            idle = false;
            while (pumpWriting) {
                waitsForPump = true;
                stream.changed.awaitUninterruptibly();
            }
            waitsForPump = false;
        } finally {
            stream.lock.unlock();
        }
    }

    /** Whether the pump may write the event of the given id to this client itself. Holding the stream's lock. */
    boolean waitsCaughtUp(long id) {
        return idle && !pumpWriting && !closed && !dropped && position == id - 1;
    }

    /**
     * Writes one live event from the pump's thread, with the lock released; the caller marked
     * {@code pumpWriting} first and clears it after. {@return false if the client is gone}
     */
    boolean writeFromPump(RelayedStream.Entry e) {
        try {
            recording.sent(false);
            client.send(e.id(), e.event());
            client.flush();
            return true;
        } catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    /**
     * Detaches the client: a running {@link #deliver} returns {@link Outcome#CLIENT_GONE}, one not
     * yet called will not write. Idempotent, from any thread.
     */
    @Override
    public void close() {
        stream.lock.lock();
        try {
            closed = true;
            stream.changed.signalAll();
        } finally {
            stream.lock.unlock();
        }
        boolean running;
        stream.lock.lock();
        try {
            running = delivered;
        } finally {
            stream.lock.unlock();
        }
        if (!running) stream.detach(this, false);
    }
}
