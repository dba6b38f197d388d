package dev.sluice.examples.tomcat;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.relay.Relay;
import dev.sluice.relay.http.RelayAdmission;
import dev.sluice.relay.http.RelayHttpApi;
import dev.sluice.server.ChatPage;
import dev.sluice.server.RelayServlet;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.websocket.server.WsSci;

/** The relay's API and chat page in embedded Tomcat 11: sluice-server's servlet, mounted at the root. */
public final class TomcatRelay {
    private TomcatRelay() {}

    /** Serves the routes on 127.0.0.1 at the port (0: any free one), until stopped. */
    // Tomcat 11 marks addServletMappingDecoded deprecated, yet it is how embedded Tomcat maps a servlet
    @SuppressWarnings("deprecation")
    public static Tomcat start(RelayHttpApi routes, int port) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("useVirtualThreads", "true"); // a stream's response holds its request's thread
        tomcat.setConnector(connector);
        // Tomcat's own error pages (a malformed request, an oversized header) name its version and show
        // a stack trace unless told not to; the host keeps this valve in place of its default one
        ErrorReportValve quiet = new ErrorReportValve();
        quiet.setShowReport(false);
        quiet.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(quiet);
        Context context = tomcat.addContext("", null);
        context.addServletContainerInitializer(new WsSci(), null); // Jakarta WebSocket, for /api/ws
        Tomcat.addServlet(context, "sluice", new RelayServlet(routes))
                .setAsyncSupported(true); // streams free their thread
        context.addServletMappingDecoded("/*", "sluice");
        tomcat.start();
        return tomcat;
    }

    public static void main(String[] args) throws Exception {
        AnthropicClient client = AnthropicClient.fromEnv();
        Relay relay = Relay.builder()
                .provider(client.providerName(), client, "claude-sonnet-4-5")
                .build();
        start(
                        RelayHttpApi.builder(new RelayAdmission(relay))
                                .page(ChatPage.assets())
                                .build(),
                        8080)
                .getServer()
                .await();
    }
}
