package dev.sluice.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The address a server command listens on, and what it says when it cannot: a port that another
 * process holds is a usage error (exit 2) of one line naming the port and the flag that changes
 * it, reported before the command starts anything else ({@code serve} starts the fake server and
 * the providers' clients before it binds, so it checks first).
 *
 * @param host the address as the user gave it
 * @param port the port, 0 for any free one
 */
record ListenAddress(String host, int port) {
    /**
     * Checks that {@code host:port} can be listened on now, by binding it and letting go (port 0
     * always can). Other failures (an unknown host) are left to the server's own start.
     *
     * @throws UsageException when the port cannot be bound
     */
    void checkFree() throws UsageException {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the servers do: a port left in TIME_WAIT is free
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throwIfBindFailure(e);
        }
    }

    /**
     * Throws the usage error for a failure to bind, when {@code failure} or one of its causes is
     * one (a server that lost the port between the check and its start); else returns.
     *
     * @throws UsageException saying that the port is in use, or why it cannot be bound
     */
    void throwIfBindFailure(Throwable failure) throws UsageException {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                String why = b.getMessage() == null ? "" : b.getMessage();
                throw new UsageException(
                        why.contains("in use")
                                ? "port " + port + " on " + host + " is in use; choose another with --port N"
                                : "cannot listen on " + host + ":" + port + " (" + why
                                        + "); choose another with --port N",
                        false);
            }
        }
    }
}
