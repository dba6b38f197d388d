package dev.sluice.springboot;

import dev.sluice.server.RelayServlet;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * The first valve of Tomcat's engine: it keeps the connection's peer in
 * {@link RelayServlet#PEER_ADDRESS} before {@code RemoteIpValve} (what
 * {@code server.forward-headers-strategy=native} installs) replaces the request's address with
 * whatever its {@code X-Forwarded-For} names, from every peer in Tomcat's default internal
 * ranges (loopback and the private networks). The relay's limits and access log then count the
 * peer, or the client that a proxy of {@code sluice.server.trusted-proxies} names, whatever the
 * application's forwarded-header strategy. Stateless.
 */
final class PeerAddressValve extends ValveBase {
    PeerAddressValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        request.setAttribute(RelayServlet.PEER_ADDRESS, request.getRemoteAddr());
        getNext().invoke(request, response);
    }

    /** Puts the valve first among the engine's valves, after Boot's own customizer added {@code RemoteIpValve}. */
    static final class First implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatWebServerFactory factory) {
            List<Valve> valves = new ArrayList<>();
            valves.add(new PeerAddressValve());
            for (Valve v : factory.getEngineValves()) if (!(v instanceof PeerAddressValve)) valves.add(v);
            factory.setEngineValves(valves);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
