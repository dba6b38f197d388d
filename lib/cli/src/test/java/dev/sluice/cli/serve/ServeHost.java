package dev.sluice.cli.serve;

import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.suite.RelayServer;

/** The relay's HTTP suite (sluice-server's tests) run on {@code sluice serve}'s own server. */
public final class ServeHost implements RelayServer.Host {
    @Override
    public RelayServer.Running start(RelayHttpApi.Builder routes) {
        ServeServer server = ServeServer.builder(routes).start();
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
