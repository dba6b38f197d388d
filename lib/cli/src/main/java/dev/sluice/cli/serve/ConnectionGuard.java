package dev.sluice.cli.serve;

import dev.sluice.relay.http.RelayAdmission;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's HTTP/1.1 connections, with two bounds on what a client can hold without sending a
 * request: connections per client address (one more is closed as it opens), and the time a
 * connection may take to send a request's headers — from its opening, and again from the end of
 * each response (a slow-header client, or a kept-alive connection left idle, is closed then,
 * however it trickles bytes to beat the idle timeout).
 *
 * <p>The connections of an address are counted in {@code admitted}, which an admission updates
 * in the same step as its decision: Jetty lists a new endpoint among the connector's only after its
 * connection is made, so two connections opening at once on two selector threads would each miss
 * the other there (a cap of 8 admitted 9). An endpoint stays counted while it is open, a WebSocket
 * it was upgraded to included; closed ones are dropped at the next admission from their address
 * and by the sweep.
 *
 * <p>A connection from a trusted proxy ({@link RelayAdmission#trustsProxy}) carries many clients' requests,
 * so it is not counted as it opens (the cap in all bounds it), but with each request's headers, as
 * the client the proxy names ({@link RelayAdmission#clientAddress}): one connection more than the cap for
 * that client is refused ({@link #headersArrived} says so). A proxy opens a connection per request
 * it has in flight (nginx does, without upstream keep-alive), so this is the client's connections
 * through the proxy; a kept-alive one counts for the client of its last request.
 *
 * <p>Threading: {@link #newConnection} on the selector threads, one admission at a time under
 * {@code admission}, which also guards {@code admitted} and {@code forwardedFor}; {@link #headersArrived} and
 * {@link #responded} on the handler's threads, the sweep on its own daemon thread; {@code waiting}
 * is concurrent and each endpoint's entry is replaced whole.
 */
final class ConnectionGuard extends HttpConnectionFactory implements AutoCloseable {
    private final int maxPerClient;
    private final long headerTimeoutNanos;
    private final Map<EndPoint, Waiting> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final ReentrantLock admission = new ReentrantLock();
    private final Map<String, List<EndPoint>> admitted = new HashMap<>(); // guarded by admission
    private final Map<EndPoint, String> forwardedFor =
            new HashMap<>(); // a trusted proxy's connection -> its client; guarded by admission
    private volatile @Nullable RelayAdmission relayAdmission; // who is a trusted proxy; set before the first connection

    /** A connection waiting for a request's headers, and until when. */
    private record Waiting(Connection connection, long deadline) {}

    ConnectionGuard(HttpConfiguration config, int maxPerClient, Duration headerTimeout) {
        super(config);
        this.maxPerClient = maxPerClient;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-serve-header-timeout");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, headerTimeout.toMillis() / 4));
        ScheduledFuture<?> unused = sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Counts the connections of the proxies this relay trusts by the clients they name. */
    void trustProxiesOf(RelayAdmission relayAdmission) {
        this.relayAdmission = relayAdmission;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        Connection connection = super.newConnection(connector, endPoint);
        String address = address(endPoint.getRemoteSocketAddress());
        RelayAdmission trusting = relayAdmission;
        if (trusting != null && trusting.trustsProxy(address)) { // counted by its requests' clients
            waiting.put(endPoint, new Waiting(connection, System.nanoTime() + headerTimeoutNanos));
            return connection;
        }
        admission.lock(); // one decision at a time, counted as it is made
        try {
            List<EndPoint> open = admitted.computeIfAbsent(address, a -> new ArrayList<>());
            open.removeIf(e -> !e.isOpen());
            if (open.size() >= maxPerClient) {
                endPoint.close();
                return connection;
            }
            open.add(endPoint);
        } finally {
            admission.unlock();
        }
        waiting.put(endPoint, new Waiting(connection, System.nanoTime() + headerTimeoutNanos));
        return connection;
    }

    /**
     * A request's headers have arrived: its connection no longer waits. A trusted proxy's
     * connection is counted now, as the request's client.
     *
     * @return false when the connection is a trusted proxy's and the client it names already has
     *     as many open as the cap: the request is to be refused and the connection closed
     */
    boolean headersArrived(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        waiting.remove(endPoint);
        RelayAdmission trusting = relayAdmission;
        String peer = address(endPoint.getRemoteSocketAddress());
        if (trusting == null || !trusting.trustsProxy(peer)) return true;
        String client =
                trusting.clientAddress(peer, name -> request.getHeaders().getValuesList(name));
        admission.lock();
        try {
            String before = forwardedFor.remove(endPoint);
            if (before != null) admitted.getOrDefault(before, new ArrayList<>()).remove(endPoint);
            List<EndPoint> open = admitted.computeIfAbsent(client, a -> new ArrayList<>());
            open.removeIf(e -> !e.isOpen());
            if (open.size() >= maxPerClient) return false;
            open.add(endPoint);
            forwardedFor.put(endPoint, client);
            return true;
        } finally {
            admission.unlock();
        }
    }

    /** {@return the cap of connections per client address} */
    int maxPerClient() {
        return maxPerClient;
    }

    /** A response has ended: its connection waits for the next request's headers, as long again. */
    @SuppressWarnings("ReferenceEquality") // identity: the end point still carries this very connection
    void responded(Request request) {
        Connection connection = request.getConnectionMetaData().getConnection();
        EndPoint endPoint = connection.getEndPoint();
        if (endPoint.isOpen() && endPoint.getConnection() == connection) {
            waiting.put(endPoint, new Waiting(connection, System.nanoTime() + headerTimeoutNanos));
        }
    }

    /** {@return how many open connections are counted against their addresses' cap, closed ones not yet dropped included} */
    int counted() {
        admission.lock();
        try {
            return admitted.values().stream().mapToInt(List::size).sum();
        } finally {
            admission.unlock();
        }
    }

    /** {@return how many connections wait for a request's headers} */
    int waiting() {
        return waiting.size();
    }

    @SuppressWarnings("ReferenceEquality") // identity: the end point still carries this very connection
    private void sweep() {
        admission.lock();
        try {
            admitted.values().removeIf(open -> {
                open.removeIf(e -> !e.isOpen());
                return open.isEmpty();
            });
            forwardedFor.keySet().removeIf(e -> !e.isOpen());
        } finally {
            admission.unlock();
        }
        long now = System.nanoTime();
        waiting.forEach((endPoint, w) -> {
            if (!endPoint.isOpen() || endPoint.getConnection() != w.connection()) {
                waiting.remove(endPoint, w); // closed, or upgraded to a WebSocket
            } else if (now - w.deadline() > 0 && waiting.remove(endPoint, w)) {
                endPoint.close();
            }
        });
    }

    static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
