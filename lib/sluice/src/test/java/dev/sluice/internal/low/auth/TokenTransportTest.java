package dev.sluice.internal.low.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sluice.TransportException;
import dev.sluice.internal.low.http.TestTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token requests ride the blocking HTTP/1.1 transport unless a caller gives its own client: the
 * credentials' engine says so, and a token fetched over TLS checks that the certificate names the
 * host asked for (HTTPS endpoint identification), sending nothing to a server whose certificate
 * names another.
 */
class TokenTransportTest {
    private static final String SECRET = "client-secret-value-7f3a";

    @TempDir
    static Path dir;

    static HttpsServer server;
    static SSLContext trusting;
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        KeyStore forLocalhost = TestTls.keyStore(dir, "localhost", "dns:localhost");
        trusting = TestTls.trusting(forLocalhost);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext(forLocalhost)));
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"token-over-tls\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (var out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static Environment env(Map<String, String> variables) {
        return Environment.of(variables, dir);
    }

    private static URI tokenUri(String host) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/tenant/oauth2/v2.0/token");
    }

    @Test
    void find_noCallersClient_tokenRequestsOnTheBlockingEngine() {
        try (GoogleCredentials google = GoogleCredentials.find(
                        env(Map.of("GCE_METADATA_HOST", "127.0.0.1:1")), http -> {}, Clock.systemUTC());
                AzureCredentials azure = AzureCredentials.find(
                        env(Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c", "AZURE_CLIENT_SECRET", SECRET)),
                        http -> {},
                        Clock.systemUTC(),
                        AzureCredentials.COGNITIVE_SERVICES_SCOPE)) {
            assertEquals("blocking HTTP/1.1", google.describeEngine());
            assertEquals("blocking HTTP/1.1", azure.describeEngine());
        }
    }

    @Test
    void find_callersClient_tokenRequestsThroughIt() {
        try (HttpClient mine = HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
                GoogleCredentials google = GoogleCredentials.find(
                        env(Map.of("GCE_METADATA_HOST", "127.0.0.1:1")), mine, Clock.systemUTC())) {
            assertEquals("java.net.http HttpClient (the caller's HttpClient)", google.describeEngine());
        }
    }

    @Test
    void token_overTlsCertificateNamingTheHost_fetchedOnTheBlockingEngine() {
        try (TokenEndpoint endpoint =
                new TokenEndpoint(http -> http.sslContext(trusting), Clock.systemUTC(), Duration.ofSeconds(10), null)) {
            AccessToken token = AzureClientCredential.secret(
                            "client-id",
                            SECRET,
                            tokenUri("localhost"),
                            AzureCredentials.COGNITIVE_SERVICES_SCOPE,
                            endpoint)
                    .token();

            assertEquals("token-over-tls", token.value());
            assertEquals("blocking HTTP/1.1", endpoint.transport().describeEngine());
        }
    }

    @Test
    void token_overTlsCertificateForAnotherName_refusedAndNothingSent() {
        int before = requests.get();
        try (TokenEndpoint endpoint =
                new TokenEndpoint(http -> http.sslContext(trusting), Clock.systemUTC(), Duration.ofSeconds(10), null)) {
            // the certificate names localhost only: asked at 127.0.0.1, the handshake must fail
            TransportException e = assertThrows(
                    TransportException.class,
                    () -> AzureClientCredential.secret(
                                    "client-id",
                                    SECRET,
                                    tokenUri("127.0.0.1"),
                                    AzureCredentials.COGNITIVE_SERVICES_SCOPE,
                                    endpoint)
                            .token());

            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        }
        assertEquals(before, requests.get());
    }
}
