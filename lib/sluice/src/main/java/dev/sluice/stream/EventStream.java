package dev.sluice.stream;

import dev.sluice.SluiceException;
import dev.sluice.sse.SseLimits;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A stream of items produced by one virtual thread and consumed by a plain {@code for} loop or a
 * {@link java.util.stream.Stream}. Must be closed: use try-with-resources.
 *
 * <pre>{@code
 * try (EventStream<String> tokens = EventStream.<String>builder().generate(emitter -> {
 *     for (String t : List.of("Hello", ", ", "world")) {
 *         if (!emitter.emit(t)) return;
 *     }
 * })) {
 *     for (String t : tokens) System.out.print(t);
 * }
 * }</pre>
 *
 * <p>The contract is {@link java.nio.file.DirectoryStream}'s: {@link #iterator()} may be called
 * once; failures are thrown from {@code hasNext()}/{@code next()} as unchecked
 * {@link SluiceException}s, never swallowed. Every item produced before a failure is delivered
 * before the failure is thrown. A failure is thrown once, from {@code hasNext()} (or
 * {@code next()}); after it, and after the end, after {@link #close()} or after a cancel,
 * {@code hasNext()} returns false. An item that {@code hasNext()} has announced is returned by the
 * following {@code next()} even if another thread closes the stream in between (read-ahead, as
 * {@code DirectoryStream}'s iterator allows); the next {@code hasNext()} then returns false.
 *
 * <p>The producer runs on its own named virtual thread and hands items over through a bounded
 * queue ({@linkplain Builder#capacity(int) capacity} {@value Builder#DEFAULT_CAPACITY} by
 * default): when the consumer falls behind, the producer blocks, and so does the socket it
 * reads. Closing or cancelling closes the attached source and ends the producer thread, also
 * when it is blocked on the network or on the full queue. A stream that becomes unreachable
 * without being closed is cancelled by a {@link java.lang.ref.Cleaner}; relying on that is a
 * bug, since it happens only when the garbage collector gets to it.
 *
 * <p>Thread-safety: the iterator belongs to one consumer thread at a time. {@link #close()},
 * {@link #controller()}, {@link #metrics()}, {@link #endReason()}, {@link #failure()} and
 * {@link #requestId()} may be called from any thread.
 *
 * @param <T> the item type
 */
public interface EventStream<T> extends Iterable<T>, AutoCloseable {

    /**
     * {@return the one iterator over the items}
     * Its {@code hasNext()} waits for the next item, enforcing the controller's timeouts, and
     * throws a {@link SluiceException} when the stream failed (a
     * {@link dev.sluice.StreamTimeoutException}, {@link dev.sluice.TransportException},
     * {@link dev.sluice.ProtocolException}, {@link dev.sluice.LimitExceededException},
     * {@link dev.sluice.ApiException}, {@link dev.sluice.LocalFailureException} ...); a {@link dev.sluice.StreamInterruptedException} when
     * the waiting thread is interrupted (the stream is then cancelled and the thread's interrupt
     * status set again).
     *
     * @throws IllegalStateException if called a second time (also after {@link #stream()})
     */
    @Override
    Iterator<T> iterator();

    /**
     * {@return a sequential stream over the same items; its {@code close()} closes this stream}
     *
     * @throws IllegalStateException if the iterator was already taken
     */
    Stream<T> stream();

    /**
     * {@return this stream as a {@link Flow.Publisher} for one subscriber, for Reactive Streams
     * libraries (Reactor's {@code JdkFlowAdapter}, RxJava's {@code FlowInterop}, Mutiny, Akka)}
     * The publisher takes this stream's one iterator when subscribed and delivers on a virtual
     * thread of its own, serially. Demand is the backpressure: an item is taken from the stream
     * only when the subscriber has requested it, so a subscriber that stops requesting leaves the
     * bounded queue full, which blocks the producer and the socket it reads. {@code cancel()} cancels
     * the stream (reason {@code "the Flow subscriber cancelled"}) and drops the subscriber. The end
     * is {@code onComplete()} (also after the chunk limit), a failure {@code onError} with the same
     * typed {@link SluiceException} a {@code for} loop would get (with its request id and partial
     * result), also without demand. {@code request(n)} with {@code n <= 0} signals
     * {@link IllegalArgumentException} and cancels the stream. The stream is closed when the
     * subscription ends. It passes the Reactive Streams TCK ({@code FlowPublisherVerification}).
     *
     * <p>A second subscriber, or a subscriber after the iterator was taken, gets {@code onSubscribe}
     * then {@code onError(IllegalStateException)} (Reactive Streams §1.9): a stream is read once.
     * A subscriber whose {@code onSubscribe} or {@code onNext} throws is treated as having
     * cancelled (§2.13): the stream is cancelled and the error logged.
     */
    default Flow.Publisher<T> publisher() {
        return new IteratingPublisher<>(this);
    }

    /**
     * Hands the items to {@code sink} on the producer's own thread as they are produced, instead of
     * queueing them for an iterator: a consumer that only passes items on (into a buffer that
     * clients read, say) then needs no thread of its own while the stream waits for its source.
     * Takes the one iterator, as {@link #iterator()} does.
     *
     * <p>Everything else is as for iteration: the controller, the timeouts, the limits, the metrics,
     * the end reasons, cancel and close. The sink is called serially: {@link Sink#accept} with each
     * item in order (the items queued before this call first, possibly on the calling thread before
     * this returns; then on the producer's thread), {@link Sink#flush} once it has handed over every
     * item it has for now (the items of one read), then {@link Sink#end} once, after the last
     * item, when the producer has returned (or, for {@link Builder#fromSse}, has read the terminal
     * event: the end of the body is not waited for). A sink that blocks in {@code accept} blocks the producer
     * and so the socket it reads (backpressure); while it blocks, the first-event and idle timeouts
     * wait (a slow sink is not a silent source), the total timeout runs. After a cancel or close,
     * items not yet handed over are dropped, as for iteration. What {@code accept} or the stream's
     * item hook throws ends the stream {@link EndReason#FAILED}: a {@link SluiceException} as it is,
     * anything else as a {@link dev.sluice.LocalFailureException} (a {@link VirtualMachineError} too,
     * never rethrown on the producer thread); {@code end} then reports it. A pushing stream is kept reachable by its
     * producer, so it runs to its end even if no one else holds it.
     *
     * @param sink where the items go
     * @return true when the stream pushes to {@code sink} from now on; false when this kind of
     *     stream cannot push (the default; nothing was taken: iterate it instead)
     * @throws IllegalStateException if the iterator was already taken (or a sink given)
     */
    default boolean pushTo(Sink<? super T> sink) {
        Objects.requireNonNull(sink, "sink");
        return false;
    }

    /**
     * Where a stream {@linkplain #pushTo pushes} its items, on its producer's thread.
     *
     * @param <T> the item type
     */
    interface Sink<T> {
        /**
         * Takes the next item; may block, which holds up the producer (backpressure).
         *
         * @param item the item, not null
         */
        void accept(T item);

        /**
         * The stream has handed over every item it has for now, and its producer may wait for more
         * (after the items of one read of its source, or after each item of a producer that does not
         * read in batches): a sink that holds back what it passes on (a buffered response) writes it
         * out here. Called on the producer's thread (or, for items queued before {@link
         * EventStream#pushTo}, on its caller's), only after an item was accepted since the last call;
         * {@link #end} may follow the last item without one, so a sink that holds back writes out at
         * its end too. Nothing by default. May block, as {@link #accept} may.
         */
        default void flush() {}

        /**
         * The stream has ended, after its last item: called once.
         *
         * @param reason why
         * @param failure for {@link EndReason#FAILED} and {@link EndReason#TIMED_OUT}, the failure
         *     an iterator would have thrown (with the request id and partial result); else null
         */
        void end(EndReason reason, @Nullable SluiceException failure);
    }

    /** {@return this stream's controller: its cancel switch, and the {@linkplain StreamController#options() options} it runs under} */
    StreamController controller();

    /** {@return this stream's live metrics, readable during and after the stream} */
    StreamMetrics metrics();

    /**
     * {@return why the stream ended; empty while it runs}
     * The end is recorded when it is decided, which may be before the consumer has taken the
     * last queued items (they are still delivered, except after a cancel). If the
     * {@linkplain Builder#onItem item hook} then fails on one of them, the stream ends
     * {@link EndReason#FAILED} with that failure instead: the end reported is always the one the
     * consumer saw.
     */
    Optional<EndReason> endReason();

    /** {@return the failure thrown, or to be thrown once queued items are delivered, if the stream FAILED or TIMED_OUT} */
    Optional<SluiceException> failure();

    /**
     * {@return the provider's request id of the response being read (the latest one after a retry
     * or a resume), once known} What support asks for, also when the stream succeeded; the
     * failures a stream throws carry it too. Empty for a stream that is not a provider's response,
     * or whose provider sent none. For a stream {@linkplain #builder() built} here, the id its
     * {@link Builder#failureContext failureContext} supplies.
     */
    default Optional<String> requestId() {
        return Optional.empty();
    }

    /**
     * Cancels the stream with the reason {@code "closed"} (unless it had already ended), drops
     * items not yet taken, closes the attached source and ends the producer thread. Idempotent,
     * safe from any thread, throws nothing.
     */
    @Override
    void close();

    /**
     * {@return a builder of streams of {@code T}}
     *
     * @param <T> the item type
     */
    static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * Builds and starts an {@link EventStream}. Each setter checks its argument at once; a builder
     * may start several streams, each with its own controller (see {@link #controller}) under the
     * same {@linkplain #options options}.
     *
     * @param <T> the item type
     */
    final class Builder<T> {
        /** The default queue capacity, in items. */
        public static final int DEFAULT_CAPACITY = 256;

        private static final AtomicLong THREAD_NUMBERS = new AtomicLong();

        private @Nullable StreamController controller;
        private StreamOptions options = StreamOptions.defaults();
        private int capacity = DEFAULT_CAPACITY;
        private @Nullable String threadName;
        private @Nullable Consumer<? super T> onItem;
        private @Nullable Supplier<? extends @Nullable String> requestId;
        private @Nullable Supplier<?> partial;
        private @Nullable Runnable onEnd;

        Builder() {}

        /**
         * Sets the stream's controller, for a cancel switch made before the stream starts.
         *
         * @param controller the stream's controller, not yet used by another stream; default: a
         *     new {@link StreamController#create()} for each stream
         * @return this builder
         */
        public Builder<T> controller(StreamController controller) {
            this.controller = Objects.requireNonNull(controller, "controller");
            return this;
        }

        /**
         * Sets the options of the streams this builder starts (unless their controller was made
         * with options of its own, {@link StreamController#of}).
         *
         * @param options the timeouts, limits and clock; default {@link StreamOptions#defaults()}
         * @return this builder
         */
        public Builder<T> options(StreamOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The most items the producer may run ahead of the consumer. A producer that finds the
         * queue full waits until the consumer has drained it to half, so a very small capacity
         * costs more per item in a fast stream; the default suits token streams.
         *
         * @param items the queue capacity, positive; default {@value #DEFAULT_CAPACITY}
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder<T> capacity(int items) {
            if (items <= 0) throw new IllegalArgumentException("capacity must be positive: " + items);
            this.capacity = items;
            return this;
        }

        /**
         * Names the producer thread.
         *
         * @param name the producer thread's name; default {@code sluice-stream-N}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder<T> threadName(String name) {
            Objects.requireNonNull(name, "threadName");
            if (name.isBlank()) throw new IllegalArgumentException("threadName must not be blank");
            this.threadName = name;
            return this;
        }

        /**
         * Adds a hook that sees each item as the consumer takes it.
         *
         * @param hook runs on the consumer thread as each item is handed out (an accumulator);
         *     what it throws propagates from {@code next()} and ends the stream, since the item it
         *     failed on cannot be handed out: a {@link SluiceException} makes the stream
         *     {@link EndReason#FAILED} with it (as its {@link EventStream#failure()}, with the
         *     {@linkplain #failureContext failure context} attached), anything else cancels it
         * @return this builder
         */
        public Builder<T> onItem(Consumer<? super T> hook) {
            this.onItem = Objects.requireNonNull(hook, "onItem");
            return this;
        }

        /**
         * What to attach to every failure the stream throws ({@link SluiceException#initContext}),
         * evaluated on the consumer thread just before throwing, after the {@link #onItem} hook
         * ran for every delivered item.
         *
         * @param requestId the request id, or a supplier of null while unknown
         * @param partial the partial result so far, or a supplier of null
         * @return this builder
         */
        public Builder<T> failureContext(Supplier<? extends @Nullable String> requestId, Supplier<?> partial) {
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            this.partial = Objects.requireNonNull(partial, "partial");
            return this;
        }

        /**
         * Adds a hook that runs when the stream ends.
         *
         * @param hook runs once when the stream ends for any reason, on the thread that ends it;
         *     it must not refer to the stream itself (that would keep it from being cleaned up)
         * @return this builder
         */
        public Builder<T> onEnd(Runnable hook) {
            this.onEnd = Objects.requireNonNull(hook, "onEnd");
            return this;
        }

        /**
         * Starts {@code producer} on a new virtual thread and returns the stream of its items.
         *
         * @param producer the producer, not null
         * @return the running stream, to be closed
         * @throws IllegalStateException if the controller already belongs to another stream
         */
        public EventStream<T> generate(Producer<T> producer) {
            Objects.requireNonNull(producer, "producer");
            StreamController c = controller != null ? controller : StreamController.create();
            if (!c.isStarted()) c.start(options); // a client's call starts it before sending its request
            String name = threadName != null ? threadName : "sluice-stream-" + THREAD_NUMBERS.incrementAndGet();
            return QueueBackedEventStream.start(producer, c, capacity, name, onItem, requestId, partial, onEnd);
        }

        /**
         * Starts a stream of the items {@code decoder} makes from the Server-Sent Events in
         * {@code body}, read in reads of up to 16 KiB on the producer thread (a read's events are
         * handed over together). The stream closes {@code body} when it ends: a cancel, a timeout or
         * a limit unblocks a read waiting on the network. A terminal item ends the stream.
         *
         * @param body the response body
         * @param limits the SSE parser's limits
         * @param decoder turns events into items
         * @return the running stream, to be closed
         */
        public EventStream<T> fromSse(InputStream body, SseLimits limits, SseDecoder<T> decoder) {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(decoder, "decoder");
            return generate(out -> SseSource.pump(body, limits, decoder, out));
        }
    }
}
