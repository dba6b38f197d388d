package dev.sluice.server;

import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.suite.RelayServer;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The servlet mounted plainly in Jetty 12 (ee10), as any application would: a context at the root,
 * the servlet at {@code /*}, Jakarta WebSocket, requests on virtual threads, no {@code Server}
 * header. The names it answers to come from each request's local address (no {@code boundTo}).
 */
public final class JettyHost implements RelayServer.Host {
    @Override
    public RelayServer.Running start(RelayHttpApi.Builder routes) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false); // no answer names the server's version: the container's part of it
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder("sluice", new RelayServlet(routes.build())), "/*");
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        jetty.setHandler(context);
        jetty.start();
        return new RelayServer.Running() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void close() throws Exception {
                jetty.stop();
            }
        };
    }
}
