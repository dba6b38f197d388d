package dev.sluice.internal.low.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sluice.CredentialsException;
import dev.sluice.internal.low.http.HttpTransport;
import dev.sluice.internal.low.http.TestTls;
import dev.sluice.testkit.FakeClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS credential fetches ride {@link HttpTransport} on the blocking engine: the container endpoint
 * reached over TLS (an {@code https} full URI) checks that the certificate names the host asked for
 * (HTTPS endpoint identification), and sends nothing, its authorization token least of all, to a
 * server whose certificate names another.
 */
class CredentialTransportTest {
    private static final String AUTHORIZATION = "container-authorization-token-91c2";

    @TempDir
    static Path home;

    static HttpsServer server;
    static HttpTransport transport;
    static final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        KeyStore forLocalhost = TestTls.keyStore(home, "localhost", "dns:localhost");
        transport = HttpTransport.builder()
                .sslContext(TestTls.trusting(forLocalhost))
                .build();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext(forLocalhost)));
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] answer = ("{\"AccessKeyId\":\"AKIDTLS\",\"SecretAccessKey\":\"tls-secret\",\"Token\":\"tls-token\","
                            + "\"Expiration\":\"2030-01-01T00:00:00Z\"}")
                    .getBytes(StandardCharsets.UTF_8);
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
        transport.close();
    }

    private static ContainerCredentials container(String host) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "https://" + host + ":" + server.getAddress().getPort() + "/v2/credentials");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTHORIZATION);
        return ContainerCredentials.configured(new AwsSettings(env, Map.of(), new FakeClock(Instant.EPOCH), transport));
    }

    @Test
    void container_overTlsCertificateNamingTheHost_credentialsOnTheBlockingEngine() {
        assertEquals(HttpTransport.Engine.BLOCKING, transport.engine());

        AwsCredentials c = container("localhost").get().value();

        assertEquals("AKIDTLS", c.accessKeyId());
        assertEquals(AUTHORIZATION, authorizations.getLast());
    }

    @Test
    void container_overTlsCertificateForAnotherName_refusedAndNothingSent() {
        int before = authorizations.size();

        // the certificate names localhost only: asked at 127.0.0.1, the handshake must fail
        CredentialsException e = assertThrows(
                CredentialsException.class, () -> container("127.0.0.1").get());

        assertEquals(CredentialsException.Kind.FAILED, e.kind());
        assertTrue(e.getMessage().contains("could not be reached"), e.getMessage());
        assertFalse(e.getMessage().contains(AUTHORIZATION), e.getMessage());
        assertEquals(before, authorizations.size());
    }
}
