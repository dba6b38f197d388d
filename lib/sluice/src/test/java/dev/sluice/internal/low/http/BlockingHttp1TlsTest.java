package dev.sluice.internal.low.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the blocking engine, through real handshakes on loopback with certificates made for the
 * test by the JDK's own {@code keytool}: the host is named by SNI, the certificate must name the
 * host (HTTPS endpoint identification, RFC 2818), the caller's {@link SSLContext} is the one
 * trusted, and without one the platform's trust store is (which trusts no test certificate).
 */
class BlockingHttp1TlsTest {
    private static final String PASSWORD = "changeit";
    private static final String ANSWER =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 18\r\n\r\nevent: a\ndata: 1\n\n";

    @TempDir
    static Path dir;

    private static KeyStore forLocalhost;
    private static KeyStore forAnotherHost;

    @BeforeAll
    static void certificates() throws Exception {
        forLocalhost = keyStore("localhost", "dns:localhost");
        forAnotherHost = keyStore("other.example", "dns:other.example");
    }

    /** A key and a self-signed certificate for {@code san}, made by keytool. */
    private static KeyStore keyStore(String cn, String san) throws Exception {
        Path file = dir.resolve(cn + ".p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=" + cn,
                        "-ext",
                        "SAN=" + san,
                        "-validity",
                        "2",
                        "-keystore",
                        file.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.onExit().get(60, TimeUnit.SECONDS).exitValue() == 0, output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static SSLContext serverContext(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    /** A client context trusting exactly the certificates of these key stores. */
    private static SSLContext trusting(KeyStore... stores) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int i = 0;
        for (KeyStore ks : stores) {
            Certificate cert = ks.getCertificate("server");
            trusted.setCertificateEntry("trusted-" + i++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    private static String read(StreamResponse response) throws IOException {
        try (response) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void openStream_certificateNamingTheHost_answeredWithSniAndTheConnectionKeptAlive() throws Exception {
        try (RawHttpServer server = new RawHttpServer(serverContext(forLocalhost));
                HttpTransport transport = HttpTransport.builder()
                        .engine(HttpTransport.Engine.BLOCKING)
                        .sslContext(trusting(forLocalhost))
                        .build()) {
            server.then(ANSWER).then(ANSWER);
            HttpPost post = HttpPost.json(server.uri("localhost", "/v1/messages"), Map.of(), "{}");
            assertEquals("event: a\ndata: 1\n\n", read(transport.openStream(post, Cancellation.NONE)));
            assertEquals("event: a\ndata: 1\n\n", read(transport.openStream(post, Cancellation.NONE)));
            assertEquals(1, server.connections.get());
            assertEquals(List.of(List.of(new SNIHostName("localhost"))), server.serverNames);
        }
    }

    @Test
    void openStream_trustedCertificateForAnotherHost_handshakeFailsAndNothingIsSent() throws Exception {
        try (RawHttpServer server = new RawHttpServer(serverContext(forAnotherHost));
                HttpTransport transport = HttpTransport.builder()
                        .engine(HttpTransport.Engine.BLOCKING)
                        .sslContext(trusting(forAnotherHost, forLocalhost))
                        .build()) {
            server.then(ANSWER);
            HttpPost post = HttpPost.json(server.uri("localhost", "/v1/messages"), Map.of(), "{}");
            RetryableFailure f =
                    assertThrows(RetryableFailure.class, () -> transport.openStream(post, Cancellation.NONE));
            TransportException e = assertInstanceOf(TransportException.class, f.failure());
            assertTrue(e.getMessage().contains("localhost:" + server.port()), e.getMessage());
            assertTrue(e.getMessage().contains("No subject alternative DNS name matching localhost"), e.getMessage());
            assertEquals(List.of(), server.requests, "no request went to the wrong host");
        }
    }

    @Test
    void openStream_ipLiteralNotInTheCertificate_handshakeFailsWithoutSni() throws Exception {
        try (RawHttpServer server = new RawHttpServer(serverContext(forLocalhost));
                HttpTransport transport = HttpTransport.builder()
                        .engine(HttpTransport.Engine.BLOCKING)
                        .sslContext(trusting(forLocalhost))
                        .build()) {
            server.then(ANSWER);
            HttpPost post = HttpPost.json(server.uri("127.0.0.1", "/v1/messages"), Map.of(), "{}");
            RetryableFailure f =
                    assertThrows(RetryableFailure.class, () -> transport.openStream(post, Cancellation.NONE));
            assertTrue(
                    f.failure().getMessage().contains("127.0.0.1"), f.failure().getMessage());
            assertEquals(List.of(), server.requests);
        }
    }

    @Test
    void openStream_noContextGiven_platformTrustStoreRefusesATestCertificate() throws Exception {
        try (RawHttpServer server = new RawHttpServer(serverContext(forLocalhost));
                HttpTransport transport = HttpTransport.builder()
                        .engine(HttpTransport.Engine.BLOCKING)
                        .build()) {
            server.then(ANSWER);
            HttpPost post = HttpPost.json(server.uri("localhost", "/v1/messages"), Map.of(), "{}");
            RetryableFailure f =
                    assertThrows(RetryableFailure.class, () -> transport.openStream(post, Cancellation.NONE));
            assertTrue(f.failure().getMessage().contains("PKIX"), f.failure().getMessage());
            assertEquals(List.of(), server.requests);
        }
    }
}
