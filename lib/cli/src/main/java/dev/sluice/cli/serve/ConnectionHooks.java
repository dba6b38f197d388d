package dev.sluice.cli.serve;

import dev.sluice.relay.http.HttpRefusal;
import dev.sluice.server.RelayServlet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The first handler of {@link ServeServer}: what only a connection can tell or keep. The header
 * timeout's bookkeeping ({@link ConnectionGuard}): this request's headers are in, and its response's
 * end restarts the wait for the next request's; a trusted proxy's connection counted as the client
 * of its request, and refused ({@code 429 too_many_connections}, the connection closed) past that
 * client's cap. And a client's hang-up while nothing is written to
 * it ({@link HangUpWatch}), offered to the servlet as {@link RelayServlet#CLIENT_GONE} and watched
 * from when the servlet asks until the response ends. Everything else — the guard, the headers, the
 * routes — is the servlet's.
 *
 * <p>Threading: a handler's virtual thread per request; a request's watch is set on the servlet's
 * thread and ended on whichever thread completes the response.
 */
final class ConnectionHooks extends Handler.Wrapper {
    private final ConnectionGuard connections;
    private final HangUpWatch hangUps;

    ConnectionHooks(ConnectionGuard connections, HangUpWatch hangUps) {
        this.connections = connections;
        this.hangUps = hangUps;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!connections.headersArrived(request)) {
            JsonErrorHandler.refuse(
                    response,
                    new HttpRefusal(
                            429,
                            "too_many_connections",
                            "this client already has "
                                    + connections.maxPerClient()
                                    + " connections open through the proxy, the limit per client"
                                    + " (--max-connections-per-client); close one, or wait for a stream to end"),
                    callback);
            return true;
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        AtomicReference<HangUpWatch.@Nullable Watch> watch = new AtomicReference<>();
        request.setAttribute(
                RelayServlet.CLIENT_GONE, (Consumer<Runnable>) gone -> watch.set(hangUps.watch(endPoint, gone)));
        return super.handle(
                request,
                response,
                Callback.from(
                        () -> {
                            hangUps.end(watch.get());
                            connections.responded(request);
                            callback.succeeded();
                        },
                        x -> {
                            hangUps.end(watch.get());
                            connections.responded(request);
                            callback.failed(x);
                        }));
    }
}
