package dev.sluice.examples.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The first handler of {@link RelayServer}: the headers every response carries, the host, origin
 * and token checks ({@link RequestGuard}), CORS for origins allowed explicitly, the page's token
 * cookie, and the header timeout's bookkeeping (this request's headers are in; its response's end
 * restarts the wait, {@link ConnectionGuard}).
 *
 * <p>Threading: a handler's virtual thread per request; no state of its own.
 */
final class GuardHandler extends Handler.Wrapper {
    private final ConnectionGuard connections;
    private final Supplier<RequestGuard> guard;

    /** @param guard the server's guard, built once its port is known (before Jetty starts) */
    GuardHandler(ConnectionGuard connections, Supplier<RequestGuard> guard) {
        this.connections = connections;
        this.guard = guard;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        connections.headersArrived(request);
        Callback done = Callback.from(() -> {
            connections.responded(request);
            callback.succeeded();
        }, x -> {
            connections.responded(request);
            callback.failed(x);
        });
        HttpFields.Mutable h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        String path = Request.getPathInContext(request);
        boolean openAi = path.startsWith("/v1/"); // the OpenAI-compatible gateway: an API, answered in OpenAI's shape
        boolean api = openAi || path.startsWith("/api/");
        if (api) h.put(HttpHeader.CACHE_CONTROL, "no-store");
        RequestGuard g = guard.get();
        try {
            if (api) {
                g.checkHost(request.getHeaders()::get);
                var cors = g.corsOrigin(request.getHeaders()::get);
                if (cors.isPresent()) {
                    h.put("Access-Control-Allow-Origin", cors.get());
                    h.add(HttpHeader.VARY, "Origin");
                    if (request.getMethod().equals("OPTIONS")) {
                        h.put("Access-Control-Allow-Methods", "GET, POST, DELETE");
                        h.put("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
                        h.put("Access-Control-Max-Age", "600");
                        response.setStatus(HttpStatus.NO_CONTENT_204);
                        done.succeeded();
                        return true;
                    }
                }
                g.checkApi(request.getHeaders()::get);
            } else {
                g.checkHost(request.getHeaders()::get);
                if (RelayServer.isPage(path) && page(g, request, response, done)) return true;
            }
        } catch (HttpError e) {
            if (openAi) RelayServer.openAiError(request, response, done, e);
            else RelayServer.error(request, response, done, e);
            return true;
        }
        return super.handle(request, response, done);
    }

    /** The token's part of serving the page. {@return whether the request was answered here} */
    private boolean page(RequestGuard g, Request request, Response response, Callback done) {
        Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        switch (g.page(query.getValue("token"), request.getHeaders()::get)) {
            case SERVE -> {
                return false;
            }
            case SET_COOKIE -> {
                response.getHeaders().put(HttpHeader.SET_COOKIE, g.cookie());
                response.getHeaders().put(HttpHeader.LOCATION, "/");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.setStatus(HttpStatus.SEE_OTHER_303);
                done.succeeded();
                return true;
            }
            default -> {
                RelayServer.closeIfBodyUnread(request, response);
                response.setStatus(HttpStatus.UNAUTHORIZED_401);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.write(true, ByteBuffer.wrap(("This server needs its token: open the address serve printed,"
                        + " which ends with ?token=...\n").getBytes(StandardCharsets.UTF_8)), done);
                return true;
            }
        }
    }
}
