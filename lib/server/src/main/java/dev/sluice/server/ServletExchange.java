package dev.sluice.server;

import dev.sluice.relay.http.HttpExchange;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.relay.http.RelaySocket;
import dev.sluice.relay.http.SocketSession;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A servlet request and its response as the relay's routes see them. The query is parsed from the
 * query string (never from a form body, which {@code getParameter} would read). A request that
 * declares a body, in a servlet registered as async-supported, is handled in async mode with its
 * body read without a thread ({@link #readBodyAsync}, {@link AsyncBody}), so that the body timeout
 * ends a read that waits; but a body of a declared length that has arrived whole, which no read
 * waits for, is read on the container's thread.
 *
 * <p>In async mode the response is changed and written only until the request ends, which the
 * container may do first, after an I/O failure ({@link AsyncResponse}): from then on its writes fail
 * as a gone client's, and the request's end is the container's.
 *
 * <p>Threading: the request's thread (for a body read without a thread, the virtual thread that
 * handles it), but for what {@link #respond}'s rest does on the delivery's threads, one at a time:
 * write to {@link #output()}, and {@link #abort()} ({@code aborted} is volatile for the dispatch
 * back that reads it).
 */
final class ServletExchange implements HttpExchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final RelayHttpApi routes;
    private volatile boolean aborted; // set on the delivery's thread
    private boolean bodyEnded; // the routes read the body to its end
    private @Nullable AsyncBody asyncBody; // the body, read without a thread; null when read by blocking reads
    private @Nullable AsyncResponse async; // the request in async mode; null until then
    private boolean responding; // respond() has the response: it ends it

    ServletExchange(HttpServletRequest request, HttpServletResponse response, RelayHttpApi routes) {
        this.request = request;
        this.response = response;
        this.routes = routes;
    }

    boolean aborted() {
        return aborted;
    }

    /** {@return whether {@link #respond} took the response over, and ends it} */
    boolean responding() {
        return responding;
    }

    /**
     * Starts async mode and reads the body without a thread from now on, when the request declares
     * a body (and is no upgrade), the servlet is registered as async-supported, and the body has not
     * arrived whole; the routes then run on another thread, and this one is free. On the container's
     * thread. {@return whether it did}
     */
    boolean readBodyAsync() throws IOException {
        boolean declared = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!declared || !request.isAsyncSupported() || request.getHeader("Upgrade") != null) return false;
        int limit = (int) Math.min(
                Integer.MAX_VALUE, routes.admission().maxRequestBytes() + 1L); // one more than taken: too large
        if (arrivedWhole(limit)) return false; // read on this thread: no read waits, no second thread
        async = new AsyncResponse(
                request.startAsync()); // the body's time is the routes' timeout, a stream's the relay's
        asyncBody = new AsyncBody(
                request.getInputStream(), limit, routes.admission().bodyTimeout());
        return true;
    }

    /**
     * {@return whether the body has a declared length below {@code limit} and has arrived whole, in
     * the container's buffers: then none of its reads waits} Most requests' bodies come in the
     * packets of their head; a body still arriving (or of no declared length) is read without a
     * thread, under the body timeout.
     */
    private boolean arrivedWhole(int limit) {
        long length = request.getContentLengthLong();
        if (length <= 0 || length >= limit) return false;
        try {
            return request.getInputStream().available() >= length;
        } catch (IOException e) {
            return false; // the async read meets it, and answers it
        }
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String mountPath() {
        // mapped at /PREFIX/* (or /*): the context and PREFIX; mapped as the default servlet (/): the context
        return request.getContextPath() + (prefixMapped() ? request.getServletPath() : "");
    }

    @Override
    public String path() {
        if (!prefixMapped())
            return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return request.getPathInfo() == null ? "" : request.getPathInfo(); // "": the mount itself, without its slash
    }

    private boolean prefixMapped() {
        return request.getHttpServletMapping().getMappingMatch() == MappingMatch.PATH;
    }

    @Override
    public @Nullable String query(String name) {
        String q = request.getQueryString();
        if (q == null) return null;
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException malformed) {
                // a malformed escape: not the parameter asked for
            }
        }
        return null;
    }

    @Override
    public @Nullable String header(String name) {
        return request.getHeader(name);
    }

    /** {@return every line of a header, as the client sent it} (Spring's {@code ForwardedHeaderFilter} hides the forwarding headers from its wrapper) */
    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = containerRequest().getHeaders(name); // null where the container withholds headers
        return values == null ? List.of() : Collections.list(values);
    }

    /**
     * {@return the connection's peer}: as the container offers it ({@link RelayServlet#PEER_ADDRESS}),
     * else as the container's own request has it, under every filter's wrapper (Spring's
     * {@code ForwardedHeaderFilter} answers {@code getRemoteAddr()} with whatever
     * {@code X-Forwarded-For} a client sends); whom a trusted proxy forwards for is the relay's to tell
     */
    @Override
    public String clientAddress() {
        return request.getAttribute(RelayServlet.PEER_ADDRESS) instanceof String peer && !peer.isEmpty()
                ? peer
                : containerRequest().getRemoteAddr();
    }

    /** {@return whether the connection is TLS}, as the container's own request has it (a filter's wrapper may say so from a header) */
    @Override
    public boolean secure() {
        return containerRequest().isSecure();
    }

    /** {@return the container's own request, under every filter's wrapper} */
    private HttpServletRequest containerRequest() {
        HttpServletRequest inner = request;
        for (ServletRequest r = request; r instanceof ServletRequestWrapper w; ) {
            r = w.getRequest();
            if (r instanceof HttpServletRequest h) inner = h;
        }
        return inner;
    }

    @Override
    public String localAddress() {
        return request.getLocalAddr();
    }

    @Override
    public int localPort() {
        return request.getLocalPort();
    }

    @Override
    public long contentLength() {
        return request.getContentLengthLong();
    }

    @Override
    public InputStream body() throws IOException {
        if (asyncBody != null) return asyncBody;
        return new FilterInputStream(request.getInputStream()) {
            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ended(super.read(b, off, len));
            }
        };
    }

    private int ended(int read) {
        if (read < 0) bodyEnded = true;
        return read;
    }

    @Override
    public boolean discardBody() {
        if (asyncBody != null) return asyncBody.ended(); // what arrives is read as it arrives
        if (bodyEnded || request.getContentLengthLong() == 0) return true;
        if (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") == null)
            return true; // no body
        try { // what has arrived, without waiting for more
            ServletInputStream in = request.getInputStream();
            byte[] scratch = new byte[8192];
            for (int i = 0; i < 16 && !in.isFinished(); i++) {
                int n = in.available();
                if (n <= 0) break;
                if (in.read(scratch, 0, Math.min(n, scratch.length)) < 0) return true;
            }
            return in.isFinished();
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    @Override
    public void status(int status) {
        change(() -> response.setStatus(status));
    }

    @Override
    public void header(String name, String value) {
        change(() -> response.setHeader(name, value));
    }

    @Override
    public void addHeader(String name, String value) {
        change(() -> response.addHeader(name, value));
    }

    @Override
    public void removeHeader(String name) {
        change(() -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                // the charset a content type named stays the response's encoding (Tomcat then adds it to the next one)
                response.setContentType(null);
                response.setCharacterEncoding((String) null);
            } else {
                response.setHeader(name, null);
            }
        });
    }

    /** Changes the response; in async mode, only while the request lasts ({@link AsyncResponse#change}). */
    private void change(Runnable change) {
        if (async == null) change.run();
        else async.change(change);
    }

    /** In async mode, the body is written only while the request lasts ({@link AsyncResponse#output}). */
    @Override
    public OutputStream output() throws IOException {
        stopReadingBody();
        if (async == null) return response.getOutputStream();
        return async.output(async.call(response::getOutputStream));
    }

    /**
     * For a body read without a thread: reads no more of it, before the response is written or
     * ended ({@link AsyncBody#stop}). The routes answer once they read the body to its end, or
     * refuse it unread, and then say {@code Connection: close}.
     */
    void stopReadingBody() {
        if (asyncBody != null) asyncBody.stop();
    }

    /** Through {@link RelayServlet#CLIENT_GONE}, when the container offers it; else the client's hang-up goes unnoticed. */
    @Override
    @SuppressWarnings("unchecked")
    public void onClientGone(Runnable gone) {
        if (request.getAttribute(RelayServlet.CLIENT_GONE) instanceof Consumer<?> watch)
            ((Consumer<Runnable>) watch).accept(gone);
    }

    @Override
    public void abort() {
        aborted = true;
    }

    /**
     * Goes on in async mode, the container's thread freed, when the servlet is registered as
     * async-supported; else waits on the request's thread. A cut response is dispatched back to
     * the servlet, which throws ({@link RelayServlet#service}).
     */
    @Override
    public void respond(Rest rest) throws IOException {
        if (!request.isAsyncSupported()) {
            try {
                rest.write().toCompletableFuture().join();
            } catch (CompletionException e) {
                // the delivery's own failure: the client is gone
            }
            return;
        }
        stopReadingBody();
        if (async == null)
            async = new AsyncResponse(request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync());
        AsyncResponse asyncResponse = async;
        responding = true;
        CompletionStage<?> written;
        try {
            written = rest.write();
        } catch (IOException | RuntimeException e) {
            asyncResponse.end(AsyncContext::complete);
            throw e;
        }
        written.whenComplete((result, failure) -> asyncResponse.end(
                aborted
                        ? cut -> {
                            request.setAttribute(RelayServlet.CUT, true);
                            cut.dispatch();
                        }
                        : AsyncContext::complete));
    }

    /**
     * Ends the request in async mode with {@code end}, unless the container ended it after an I/O
     * failure ({@link AsyncResponse#end}). Not for a response {@link #respond} took over.
     */
    void end(Consumer<AsyncContext> end) {
        Objects.requireNonNull(async, "in async mode").end(end);
    }

    @Override
    public boolean upgrade(Function<RelaySocket.Peer, SocketSession> sessions) throws IOException {
        if (!(request.getServletContext().getAttribute(ServerContainer.class.getName())
                instanceof ServerContainer container)) {
            return false;
        }
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(SocketEndpoint.class, "/api/ws")
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new SocketEndpoint(sessions, routes.idleTimeout()));
                    }
                })
                .build();
        try {
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException e) {
            throw new IOException("the WebSocket upgrade failed: " + e.getMessage(), e);
        }
        return true;
    }
}
