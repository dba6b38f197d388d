package dev.sluice.relay;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * One client attached to one relayed stream, from {@link Relay#subscribe}: {@link #deliver} (or
 * {@link #deliverAsync}) writes the events after the client's {@code Last-Event-ID}, then the live
 * rest, to a {@link RelayWriter} until the stream's terminal event, with heartbeats in the
 * silences. It counts as a connected client from {@link Relay#subscribe} until the delivery ends
 * or {@link #close()} is called.
 *
 * <p>Threading: {@link #deliver} runs on the caller's thread and blocks on the client's writes and
 * in the silences; {@link #deliverAsync} writes on virtual threads of its own, one at a time, and
 * holds none once the stream has been silent for five seconds; {@link #close()} may be called from
 * any thread and ends a running delivery.
 */
public final class Subscription implements AutoCloseable {
    // Threading: position, dropped, closed, delivered, waiting, lastWrite, lastEvent and
    // heartbeatTimer are guarded by the stream's buffer's lock. position, lastWrite and lastEvent
    // are written by the one thread delivering at a time (the buffer reads position to evict; the
    // timer reads lastWrite); the delivery's other fields are that thread's alone.

    /** How a delivery ended. */
    public enum Outcome {
        /**
         * The stream's terminal event ({@code done}, {@code error}, {@code cancelled}) was written, or
         * the client had it already (it resumed after it: nothing was written), or the writer ended
         * its response early ({@link RelayWriter#responseEnded()}): end the response.
         */
        COMPLETE,
        /** A write failed or {@link #close()} was called: the client is gone, the resume window runs. */
        CLIENT_GONE,
        /** {@link Relay#dropClients} dropped the client: cut its connection (it may resume). */
        DROPPED
    }

    private static final int BATCH = 64;
    /**
     * How long an asynchronous delivery keeps its thread after the last event it wrote, waiting for
     * the next one. While events flow (a model's tokens come tens of milliseconds apart, its first
     * after a second or two) each is written at once by the thread already waiting, as {@link
     * #deliver} does: a thread started for it instead waits for a carrier behind the scheduler's
     * other work (a virtual thread started from another goes to the scheduler's external queue),
     * which on a busy node added milliseconds to the relay's p99. After a silence this long (a
     * stalled model, a long tool call) the thread ends; the pings in the silence that follow each
     * start one of their own.
     */
    static final long LINGER_NANOS = Duration.ofSeconds(5).toNanos();

    private final RelayedStream stream;
    private final ReplayBuffer buffer;
    private final RelayClock clock;
    final boolean mirror; // the store's writer, not a client
    long position; // the last id written to this client
    boolean dropped;
    private boolean closed;
    private boolean delivered;
    // the delivery, once started
    private @Nullable RelayWriter client;
    private long heartbeatNanos;
    private long replayUpTo;
    private RelayConnections.Recording recording = RelayConnections.NONE;
    private long lastWrite;
    private long lastEvent; // when the last event was written (a ping is no event), or the delivery began
    // an asynchronous delivery's
    private @Nullable CompletableFuture<Outcome> result;
    private @Nullable ThreadFactory threads;
    private boolean waiting; // it holds no thread until an event, a heartbeat, a drop or a close wakes it
    private @Nullable Future<?> heartbeatTimer;

    Subscription(RelayedStream stream, long after, boolean mirror) {
        this.stream = stream;
        this.buffer = stream.buffer;
        this.clock = stream.settings.clock();
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
     * Writes the events to the client until the stream's terminal event (at once, writing nothing,
     * for a client that resumed after it), the client's failure, a {@link #close()} or a
     * {@link Relay#dropClients drop}; a heartbeat after each silence as long
     * as the relay's heartbeat interval. Events go out in batches of up to 64, flushed together.
     * Blocks the calling thread throughout. A subscription is delivered once.
     *
     * @param client where to write
     * @return how it ended
     * @throws IllegalStateException if it was delivered before
     */
    public Outcome deliver(RelayWriter client) {
        start(client);
        Outcome outcome = Outcome.CLIENT_GONE;
        try {
            outcome = Objects.requireNonNull(step(true), "a blocking step ends with an outcome");
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outcome;
        } catch (IOException | RuntimeException e) {
            return outcome;
        } finally {
            end(outcome);
        }
    }

    /**
     * Writes as {@link #deliver} does without holding a thread while the client waits: the writes
     * run on a virtual thread that ends after five seconds without an event to write, and another
     * starts when something is due (an event, a heartbeat's time, a drop, a close). While events
     * flow the thread stays, and writes each as it comes. For servers that keep many idle clients:
     * a waiting client then costs its subscription and its connection, no thread.
     *
     * @param client where to write, from the delivery's threads, one at a time
     * @return completed with how it ended, on the delivery's last thread
     * @throws IllegalStateException if it was delivered before
     */
    public CompletionStage<Outcome> deliverAsync(RelayWriter client) {
        start(client);
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        buffer.lock.lock();
        try {
            result = done;
            threads = Thread.ofVirtual()
                    .name((mirror ? "sluice-relay-store-" : "sluice-relay-deliver-") + stream.id)
                    .factory();
            waiting = true;
            wakeLocked();
        } finally {
            buffer.lock.unlock();
        }
        return done;
    }

    /**
     * Detaches the client: a running delivery ends with {@link Outcome#CLIENT_GONE}, one not yet
     * started will not write. Idempotent, from any thread.
     */
    @Override
    public void close() {
        boolean running;
        buffer.lock.lock();
        try {
            closed = true;
            buffer.changed.signalAll();
            wakeLocked();
            running = delivered;
        } finally {
            buffer.lock.unlock();
        }
        if (!running) stream.detach(this, false);
    }

    private void start(RelayWriter client) {
        Objects.requireNonNull(client, "client");
        buffer.lock.lock();
        try {
            if (delivered) throw new IllegalStateException("a subscription is delivered once");
            delivered = true;
            this.client = client;
            // what a resuming client gets again from the buffer
            this.replayUpTo = position > 0 ? buffer.lastId() : 0;
            this.lastWrite = clock.now();
            this.lastEvent = lastWrite;
        } finally {
            buffer.lock.unlock();
        }
        heartbeatNanos = stream.heartbeat().toNanos();
        if (!mirror) recording = RelayConnections.begin(stream.id, position, null);
    }

    /**
     * Writes what is due, batch after batch, pinging in the silences. {@return how the delivery
     * ended, or null when, not blocking, it waits for something to be due}
     */
    private @Nullable Outcome step(boolean block) throws IOException, InterruptedException {
        while (true) {
            List<ReplayBuffer.Entry> batch = null;
            boolean gap = false;
            boolean newest = false; // the batch ends at the buffer's newest event
            buffer.lock.lock();
            try {
                while (true) {
                    if (dropped) return Outcome.DROPPED;
                    if (closed) return Outcome.CLIENT_GONE;
                    if (position + 1 < buffer.firstId()) {
                        gap = true;
                        break;
                    }
                    if (buffer.lastId() > position) {
                        batch = new ArrayList<>((int) Math.min(BATCH, buffer.lastId() - position));
                        buffer.entriesAfter(position, BATCH, batch);
                        newest = !batch.isEmpty() && batch.getLast().id() == buffer.lastId();
                        break;
                    }
                    if (buffer.ended()) return Outcome.COMPLETE; // resumed after the terminal event: nothing more comes
                    long now = clock.now();
                    long wait = heartbeatNanos - (now - lastWrite);
                    if (wait <= 0) break; // a ping
                    if (!block) {
                        long linger = LINGER_NANOS - (now - lastEvent);
                        if (linger <= 0) { // a silence: let the thread go
                            waiting = true;
                            if (heartbeatTimer == null) {
                                heartbeatTimer = clock.schedule(this::heartbeatDue, Duration.ofNanos(wait));
                            }
                            return null;
                        }
                        wait = Math.min(wait, linger); // events flowing: the next is written from this thread
                    }
                    clock.awaitNanos(buffer.changed, wait);
                }
            } finally {
                buffer.lock.unlock();
            }
            if (gap) { // cannot happen while attached (eviction waits for us); kept as a clear error if it did
                client().send(
                                position + 1,
                                new RelayEvent.Error(
                                        "replay_unavailable", "events were evicted before this client wrote them"));
                client().flush();
                return Outcome.COMPLETE;
            }
            long at = clock.now(); // the time of the write is read before it: whoever sees the bytes sees it set
            if (batch == null) {
                recording.heartbeat();
                client().heartbeat();
                client().flush();
                written(position, at);
                continue;
            }
            boolean terminal = false;
            long last = position;
            for (ReplayBuffer.Entry e : batch) {
                recording.sent(e.id() <= replayUpTo);
                client().send(e.id(), e.event());
                last = e.id();
                terminal |= e.event().terminal();
                if (client().responseEnded()) { // the response ends here; the events after it are not this client's
                    terminal = true;
                    break;
                }
            }
            if (!terminal && newest) {
                client().caughtUp();
                terminal = client().responseEnded();
            }
            client().flush();
            written(last, at);
            if (terminal) return Outcome.COMPLETE;
        }
    }

    /** The client has everything up to {@code id}, written from time {@code at} on. */
    private void written(long id, long at) {
        buffer.lock.lock();
        try {
            lastWrite = at;
            if (id != position) {
                lastEvent = lastWrite;
                position = id;
                buffer.changed.signalAll(); // room for the pump, perhaps
            }
        } finally {
            buffer.lock.unlock();
        }
    }

    /** Goes on with a waiting asynchronous delivery on a new thread. Holding the lock. */
    void wakeLocked() {
        if (!waiting) return;
        waiting = false;
        Objects.requireNonNull(threads, "set when the delivery began")
                .newThread(this::resume)
                .start();
    }

    /** The heartbeat timer: a waiting delivery whose silence has lasted an interval pings; else the timer is set again. */
    private void heartbeatDue() {
        buffer.lock.lock();
        try {
            heartbeatTimer = null;
            if (!waiting) return; // running: it pings by itself, and sets the timer when it waits again
            long wait = heartbeatNanos - (clock.now() - lastWrite);
            if (wait <= 0) wakeLocked();
            else heartbeatTimer = clock.schedule(this::heartbeatDue, Duration.ofNanos(wait));
        } finally {
            buffer.lock.unlock();
        }
    }

    /** One run of an asynchronous delivery, until it waits again or ends. */
    private void resume() {
        Outcome outcome = Outcome.CLIENT_GONE;
        try {
            outcome = step(false);
            if (outcome == null) return; // waiting: this thread ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client is gone
        }
        end(outcome);
        Objects.requireNonNull(result, "set when the delivery began").complete(outcome);
    }

    private void end(Outcome outcome) {
        Future<?> timer;
        buffer.lock.lock();
        try {
            timer = heartbeatTimer;
            heartbeatTimer = null;
        } finally {
            buffer.lock.unlock();
        }
        if (timer != null) timer.cancel(false);
        stream.detach(this, outcome == Outcome.COMPLETE);
        recording.end(
                client().bytesWritten(),
                outcome == Outcome.COMPLETE ? "completed" : outcome == Outcome.DROPPED ? "dropped" : "client left");
    }

    /** {@return the client being delivered to} Only while a delivery runs. */
    private RelayWriter client() {
        return Objects.requireNonNull(client, "set when the delivery began");
    }
}
