package dev.sluice.stream;

import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.StreamTimeoutException.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The handle on one running {@link EventStream}: its cancel switch, cancel listeners and how it
 * ended. Every stream has one ({@link EventStream#controller()}); make one yourself when the stream
 * must be cancellable while its request is still connecting (a Stop button):
 *
 * <pre>{@code
 * StreamController controller = StreamController.create();
 * stopButton.onClick(() -> controller.cancel("stopped by the user"));
 * try (MessageStream s = client.messages().stream(request, controller)) { ... }
 * }</pre>
 *
 * <p>How the stream runs (timeouts, limits, clock) is its {@link StreamOptions}, a separate,
 * immutable and reusable value. A controller made by {@link #create()} runs under the options of
 * the call it is passed to (the client's default); {@link #of(StreamOptions)} fixes its own. A
 * controller belongs to one stream: passing it to a second call throws
 * {@link IllegalStateException} before any request is sent, also when two threads try at once.
 *
 * <p>{@link #cancel(String)} works from any thread, before, during and after the stream.
 */
public final class StreamController {
    // Threading: options, started and startNanos are written once under lock by the thread that
    // starts the stream (before any request is sent); volatile for lock-free reads. cancelled/cancelReason/listeners
    // are guarded by lock (the first two also volatile).
    // stream is written once under lock by the engine (bind).

    private static final System.Logger LOG = System.getLogger(StreamController.class.getName());

    private final boolean ownOptions;
    private final @Nullable Duration totalTimeout; // replaces the call's, for a controller without options of its own
    private final ReentrantLock lock = new ReentrantLock();
    private volatile StreamOptions options;
    private volatile boolean started;
    private volatile long startNanos;
    private volatile boolean cancelled;
    private volatile @Nullable String cancelReason;
    private List<Runnable> listeners = new ArrayList<>();
    private volatile @Nullable StreamCore<?> stream;

    private StreamController(@Nullable StreamOptions options) {
        this(options, null);
    }

    private StreamController(@Nullable StreamOptions options, @Nullable Duration totalTimeout) {
        this.ownOptions = options != null;
        this.options = options != null ? options : StreamOptions.defaults();
        this.totalTimeout = totalTimeout;
    }

    /**
     * {@return a new controller that runs under the options of the call it is passed to}
     * (the client's stream options, or {@link StreamOptions#defaults()} for a plain
     * {@link EventStream.Builder#generate}).
     */
    public static StreamController create() {
        return new StreamController(null);
    }

    /**
     * {@return a new controller that runs under the options of the call it is passed to, as
     * {@link #create()}'s does, but with {@code totalTimeout} for their total timeout} A deadline on
     * one call that keeps the client's first-event and idle timeouts: a gateway bounds a whole answer
     * asked for without a stream this way ({@link dev.sluice.chat.ChatProvider#answer}), whose head
     * comes only when the answer is whole, so that no other timeout bounds the wait for it. Its
     * {@link #options()} say the call's once it has started, and {@link StreamOptions#defaults()}
     * before.
     *
     * @param totalTimeout the total timeout; positive
     * @throws IllegalArgumentException if totalTimeout is zero or negative
     * @throws NullPointerException if totalTimeout is null
     */
    public static StreamController withTotalTimeout(Duration totalTimeout) {
        StreamOptions.builder().totalTimeout(totalTimeout); // checks it, as StreamOptions does
        return new StreamController(null, totalTimeout);
    }

    /**
     * {@return a new controller whose stream runs under {@code options}, whatever the client's default}
     *
     * @param options the options, not null
     */
    public static StreamController of(StreamOptions options) {
        return new StreamController(Objects.requireNonNull(options, "options"));
    }

    /**
     * {@return a builder of a controller with its own timeouts}: the shorthand of
     * {@code StreamController.of(StreamOptions.builder()....build())} for the three timeouts alone
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the options the stream runs under}
     * Before its stream started, a controller made by {@link #create()} has the defaults; from then on
     * the options of the call.
     */
    public StreamOptions options() {
        return options;
    }

    /** {@return whether its stream has {@linkplain #start started}: the controller cannot serve another} */
    public boolean isStarted() {
        return started;
    }

    /**
     * {@return how the stream ended; empty while it runs, and before it opened}
     * The same as the stream's {@link EventStream#endReason()}; a stream cancelled while it was still
     * opening ends {@link EndReason#CANCELLED}; when the opening itself fails, the call throws and
     * this stays empty.
     */
    public Optional<EndReason> endReason() {
        StreamCore<?> s = stream;
        StreamCore.Ending e = s != null ? s.ending() : null;
        return e != null ? Optional.of(e.reason()) : Optional.empty();
    }

    /** {@return the live metrics of its stream, once the stream exists (empty while its request opens, and when the opening failed)} */
    public Optional<StreamMetrics> metrics() {
        StreamCore<?> s = stream;
        return s != null ? Optional.of(s.metrics()) : Optional.empty();
    }

    /** {@return the failure its stream ended with, if it FAILED or TIMED_OUT} Empty while it runs. */
    public Optional<SluiceException> failure() {
        StreamCore<?> s = stream;
        StreamCore.Ending e = s != null ? s.ending() : null;
        return e != null ? Optional.ofNullable(e.failure()) : Optional.empty();
    }

    /**
     * {@return how much of a timeout is left now, if it is configured and running}
     * The first-event timeout runs from sending the request until the first counted item, the idle
     * timeout from the last counted item, the total timeout from sending the request; before the
     * clocks start the full first-event and total timeouts are left. Never negative.
     *
     * @param which the timeout
     */
    public Optional<Duration> remaining(Timeout which) {
        long left = remainingNanos(Objects.requireNonNull(which, "which"), clock().getAsLong());
        return left == Long.MIN_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, left)));
    }

    /** {@return the least time left among the running timeouts, if any is running} */
    public Optional<Duration> remaining() {
        long now = clock().getAsLong();
        long least = Long.MAX_VALUE;
        boolean any = false;
        for (Timeout t : Timeout.values()) {
            long left = remainingNanos(t, now);
            if (left != Long.MIN_VALUE) {
                any = true;
                least = Math.min(least, left);
            }
        }
        return any ? Optional.of(Duration.ofNanos(Math.max(0, least))) : Optional.empty();
    }

    LongSupplier clock() {
        return options.nanoTime();
    }

    /** The nanoseconds left of a timeout at {@code now}, possibly negative; MIN_VALUE when not running. */
    long remainingNanos(Timeout which, long now) {
        StreamOptions o = options;
        StreamCore<?> s = stream;
        boolean hadItem = s != null && s.countedItems() > 0;
        return switch (which) {
            case FIRST_EVENT ->
                o.firstEventNanos < 0 || hadItem
                        ? Long.MIN_VALUE
                        : started ? o.firstEventNanos - (now - startNanos) : o.firstEventNanos;
            case IDLE ->
                o.idleNanos < 0 || s == null || !hadItem ? Long.MIN_VALUE : o.idleNanos - (now - s.idleSince());
            case TOTAL ->
                o.totalNanos < 0 ? Long.MIN_VALUE : started ? o.totalNanos - (now - startNanos) : o.totalNanos;
        };
    }

    /** {@return the first timeout expired at {@code now}, or null} Checked in the order first-event/idle, total. */
    @Nullable
    StreamTimeoutException expired(long now) {
        for (Timeout t : Timeout.values()) {
            long left = remainingNanos(t, now);
            if (left != Long.MIN_VALUE && left <= 0) {
                long limit = options.nanos(t);
                return new StreamTimeoutException(t, options.timeout(t).orElseThrow(), Duration.ofNanos(limit - left));
            }
        }
        return null;
    }

    /** {@return the total timeout if expired at {@code now}, else null} Cheap: for the producer's hot path. */
    @Nullable
    StreamTimeoutException totalExpired(long now) {
        long total = options.totalNanos;
        if (total < 0 || !started) return null;
        long waited = now - startNanos;
        return waited >= total
                ? new StreamTimeoutException(
                        Timeout.TOTAL, options.totalTimeout().orElseThrow(), Duration.ofNanos(waited))
                : null;
    }

    /** {@return nanoseconds until the nearest deadline at {@code now} (at most {@code cap}), never negative} */
    long nanosToNextDeadline(long now, long cap) {
        long least = cap;
        for (Timeout t : Timeout.values()) {
            long left = remainingNanos(t, now);
            if (left != Long.MIN_VALUE) least = Math.min(least, Math.max(0, left));
        }
        return least;
    }

    long startNanos() {
        return startNanos;
    }

    /**
     * Starts this controller's stream: binds the controller to it, atomically (a controller serves
     * one stream), and starts its clocks, so that the first-event and total timeouts run from now.
     * A controller made by {@link #create()} takes {@code callOptions} ({@link #withTotalTimeout}: with its
     * total timeout in place of theirs); one made by {@link #of} keeps
     * its own. {@link EventStream.Builder#generate} calls it when the stream's producer starts; a
     * {@link dev.sluice.chat.ChatProvider} that sends its request before the producer runs (so that
     * an HTTP error is thrown from the call, as Sluice's clients do) calls it just before sending,
     * then passes the controller to the builder.
     *
     * @param callOptions the options of the call, used unless this controller has its own
     * @throws IllegalStateException if a stream has started with this controller already
     * @throws NullPointerException if callOptions is null
     */
    public void start(StreamOptions callOptions) {
        Objects.requireNonNull(callOptions, "callOptions");
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException(
                        "this StreamController already belongs to a stream; a controller "
                                + "serves one stream: pass StreamOptions to reuse settings, or StreamController.create() for each stream");
            }
            if (!ownOptions)
                options = totalTimeout == null
                        ? callOptions
                        : callOptions.toBuilder().totalTimeout(totalTimeout).build();
            startNanos = options.nanoTime().getAsLong();
            started = true;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the stream this controller belongs to, whose producer's emitters all end in it; null before it is bound} */
    @Nullable
    StreamCore<?> core() {
        return stream;
    }

    /** Ties this controller to its one stream, which has {@linkplain #start started} it. */
    void bind(StreamCore<?> core) {
        lock.lock();
        try {
            if (stream != null) {
                throw new IllegalStateException(
                        "this StreamController already belongs to a stream; a controller "
                                + "serves one stream: pass StreamOptions to reuse settings, or StreamController.create() for each stream");
            }
            stream = core;
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the stream with the reason {@code "cancelled"}; see {@link #cancel(String)}. */
    public void cancel() {
        cancel("cancelled");
    }

    /**
     * Cancels the stream: its request is abandoned if it is still opening, its source is closed, its
     * producer ends, its consumer's {@code hasNext()} returns false (items not yet taken are
     * dropped), and it reports {@link EndReason#CANCELLED} unless it had already ended otherwise.
     * Idempotent: only the first call's reason is kept and listeners run once. Safe from any
     * thread, also before the stream opens (it then never sends its request).
     *
     * @param reason why, for {@link #cancelReason()} and logs, not null
     */
    public void cancel(String reason) {
        Objects.requireNonNull(reason, "reason");
        List<Runnable> toRun;
        lock.lock();
        try {
            if (cancelled) return;
            cancelReason = reason;
            cancelled = true;
            toRun = listeners;
            listeners = List.of(); // none is added once cancelled
        } finally {
            lock.unlock();
        }
        for (Runnable r : toRun) runListener(r);
    }

    /** {@return whether {@link #cancel(String)} (or the stream's {@code close()}) was called} */
    public boolean isCancelled() {
        return cancelled;
    }

    /** {@return the reason given to the first {@link #cancel(String)}, if cancelled} */
    public Optional<String> cancelReason() {
        return Optional.ofNullable(cancelReason);
    }

    /**
     * Adds a listener that runs once, on the cancelling thread, when this controller is cancelled;
     * at once, on this thread, if it already is. A listener that throws is logged, not propagated.
     *
     * @param listener the listener, not null
     */
    public void onCancel(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            if (!cancelled) {
                listeners.add(listener);
                return;
            }
        } finally {
            lock.unlock();
        }
        runListener(listener);
    }

    private static void runListener(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "a StreamController onCancel listener threw; ignored", e);
        }
    }

    @Override
    public String toString() {
        return "StreamController[" + (started ? "started" : "not started") + ", cancelled=" + cancelled + ", endReason="
                + endReason().map(Enum::name).orElse("none") + ", " + options + "]";
    }

    /**
     * Builds a controller with its own timeouts, as {@link StreamOptions.Builder} does; each setter
     * checks its argument at once ({@link IllegalArgumentException}). For the other options, use
     * {@link StreamController#of(StreamOptions)}.
     */
    public static final class Builder {
        private final StreamOptions.Builder options = StreamOptions.builder();

        private Builder() {}

        /**
         * Sets the first-event timeout.
         *
         * @param timeout see {@link StreamOptions.Builder#firstEventTimeout}
         * @return this builder
         */
        public Builder firstEventTimeout(Duration timeout) {
            options.firstEventTimeout(timeout);
            return this;
        }

        /**
         * Sets the idle timeout.
         *
         * @param timeout see {@link StreamOptions.Builder#idleTimeout}
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            options.idleTimeout(timeout);
            return this;
        }

        /**
         * Sets the total timeout.
         *
         * @param timeout see {@link StreamOptions.Builder#totalTimeout}
         * @return this builder
         */
        public Builder totalTimeout(Duration timeout) {
            options.totalTimeout(timeout);
            return this;
        }

        /** {@return a new controller with these options} */
        public StreamController build() {
            return StreamController.of(options.build());
        }
    }
}
