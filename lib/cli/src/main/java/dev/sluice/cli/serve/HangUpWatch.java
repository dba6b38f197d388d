package dev.sluice.cli.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.jspecify.annotations.Nullable;

/**
 * Tells when a client hangs up while its request is answered and nothing is written to it, which
 * Jetty does not: it reads a connection only between requests, so a client's FIN waits unread until
 * a write fails, and a completion that is not streamed writes nothing until its answer is whole.
 * One daemon thread watches the connections asked for, with a selector of its own over their
 * channels beside Jetty's, and never reads: a channel that turns readable with no byte waiting has
 * reached its end (or was reset), so its client is gone; bytes waiting (a request pipelined behind)
 * are Jetty's to read, and the channel is looked at again half a second later.
 *
 * <p>Threading: {@link #watch} queues the registration for the watcher thread, which alone registers
 * channels and changes and reads their keys; {@link #end} only marks the watch, from any thread.
 * {@code waiting} is the watcher thread's.
 */
final class HangUpWatch implements AutoCloseable {
    private static final long RECHECK_MILLIS = 500;

    private final Selector selector;
    private final Queue<Runnable> registrations = new ConcurrentLinkedQueue<>();
    private final Map<SelectionKey, Long> waiting = new HashMap<>(); // keys with bytes waiting -> when to look again
    private final Thread thread;

    /** One request's watch, ended with its response. */
    static final class Watch {
        private final Runnable gone;
        private volatile boolean ended;

        private Watch(Runnable gone) {
            this.gone = gone;
        }
    }

    HangUpWatch() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = Thread.ofPlatform().daemon().name("sluice-serve-hang-ups").start(this::run);
    }

    /**
     * Watches a connection until {@link #end}: if its client hangs up first, {@code gone} runs once,
     * on a virtual thread of its own.
     *
     * @return the watch, to end; null when the connection is not a plain socket (it cannot be watched)
     */
    @Nullable
    Watch watch(EndPoint endPoint, Runnable gone) {
        if (!(endPoint instanceof SocketChannelEndPoint socket)) return null;
        SocketChannel channel = socket.getChannel();
        Watch watch = new Watch(gone);
        registrations.add(() -> register(channel, watch));
        selector.wakeup();
        return watch;
    }

    /** Ends a watch: its response has ended. The key stays, idle, for the connection's next request. */
    void end(@Nullable Watch watch) {
        if (watch != null) watch.ended = true;
    }

    private void register(SocketChannel channel, Watch watch) {
        if (watch.ended) return;
        SelectionKey key = channel.keyFor(selector);
        try {
            if (key == null) {
                channel.register(selector, SelectionKey.OP_READ, watch);
            } else {
                key.attach(watch);
                key.interestOps(SelectionKey.OP_READ);
                waiting.remove(key);
            }
        } catch (ClosedChannelException | CancelledKeyException closed) {
            hungUp(watch); // closed already: its client is gone, or the server closed it; no answer gets through
        }
    }

    private void run() {
        try {
            while (selector.isOpen()) {
                selector.select(this::readable, RECHECK_MILLIS);
                Runnable r;
                while ((r = registrations.poll()) != null) r.run();
                lookAgain();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed
        }
    }

    private void readable(SelectionKey key) {
        Watch watch = key.attachment() instanceof Watch w && !w.ended ? w : null;
        try {
            key.interestOps(0);
        } catch (CancelledKeyException closed) {
            // Jetty closed the connection meanwhile: as at its end
        }
        if (watch == null) {
            key.attach(null);
        } else if (!key.isValid() || atEnd((SocketChannel) key.channel())) {
            key.attach(null);
            hungUp(watch);
        } else {
            waiting.put(key, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS));
        }
    }

    /** {@return whether a readable channel has nothing to read: its end, or a reset} */
    private static boolean atEnd(SocketChannel channel) {
        try {
            return channel.socket().getInputStream().available() == 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Watches again the channels that had bytes waiting, once their time has come. */
    private void lookAgain() {
        long now = System.nanoTime();
        waiting.entrySet().removeIf(e -> {
            if (now - e.getValue() < 0) return false;
            SelectionKey key = e.getKey();
            try {
                if (key.attachment() instanceof Watch w && !w.ended) key.interestOps(SelectionKey.OP_READ);
            } catch (CancelledKeyException closed) {
                // the connection is closed: nothing left to watch
            }
            return true;
        });
    }

    private static void hungUp(Watch watch) {
        if (!watch.ended) Thread.ofVirtual().name("sluice-serve-hang-up").start(watch.gone);
    }

    /** Stops watching; the connections' channels are Jetty's to close. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // closing: nothing to report to
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
