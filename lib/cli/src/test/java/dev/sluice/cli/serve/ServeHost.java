package dev.sluice.cli.serve;

import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.suite.RelayServer;

/** The relay's HTTP suite (sluice-server's tests) run on {@code sluice serve}'s own server. */
public final class ServeHost implements RelayServer.Host {
    @Override
    public RelayServer.Running start(RelayHttpApi.Builder routes) {
        // the suite's floods (GatewayKeysTest's 64 streams at once) come from one address; serve's own
        // per-client connection limit is ServeConnectionsTest's, on a server of its own
        ServeServer server =
                ServeServer.builder(routes).maxConnectionsPerClient(128).start();
        return new RelayServer.Running() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
