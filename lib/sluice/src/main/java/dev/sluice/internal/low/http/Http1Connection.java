package dev.sluice.internal.low.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 connection of the blocking transport: the TCP socket, the TLS socket over it for
 * {@code https}, the buffered input and the output. Used by one exchange at a time (the
 * {@link Http1Pool} hands it out and takes it back); {@link #close()} from any thread.
 */
final class Http1Connection {
    /** The buffer of a connection's input. */
    static final int BUFFER_BYTES = 8 * 1024;

    /**
     * Where a connection goes: connections are pooled and reused per key.
     *
     * @param https whether over TLS
     * @param host the host as the URI names it (an IPv6 literal without its brackets)
     * @param port the port, the scheme's default when the URI has none
     */
    record Key(boolean https, String host, int port) {
        static Key of(URI uri) {
            boolean https = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
            return new Key(https, host.toLowerCase(Locale.ROOT), port);
        }

        // written out rather than the record's own, which go through method handles that the pool's lookup on
        // each request would run cold
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && https == k.https && port == k.port && host.equals(k.host);
        }

        @Override
        public int hashCode() {
            return (host.hashCode() * 31 + port) * 31 + (https ? 1 : 0);
        }

        @Override
        public String toString() {
            return (https ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    final Key key;
    private final @Nullable Socket
            raw; // closed to end the connection: unblocks a read, a write, a connect or a handshake
    final Http1Input in;
    final OutputStream out;
    // Written by the thread that gives the connection back, read by the pool under its lock.
    long idleSince;
    long keepAliveNanos = -1; // the server's Keep-Alive timeout, -1 when it gave none

    Http1Connection(Key key, Socket raw, Socket stream) throws IOException {
        this.key = key;
        this.raw = raw;
        this.in = new Http1Input(stream.getInputStream(), stream, BUFFER_BYTES);
        this.out = stream.getOutputStream();
    }

    /** A connection over streams of the caller's, with no socket: for reading responses from bytes. */
    Http1Connection(Key key, Http1Input in, OutputStream out) {
        this.key = key;
        this.raw = null;
        this.in = in;
        this.out = out;
    }

    /** Closes the connection, quietly; idempotent, any thread. */
    void close() {
        if (raw == null) return;
        try {
            raw.close();
        } catch (IOException e) {
            // closed either way
        }
    }

    boolean isClosed() {
        return raw != null && raw.isClosed();
    }

    @Override
    public String toString() {
        return "Http1Connection[" + key + "]";
    }
}
