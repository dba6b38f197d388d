package dev.sluice.stream;

import dev.sluice.ProtocolException;
import dev.sluice.SluiceException;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@link EventStream#publisher()}: the stream as a {@link Flow.Publisher} of one subscriber, driven
 * by the stream's one iterator on a virtual thread of its own (the deliverer). The deliverer takes
 * an item from the stream only when the subscriber has demand for it, so a subscriber that does not
 * request leaves the stream's bounded queue full, which blocks the producer and, through it, the
 * socket: demand is the backpressure.
 *
 * <p>The deliverer waits for the next item or the end without demand (holding at most one item in
 * the iterator), so an end or a failure is signalled as soon as it is known, with or without
 * demand, as the Reactive Streams rules allow (§1.4, §1.5, §2.9, §2.10).
 */
final class IteratingPublisher<T> implements Flow.Publisher<T> {
    // Threading: stream is final; subscribed is set once by the first subscribe().

    private static final System.Logger LOG = System.getLogger(IteratingPublisher.class.getName());
    private static final AtomicLong THREAD_NUMBERS = new AtomicLong();

    private final EventStream<T> stream;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    IteratingPublisher(EventStream<T> stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        if (!subscribed.compareAndSet(false, true)) {
            reject(
                    subscriber,
                    new IllegalStateException(
                            "this EventStream's publisher already has a subscriber: "
                                    + "an EventStream is read once; open a new stream for another subscriber (Reactive Streams §1.9)"));
            return;
        }
        Iterator<T> items;
        try {
            items = stream.iterator();
        } catch (IllegalStateException e) { // the stream was already iterated
            reject(subscriber, e);
            return;
        }
        Delivery<T> delivery = new Delivery<>(stream, items, subscriber);
        try {
            subscriber.onSubscribe(delivery);
        } catch (Throwable t) { // §2.13: a subscriber that throws is done with
            delivery.abandon("the subscriber's onSubscribe threw", t);
            if (t instanceof VirtualMachineError e) throw e;
            return;
        }
        Thread.ofVirtual()
                .name("sluice-flow-" + THREAD_NUMBERS.incrementAndGet())
                .start(delivery);
    }

    private static void reject(Flow.Subscriber<?> subscriber, RuntimeException why) {
        try {
            subscriber.onSubscribe(NoSubscription.INSTANCE);
            subscriber.onError(why);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a rejected Flow subscriber threw; ignored", e);
        }
    }

    @Override
    public String toString() {
        return "EventStream.publisher[" + (subscribed.get() ? "subscribed" : "not subscribed") + ", " + stream + "]";
    }

    /** The subscription of a rejected subscriber: nothing to request or cancel. */
    private enum NoSubscription implements Flow.Subscription {
        INSTANCE;

        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    }

    /**
     * One subscription and its deliverer. Threading: demand, cancelled and badRequest are guarded by
     * lock (cancelled and badRequest also volatile, read without it by the deliverer); subscriber is
     * read by the deliverer and cleared (volatile) when the subscription is over, so that the
     * subscriber is not kept (§3.13). The iterator belongs to the deliverer thread.
     */
    private static final class Delivery<T> implements Flow.Subscription, Runnable {
        private final EventStream<T> stream;
        private final Iterator<T> items;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition demanded = lock.newCondition();
        private volatile Flow.@Nullable Subscriber<? super T> subscriber;
        private long demand;
        private volatile boolean cancelled;
        private volatile @Nullable IllegalArgumentException badRequest;

        Delivery(EventStream<T> stream, Iterator<T> items, Flow.Subscriber<? super T> subscriber) {
            this.stream = stream;
            this.items = items;
            this.subscriber = subscriber;
        }

        // ---- any thread (the subscriber's) ----

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (cancelled || badRequest != null) return; // §3.6
                if (n <= 0) {
                    badRequest = new IllegalArgumentException(
                            "Reactive Streams §3.9: request(n) must be positive, was " + n);
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n; // §3.17: saturates
                }
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
            // a deliverer waiting for the next item learns of the bad request when the stream ends
            if (badRequest != null) stream.controller().cancel("the Flow subscriber requested a non-positive count");
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (cancelled) return; // §3.7
                cancelled = true;
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
            stream.controller().cancel("the Flow subscriber cancelled");
            stream.close();
            subscriber = null; // §3.13
        }

        // ---- the deliverer thread ----

        @Override
        public void run() {
            for (; ; ) {
                boolean more;
                try {
                    more = items.hasNext(); // waits for an item or the end, without taking the item
                } catch (SluiceException e) {
                    finish(e);
                    return;
                } catch (RuntimeException e) { // an onItem hook's failure, say: still a typed failure
                    finish(new ProtocolException("the stream failed: " + e, e));
                    return;
                }
                if (!more) {
                    finish(null);
                    return;
                }
                if (!awaitDemand()) {
                    finish(null); // cancelled, or a bad request to report
                    return;
                }
                T item;
                try {
                    item = items.next();
                } catch (SluiceException e) {
                    finish(e);
                    return;
                } catch (RuntimeException e) {
                    finish(new ProtocolException("the stream failed: " + e, e));
                    return;
                }
                Flow.Subscriber<? super T> s = subscriber;
                if (s == null || cancelled) return;
                try {
                    s.onNext(item);
                } catch (Throwable t) {
                    abandon("the subscriber's onNext threw", t); // an Error too: it never escapes the delivery thread
                    return;
                }
            }
        }

        /** Takes one unit of demand; false when the subscription is cancelled or a request was bad. */
        private boolean awaitDemand() {
            lock.lock();
            try {
                while (demand == 0 && !cancelled && badRequest == null) demanded.awaitUninterruptibly();
                if (cancelled || badRequest != null) return false;
                if (demand != Long.MAX_VALUE) demand--; // §3.17: Long.MAX_VALUE is unbounded
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** The terminal signal: the bad request's error first, else the stream's failure, else completion; none once cancelled. */
        private void finish(@Nullable SluiceException failure) {
            Flow.Subscriber<? super T> s = subscriber;
            subscriber = null;
            stream.close(); // idempotent; a completed or failed stream keeps its end reason
            if (s == null || cancelled) return;
            Throwable error = badRequest;
            if (error == null) error = failure;
            try {
                if (error != null) {
                    s.onError(error);
                } else {
                    s.onComplete();
                }
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "a Flow subscriber's " + (error != null ? "onError" : "onComplete") + " threw; ignored",
                        e);
            }
        }

        /** A subscriber that threw is treated as having cancelled (§2.13): the stream is cancelled, and the error logged. */
        void abandon(String what, Throwable t) {
            lock.lock();
            try {
                cancelled = true;
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
            subscriber = null;
            stream.controller().cancel(what);
            stream.close();
            LOG.log(System.Logger.Level.WARNING, what + "; the stream was cancelled (Reactive Streams §2.13)", t);
        }
    }
}
