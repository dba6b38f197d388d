package dev.sluice.server.suite;

import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.ChatPage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The server the relay's HTTP tests run against: the relay's routes (and the chat page) served on
 * loopback by the container the module running them names in the system property
 * {@value #HOST_PROPERTY}, the class name of a {@link Host}: {@code sluice serve}'s own Jetty in
 * sluice-cli, Jetty with the servlet mounted plainly here, embedded Tomcat in the Tomcat example.
 * So one suite holds every server to the same answers.
 */
public final class RelayServer implements AutoCloseable {
    /** The system property naming the {@link Host} class. */
    public static final String HOST_PROPERTY = "sluice.test.host";

    /** Starts the routes in a container. Implementations have a public constructor without arguments. */
    public interface Host {
        /**
         * {@return the running server, on 127.0.0.1 at a free port}
         *
         * @param routes the routes to serve, the page given; the host may fix the names it answers to
         *     ({@link RelayHttpApi.Builder#boundTo}) once it knows its port
         */
        Running start(RelayHttpApi.Builder routes) throws Exception;

        /**
         * {@return whether the container's WebSocket gets a close frame out to a client that sends
         * without reading} Tomcat's does not: its remote endpoint refuses the next message and the
         * close while a message to such a client is in progress, and the socket waits for its idle
         * timeout. The relay's own bound (what it queues, and that it closes) holds on every container.
         */
        default boolean closesUnreadSockets() {
            return true;
        }

        /**
         * {@return whether the container's {@code available()} counts a request's body that came with
         * its head before any read of it} Jetty's does: such a body is read on the container's thread.
         * Tomcat's counts none until a read: every declared body is read without a thread there.
         */
        default boolean countsArrivedBodies() {
            return true;
        }
    }

    /** A running server. */
    public interface Running extends AutoCloseable {
        /** {@return the port it listens on} */
        int port();
    }

    private final Relay relay;
    private final Running running;
    private final Host host;

    private RelayServer(Relay relay, Running running, Host host) {
        this.relay = relay;
        this.running = running;
        this.host = host;
    }

    /** {@return the container the server runs in} */
    public Host host() {
        return host;
    }

    /** {@return the relay served on 127.0.0.1, with the default limits} */
    public static RelayServer start(Relay relay, String host, int port) {
        return builder(new RelayAdmission(relay)).start();
    }

    /** {@return the relay with these limits served on 127.0.0.1} */
    public static RelayServer start(RelayAdmission http, String host, int port) {
        return builder(http).start();
    }

    /** {@return a builder of a server for the relay} */
    public static Builder builder(RelayAdmission http) {
        return new Builder(http);
    }

    /** {@return the port} */
    public int port() {
        return running.port();
    }

    /** {@return {@code http://127.0.0.1:PORT/}} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** {@return the relay} */
    public Relay relay() {
        return relay;
    }

    /** Cancels the relay's streams and stops the server. */
    @Override
    public void close() {
        relay.close();
        try {
            running.close();
        } catch (Exception e) {
            // stopping: nothing left to report to
        }
    }

    /** Builds a {@link RelayServer}, as {@link RelayHttpApi.Builder} does the routes. */
    public static final class Builder {
        private final RelayAdmission http;
        private GatewayHttp gateway;
        private String token;
        private ApiKeyStore keys;
        private final List<String> origins = new ArrayList<>();
        private final List<String> hosts = new ArrayList<>();
        private boolean responsesWebSocket = true;

        private Builder(RelayAdmission http) {
            this.http = http;
        }

        public Builder gateway(GatewayHttp gateway) {
            this.gateway = gateway;
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder keys(ApiKeyStore store) {
            this.keys = store;
            return this;
        }

        public Builder allowOrigin(String origin) {
            origins.add(origin);
            return this;
        }

        public Builder responsesWebSocket(boolean on) {
            this.responsesWebSocket = on;
            return this;
        }

        public Builder allowHost(String name) {
            hosts.add(name);
            return this;
        }

        /** {@return the running server} */
        public RelayServer start() {
            RelayHttpApi.Builder routes = RelayHttpApi.builder(http)
                    .gateway(gateway)
                    .page(ChatPage.assets())
                    .token(token)
                    .keys(keys)
                    .responsesWebSocket(responsesWebSocket);
            origins.forEach(routes::allowOrigin);
            hosts.forEach(routes::allowHost);
            String host = System.getProperty(HOST_PROPERTY);
            if (host == null)
                throw new IllegalStateException(
                        "set -D" + HOST_PROPERTY + "=CLASS, a RelayServer.Host, to run these tests");
            try {
                Host h = Class.forName(host)
                        .asSubclass(Host.class)
                        .getConstructor()
                        .newInstance();
                return new RelayServer(http.relay(), h.start(routes), h);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot start " + host + ": " + e, e);
            }
        }
    }
}
