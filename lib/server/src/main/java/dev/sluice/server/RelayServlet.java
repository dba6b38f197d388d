package dev.sluice.server;

import dev.sluice.relay.http.RelayHttpApi;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The relay's whole HTTP API, and the chat page when the routes have one, as a servlet: every
 * route, refusal and header of {@link RelayHttpApi}, with the WebSockets {@code /api/ws} and {@code /v1/responses} upgraded
 * through the container's Jakarta WebSocket {@code ServerContainer}. Mount it at {@code /*} of a
 * context ({@code "/api/streams"} is then at the context's root), or at {@code /PREFIX/*} (the
 * API at {@code /PREFIX/api/streams}, the page at {@code /PREFIX/}):
 *
 * <pre>{@code
 * Relay relay = Relay.builder().provider(client.providerName(), client, ProviderCatalog.ANTHROPIC.defaultModel()).build();
 * RelayHttpApi routes = RelayHttpApi.builder(new RelayAdmission(relay)).page(ChatPage.assets()).build();
 * Context context = tomcat.addContext("", null);
 * context.addServletContainerInitializer(new WsSci(), null);  // Tomcat's WebSocket support
 * Tomcat.addServlet(context, "sluice", new RelayServlet(routes)).setAsyncSupported(true);
 * context.addServletMappingDecoded("/*", "sluice");
 * }</pre>
 *
 * <p>Register it as async-supported ({@code setAsyncSupported(true)}; Jetty's holders are by
 * default, Tomcat's wrappers are not): an event stream's response then goes on in async mode, on a
 * virtual thread of its own, and the container's request thread is free while it lasts; a request
 * with a body is answered in async mode too, on a virtual thread, its body read without a thread
 * (non-blocking input), so that a body not whole within
 * {@link dev.sluice.relay.http.RelayAdmission#bodyTimeout()} is answered {@code 408} at that time and
 * its connection closed. Otherwise the response holds its request's thread while it streams, and
 * the container should run requests on virtual threads (Tomcat's {@code useVirtualThreads},
 * Jetty's virtual-thread executor, Spring Boot's {@code spring.threads.virtual.enabled}); a body
 * that trickles in is then answered {@code 408} at its first byte past the timeout, one that stops
 * arriving when the container's own read timeout ends the read. The container bounds what only a
 * connection can, connections per client address and the time a request's headers may take
 * ({@code sluice serve} does both on Jetty), and names no server version; one without WebSocket
 * support answers {@code /api/ws} with 404, {@code /v1/responses}' upgrade with 426.
 *
 * <p>No servlet API tells that a client hung up while nothing is written to it, and a completion
 * of the OpenAI-compatible gateway that is not streamed writes nothing until it is whole: a
 * container that can tell (as {@code sluice serve}'s does) offers it in the request attribute
 * {@link #CLIENT_GONE}, and the completion is cancelled when its caller hangs up; elsewhere it runs
 * to its end.
 *
 * <p>A response the relay cuts (a client it {@linkplain dev.sluice.relay.Relay#dropClients drops})
 * ends with an {@link IOException} thrown from {@link #service} after the response's last byte (in
 * async mode, on the dispatch back to it): the container then breaks the connection rather than end
 * the response cleanly, and logs one line.
 *
 * <p>The container's error handling is not a request: an error dispatch ({@link DispatcherType#ERROR},
 * or an include or forward carrying the {@code jakarta.servlet.error.*} attributes, as Tomcat's error
 * page makes of a response already under way) reaching this servlet, mounted where the container's
 * error page is (Spring Boot's {@code /error} under a mount at {@code /}), is answered with nothing:
 * the request it reports on was answered, or cut, by the relay already, and running it again would
 * start its work a second time (a chat posted again) on a response in the container's error state.
 *
 * <p>Threading: safe from any thread. Destroying the servlet does not close the relay, which its
 * creator owns.
 */
public final class RelayServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /**
     * The request attribute through which a container that can tell a client hung up offers it:
     * a {@code java.util.function.Consumer<Runnable>} that, given a {@code Runnable}, runs it once
     * (on any thread) if the request's client hangs up before its response ends.
     */
    public static final String CLIENT_GONE = "dev.sluice.server.clientGone";
    /**
     * The request attribute through which a container whose own forwarded-header support rewrites
     * {@code getRemoteAddr()} (Tomcat's {@code RemoteIpValve}, what Spring Boot's
     * {@code server.forward-headers-strategy=native} installs) offers the address of the connection's
     * peer, as a {@code String}, set before it rewrites (the Spring Boot starter does so on Tomcat).
     * The relay counts a client by the connection's peer, or, from a peer that
     * {@link dev.sluice.relay.http.RelayAdmission.Builder#trustedProxy trusted proxies} name, by the
     * client that proxy names: by this attribute when it is set, else by the container's own
     * request under every wrapper (a filter's rewritten address, such as Spring's
     * {@code ForwardedHeaderFilter}'s, is not the relay's).
     */
    public static final String PEER_ADDRESS = "dev.sluice.server.peerAddress";
    /** The request attribute that marks a response the relay cut, dispatched back to throw. */
    static final String CUT = RelayServlet.class.getName() + ".cut";
    /** The request attribute that holds what the routes threw off the container's thread, dispatched back to throw. */
    static final String FAILED = RelayServlet.class.getName() + ".failed";

    private final transient RelayHttpApi routes;

    /**
     * A servlet answering with these routes.
     *
     * @param routes the relay's routes
     * @throws NullPointerException if routes is null
     */
    public RelayServlet(RelayHttpApi routes) {
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** {@return the routes it answers with} */
    public RelayHttpApi routes() {
        return routes;
    }

    /**
     * Answers one request through the routes.
     *
     * @throws IOException if the client is gone, or the relay cut the response (see the class description)
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (errorDispatch(request)) return; // see the class description
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            if (request.getAttribute(CUT) != null) throw new CutException();
            if (request.getAttribute(FAILED) instanceof Throwable failure) {
                request.removeAttribute(FAILED);
                switch (failure) {
                    case IOException e -> throw e;
                    case RuntimeException e -> throw e;
                    case Error e -> throw e;
                    default -> throw new IOException(failure);
                }
            }
        }
        ServletExchange exchange = new ServletExchange(request, response, routes);
        if (exchange.readBodyAsync()) { // its body arrives without holding this thread
            Thread.ofVirtual().name("sluice-server-request").start(() -> handleAsync(exchange, request));
            return;
        }
        routes.handle(exchange);
        if (exchange.aborted() && !request.isAsyncStarted()) throw new CutException();
    }

    /**
     * {@return whether the container dispatches the request to its error page (Tomcat includes the
     * page into a committed response, or forwards to it, setting the error attributes), not a client}
     */
    private static boolean errorDispatch(HttpServletRequest request) {
        return switch (request.getDispatcherType()) {
            case ERROR -> true;
            case INCLUDE, FORWARD ->
                request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) != null
                        || request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null
                        || request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) != null;
            case REQUEST, ASYNC -> false;
        };
    }

    /**
     * Answers a request in async mode, off the container's thread, and ends it unless its delivery
     * does. Its body is no longer read once the routes are done with it: the container must not be
     * reading it while the request ends. A container that ended the request itself, after an I/O
     * failure (the client gone), refuses the end: nothing is left to answer then.
     */
    private void handleAsync(ServletExchange exchange, HttpServletRequest request) {
        Throwable failure = null;
        try {
            routes.handle(exchange);
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
        if (exchange.responding()) return; // the delivery ends the response
        exchange.stopReadingBody();
        if (failure == null) {
            exchange.end(AsyncContext::complete);
        } else {
            Throwable thrown = failure;
            exchange.end(async -> {
                request.setAttribute(FAILED, thrown);
                async.dispatch(); // thrown again on the container's thread, which answers it as any failure
            });
        }
    }

    /** Thrown after the last byte of a response the relay cut; no stack trace: it is no failure. */
    static final class CutException extends IOException {
        private static final long serialVersionUID = 1L;

        CutException() {
            super("the relay dropped this client: its response is cut, so that it resumes");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
