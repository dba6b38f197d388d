package dev.sluice.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.client.AccessTokenProvider;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.clouds.FakeAzure;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake's Entra ID is faithful: azure-identity's own {@code ClientSecretCredential} gets a token
 * from it. The credential refuses an {@code http} authority, so it asks a local HTTPS front (the
 * JDK's server, a key pair made by {@code keytool}, as {@code AzureIdentityReferenceTest}) that
 * passes each request on to the fake as it is. Then that credential, bridged to an
 * {@link AccessTokenProvider} as docs/clouds.md shows, authorizes Azure OpenAI streams on the fake.
 */
class AzureIdentityOnFakeTest {
    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "content-length",
            "host",
            "transfer-encoding",
            "keep-alive",
            "upgrade",
            "expect",
            "te",
            "trailer");

    @TempDir
    static Path dir;

    static HttpsServer front;
    static X509Certificate certificate;
    static HttpClient relay;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("front.p12");
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
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made the key pair");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) keys.getCertificate("local");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        relay = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        front = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        front.setHttpsConfigurator(new HttpsConfigurator(tls));
        front.createContext("/", exchange -> {
            try (exchange) {
                URI to = URI.create(fake.server().baseUrl()
                        + exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null
                                ? ""
                                : "?" + exchange.getRequestURI().getRawQuery()));
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder request = HttpRequest.newBuilder(to)
                        .method(
                                exchange.getRequestMethod(),
                                body.length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)))
                        values.forEach(v -> request.header(name, v));
                });
                HttpResponse<byte[]> answer = relay.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                exchange.sendResponseHeaders(
                        answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        front.start();
    }

    @AfterAll
    static void stop() {
        front.stop(0);
        relay.close();
    }

    static TokenCredential clientSecretCredential(String secret) {
        return new ClientSecretCredentialBuilder()
                .authorityHost("https://127.0.0.1:" + front.getAddress().getPort() + "/")
                .tenantId(FakeAzure.TENANT_ID)
                .clientId(FakeAzure.CLIENT_ID)
                .clientSecret(secret)
                .disableInstanceDiscovery()
                .httpClient(new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                                .secure(spec -> {
                                    try {
                                        spec.sslContext(SslContextBuilder.forClient()
                                                .trustManager(certificate)
                                                .build());
                                    } catch (javax.net.ssl.SSLException e) {
                                        throw new IllegalStateException(e);
                                    }
                                }))
                        .build())
                .build();
    }

    @Test
    void clientSecretCredential_fakeEntraId_tokenThatAuthorizesAzureOpenAiStreams() {
        TokenCredential credential = clientSecretCredential(FakeAzure.CLIENT_SECRET);
        // docs/clouds.md: an azure-identity TokenCredential as an AccessTokenProvider
        TokenRequestContext scope = new TokenRequestContext().addScopes(AzureAccess.COGNITIVE_SERVICES_SCOPE);
        AccessTokenProvider tokens = () -> {
            com.azure.core.credential.AccessToken t = credential.getTokenSync(scope);
            return new AccessTokenProvider.Token(t.getToken(), t.getExpiresAt().toInstant());
        };
        AzureAccess access = AzureAccess.builder()
                .endpoint(fake.server().baseUrl().toString())
                .tokenProvider(tokens)
                .build();
        try (OpenAiClient client = OpenAiClient.builder().azure(access).build()) {
            ChatRequest request = ChatRequest.builder()
                    .model("gpt-4o")
                    .addMessage(ChatMessage.user("What is a sluice?"))
                    .build();
            assertFalse(client.chat(request).text().isEmpty());
            assertFalse(client.responses().chat(request).text().isEmpty());
        }
        List<String> paths =
                fake.server().requests().stream().map(r -> r.path()).toList();
        assertEquals(
                List.of(
                        "/" + FakeAzure.TENANT_ID + "/oauth2/v2.0/token",
                        "/openai/v1/chat/completions",
                        "/openai/v1/responses"),
                paths,
                "one token (azure-identity's form, as the fake checks it) for both streams");
        assertTrue(fake.server()
                .requests()
                .getLast()
                .header("authorization")
                .startsWith("Bearer " + FakeAzure.TOKEN_PREFIX));
    }

    @Test
    void clientSecretCredential_wrongSecret_refusedWithEntraIdsCode() {
        TokenCredential credential = clientSecretCredential("wrong-secret");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> credential.getTokenSync(
                        new TokenRequestContext().addScopes(AzureAccess.COGNITIVE_SERVICES_SCOPE)));
        String all = e + " " + (e.getCause() == null ? "" : e.getCause().toString());
        assertTrue(all.contains("AADSTS7000215") || all.contains("invalid_client"), all);
    }
}
