package dev.sluice.relay;

import dev.sluice.SluiceException;
import dev.sluice.stream.StreamController;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The pump of a stream this node runs: on the stream's own virtual thread
 * ({@code sluice-relay-ID}) it opens the source and appends what it yields to the stream's
 * {@link ReplayBuffer}, waiting for room there, until the terminal event, a failure (which
 * becomes the stream's {@code error} event) or a cancel (its {@code cancelled} event).
 *
 * <p>A source that can run on its upstream's own producer thread ({@link MappedRelaySource#pushTo},
 * a model's chunks) is handed over to it once open: the pump thread ends, the producer appends
 * ({@link #append}, waiting for room as the pump would, so a slow client still stops the upstream
 * socket) and ends the stream ({@link #pushEnded}). A waiting stream then holds one thread, the
 * producer's, parked on its socket.
 *
 * <p>Threading: {@link #run} is the pump thread's, then, once handed over, {@link #append} and
 * {@link #pushEnded} are the producer's; {@code source} is guarded by the buffer's lock (a cancel
 * from any thread reads it); the controller is thread-safe.
 */
final class SourcePump implements Runnable, MappedRelaySource.Target {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());

    private final RelayedStream stream;
    private final ReplayBuffer buffer;
    private final StartRequest.Resolved request;
    private final Relay.SourceFactory factory;
    private final StreamController controller = StreamController.create();
    private @Nullable RelaySource source;
    private boolean relayEnded; // the relay's end of the stream has run: on the pump's, then the producer's, thread
    private volatile @Nullable Thread
            pumpThread; // while run() runs; not kept after: a finished thread is still an object per stream

    SourcePump(RelayedStream stream, StartRequest.Resolved request, Relay.SourceFactory factory) {
        this.stream = stream;
        this.buffer = stream.buffer;
        this.request = request;
        this.factory = factory;
    }

    @Override
    public void run() {
        pumpThread = Thread.currentThread();
        RelaySource src = null;
        boolean handedOver = false;
        try {
            try {
                src = factory.open(request, controller);
            } catch (IllegalArgumentException refused) { // the provider's client refused the request before sending it
                LOG.log(System.Logger.Level.INFO, "relayed stream " + stream.id + " refused: " + refused.getMessage());
                finish(FailureEvents.refusedEvent(refused));
                return;
            }
            RelayStore store = stream.settings.store();
            if (store.shared()) TaskTakeover.keepTasks(stream.settings, stream.id, src);
            boolean cancelled;
            @Nullable String reason;
            buffer.lock.lock();
            try {
                source = src;
                cancelled = buffer.cancelRequested();
                reason = buffer.cancelReason();
            } finally {
                buffer.lock.unlock();
            }
            if (cancelled) src.cancel(Objects.requireNonNull(reason, "set with cancelRequested"));
            if (src instanceof MappedRelaySource<?> pushing && pushing.pushTo(this)) {
                handedOver = true; // the producer ends the stream (pushEnded), maybe already has
                return;
            }
            while (true) {
                Optional<RelayEvent> next = src.next();
                if (next.isEmpty()) break;
                RelayEvent e = next.get();
                if (!append(e) || e.terminal()) break;
            }
            finish(null);
        } catch (RuntimeException | Error e) {
            failed(e); // an Error too: logged, the stream ended with internal_error, never rethrown
        } finally {
            pumpThread = null;
            if (!handedOver) release(src);
        }
    }

    /**
     * A source handed over to its producer has ended: its last event appended, or {@code failure}
     * (a {@link SluiceException} from upstream, else a bug) to end the stream with. Ends the buffer
     * and lets the source go, as {@link #run} does. On the producer's thread (or the pump's, if the
     * upstream had ended before the hand-over).
     */
    @Override
    public void pushEnded(RelaySource src, @Nullable Throwable failure) {
        try {
            if (failure == null) finish(null);
            else failed(failure);
        } finally {
            release(src);
        }
    }

    /** Ends the buffer with the {@code error} event {@code e} calls for, logged. */
    private void failed(Throwable e) {
        if (e instanceof SluiceException s) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "relayed stream " + stream.id + " failed (request id "
                            + s.requestId().orElse("none") + "): "
                            + s.getClass().getSimpleName() + ": " + s.getMessage());
            finish(FailureEvents.errorEvent(s));
        } else { // a bug, or the JVM out of memory: this stream ends, no other
            LOG.log(System.Logger.Level.ERROR, "relayed stream " + stream.id + " failed in its source", e);
            finish(FailureEvents.internalError());
        }
    }

    /** Closes the ended stream's source and forgets it (the stream is kept for replay, not its upstream: a client's whole answer, say). */
    private void release(@Nullable RelaySource src) {
        if (src != null) src.close();
        buffer.lock.lock();
        try {
            source = null;
        } finally {
            buffer.lock.unlock();
        }
        controller.cancel("the relayed stream ended");
        endOnce(stream.terminalEvent()); // ended by finish, unless a bug stopped the pump before it
    }

    /** {@return the open source, null before it opens and after it ends} Holding the buffer's lock. */
    @Nullable
    RelaySource source() {
        return source;
    }

    /** Cancels the upstream, whose source the caller read with the buffer's cancel. */
    void cancelUpstream(@Nullable RelaySource src, String reason) {
        controller.cancel(reason);
        if (src != null) src.cancel(reason);
    }

    /** Ends the buffer with the terminal event due, unless one is there already. */
    private void finish(@Nullable RelayEvent failure) {
        RelayEvent last;
        buffer.lock.lock();
        try {
            if (buffer.ended()) return;
            if (buffer.cancelRequested())
                last = new RelayEvent.Cancelled(
                        Objects.requireNonNull(buffer.cancelReason(), "set with cancelRequested"));
            else if (failure != null) last = failure;
            else last = buffer.withText(new RelayEvent.Done(null, 0, 0, null, 0));
        } finally {
            buffer.lock.unlock();
        }
        end(last);
    }

    /**
     * Ends the stream with its terminal event: the relay's end of it ({@link Relay#ended}: the
     * stream's end hook, its places in the limits) comes first, then the event, so that a client
     * that has read the stream's end and at once starts the next (on the same chat or thread, or at
     * its limit of streams) finds this one no longer running. Not holding the lock.
     */
    private void end(RelayEvent last) {
        endOnce(last);
        buffer.lock.lock();
        try {
            if (!buffer.ended()) buffer.push(last, ReplayBuffer.bytesOf(last));
        } finally {
            buffer.lock.unlock();
        }
    }

    /** The relay's end of the stream, once. On the pump's (or the producer's) thread. */
    private void endOnce(@Nullable RelayEvent last) {
        if (relayEnded) return;
        relayEnded = true;
        stream.host.ended(stream, last);
    }

    /**
     * Appends a non-terminal or terminal event; waits while the buffer is full and its oldest event
     * may still be needed. {@return false if the stream was cancelled (the event is dropped)}
     * On the pump's thread, or a pushing source's producer thread.
     */
    @Override
    public boolean append(RelayEvent e) {
        int b = ReplayBuffer.bytesOf(e);
        RelayEvent terminal;
        buffer.lock.lock();
        try {
            if (e.terminal()) {
                if (buffer.cancelRequested()) return false;
                terminal = buffer.withText(e);
            } else {
                buffer.awaitRoom(b);
                if (buffer.cancelRequested()) return false;
                buffer.push(e, b);
                stream.appended(e);
                return true;
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            // A pushing producer is interrupted when its own stream ends (a cancel, a timeout): that
            // end reaches pushEnded. Only the relay's own thread being interrupted cancels the stream.
            if (Thread.currentThread() == pumpThread) stream.cancel("the relay's thread was interrupted");
            return false;
        } finally {
            buffer.lock.unlock();
        }
        end(terminal);
        return true;
    }
}
