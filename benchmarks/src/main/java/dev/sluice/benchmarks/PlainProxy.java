package dev.sluice.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * #100's strict subset of {@code sluice serve}'s work, to tell what the stack costs from what {@code serve}
 * adds: Jetty's servlet on virtual threads, configured as {@code serve}'s {@code ServeServer} configures it,
 * whose one servlet reads the request's body, sends it unchanged on a kept-alive HTTP/1.1 connection to
 * the upstream, and copies the answer's bytes to the client as each chunk arrives, flushing each. It parses
 * no JSON, routes nothing, checks no key, keeps no replay buffer and logs nothing: every part of it is also
 * in {@code serve}'s passthrough. A benchmark baseline for {@code gateway.sh --only subset}, not a proxy
 * (no timeout, no limit, no header but the content type and the provider's key and version passed on).
 *
 * <p>{@code java -cp ... dev.sluice.benchmarks.PlainProxy PORT UPSTREAM_HOST:PORT}
 */
public final class PlainProxy {
    private PlainProxy() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String[] upstream = args[1].split(":", 2);
        InetSocketAddress target = new InetSocketAddress(upstream[0], Integer.parseInt(upstream[1]));
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("plain-proxy");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("plain-proxy-vt-", 0).factory()));
        Server jetty = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder("proxy", new Forward(target)), "/*");
        jetty.setHandler(context);
        jetty.start();
        System.err.println("plain proxy: http://127.0.0.1:" + connector.getLocalPort() + "/ -> " + args[1]);
        jetty.join();
    }

    /** One upstream connection, with its input buffered. */
    private record Upstream(Socket socket, InputStream in, OutputStream out) {}

    private static final class Forward extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient InetSocketAddress target;
        private static final List<String> FORWARDED =
                List.of("Authorization", "x-api-key", "anthropic-version", "anthropic-beta");
        private final transient ConcurrentLinkedDeque<Upstream> idle = new ConcurrentLinkedDeque<>();

        Forward(InetSocketAddress target) {
            this.target = target;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = req.getInputStream().readAllBytes();
            Upstream u = idle.pollFirst();
            if (u == null) {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
                s.connect(target);
                u = new Upstream(s, new BufferedInputStream(s.getInputStream(), 8192), s.getOutputStream());
            }
            StringBuilder head = new StringBuilder()
                    .append(req.getMethod())
                    .append(' ')
                    .append(req.getRequestURI())
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(target.getHostString())
                    .append(':')
                    .append(target.getPort())
                    .append("\r\nContent-Type: application/json\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
            // the provider's own headers, unchanged: OpenAI's key, Anthropic's key and version
            for (String name : FORWARDED) {
                String value = req.getHeader(name);
                if (value != null) head.append(name).append(": ").append(value).append("\r\n");
            }
            head.append("\r\n");
            u.out().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            u.out().write(body);
            u.out().flush();
            boolean reusable = copy(u.in(), resp);
            if (reusable) idle.addFirst(u);
            else u.socket().close();
        }

        /** Copies the answer; {@return whether the connection may carry another request} */
        private static boolean copy(InputStream in, HttpServletResponse resp) throws IOException {
            String status = line(in);
            resp.setStatus(Integer.parseInt(status.substring(9, 12)));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h; !(h = line(in)).isEmpty(); ) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-type" -> resp.setContentType(value);
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> {}
                }
            }
            OutputStream out = resp.getOutputStream();
            byte[] buf = new byte[8192];
            if (chunked) {
                for (int size;
                        (size = Integer.parseInt(line(in).split(";", 2)[0].trim(), 16)) > 0; ) {
                    for (int left = size; left > 0; ) {
                        int n = in.read(buf, 0, Math.min(buf.length, left));
                        if (n < 0) throw new IOException("the upstream closed in a chunk");
                        out.write(buf, 0, n);
                        left -= n;
                    }
                    line(in); // the chunk's CRLF
                    out.flush();
                }
                while (!line(in).isEmpty()) {} // the trailer
            } else if (length >= 0) {
                for (long left = length; left > 0; ) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) throw new IOException("the upstream closed in the body");
                    out.write(buf, 0, n);
                    left -= n;
                }
            } else {
                in.transferTo(out);
                close = true;
            }
            out.flush();
            return !close;
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("the upstream closed mid-line");
                if (c != '\r') b.write(c);
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
