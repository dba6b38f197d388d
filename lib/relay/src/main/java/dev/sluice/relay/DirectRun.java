package dev.sluice.relay;

import dev.sluice.SluiceException;
import dev.sluice.stream.StreamController;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A stream run for one client straight to its writer, from {@link Relay#direct}: for a response
 * nobody resumes (the OpenAI-compatible gateway's), with no stream id, no replay buffer, no resume
 * window and no thread of its own. Once its source is open, each event is written and flushed on
 * the thread that read it from the upstream (a model's chunks: the stream's producer), so nothing
 * waits between the upstream socket and the client's; a slow client blocks that thread, and so
 * the upstream socket (backpressure). A heartbeat goes out after each silence as long as the
 * relay's heartbeat interval. It counts against the relay's limit of streams from
 * {@link Relay#direct} until its upstream ends; its end hook runs then, before the terminal event
 * ({@code done}, {@code error} as the relay words it, or {@code cancelled}) is written.
 *
 * <p>Threading: {@link #start} is called once, from any thread, and opens the source on it;
 * {@link #cancel} from any thread, at any time (before the start too: the run then ends at once).
 * The writer is called by one thread at a time.
 */
public final class DirectRun {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());

    private final RelaySettings settings;
    private final Ended relayEnd;
    private final StartRequest.Resolved request;
    private final Relay.SourceFactory factory;
    private final Consumer<? super RelayEvent> onEnd;
    private final String name;
    private final StreamController controller = StreamController.create();
    private final CompletableFuture<Subscription.Outcome> result = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock(); // guards everything below
    private @Nullable RelayWriter writer;
    private @Nullable RelaySource source;
    private @Nullable String cancelReason;
    private boolean started;
    private boolean ended; // the relay's end: places released, end hook run
    private boolean clientGone;
    private boolean pushing; // the source pushes and says when to flush; else each event is flushed
    private boolean finished; // the terminal event is decided (and written, unless the client is gone)
    private long lastId;
    private long lastWrite;
    private @Nullable Future<?> heartbeat;
    private RelayConnections.Recording recording = RelayConnections.NONE;
    private final MappedRelaySource.Target target = new MappedRelaySource.Target() {
        @Override
        public boolean append(RelayEvent e) {
            return DirectRun.this.append(e);
        }

        @Override
        public void flush() {
            DirectRun.this.flush();
        }

        @Override
        public void pushEnded(RelaySource src, @Nullable Throwable failure) {
            DirectRun.this.pushEnded(src, failure);
        }
    };

    /** The relay's end of a run: its end hook, then its places in the limits ({@code Relay.directEnded}). */
    interface Ended {
        void ended(DirectRun run, RelayEvent last, Consumer<? super RelayEvent> onEnd);
    }

    DirectRun(
            RelaySettings settings,
            Ended ended,
            StartRequest.Resolved request,
            Relay.SourceFactory factory,
            Consumer<? super RelayEvent> onEnd,
            String name) {
        this.settings = settings;
        this.relayEnd = ended;
        this.request = request;
        this.factory = factory;
        this.onEnd = onEnd;
        this.name = name;
    }

    /**
     * Opens the source on the calling thread and writes its events to {@code writer} as they come;
     * returns once the source pushes them from its own thread (a model's chunks), or, for a source
     * that cannot push, after writing them all on this thread.
     *
     * @param writer where to write
     * @return completed when the run has ended: {@link Subscription.Outcome#COMPLETE} once the
     *     terminal event was written, {@link Subscription.Outcome#CLIENT_GONE} when a write failed or
     *     the run was cancelled before its end was written
     * @throws IllegalStateException if it was started before
     */
    public CompletionStage<Subscription.Outcome> start(RelayWriter writer) {
        RelaySource src;
        lock.lock();
        try {
            if (started) throw new IllegalStateException("a direct run is started once");
            started = true;
            this.writer = writer;
            if (ended) { // cancelled before it started
                result.complete(Subscription.Outcome.CLIENT_GONE);
                return result;
            }
            lastWrite = settings.clock().now();
            heartbeat = settings.clock().schedule(this::heartbeatDue, settings.heartbeat());
            recording = RelayConnections.begin(name, 0, null);
        } finally {
            lock.unlock();
        }
        try {
            src = factory.open(request, controller);
        } catch (IllegalArgumentException refused) { // the provider's client refused the request before sending it
            finish(FailureEvents.refusedEvent(refused));
            return result;
        } catch (RuntimeException e) {
            failed(e);
            return result;
        }
        String reason;
        lock.lock();
        try {
            source = src;
            reason = cancelReason;
            // a pushing source says when to flush (target.flush): the events of one read go out together
            pushing = src instanceof MappedRelaySource<?>;
        } finally {
            lock.unlock();
        }
        if (reason != null) src.cancel(reason);
        if (src instanceof MappedRelaySource<?> pushed && pushed.pushTo(target)) return result;
        lock.lock();
        try {
            pushing = false; // pulled: each event is flushed as it is written
        } finally {
            lock.unlock();
        }
        try {
            while (true) {
                Optional<RelayEvent> next = src.next();
                if (next.isEmpty()) break;
                if (!append(next.get()) || next.get().terminal()) break;
            }
            pushEnded(src, null);
        } catch (RuntimeException | Error e) { // an Error too (an OutOfMemoryError writing): the run still ends
            pushEnded(src, e);
        }
        return result;
    }

    /**
     * Cancels the run: its upstream is stopped, and a run not started yet ends at once (its places
     * released). For a client that left. Idempotent, from any thread; throws nothing.
     *
     * @param reason why, for the {@code cancelled} event and the access log
     */
    public void cancel(String reason) {
        RelaySource src;
        boolean endNow;
        lock.lock();
        try {
            if (cancelReason == null) cancelReason = reason;
            src = source;
            endNow = !started && !ended;
        } finally {
            lock.unlock();
        }
        controller.cancel(reason);
        if (src != null) src.cancel(reason);
        if (endNow) endOnce(new RelayEvent.Cancelled(reason));
    }

    /** {@return false if the run was cancelled or its client is gone (the event is dropped)} On the upstream's thread. */
    private boolean append(RelayEvent e) {
        if (e.terminal()) {
            finish(e);
            return true;
        }
        lock.lock();
        try {
            if (cancelReason != null || clientGone) return false;
            RelayWriter w = writer;
            if (w == null) return false;
            w.send(++lastId, e);
            if (!pushing) w.flush();
            recording.sent(false);
            lastWrite = settings.clock().now();
            if (w.responseEnded()) { // the writer ended the answer (a restart it cannot express): stop the upstream
                cancelLocked("the answer ended");
                return false;
            }
            return true;
        } catch (IOException | RuntimeException gone) {
            clientGone = true;
            cancelLocked("the client left");
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes out the events written so far: a pushing source has no more for now (the events of
     * one read of the upstream go out in one write, as a proxy copying the read would send them).
     * On the upstream's thread.
     */
    private void flush() {
        lock.lock();
        try {
            RelayWriter w = writer;
            if (cancelReason != null || clientGone || w == null) return;
            w.flush();
        } catch (IOException | RuntimeException gone) {
            clientGone = true;
            cancelLocked("the client left");
        } finally {
            lock.unlock();
        }
    }

    /** The source has ended, with {@code failure} (null if none). On the upstream's thread. */
    private void pushEnded(RelaySource src, @Nullable Throwable failure) {
        try {
            if (failure == null) finish(null);
            else failed(failure);
        } finally {
            src.close();
            controller.cancel("the stream ended");
        }
    }

    /** Ends the run with the {@code error} event {@code e} calls for, logged (a log that fails, out of memory, ends it too). */
    private void failed(Throwable e) {
        if (e instanceof SluiceException s) {
            try {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "direct stream failed (request id " + s.requestId().orElse("none") + "): "
                                + s.getClass().getSimpleName() + ": " + s.getMessage());
            } finally {
                finish(FailureEvents.errorEvent(s));
            }
        } else { // a bug: this stream ends, no other
            try {
                LOG.log(System.Logger.Level.ERROR, "direct stream failed in its source", e);
            } finally {
                finish(FailureEvents.internalError());
            }
        }
    }

    /**
     * Ends the run with its terminal event (or, with none given, {@code done}; {@code cancelled}
     * after a cancel), written to the client on this thread, the upstream's, as are what the
     * result's callbacks write (a status and an answer that is not streamed). A cancel from another
     * thread interrupts this one to stop its read of the upstream; that read is over here, and a
     * container's blocking write on an interrupted thread fails (Tomcat's: "The current thread was
     * interrupted"), which would lose the end and the connection with it. So the interrupt is set
     * aside while the end is written, and restored after.
     */
    private void finish(@Nullable RelayEvent terminal) {
        boolean interrupted = Thread.interrupted();
        try {
            finishWriting(terminal);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void finishWriting(@Nullable RelayEvent terminal) {
        try {
            writeEnd(terminal);
        } catch (RuntimeException | Error e) {
            // past writeEnd's own catch (its end hook's): the connection is cut, never left open with no end
            result.complete(Subscription.Outcome.DROPPED);
            throw e;
        }
    }

    /**
     * Writes the terminal event; an {@link Error} while writing it (an {@link OutOfMemoryError}
     * building a large answer's failure event) ends the run {@link Subscription.Outcome#DROPPED}, so
     * that the caller cuts the connection: the client sees the exchange end, not a connection
     * that stays open with no last event.
     */
    private void writeEnd(@Nullable RelayEvent terminal) {
        RelayEvent last;
        lock.lock();
        try {
            if (finished) return;
            finished = true;
            last = cancelReason != null
                    ? new RelayEvent.Cancelled(cancelReason)
                    : terminal != null ? terminal : new ChunkEvents().done(); // a source that ended without one
        } finally {
            lock.unlock();
        }
        endOnce(last); // the end hook and the places first: a client that reads the end may start its next stream
        Subscription.Outcome outcome;
        lock.lock();
        try {
            RelayWriter w = writer;
            if (clientGone || w == null) {
                outcome = Subscription.Outcome.CLIENT_GONE;
            } else {
                try {
                    w.send(++lastId, last);
                    w.flush();
                    recording.sent(false);
                    // a cancel's event is written for a client still there (the relay closing); one that left reads
                    // nothing
                    outcome = cancelReason != null ? Subscription.Outcome.CLIENT_GONE : Subscription.Outcome.COMPLETE;
                } catch (IOException | RuntimeException gone) {
                    clientGone = true;
                    outcome = Subscription.Outcome.CLIENT_GONE;
                } catch (Error e) { // the end cannot be written: the connection is cut
                    clientGone = true;
                    outcome = Subscription.Outcome.DROPPED;
                }
            }
            recording.end(
                    w == null ? -1 : w.bytesWritten(),
                    outcome == Subscription.Outcome.COMPLETE ? "completed" : "client left");
        } finally {
            lock.unlock();
        }
        result.complete(outcome);
    }

    /** The relay's end of the run, once: the timer stopped, the end hook, the places released. */
    private void endOnce(RelayEvent last) {
        Future<?> timer;
        lock.lock();
        try {
            if (ended) return;
            ended = true;
            timer = heartbeat;
            heartbeat = null;
        } finally {
            lock.unlock();
        }
        if (timer != null) timer.cancel(false);
        relayEnd.ended(this, last, onEnd);
        if (!started) result.complete(Subscription.Outcome.CLIENT_GONE);
    }

    private void cancelLocked(String reason) {
        if (cancelReason == null) cancelReason = reason;
        controller.cancel(reason);
        RelaySource src = source;
        if (src != null) src.cancel(reason);
    }

    /**
     * The heartbeat timer: after a silence of an interval, a ping, written on a virtual thread of its
     * own (a slow client blocks it, not the relay's timer); the timer set again for the next.
     */
    private void heartbeatDue() {
        lock.lock();
        try {
            heartbeat = null;
            if (ended || clientGone) return;
            long wait = settings.heartbeat().toNanos() - (settings.clock().now() - lastWrite);
            if (wait > 0) {
                heartbeat = settings.clock().schedule(this::heartbeatDue, Duration.ofNanos(wait));
                return;
            }
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("sluice-relay-direct-ping").start(this::ping);
    }

    private void ping() {
        lock.lock();
        try {
            RelayWriter w = writer;
            if (ended || clientGone || w == null) return;
            try {
                w.heartbeat();
                w.flush();
                recording.heartbeat();
            } catch (IOException | RuntimeException gone) {
                clientGone = true;
                cancelLocked("the client left");
                return;
            }
            lastWrite = settings.clock().now();
            heartbeat = settings.clock().schedule(this::heartbeatDue, settings.heartbeat());
        } finally {
            lock.unlock();
        }
    }
}
