package dev.sluice.cli.serve;

import dev.sluice.relay.ApiKeyStore;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.GatewayHttp;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.ChatPage;
import dev.sluice.server.RelayServlet;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * What {@code sluice serve} runs: {@code sluice-server}'s {@link RelayServlet} (the relay's whole
 * HTTP API, the WebSocket and the chat page, {@link RelayHttpApi}) on Jetty 12 (ee10), with what
 * only a connection can bound: connections in all and per client address, and the time a
 * connection may take to send a request's headers ({@link ConnectionGuard}); and what only a
 * connection can tell: a client that hangs up while nothing is written to it ({@link HangUpWatch}).
 *
 * <p>Threading: Jetty's selector threads do the I/O; every request runs on its own virtual thread
 * (a {@link QueuedThreadPool} with a virtual-thread executor), and an SSE response blocks its
 * virtual thread while it streams. {@link #close()} cancels the relay's streams and stops Jetty.
 */
public final class ServeServer implements AutoCloseable {
    /** Connections open at once, by default. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Connections open at once from one client address, by default. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 32;
    /** How long a connection may take to send a request's headers, by default. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** How many connections the kernel may hold before Jetty accepts them (capped by the system's {@code somaxconn}). */
    static final int ACCEPT_QUEUE = 4096;
    /** How long a platform thread of Jetty's pool may stay idle (Jetty's default). */
    static final int IDLE_THREAD_TIMEOUT_MS = 60_000;

    private final Server jetty;
    private final ServerConnector connector;
    private final ConnectionGuard connections;
    private final HangUpWatch hangUps = new HangUpWatch();

    @SuppressWarnings("NullAway.Init") // set by mount() in build(), before the server is handed out
    private volatile RelayHttpApi routes; // set once the port is known, before Jetty starts

    /**
     * {@return Jetty's pool: platform threads for the selectors' own tasks, a virtual thread per request}
     * Threads idle for {@code idleTimeoutMillis} end together, not one a timeout (Jetty's default): at 64
     * streams the platform threads grew from 7 to 39, and one a minute kept their stacks for half an hour.
     */
    static QueuedThreadPool threadPool(int idleTimeoutMillis) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sluice-serve");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("sluice-serve-vt-", 0).factory()));
        threads.setIdleTimeout(idleTimeoutMillis);
        threads.setMaxEvictCount(threads.getMaxThreads());
        return threads;
    }

    private ServeServer(Builder b) {
        this.jetty = new Server(threadPool(IDLE_THREAD_TIMEOUT_MS));
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        this.connections = new ConnectionGuard(config, b.maxConnectionsPerClient, b.headerTimeout);
        this.connector = new ServerConnector(jetty, connections);
        connector.setHost(b.host);
        connector.setPort(b.port);
        // the kernel's queue of connections not yet accepted (the JDK's default is 50): a burst of clients opening
        // their streams at once overflowed it, and some of them were reset before their request was read
        connector.setAcceptQueueSize(Math.min(b.maxConnections, ACCEPT_QUEUE));
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopTimeout(2_000);
    }

    /**
     * Starts serving the relay on the given address, with {@link RelayAdmission}'s default limits and
     * the defaults of {@link Builder}: no token, the server's own names and origins only.
     *
     * @param relay the relay; closed by {@link #close()}
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ServeServer start(Relay relay, String host, int port) {
        return builder(new RelayAdmission(relay)).host(host).port(port).start();
    }

    /**
     * Starts serving the relay on the given address, with the defaults of {@link Builder}.
     *
     * @param admission the relay with its HTTP limits; its relay is closed by {@link #close()}
     * @param host the address to bind, e.g. {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ServeServer start(RelayAdmission admission, String host, int port) {
        return builder(admission).host(host).port(port).start();
    }

    /**
     * {@return a builder of a server for the relay, bound to 127.0.0.1 at any free port by default,
     * with the chat page}
     *
     * @param admission the relay with its HTTP limits; its relay is closed by {@link #close()}
     */
    public static Builder builder(RelayAdmission admission) {
        return new Builder(RelayHttpApi.builder(admission).page(ChatPage.assets()));
    }

    /**
     * {@return a builder of a server for these routes, bound to 127.0.0.1 at any free port by
     * default} The names the routes answer to are fixed as the bound address's when it starts.
     *
     * @param routes the routes; their relay is closed by {@link #close()}
     */
    public static Builder builder(RelayHttpApi.Builder routes) {
        return new Builder(routes);
    }

    /** {@return the port it listens on} */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@return {@code http://HOST:PORT/}; bound to every address, {@code http://127.0.0.1:PORT/}} */
    public URI uri() {
        String host = connector.getHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) host = "127.0.0.1";
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** {@return the relay it serves} */
    public Relay relay() {
        return routes.relay();
    }

    /** {@return the routes it serves: the relay's API, the page, the guard} */
    public RelayHttpApi routes() {
        return routes;
    }

    /** {@return the names of the servlet filters a request passes before the servlet (for tests)} */
    List<String> filterNames() {
        ServletHandler handler = jetty.getDescendant(ServletHandler.class);
        return handler == null
                ? List.of()
                : Arrays.stream(handler.getFilters()).map(FilterHolder::getName).toList();
    }

    /**
     * Lets go of the buffers Jetty keeps for its connections' reads and writes, to be made again as
     * connections need them: what an idle server calls before it collects its heap, so that the
     * buffers a load left (off the heap, 2.6 MiB after 64 streams) are given back. The buffers in use
     * are dropped when released, not pooled.
     *
     * @return the bytes the pool held, off the heap and on it
     */
    public long releasePooledBuffers() {
        if (!(connector.getByteBufferPool() instanceof ArrayByteBufferPool pool)) return 0;
        long held = pool.getAvailableDirectMemory() + pool.getAvailableHeapMemory();
        pool.clear();
        return held;
    }

    /** {@return the connections counted against the per-client cap; for tests} */
    int countedConnections() {
        return connections.counted();
    }

    /** Cancels every stream and stops the server. Idempotent. */
    @Override
    public void close() {
        if (routes != null) routes.relay().close();
        try {
            jetty.stop();
        } catch (Exception e) {
            // stopping: nothing left to report to
        }
        connections.close();
        hangUps.close();
    }

    private void mount(RelayHttpApi routes) {
        this.routes = routes;
        connections.trustProxiesOf(routes.admission());
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        ServletHolder servlet = new ServletHolder("sluice", new RelayServlet(routes));
        servlet.setAsyncSupported(true); // a silent stream's response holds no thread
        context.addServlet(servlet, "/*");
        context.setErrorHandler(new JsonErrorHandler());
        JakartaWebSocketServletContainerInitializer.configure(
                context, (servletContext, container) -> withoutUpgradeFilter(context, servletContext));
        ConnectionHooks hooks = new ConnectionHooks(connections, hangUps);
        hooks.setHandler(context);
        jetty.setHandler(hooks);
    }

    /**
     * Takes out the WebSocket container's upgrade filter, which looks at every request for an endpoint
     * registered by path: the servlet upgrades its WebSockets ({@code /api/ws}, {@code /v1/responses})
     * itself ({@code ServerContainer.upgradeHttpToWebSocket}), and registers none, so each HTTP request
     * goes to it with no filter chain before (some 25 µs of a request's path).
     */
    private static void withoutUpgradeFilter(ServletContextHandler context, ServletContext servletContext) {
        FilterHolder filter = WebSocketUpgradeFilter.getFilter(servletContext);
        if (filter == null) return;
        ServletHandler handler = context.getServletHandler();
        for (FilterMapping mapping : handler.getFilterMappings())
            if (filter.getName().equals(mapping.getFilterName())) handler.removeFilterMapping(mapping);
        handler.removeFilterHolder(filter);
    }

    /**
     * Builds and starts a {@link ServeServer}. Each setter checks its argument at once; the
     * defaults suit a server on loopback for one person.
     */
    public static final class Builder {
        private final RelayHttpApi.Builder routes;
        private String host = "127.0.0.1";
        private int port;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;

        private Builder(RelayHttpApi.Builder routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
        }

        /**
         * Sets the OpenAI-compatible gateway served beside the relay.
         *
         * @param gateway the OpenAI-compatible gateway to serve at {@code /v1/chat/completions} and
         *     {@code /v1/models}; null for none, the default
         * @return this builder
         */
        public Builder gateway(@Nullable GatewayHttp gateway) {
            routes.gateway(gateway);
            return this;
        }

        /**
         * Switches the Responses API's WebSocket on {@code /v1/responses} on (the default) or off (its
         * upgrade answered {@code 426}), as {@link RelayHttpApi.Builder#responsesWebSocket}.
         *
         * @param on whether {@code /v1/responses} takes a WebSocket
         * @return this builder
         */
        public Builder responsesWebSocket(boolean on) {
            routes.responsesWebSocket(on);
            return this;
        }

        /**
         * Sets the address to bind.
         *
         * @param host the address to bind; default {@code 127.0.0.1}
         * @return this builder
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
            this.host = host;
            return this;
        }

        /**
         * Sets the port.
         *
         * @param port 0 to 65535; 0, the default, for any free one
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0 to 65535: " + port);
            this.port = port;
            return this;
        }

        /**
         * Sets the token every API request and the page need.
         *
         * @param token required of every API request and of the page; null for none, the default
         * @return this builder
         * @throws IllegalArgumentException if it is not fit to be a token
         */
        public Builder token(@Nullable String token) {
            routes.token(token);
            return this;
        }

        /**
         * Serves minted keys at {@code /v1/keys}, managed with the token ({@link RelayHttpApi.Builder#keys}).
         *
         * @param store where the keys and their budgets live; null for none, the default
         * @return this builder
         */
        public Builder keys(@Nullable ApiKeyStore store) {
            routes.keys(store);
            return this;
        }

        /**
         * Allows an origin whose pages may call the API.
         *
         * @param origin an origin whose pages may call the API, with CORS headers
         * @return this builder
         * @throws IllegalArgumentException if it is not an origin
         */
        public Builder allowOrigin(String origin) {
            routes.allowOrigin(origin);
            return this;
        }

        /**
         * Allows another {@code Host} name.
         *
         * @param name another {@code Host} name the server answers to
         * @return this builder
         * @throws IllegalArgumentException if it is not a host name
         */
        public Builder allowHost(String name) {
            routes.allowHost(name);
            return this;
        }

        /**
         * Sets how many connections may be open at once.
         *
         * @param n connections open at once; positive; default {@value #DEFAULT_MAX_CONNECTIONS}
         *     (more wait to be accepted)
         * @return this builder
         */
        public Builder maxConnections(int n) {
            if (n <= 0) throw new IllegalArgumentException("maxConnections must be positive: " + n);
            this.maxConnections = n;
            return this;
        }

        /**
         * Sets how many connections one client address may hold open at once.
         *
         * @param n connections open at once from one client address; positive; default
         *     {@value #DEFAULT_MAX_CONNECTIONS_PER_CLIENT} (one more is closed as it opens)
         * @return this builder
         */
        public Builder maxConnectionsPerClient(int n) {
            if (n <= 0) throw new IllegalArgumentException("maxConnectionsPerClient must be positive: " + n);
            this.maxConnectionsPerClient = n;
            return this;
        }

        /**
         * Sets how long a connection may take to send a request's headers.
         *
         * @param timeout how long a connection may take to send a request's headers, from its
         *     opening or from its previous response's end; positive; default 10 s
         * @return this builder
         */
        public Builder headerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "headerTimeout");
            if (timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("headerTimeout must be positive: " + timeout);
            this.headerTimeout = timeout;
            return this;
        }

        /**
         * {@return the running server}
         *
         * @throws UncheckedIOException if the address cannot be bound
         * @throws IllegalArgumentException if an origin, host name or token is malformed
         */
        public ServeServer start() {
            ServeServer server = new ServeServer(this);
            try {
                server.connector.open(); // the port is known before the first request is handled
                server.mount(
                        routes.boundTo(host, server.connector.getLocalPort()).build());
                server.connector.setIdleTimeout(server.routes.idleTimeout().toMillis());
                server.jetty.start();
            } catch (IllegalArgumentException e) {
                server.close();
                throw e;
            } catch (Exception e) {
                server.close();
                throw new UncheckedIOException(
                        new IOException("cannot serve on " + host + ":" + port + ": " + e.getMessage(), e));
            }
            return server;
        }
    }
}
