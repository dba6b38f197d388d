package dev.sluice.internal.low.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sluice.LoopbackWireMock;
import dev.sluice.SluiceException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every HTTP token fetch of this package — a Google service account's {@code token_uri}, the GCE
 * metadata server (its token and its project id), an Azure client secret at Entra ID, Azure managed
 * identity (App Service's endpoint and the instance metadata service) — has one deadline that covers
 * the whole answer, its body included ({@code TokenEndpoint}'s timeout): an endpoint that sends its
 * headers at once and then trickles the body is given up on when the deadline passes. The trickle is
 * WireMock's chunked dribble: 60 s for an answer each source would accept, against a deadline of 1 s.
 * On both engines: the blocking transport (the default) and a caller's {@code HttpClient}.
 */
class TokenFetchDeadlineTest {
    @RegisterExtension
    static final WireMockExtension SERVER = LoopbackWireMock.server();

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /**
     * Far under the dribble's 60 s, far over the deadline: what is asserted is that the fetch is given
     * up on at its deadline rather than when the body ends, on a machine that may be busy (CI runs
     * other modules' suites beside this one on two cores).
     */
    private static final Duration GIVEN_UP_WITHIN = Duration.ofSeconds(30);
    /** Made once, outside the timed fetch: an RSA key pair takes seconds of CPU on a loaded machine. */
    private static final PrivateKey KEY = key();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    @BeforeEach
    void trickle() {
        SERVER.stubFor(any(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"ya29." + "t".repeat(200)
                                + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")
                        .withChunkedDribbleDelay(120, 60_000)));
    }

    private static String base() {
        return "http://127.0.0.1:" + SERVER.getPort();
    }

    /** The token requests' default, blocking HTTP/1.1, and a caller's HttpClient ({@code AzureAccess.httpClient(..)}). */
    private static Stream<Named<Supplier<TokenEndpoint>>> engines() {
        return Stream.of(
                Named.of("blocking", () -> new TokenEndpoint(http -> {}, Clock.systemUTC(), DEADLINE, null)),
                Named.of("the caller's HttpClient", () -> new TokenEndpoint(HTTP, Clock.systemUTC(), DEADLINE, null)));
    }

    private static PrivateKey key() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair().getPrivate();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Named<Supplier<Object>>> fetches() {
        return engines()
                .flatMap(engine -> fetches(engine.getPayload())
                        .map(fetch -> Named.of(fetch.getName() + ", " + engine.getName(), fetch.getPayload())));
    }

    private static Stream<Named<Supplier<Object>>> fetches(Supplier<TokenEndpoint> endpoint) {
        String host = "127.0.0.1:" + SERVER.getPort();
        return Stream.of(
                Named.of(
                        "a Google service account's token_uri",
                        () -> new GoogleServiceAccount(
                                        "sa@project.iam.gserviceaccount.com",
                                        KEY,
                                        null,
                                        URI.create(base() + "/token"),
                                        SCOPE,
                                        endpoint.get(),
                                        "a test key")
                                .token()),
                Named.of(
                        "the GCE metadata server's token",
                        () -> new GoogleMetadataServer(host, SCOPE, endpoint.get(), DEADLINE).token()),
                Named.of(
                        "the GCE metadata server's project id",
                        () -> new GoogleMetadataServer(host, SCOPE, endpoint.get(), DEADLINE).projectId()),
                Named.of(
                        "an Azure client secret at Entra ID",
                        () -> AzureClientCredential.secret(
                                        "client-id",
                                        "client-secret-value",
                                        URI.create(base() + "/tenant/oauth2/v2.0/token"),
                                        "https://cognitiveservices.azure.com/.default",
                                        endpoint.get())
                                .token()),
                Named.of(
                        "Azure managed identity (App Service)",
                        () -> AzureManagedIdentity.appService(
                                        base() + "/msi/token",
                                        "identity-header-value",
                                        "https://cognitiveservices.azure.com",
                                        null,
                                        endpoint.get())
                                .token()),
                Named.of(
                        "Azure managed identity (the instance metadata service)",
                        () -> AzureManagedIdentity.instanceMetadata(
                                        base(), "https://cognitiveservices.azure.com", null, endpoint.get())
                                .token()));
    }

    @ParameterizedTest
    @MethodSource("fetches")
    void fetch_bodyTrickles_failsAtTheDeadline(Supplier<Object> fetch) {
        long start = System.nanoTime();

        SluiceException e = assertThrows(SluiceException.class, fetch::get);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(GIVEN_UP_WITHIN) < 0, "given up after " + took + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
    }
}
