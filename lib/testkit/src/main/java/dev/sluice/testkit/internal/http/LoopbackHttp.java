package dev.sluice.testkit.internal.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP/1.1 side of a {@link dev.sluice.testkit.FakeLlmServer}: a listening socket on 127.0.0.1, one virtual thread
 * per connection reading its requests one after another (kept alive between them) and handing each
 * {@link Exchange} to the server, until either side closes the connection.
 *
 * <p>Threading: the acceptor thread owns the listening socket, each connection's thread its
 * socket; {@link #close(Duration)} (any thread) closes them all and waits, bounded, for the threads.
 */
public final class LoopbackHttp {
    private static final System.Logger LOG = System.getLogger(LoopbackHttp.class.getName());

    /** Answers one exchange; returns normally when the connection may carry another request. */
    public interface Responder {
        void respond(Exchange exchange) throws IOException;
    }

    private final Responder responder;
    private final int maxBody;
    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Binds and starts accepting.
     *
     * @param maxBody the request body bytes kept (the rest is read and dropped)
     * @throws UncheckedIOException if the port cannot be bound
     */
    public LoopbackHttp(int port, int maxBody, Responder responder) {
        this.responder = responder;
        this.maxBody = maxBody;
        try {
            InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(loopback, port), 1024);
            this.listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot bind the fake server to 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        this.threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("fake-llm-", 0).factory());
        this.acceptor = Thread.ofVirtual()
                .name("fake-llm-acceptor-" + listener.getLocalPort())
                .start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Closes the listener and every connection, and waits up to {@code wait} for the threads. {@return whether they all ended} */
    public boolean close(Duration wait) throws InterruptedException {
        if (!closed.compareAndSet(false, true)) return terminated();
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "fake server: closing the listener: {0}", e.toString());
        }
        for (Socket s : open) closeQuietly(s);
        threads.shutdownNow();
        // The acceptor, a virtual thread parked in accept(), completes the listener's close as it
        // wakes: until then the port still takes connections (measured: 2,240 of 3,000 connects
        // made right after close() succeeded). So the acceptor is waited for even by an interrupted
        // caller (a command stopped by an interrupt), bounded by the wait; the interrupt is kept.
        boolean interrupted = false;
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); acceptor.isAlive() && left > 0; left = deadline - System.nanoTime()) {
            try {
                acceptor.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return threads.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                && !acceptor.isAlive();
    }

    /** {@return whether it was closed and every thread has ended} */
    public boolean terminated() {
        return closed.get() && threads.isTerminated() && !acceptor.isAlive();
    }

    private void accept() {
        while (!closed.get()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed.get())
                    LOG.log(System.Logger.Level.WARNING, "fake server: accept failed: {0}", e.toString());
                return;
            }
            open.add(s);
            try {
                if (closed.get()) throw new RejectedExecutionException("closed");
                threads.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                open.remove(s);
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (!closed.get()) {
                Exchange exchange;
                try {
                    exchange = Exchange.read(socket, in, out, maxBody);
                } catch (Exchange.BadRequest e) {
                    byte[] why = e.getMessage().getBytes(StandardCharsets.UTF_8);
                    out.write(
                            ("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
                                            + "content-length: " + why.length + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    out.write(why);
                    out.flush();
                    return;
                }
                if (exchange == null) return; // the client closed the connection between requests
                responder.respond(exchange);
                if (!exchange.reusable()) return;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "fake server: connection closed: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "fake server: a request failed: " + e, e);
        } finally {
            open.remove(socket);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
