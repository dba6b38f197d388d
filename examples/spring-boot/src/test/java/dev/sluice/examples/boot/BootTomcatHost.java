package dev.sluice.examples.boot;

import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.suite.RelayServer;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * sluice-server's HTTP suite run on the example's Boot application (offline, as it starts without
 * a key): the suite's routes as the application's own {@link RelayHttpApi} bean (the starter's give way to it), mounted by the starter
 * at the root of Boot's Tomcat, on 127.0.0.1 at a free port, requests on virtual threads.
 */
public final class BootTomcatHost implements RelayServer.Host {
    private final Consumer<GenericApplicationContext> beans;

    /** The host the suite names ({@value RelayServer#HOST_PROPERTY}): the application's beans, the routes'. */
    public BootTomcatHost() {
        this(context -> {});
    }

    /** A host whose application also registers these beans (a test's listener, say). */
    BootTomcatHost(Consumer<GenericApplicationContext> beans) {
        this.beans = beans;
    }

    @Override
    public boolean closesUnreadSockets() {
        return false; // see RelayServer.Host: Tomcat's remote endpoint, not the relay
    }

    @Override
    public boolean countsArrivedBodies() {
        return false; // see RelayServer.Host: Tomcat's available() counts none before a read
    }

    @Override
    public RelayServer.Running start(RelayHttpApi.Builder routes) {
        RelayHttpApi built = routes.build();
        ConfigurableApplicationContext context = BootChatApplication.start(
                Map.of(),
                app -> app.addInitializers(c -> {
                    GenericApplicationContext application = (GenericApplicationContext) c;
                    application.registerBean(RelayHttpApi.class, () -> built);
                    beans.accept(application);
                }),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--sluice.server.enabled=true",
                "--sluice.server.path=/",
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn");
        return new RelayServer.Running() {
            @Override
            public int port() {
                return ((WebServerApplicationContext) context).getWebServer().getPort();
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }
}
