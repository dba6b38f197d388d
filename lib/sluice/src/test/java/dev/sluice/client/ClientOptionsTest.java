package dev.sluice.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.sse.SseLimits;
import dev.sluice.stream.StreamOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
    private static final String KEY = "sk-secret-123";
    private static final RequestRateLimit RATE = RequestRateLimit.of(5, Duration.ofSeconds(1));

    /** A provider's builder, as the clients' builders are made. */
    static final class ExBuilder extends ClientSettings<ExBuilder> {
        ExBuilder() {
            super(
                    "https://api.example.com",
                    "EX_API_KEY",
                    "EX_BASE_URL",
                    Set.of("x-key", "accept"),
                    "use apiKey(..) for the key");
        }

        ExBuilder fromEnv(Map<String, String> env) {
            return readEnv(env);
        }

        ClientOptions build() {
            return complete();
        }
    }

    @Test
    void builder_everySetting_keptInTheValue() {
        StreamObserver observer = start -> StreamObserver.Observation.NONE;
        StreamOptions stream =
                StreamOptions.builder().idleTimeout(Duration.ofSeconds(3)).build();
        ClientOptions o = ClientOptions.builder()
                .baseUrl("http://h:1/p")
                .apiKey(" " + KEY + " ")
                .header("X-A", "1")
                .connectTimeout(Duration.ofSeconds(2))
                .retryPolicy(RetryPolicy.none())
                .streamOptions(stream)
                .queueCapacity(7)
                .sseLimits(new SseLimits(64, 128))
                .observer(observer)
                .concurrencyLimit(ConcurrencyLimit.of(3))
                .circuitBreaker(CircuitBreakerPolicy.defaults())
                .requestRateLimit(RATE)
                .holdWhileRateLimited(Duration.ofSeconds(9))
                .build();
        assertEquals(Optional.of(URI.create("http://h:1/p")), o.baseUrl());
        assertEquals(Optional.of(KEY), o.apiKey());
        assertEquals(Map.of("x-a", "1"), o.headers());
        assertEquals(Optional.of(Duration.ofSeconds(2)), o.connectTimeout());
        assertEquals(RetryPolicy.none(), o.retryPolicy());
        assertSame(stream, o.streamOptions());
        assertEquals(7, o.queueCapacity());
        assertEquals(new SseLimits(64, 128), o.sseLimits());
        assertEquals(List.of(observer), o.observers());
        assertEquals(Optional.of(ConcurrencyLimit.of(3)), o.concurrencyLimit());
        assertEquals(Optional.of(CircuitBreakerPolicy.defaults()), o.circuitBreaker());
        assertEquals(Optional.of(RATE), o.requestRateLimit());
        assertEquals(Optional.of(Duration.ofSeconds(9)), o.rateLimitHold());
        ClientOptions copy = o.toBuilder().queueCapacity(8).build();
        assertEquals(8, copy.queueCapacity());
        assertEquals(o.toString().replace("queueCapacity=7", "queueCapacity=8"), copy.toString());
    }

    @Test
    void builder_defaults_leaveOptionalSettingsEmpty() {
        ClientOptions o = ClientOptions.builder().build();
        assertEquals(Optional.empty(), o.baseUrl());
        assertEquals(Optional.empty(), o.apiKey());
        assertEquals(RetryPolicy.defaults(), o.retryPolicy());
        assertEquals(StreamOptions.defaults(), o.streamOptions());
        assertEquals(Optional.empty(), o.concurrencyLimit());
        assertEquals(Optional.empty(), o.rateLimitHold());
    }

    @Test
    void toString_hidesTheKeyAndHeaderValues() {
        ClientOptions o = ClientOptions.builder()
                .apiKey(KEY)
                .header("X-Token", "secret-value")
                .build();
        assertFalse(o.toString().contains(KEY), o.toString());
        assertFalse(o.toString().contains("secret-value"), o.toString());
        assertTrue(o.toString().contains("apiKey=(hidden)"), o.toString());
        ExBuilder b = new ExBuilder().apiKey(KEY);
        assertEquals("ClientOptionsTest.ExBuilder[baseUrl=https://api.example.com, apiKey=(hidden)]", b.toString());
    }

    @Test
    void apiKey_controlCharacter_refusedWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ClientOptions.builder().apiKey(KEY + "\u0001"));
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ClientOptions.builder().apiKey(" "));
        assertThrows(NullPointerException.class, () -> ClientOptions.builder().apiKey(null));
    }

    @Test
    void baseUrl_notAnHttpUrl_refusedNamingAnExample() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ExBuilder().baseUrl("ftp://x"));
        assertTrue(e.getMessage().startsWith("baseUrl must be an absolute http or https URL"), e.getMessage());
        assertTrue(e.getMessage().contains("https://api.example.com"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ClientOptions.builder().baseUrl("http://u:p@h/"));
        assertThrows(
                IllegalArgumentException.class, () -> ClientOptions.builder().baseUrl("http://h/?q=1"));
    }

    @Test
    void baseUrl_noScheme_refusedSayingWhatToPutBeforeTheHost() {
        for (String url : List.of("127.0.0.1:8089", "localhost:8089", "api.example.com")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ClientOptions.builder().baseUrl(url));
            assertEquals(
                    "baseUrl needs http:// or https:// before the host, such as http://" + url + ": " + url,
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ExBuilder().fromEnv(Map.of("EX_BASE_URL", "127.0.0.1:8089")));
        assertTrue(e.getMessage().startsWith("EX_BASE_URL needs http:// or https://"), e.getMessage());
    }

    @Test
    void header_reservedOrMalformed_refusedAtOnce() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ExBuilder().header("X-Key", "v"));
        assertEquals("header X-Key is set by the client; use apiKey(..) for the key", e.getMessage());
        ClientOptions.builder().header("X-Key", "v"); // no provider: nothing reserved
        assertThrows(
                IllegalArgumentException.class, () -> ClientOptions.builder().header("Bad Name", "v"));
        assertThrows(
                IllegalArgumentException.class, () -> ClientOptions.builder().header("X-A", "a\r\nb"));
    }

    @Test
    void options_replaceTheSettings_keepingKeyAndBaseUrlTheyLack() {
        ClientOptions shared = ClientOptions.builder()
                .retryPolicy(RetryPolicy.none())
                .queueCapacity(5)
                .build();
        ClientOptions o = new ExBuilder()
                .apiKey(KEY)
                .baseUrl("http://h:2")
                .queueCapacity(9)
                .options(shared)
                .build();
        assertEquals(Optional.of(KEY), o.apiKey());
        assertEquals(Optional.of(URI.create("http://h:2")), o.baseUrl());
        assertEquals(RetryPolicy.none(), o.retryPolicy());
        assertEquals(5, o.queueCapacity());
    }

    @Test
    void options_withAHeaderTheClientSets_refused() {
        ClientOptions shared = ClientOptions.builder().header("Accept", "x").build();
        assertThrows(IllegalArgumentException.class, () -> new ExBuilder().options(shared));
    }

    @Test
    void complete_withoutKey_namesTheVariable_elseFillsTheDefaultBaseUrl() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ExBuilder().build());
        assertEquals(
                "apiKey is required: call apiKey(..) or set EX_API_KEY (a fake server takes any key; a base URL on"
                        + " loopback, such as http://127.0.0.1:PORT, needs none)",
                e.getMessage());
        assertEquals(
                Optional.of(URI.create("https://api.example.com")),
                new ExBuilder().apiKey(KEY).build().baseUrl());
    }

    @Test
    void complete_withoutKey_placeholderOnlyForABaseUrlOnLoopbackByItsName() {
        for (String url : List.of(
                "http://127.0.0.1:8089",
                "http://localhost:1",
                "http://LocalHost",
                "http://127.9.8.7:2/v1",
                "http://[::1]:3",
                "https://[0:0:0:0:0:0:0:1]")) {
            assertEquals(
                    Optional.of(ClientSettings.PLACEHOLDER_API_KEY),
                    new ExBuilder().baseUrl(url).build().apiKey(),
                    url);
        }
        for (String url : List.of(
                "http://10.0.0.1",
                "http://localhost.example.com",
                "http://127.0.0.1.nip.io",
                "http://0.0.0.0:8089",
                "http://[::2]",
                "https://api.example.com")) {
            assertThrows(
                    IllegalStateException.class,
                    () -> new ExBuilder().baseUrl(url).build(),
                    url);
        }
        ExBuilder b = new ExBuilder().baseUrl("http://127.0.0.1:1");
        b.build();
        assertThrows(
                IllegalStateException.class,
                () -> b.baseUrl("http://h.example:1").build(),
                "a placeholder given once is not kept for another base URL");
        assertEquals(
                Optional.of(KEY),
                new ExBuilder()
                        .baseUrl("http://127.0.0.1:1")
                        .apiKey(KEY)
                        .build()
                        .apiKey());
    }

    @Test
    void build_connectTimeoutWithHttpClient_refused() {
        try (HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()) {
            ClientOptions.Builder b = ClientOptions.builder().httpClient(client).connectTimeout(Duration.ofSeconds(1));
            assertTrue(assertThrows(IllegalStateException.class, b::build)
                    .getMessage()
                    .contains("connectTimeout"));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ClientOptions.builder()
                            .httpClient(HttpClient.newBuilder()
                                    .followRedirects(HttpClient.Redirect.NORMAL)
                                    .build()));
        }
    }

    @Test
    void readEnv_badBaseUrl_messageStartsWithTheVariable_blankValuesIgnored() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ExBuilder().fromEnv(Map.of("EX_BASE_URL", "ftp://x")));
        assertTrue(e.getMessage().startsWith("EX_BASE_URL must be an absolute http or https URL"), e.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> new ExBuilder().fromEnv(Map.of("EX_API_KEY", " ")).build());
        ClientOptions o = new ExBuilder()
                .fromEnv(Map.of("EX_API_KEY", " " + KEY + " ", "EX_BASE_URL", "http://h:1/p/"))
                .build();
        assertEquals(Optional.of(KEY), o.apiKey());
        assertEquals(Optional.of(URI.create("http://h:1/p/")), o.baseUrl());
    }

    @Test
    void redact_theKeyAndCredentialHeadersAndTheirEchoes_redactedTheRestKept() {
        ClientOptions o = ClientOptions.builder()
                .apiKey("sk-ant-api03-abcdefgh12345678")
                .header("x-gateway-token", "tok-QrStUvWxYz")
                .header("x-team", "search-team")
                .build();
        String reversed =
                new StringBuilder("sk-ant-api03-abcdefgh12345678").reverse().toString();
        assertEquals(
                "400 [redacted] and [redacted], [redacted] for search-team",
                o.redact("400 sk-ant-api03-abcdefgh12345678 and " + reversed.toUpperCase(java.util.Locale.ROOT)
                        + ", tok-QrStUvWxYz for search-team"));
        assertEquals("nothing secret", ClientOptions.builder().build().redact("nothing secret"));
    }
}
