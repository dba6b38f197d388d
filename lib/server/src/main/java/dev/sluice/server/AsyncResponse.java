package dev.sluice.server;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A request in async mode whose response the relay's threads write and end, while the container
 * may end it first, after an I/O failure: the request ends once, by {@link #end} or by the
 * container, and its response is used only until then, and never while the container ends it.
 *
 * <p>Once a container has ended a request it recycles the request's objects for the next request,
 * on any connection: what is done through them afterwards is done to that request. And a container
 * may end a request in the middle of a call on its response: Tomcat (10.1, 11), when a flush off
 * its threads fails, hands the failure to one of its threads, which ends the request and recycles
 * its response, before the flush records the failure on the response; recorded on the recycled
 * response, the failure is thrown by the first flush of the next request that response serves,
 * after that flush's bytes went out, and that request's answer ends there. So the container's end
 * ({@link #onError}, {@link #onComplete}) waits for a call in progress on the response to return
 * (a call through {@link #output} or {@link #change}), and no call starts after it.
 *
 * <p>Threading: the relay's threads call, one at a time; the container calls the listener's
 * methods on its threads. {@code lock} is held through each call on the response and through
 * {@link #end}; {@code ended} is set under it by {@link #end}, and by the container before it
 * waits for the lock.
 */
final class AsyncResponse implements AsyncListener {
    /** How long the container's end waits for a call in progress: longer, it is one stuck on a socket the failure ends. */
    private static final long WAIT_SECONDS = 5;

    private final AsyncContext async;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean ended;

    /** Watches a request just put in async mode, with no timeout (a stream lasts as long as it lasts); on the container's thread. */
    AsyncResponse(AsyncContext async) {
        this.async = async;
        async.setTimeout(0);
        async.addListener(this);
    }

    /** A call on the response that may fail as its I/O does. */
    interface Call<T extends @Nullable Object> {
        T call() throws IOException;
    }

    /**
     * {@return what the call on the response returns}
     *
     * @throws IOException if it throws one, or the request has ended (the client is gone)
     */
    <T extends @Nullable Object> T call(Call<T> call) throws IOException {
        lock.lock();
        try {
            if (ended) throw new IOException("the response has ended: its client is gone");
            return call.call();
        } finally {
            lock.unlock();
        }
    }

    /** Changes the response (its status, a header) unless the request has ended: nobody reads it then. */
    void change(Runnable change) {
        lock.lock();
        try {
            if (!ended) change.run();
        } finally {
            lock.unlock();
        }
    }

    /** {@return the response's body, each write and flush a {@link #call}} */
    OutputStream output(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                call(() -> {
                    out.write(b);
                    return null;
                });
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                call(() -> {
                    out.write(b, off, len);
                    return null;
                });
            }

            @Override
            public void flush() throws IOException {
                call(() -> {
                    out.flush();
                    return null;
                });
            }

            @Override
            public void close() throws IOException {
                call(() -> {
                    out.close();
                    return null;
                });
            }
        };
    }

    /**
     * Ends the request with {@code end} ({@link AsyncContext#complete}, or a dispatch), unless it
     * has ended: the container ended it after an I/O failure, and answers that as its own.
     * {@return whether it did}
     */
    boolean end(Consumer<AsyncContext> end) {
        lock.lock();
        try {
            if (ended) return false;
            ended = true;
            end.accept(async);
            return true;
        } catch (IllegalStateException over) {
            return false; // the container ended it without a word to its listeners
        } finally {
            lock.unlock();
        }
    }

    /** The container ends the request after an I/O failure: once a call in progress returns. */
    @Override
    public void onError(AsyncEvent event) {
        containerEnds();
    }

    /** The request ended: by {@link #end}, or by the container. */
    @Override
    public void onComplete(AsyncEvent event) {
        containerEnds();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // no timeout: the relay's heartbeats find gone clients
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // started once, by the servlet
    }

    private void containerEnds() {
        ended = true; // no call starts from now on
        try {
            if (lock.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) lock.unlock(); // the call in progress returned
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
