package dev.sluice.internal.call.client;

import dev.sluice.SluiceException;
import dev.sluice.StreamTimeoutException;
import dev.sluice.chat.Usage;
import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.internal.call.stream.CallObserver;
import dev.sluice.internal.call.stream.StreamProtocol;
import dev.sluice.internal.low.http.HttpPost;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamMetrics;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One stream as its client's {@link StreamObserver}s see it: started by {@link ClientCore} before
 * the request is sent; it taps the call's decoded events (to see each content event and the usage
 * as it arrives, on the producer thread) and wraps its POST supplier (to count attempts), is told
 * the request ids and a failed opening ({@link CallObserver}), and ends in the stream's onEnd hook.
 * A call that is not streamed ({@link ClientCore#send(HttpPost, StreamController, String, long,
 * java.util.function.Function, java.util.function.Function)}) is seen the same way: its attempts
 * counted, its retries told, and its end ({@link #answered}) one chunk, the whole answer.
 *
 * <p>Cost per content event: with no observation that times chunks ({@code onFirstChunk} or
 * {@code onChunk} overridden; Flight Recorder's observer only reads the totals at the end), a
 * count and nothing else; the clock is read for the first chunk only. With one, a clock read and a
 * {@code Duration} per chunk.
 *
 * <p>Threading: fields set in the constructor are final. chunks, firstNanos, lastNanos, usage are
 * written by the producer thread and read at the end, possibly by another thread (a canceller):
 * volatile. attempts, requestId and openFailure are written by the opening thread, then by the
 * producer thread (Thread.start orders the hand-over), and read at the end: volatile. An observer
 * that throws is logged and ignored.
 */
final class StreamObservation implements CallObserver {
    private final System.Logger log;
    private final StreamStart start;
    private final LongSupplier clock;
    private final StreamObserver.Observation[] observations;
    private final boolean timesChunks; // some observation overrides onFirstChunk or onChunk
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long chunks;
    private volatile long firstNanos;
    private volatile long lastNanos;
    private volatile @Nullable Usage usage;
    private volatile int attempts;
    private volatile @Nullable String requestId;
    private volatile @Nullable RuntimeException openFailure;
    private int resumes; // the producer thread's
    private final Set<String> unmapped = new HashSet<>(); // the producer thread's

    StreamObservation(List<StreamObserver> observers, StreamStart start, LongSupplier clock, System.Logger log) {
        this.log = log;
        this.start = start;
        this.clock = clock;
        this.observations = new StreamObserver.Observation[observers.size()];
        for (int i = 0; i < observations.length; i++) {
            StreamObserver.Observation o = null;
            try {
                o = observers.get(i).onStart(start);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "a StreamObserver's onStart threw; ignored", e);
            }
            observations[i] = o != null ? o : StreamObserver.Observation.NONE;
        }
        boolean times = false;
        for (StreamObserver.Observation o : observations) times |= TIMES_CHUNKS.get(o.getClass());
        this.timesChunks = times;
    }

    /** Whether an observation's class overrides {@code onFirstChunk} or {@code onChunk}; looked up once per class. */
    private static final ClassValue<Boolean> TIMES_CHUNKS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("onChunk", Duration.class).getDeclaringClass() != StreamObserver.Observation.class
                        || type.getMethod("onFirstChunk", Duration.class).getDeclaringClass()
                                != StreamObserver.Observation.class;
            } catch (NoSuchMethodException | SecurityException e) {
                return true; // cannot tell: time them
            }
        }
    };

    /**
     * {@return what sees each decoded event of a stream of this protocol for this observation
     * ({@link dev.sluice.internal.call.stream.StreamingCall.Builder#onDecoded}); null when no
     * observation is active} With no observer registered and Flight Recorder not running (the
     * default), nothing wants the events: a tap's per-event clock read and volatile writes would
     * only slow the producer (measured: a fast text stream at 0.37 of the raw HttpClient drain with
     * it, vs 0.9+ without).
     */
    <E> @Nullable Consumer<E> tap(StreamProtocol<E> protocol) {
        return active() ? new Tap<>(protocol, this) : null;
    }

    /** {@return whether any observation wants the stream's events} */
    @SuppressWarnings("ReferenceEquality") // identity: Observation.NONE is the one that wants nothing
    boolean active() {
        for (StreamObserver.Observation o : observations) if (o != StreamObserver.Observation.NONE) return true;
        return false;
    }

    /** {@return the POST supplier, counting the attempts} */
    Supplier<HttpPost> post(Supplier<HttpPost> post) {
        return new CountingPost(post, this);
    }

    @Override
    public void opened(@Nullable String id) {
        requestId = id;
    }

    @Override
    public void openFailed(RuntimeException failure) {
        openFailure = failure;
    }

    @Override
    public void retrying(int retry, Duration delay, SluiceException cause) {
        for (StreamObserver.Observation o : observations) {
            try {
                o.onRetry(retry, delay, cause);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "a StreamObserver's onRetry threw; ignored", e);
            }
        }
    }

    @Override
    public void resuming(SluiceException lost) {
        int n = ++resumes;
        for (StreamObserver.Observation o : observations) {
            try {
                o.onResume(n, lost);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "a StreamObserver's onResume threw; ignored", e);
            }
        }
    }

    /** The most types of left-out content an observation is told of in one stream. */
    static final int MAX_UNMAPPED = 32;

    /** A decoded event (producer thread). */
    <E> void event(StreamProtocol<E> protocol, E event) {
        String left = protocol.unmapped(event);
        if (left != null && unmapped.size() < MAX_UNMAPPED && unmapped.add(left)) {
            for (StreamObserver.Observation o : observations) {
                try {
                    o.onUnmapped(left);
                } catch (RuntimeException e) {
                    log.log(System.Logger.Level.WARNING, "a StreamObserver's onUnmapped threw; ignored", e);
                }
            }
        }
        Usage u = protocol.rules().usage(event);
        if (u != null) {
            Usage old = usage;
            usage = old == null
                    ? u
                    : new Usage(
                            Math.max(old.inputTokens(), u.inputTokens()),
                            Math.max(old.outputTokens(), u.outputTokens()),
                            Math.max(old.cacheReadTokens(), u.cacheReadTokens()),
                            Math.max(old.cacheWriteTokens(), u.cacheWriteTokens()));
        }
        if (!protocol.rules().isContent(event)) return;
        long n = chunks;
        if (!timesChunks) { // only the totals are wanted: the first chunk's time and the count
            if (n == 0) firstNanos = clock.getAsLong();
            chunks = n + 1;
            return;
        }
        long now = clock.getAsLong();
        if (n == 0) {
            firstNanos = now;
            Duration ttfc = Duration.ofNanos(Math.max(0, now - start.startNanos()));
            for (StreamObserver.Observation o : observations) {
                try {
                    o.onFirstChunk(ttfc);
                } catch (RuntimeException e) {
                    log.log(System.Logger.Level.WARNING, "a StreamObserver's onFirstChunk threw; ignored", e);
                }
            }
        } else {
            Duration gap = Duration.ofNanos(Math.max(0, now - lastNanos));
            for (StreamObserver.Observation o : observations) {
                try {
                    o.onChunk(gap);
                } catch (RuntimeException e) {
                    log.log(System.Logger.Level.WARNING, "a StreamObserver's onChunk threw; ignored", e);
                }
            }
        }
        lastNanos = now;
        chunks = n + 1;
    }

    /** The stream ended, or its opening failed: tells the observers once. */
    void end(StreamController controller) {
        if (!ended.compareAndSet(false, true)) return;
        StreamMetrics metrics = controller.metrics().orElse(null);
        EndReason reason;
        SluiceException failure;
        if (metrics == null) { // no stream: the opening failed
            RuntimeException e = openFailure;
            failure = e instanceof SluiceException s ? s : null;
            reason = e instanceof StreamTimeoutException
                    ? EndReason.TIMED_OUT
                    : e == null && controller.isCancelled() ? EndReason.CANCELLED : EndReason.FAILED;
        } else {
            failure = controller.failure().orElse(null);
            Optional<EndReason> r = controller.endReason();
            reason = r.isPresent() ? r.get() : failure != null ? EndReason.FAILED : EndReason.COMPLETED;
        }
        tell(reason, failure, metrics != null ? metrics.bytes() : 0);
    }

    /**
     * A call that was not streamed ended: its answer whole ({@code failure} null: one chunk, the
     * answer, arrived as the call returned), or its failure. Tells the observers once.
     *
     * @param reason how it ended
     * @param failure what it failed with, or null
     * @param id the response's request id (or the failure's), or null
     * @param bytes the bytes of the answer's body read
     * @param answerUsage the usage the answer reported, or null
     */
    void answered(
            EndReason reason,
            @Nullable SluiceException failure,
            @Nullable String id,
            long bytes,
            @Nullable Usage answerUsage) {
        if (!ended.compareAndSet(false, true)) return;
        requestId = id;
        usage = answerUsage;
        if (reason == EndReason.COMPLETED) {
            long now = clock.getAsLong();
            firstNanos = now;
            lastNanos = now;
            chunks = 1;
        }
        tell(reason, failure, bytes);
    }

    /** Tells the observers how the call ended, from what was counted. */
    private void tell(EndReason reason, @Nullable SluiceException failure, long bytes) {
        long n = chunks;
        long now = clock.getAsLong();
        StreamEnd end = new StreamEnd(
                start,
                reason,
                failure,
                requestId,
                Duration.ofNanos(Math.max(0, now - start.startNanos())),
                n > 0 ? Duration.ofNanos(Math.max(0, firstNanos - start.startNanos())) : null,
                n,
                bytes,
                usage == null ? -1 : usage.inputTokens(),
                usage == null ? -1 : usage.outputTokens(),
                Math.max(0, attempts - 1),
                usage == null ? 0 : usage.cacheReadTokens(),
                usage == null ? 0 : usage.cacheWriteTokens());
        for (StreamObserver.Observation o : observations) {
            try {
                o.onEnd(end);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "a StreamObserver's onEnd threw; ignored", e);
            }
        }
    }

    /** One more attempt of a call that is not streamed is about to be sent (its thread only). */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one thread: the caller's
    void attempt() {
        attempts++;
    }

    /** Counts the POSTs made: one per attempt. */
    private static final class CountingPost implements Supplier<HttpPost> {
        private final Supplier<HttpPost> post;
        private final StreamObservation observation;

        CountingPost(Supplier<HttpPost> post, StreamObservation observation) {
            this.post = post;
            this.observation = observation;
        }

        @Override
        @SuppressWarnings("NonAtomicVolatileUpdate") // one writer at a time: the opener, then the producer
        public HttpPost get() {
            observation.attempts++; // one thread at a time: the opener, then the producer
            return post.get();
        }
    }

    /** Shows each decoded event to the observation (producer thread). */
    private static final class Tap<E> implements Consumer<E> {
        private final StreamProtocol<E> protocol;
        private final StreamObservation observation;

        Tap(StreamProtocol<E> protocol, StreamObservation observation) {
            this.protocol = protocol;
            this.observation = observation;
        }

        @Override
        public void accept(E event) {
            observation.event(protocol, event);
        }
    }
}
