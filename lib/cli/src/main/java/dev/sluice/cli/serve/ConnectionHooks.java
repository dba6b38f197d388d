package dev.sluice.cli.serve;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler of {@link ServeServer}: the header timeout's bookkeeping, which only a
 * connection can keep ({@link ConnectionGuard}): this request's headers are in, and its response's
 * end restarts the wait for the next request's. Everything else — the guard, the headers, the
 * routes — is the servlet's.
 *
 * <p>Threading: a handler's virtual thread per request; no state of its own.
 */
final class ConnectionHooks extends Handler.Wrapper {
    private final ConnectionGuard connections;

    ConnectionHooks(ConnectionGuard connections) {
        this.connections = connections;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        connections.headersArrived(request);
        return super.handle(request, response, Callback.from(() -> {
            connections.responded(request);
            callback.succeeded();
        }, x -> {
            connections.responded(request);
            callback.failed(x);
        }));
    }
}
