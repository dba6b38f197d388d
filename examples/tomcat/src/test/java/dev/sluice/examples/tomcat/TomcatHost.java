package dev.sluice.examples.tomcat;

import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.suite.RelayServer;
import org.apache.catalina.startup.Tomcat;

/** sluice-server's HTTP suite run on the example's Tomcat. */
public final class TomcatHost implements RelayServer.Host {
    @Override
    public boolean closesUnreadSockets() {
        return false; // see RelayServer.Host: Tomcat's remote endpoint, not the relay
    }

    @Override
    public boolean countsArrivedBodies() {
        return false; // see RelayServer.Host: Tomcat's available() counts none before a read
    }

    @Override
    public RelayServer.Running start(RelayHttpApi.Builder routes) throws Exception {
        Tomcat tomcat = TomcatRelay.start(routes.build(), 0);
        return new RelayServer.Running() {
            @Override
            public int port() {
                return tomcat.getConnector().getLocalPort();
            }

            @Override
            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
