package dev.sluice.internal.low.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * azure-identity's {@code ClientSecretCredential} and {@code WorkloadIdentityCredential} as the
 * references of the client-secret and workload identity token requests. It refuses an {@code http} authority ("Authority host must use https scheme"), so both
 * ask a local HTTPS token endpoint (the JDK's server, a key pair made by {@code keytool}) that
 * records what each posts.
 */
class AzureIdentityReferenceTest {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "00000000-1111-2222-3333-444444444444";
    static final String SECRET = "Xy8Q~abcdefGHIJKLmnopQRSTuvwxYZ0123456789";

    @TempDir
    static Path dir;

    static HttpsServer server;
    static SSLContext tls;
    static X509Certificate certificate;
    static final List<String[]> requests = new CopyOnWriteArrayList<>(); // method, path, body

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-alias",
                        "local",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals(
                true, keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made the key pair");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) keys.getCertificate("local");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("local", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new String[] {
                exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body
            });
            byte[] answer =
                    ("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"token-"
                                    + requests.size() + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
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

    @Test
    void tokens_clientSecret_sameFormAsAzureIdentity() throws Exception {
        var reference = new ClientSecretCredentialBuilder()
                .authorityHost(authority())
                .tenantId(TENANT)
                .clientId(CLIENT)
                .clientSecret(SECRET)
                .disableInstanceDiscovery()
                .httpClient(trustingLocalServer())
                .build();
        reference.getTokenSync(new TokenRequestContext().addScopes(AzureCredentials.COGNITIVE_SERVICES_SCOPE));
        String[] theirs = requests.getLast();

        ours(Map.of(
                "AZURE_TENANT_ID",
                TENANT,
                "AZURE_CLIENT_ID",
                CLIENT,
                "AZURE_CLIENT_SECRET",
                SECRET,
                "AZURE_AUTHORITY_HOST",
                authority()));
        String[] ours = requests.getLast();

        assertEquals(List.of(theirs[0], theirs[1]), List.of(ours[0], ours[1]), "method and path");
        assertEquals(TokenAnswers.query(theirs[2]), TokenAnswers.query(ours[2]), "the form, field by field");
    }

    @Test
    void tokens_workloadIdentity_sameFormAsAzureIdentity() throws Exception {
        Path file = dir.resolve("azure-identity-token");
        Files.writeString(file, "eyJhbGciOiJSUzI1NiJ9.projected-service-account-token.sig");
        var reference = new WorkloadIdentityCredentialBuilder()
                .authorityHost(authority())
                .tenantId(TENANT)
                .clientId(CLIENT)
                .tokenFilePath(file.toString())
                .disableInstanceDiscovery()
                .httpClient(trustingLocalServer())
                .build();
        reference.getTokenSync(new TokenRequestContext().addScopes(AzureCredentials.COGNITIVE_SERVICES_SCOPE));
        String[] theirs = requests.getLast();

        ours(Map.of(
                "AZURE_TENANT_ID",
                TENANT,
                "AZURE_CLIENT_ID",
                CLIENT,
                "AZURE_FEDERATED_TOKEN_FILE",
                file.toString(),
                "AZURE_AUTHORITY_HOST",
                authority()));
        String[] ours = requests.getLast();

        assertEquals(List.of(theirs[0], theirs[1]), List.of(ours[0], ours[1]), "method and path");
        assertEquals(TokenAnswers.query(theirs[2]), TokenAnswers.query(ours[2]), "the form, field by field");
    }

    static String authority() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** azure-core's Netty client, trusting the local server's certificate. */
    static com.azure.core.http.HttpClient trustingLocalServer() {
        return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                        .secure(spec -> {
                            try {
                                spec.sslContext(SslContextBuilder.forClient()
                                        .trustManager(certificate)
                                        .build());
                            } catch (javax.net.ssl.SSLException e) {
                                throw new IllegalStateException(e);
                            }
                        }))
                .build();
    }

    static void ours(Map<String, String> variables) {
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls).build()) {
            AzureCredentials.find(
                            Environment.of(variables, dir),
                            client,
                            Clock.systemUTC(),
                            AzureCredentials.COGNITIVE_SERVICES_SCOPE)
                    .tokens()
                    .token();
        }
    }
}
