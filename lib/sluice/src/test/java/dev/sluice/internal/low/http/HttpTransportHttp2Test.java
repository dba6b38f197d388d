package dev.sluice.internal.low.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over HTTPS the JDK's {@code HttpClient} speaks HTTP/2, one connection per host, and refuses a
 * request beyond the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} with an {@code IOException}
 * ("too many concurrent streams", JDK-8225647) instead of opening another connection. The
 * providers' APIs allow about a hundred streams a connection; the transport must carry more.
 * WireMock's Jetty serves HTTP/2 over TLS with a limit of 128.
 */
class HttpTransportHttp2Test {
    private static final String PATH = "/v1/messages";
    private static final String BODY = "event: ping\ndata: {\"type\":\"ping\"}\n\n".repeat(4);
    private static WireMockServer server;

    @BeforeAll
    static void start() {
        server = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .dynamicHttpsPort()
                .bindAddress("127.0.0.1")
                .containerThreads(400));
        server.start();
        // each stream stays open about a second, so that all are open at once
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody(BODY)
                        .withChunkedDribbleDelay(4, 1_000)));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** Trusts WireMock's self-signed certificate (for this test's server only: no other host is called). */
    static SSLContext trustingTestServer() throws Exception {
        X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {any}, null);
        return tls;
    }

    /** {@return a context of {@code tls}'s that counts the TLS engines made: one per connection} */
    static SSLContext counting(SSLContext tls, AtomicInteger engines) {
        SSLContextSpi spi = new SSLContextSpi() {
            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {}

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return tls.getSocketFactory();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return tls.getServerSocketFactory();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                engines.incrementAndGet();
                return tls.createSSLEngine();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                engines.incrementAndGet();
                return tls.createSSLEngine(host, port);
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return tls.getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return tls.getClientSessionContext();
            }

            @Override
            protected SSLParameters engineGetDefaultSSLParameters() {
                return tls.getDefaultSSLParameters();
            }

            @Override
            protected SSLParameters engineGetSupportedSSLParameters() {
                return tls.getSupportedSSLParameters();
            }
        };
        return new SSLContext(spi, tls.getProvider(), tls.getProtocol()) {};
    }

    @Test
    void openStream_moreStreamsAtOnceThanTheServerAllowsOnAConnection_allComplete() throws Exception {
        streams(true);
    }

    @Test
    void openStream_aBurstWithNoConnectionOpenYet_opensAboutOneConnectionPerClient() throws Exception {
        // sent at once, each would open a connection of its own: the JDK coalesces no connection attempts
        streams(false);
    }

    private void streams(boolean warm) throws Exception {
        int streams = 300;
        AtomicInteger connections = new AtomicInteger();
        HttpPost request = HttpPost.json(URI.create("https://127.0.0.1:" + server.httpsPort() + PATH), Map.of(), "{}");
        try (HttpTransport transport = HttpTransport.builder()
                        .engine(HttpTransport.Engine.HTTP_CLIENT)
                        .sslContext(counting(trustingTestServer(), connections))
                        .build();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            if (warm) {
                try (StreamResponse first = transport.openStream(request, Cancellation.NONE)) {
                    first.body().readAllBytes(); // a service has its connection open already
                }
            }
            long start = System.nanoTime();
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                results.add(threads.submit(() -> {
                    try (StreamResponse r = transport.openStream(request, Cancellation.NONE)) {
                        return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                    }
                }));
            }
            int ok = 0;
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                try {
                    assertEquals(BODY, f.get(60, TimeUnit.SECONDS));
                    ok++;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failures.size() < 3) failures.add(String.valueOf(e.getCause()));
                }
            }
            System.out.printf(
                    "%d streams over HTTP/2: %d completed in %.1f s%n", streams, ok, (System.nanoTime() - start) / 1e9);
            assertEquals(streams, ok, "streams that completed; first failures: " + failures);
            assertEquals(
                    "HTTP/2.0",
                    server.getAllServeEvents().getFirst().getRequest().getProtocol());
            ClientLanes lanes = transport.lanes();
            System.out.printf(
                    "clients opened: %d, TLS connections: %d; streams a connection takes, as learned: %d%n",
                    lanes.size(), connections.get(), lanes.perClient());
            assertTrue(lanes.size() >= 3 && lanes.size() <= 8, "clients opened: " + lanes.size()); // 128 a connection
            assertTrue(connections.get() <= 2 * lanes.size(), "TLS connections: " + connections.get());
            assertEquals(0, lanes.open(), "every exchange's count given back");
        }
    }
}
