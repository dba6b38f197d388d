package dev.sluice.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The paced stream of {@link BenchServer} over HTTP/2 and TLS, as the providers' APIs serve it:
 * ALPN {@code h2}, at most {@code --max-streams} (default 100) streams on one connection, event
 * {@code i} written {@code first-byte + i x interval} after the request (the response's headers
 * go with event 0: {@code --first-byte-ms}, default 0, is a model's time to its first byte). For
 * concurrency runs beyond what one process's file descriptors allow over HTTP/1.1 (a socket per
 * stream): over HTTP/2 20,000 streams take 200 connections.
 *
 * <p>It makes a self-signed certificate for {@code 127.0.0.1} with the JDK's {@code keytool} in a
 * new temporary directory and prints two lines: the base URL, and the trust store the client
 * needs ({@code -Djavax.net.ssl.trustStore=PATH -Djavax.net.ssl.trustStorePassword=benchpass}).
 *
 * <p>Usage, alone in its process: {@code java -cp benchmarks.jar dev.sluice.benchmarks.H2BenchServer
 * [--max-streams N] [--interval-ms N] [--first-byte-ms N] [--port N]}; it serves until killed.
 * Requests are handled on virtual threads, one per stream, each parked until its next event is due.
 */
public final class H2BenchServer {
    private H2BenchServer() {}

    public static void main(String[] args) throws Exception {
        int maxStreams = 100;
        long intervalMs = 20;
        long firstByteMs = 0;
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--max-streams" -> maxStreams = Integer.parseInt(args[++i]);
                case "--interval-ms" -> intervalMs = Long.parseLong(args[++i]);
                case "--first-byte-ms" -> firstByteMs = Long.parseLong(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown flag: " + args[i]
                            + " (use --max-streams N, --interval-ms N, --first-byte-ms N, --port N)");
            }
        }
        Path keyStore = selfSigned();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer(false)); // the certificate names 127.0.0.1, not a host
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        h2.setMaxConcurrentStreams(maxStreams);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol("h2");
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore.toString());
        tls.setKeyStorePassword("benchpass");
        tls.setKeyStoreType("PKCS12");
        ServerConnector connector =
                new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(16_384);
        server.addConnector(connector);
        server.setHandler(new Paced(
                BenchStream.text(BenchServer.PACED_DELTAS).events(),
                Duration.ofMillis(intervalMs),
                Duration.ofMillis(firstByteMs)));
        server.start();
        System.out.println("https://127.0.0.1:" + connector.getLocalPort());
        System.out.println(keyStore);
        System.out.flush();
        server.join();
    }

    /** Writes the stream's events on their deadlines, each event one write (one DATA frame), the last ending the stream. */
    private static final class Paced extends Handler.Abstract {
        private final List<byte[]> events;
        private final long intervalNanos;
        private final long firstByteNanos;
        private final AtomicLong requests = new AtomicLong();

        Paced(List<byte[]> events, Duration interval, Duration firstByte) {
            super(InvocationType.BLOCKING);
            this.events = events;
            this.intervalNanos = interval.toNanos();
            this.firstByteNanos = firstByte.toNanos();
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            long start = System.nanoTime();
            response.getHeaders().put("content-type", "text/event-stream; charset=utf-8");
            response.getHeaders()
                    .put("request-id", "req_bench_" + String.format(Locale.ROOT, "%012d", requests.incrementAndGet()));
            Content.Source.consumeAll(request);
            for (int i = 0; i < events.size(); i++) {
                long wait = start + firstByteNanos + i * intervalNanos - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                Content.Sink.write(response, i == events.size() - 1, ByteBuffer.wrap(events.get(i)));
            }
            callback.succeeded();
            return true;
        }
    }

    /** {@return a new PKCS12 key store with a self-signed certificate for 127.0.0.1, made by the JDK's keytool} */
    private static Path selfSigned() throws Exception {
        Path dir = Files.createTempDirectory("h2bench");
        Path store = dir.resolve("bench.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "bench",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "7",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "benchpass",
                        "-keypass",
                        "benchpass")
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0)
            throw new IllegalStateException("keytool failed: " + new String(out, Charset.defaultCharset()));
        return store;
    }
}
