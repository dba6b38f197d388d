package dev.sluice.eventsource;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A response body read one batch of buffers at a time, with a read timeout: the body's publisher
 * pushes into a small queue (one batch requested at a time, so backpressure reaches the socket),
 * and the producer thread polls it with the timeout, so no watchdog thread is needed.
 * {@link #close()} cancels the subscription, which closes the connection, and wakes a waiting read.
 */
final class BodyReader implements Flow.Subscriber<List<ByteBuffer>>, Closeable {
    // Threading: onSubscribe/onNext/onError/onComplete run on the HttpClient's threads and only add
    // to the queue; read() runs on the stream's producer thread; close() on any thread. The
    // subscription is set once (CAS) and read by the producer and by close().

    /** Nothing arrived within the read timeout. */
    static final class ReadTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        ReadTimeoutException(String message) {
            super(message);
        }
    }

    private static final Object END = new Object();
    private static final Object CLOSED = new Object();
    private static final Flow.Subscription CANCELLED = new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
    };

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();
    private volatile boolean closed;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.compareAndSet(null, s)) {
            s.cancel(); // closed before the body arrived, or subscribed twice
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * {@return the next buffers, or null at the end of the body}
     *
     * @param timeoutNanos the longest wait, or 0 to wait for ever
     * @throws ReadTimeoutException when nothing arrived in time
     * @throws IOException when the body failed or was closed
     * @throws InterruptedException when the thread was interrupted
     */
    @SuppressWarnings("unchecked")
    @Nullable
    List<ByteBuffer> read(long timeoutNanos) throws IOException, InterruptedException {
        if (closed) throw new IOException("the response body was closed");
        Object o = timeoutNanos > 0 ? queue.poll(timeoutNanos, TimeUnit.NANOSECONDS) : queue.take();
        if (o == null) {
            throw new ReadTimeoutException(
                    "no data arrived within the read timeout of " + timeoutNanos / 1_000_000 + " ms");
        }
        if (closed || o == CLOSED) throw new IOException("the response body was closed");
        if (o == END) return null;
        if (o instanceof Throwable t) throw t instanceof IOException io ? io : new IOException(t.toString(), t);
        Objects.requireNonNull(subscription.get(), "an item implies onSubscribe ran")
                .request(1);
        return (List<ByteBuffer>) o;
    }

    /** {@return up to {@code max} bytes of the body as text, for an error message; closes the body} */
    String excerpt(int max, long timeoutNanos) {
        StringBuilder sb = new StringBuilder();
        byte[] bytes = new byte[max];
        int n = 0;
        try {
            for (List<ByteBuffer> bufs; n < max && (bufs = read(timeoutNanos)) != null; ) {
                for (ByteBuffer b : bufs) {
                    int k = Math.min(b.remaining(), max - n);
                    b.get(bytes, n, k);
                    n += k;
                }
            }
        } catch (IOException e) {
            // what arrived is enough for a message
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
        sb.append(new String(bytes, 0, n, StandardCharsets.UTF_8));
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription.getAndSet(CANCELLED);
        if (s != null) s.cancel();
        queue.add(CLOSED);
    }
}
