package dev.sluice.anthropic;

import static dev.sluice.anthropic.ClientTestSupport.KEY;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Builder checks, the environment, headers, ownership of the HttpClient, and the API key kept secret. */
class AnthropicClientConfigTest {
    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    private static String baseUrl() {
        return fake.server().baseUrl().toString();
    }

    @Test
    void build_withoutApiKey_saysHowToSupplyIt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> AnthropicClient.builder().build());
        assertEquals(
                "apiKey is required: call apiKey(..) or set ANTHROPIC_API_KEY"
                        + " (a fake server takes any key; a base URL on loopback, such as http://127.0.0.1:PORT, needs none)",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> AnthropicClient.fromEnv(Map.of()));
    }

    @Test
    void fromEnv_loopbackBaseUrlWithoutKey_streamsWithAPlaceholderKey() {
        try (AnthropicClient client = AnthropicClient.fromEnv(
                        Map.of("ANTHROPIC_BASE_URL", fake.server().baseUrl().toString()));
                MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            assertFalse(stream.result().text().isBlank());
        }
        assertEquals("sluice-placeholder-key", fake.server().takeRequest().header("x-api-key"));
    }

    @Test
    void fromEnv_otherBaseUrlWithoutKey_namesTheVariableToSet() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AnthropicClient.fromEnv(Map.of("ANTHROPIC_BASE_URL", "http://192.0.2.1:8080")));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "apiKey is required: call apiKey(..) or set ANTHROPIC_API_KEY (a fake server takes any key"),
                e.getMessage());
    }

    @Test
    void builder_badArguments_rejectedAtOnceNamingThem() {
        AnthropicClient.Builder b = AnthropicClient.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.apiKey(" "))
                .getMessage()
                .contains("apiKey"));
        assertThrows(NullPointerException.class, () -> b.apiKey(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.baseUrl("ftp://x"))
                .getMessage()
                .contains("baseUrl"));
        assertThrows(IllegalArgumentException.class, () -> b.baseUrl("api.anthropic.com"));
        assertThrows(IllegalArgumentException.class, () -> b.baseUrl("https://user:pw@h.example"));
        assertThrows(IllegalArgumentException.class, () -> b.baseUrl("https://h.example/?q=1"));
        assertThrows(IllegalArgumentException.class, () -> b.anthropicVersion(""));
        assertThrows(IllegalArgumentException.class, () -> b.beta("a,b"));
        for (String reserved : List.of("x-api-key", "Anthropic-Version", "anthropic-beta", "content-type", "Accept")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.header(reserved, "v"));
            assertTrue(e.getMessage().contains(reserved), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> b.header("x-ok", "bad\r\nvalue"));
        assertThrows(IllegalArgumentException.class, () -> b.header("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.connectTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.queueCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> b.requestTimeout(Duration.ofSeconds(-1)));
        try (HttpClient following = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> b.httpClient(following))
                    .getMessage()
                    .contains("redirects"));
        }
    }

    @Test
    void fromEnv_keyAndBaseUrl_used() {
        fake.server().enqueue(ClientTestSupport.replay(ClientTestSupport.textStream("env")));
        try (AnthropicClient client = AnthropicClient.fromEnv(
                        Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", baseUrl() + "/prefix/"));
                MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            assertEquals("env", stream.result().text());
        }
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals("POST /prefix/v1/messages", sent.method() + " " + sent.target());
        assertEquals(KEY, sent.header("x-api-key"));
        assertNull(sent.header("anthropic-beta"));
        assertEquals(1, fake.server().requestCount());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AnthropicClient.fromEnv(Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", "nope")));
        assertTrue(e.getMessage().contains("ANTHROPIC_BASE_URL"), e.getMessage());
    }

    @Test
    void stream_extraHeadersAndUserAgentOverride_sent() {
        fake.server().enqueue(ClientTestSupport.replay(ClientTestSupport.textStream("h")));
        try (AnthropicClient client = ClientTestSupport.client(baseUrl())
                        .header("X-Extra", "1")
                        .header("User-Agent", "my-app/2")
                        .anthropicVersion("2099-01-01")
                        .build();
                MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            stream.result();
        }
        assertEquals(1, ClientTestSupport.requests(fake.server()));
        RecordedRequest sent = fake.server().takeRequest();
        assertEquals("1", sent.header("x-extra"));
        assertEquals("my-app/2", sent.header("user-agent"));
        assertEquals("2099-01-01", sent.header("anthropic-version"));
    }

    @Test
    void close_callerSuppliedHttpClient_leftOpen() throws Exception {
        fake.server().enqueue(ClientTestSupport.replay(ClientTestSupport.textStream("a")));
        try (HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()) {
            AnthropicClient client =
                    ClientTestSupport.client(baseUrl()).httpClient(http).build();
            client.close();
            client.close(); // idempotent
            assertFalse(http.isTerminated());
            try (AnthropicClient again =
                            ClientTestSupport.client(baseUrl()).httpClient(http).build();
                    MessageStream stream = again.messages().stream(ClientTestSupport.request())) {
                assertEquals("a", stream.result().text());
            }
        }
        assertThrows(
                IllegalStateException.class,
                () -> AnthropicClient.builder()
                        .apiKey(KEY)
                        .httpClient(HttpClient.newBuilder().build())
                        .connectTimeout(Duration.ofSeconds(1))
                        .build());
    }

    @Test
    void stream_controllerAlreadyUsed_rejectedBeforeSending() {
        fake.server().enqueue(ClientTestSupport.replay(ClientTestSupport.textStream("a")));
        StreamController controller = StreamController.create();
        try (AnthropicClient client = ClientTestSupport.client(baseUrl()).build()) {
            try (MessageStream stream = client.messages().stream(ClientTestSupport.request(), controller)) {
                stream.result();
            }
            assertThrows(
                    IllegalStateException.class,
                    () -> client.messages().stream(ClientTestSupport.request(), controller));
            assertEquals(1, ClientTestSupport.requests(fake.server()));
            // deregistration runs on the producer thread just after the end is published
            await().atMost(Duration.ofSeconds(5)).until(() -> client.openCount() == 0);
        }
    }

    @Test
    void toString_clientBuilderStream_neverShowTheKey() {
        fake.server().enqueue(ClientTestSupport.replay(ClientTestSupport.textStream("a")));
        AnthropicClient.Builder builder = ClientTestSupport.client(baseUrl());
        assertFalse(builder.toString().contains(KEY), builder.toString());
        try (AnthropicClient client = builder.build();
                MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            stream.result();
            for (Object o : List.of(client, client.messages(), stream)) {
                assertFalse(o.toString().contains(KEY), o.toString());
                assertFalse(o.toString().contains("SECRET"), o.toString());
            }
            assertTrue(client.toString().contains(baseUrl()), client.toString());
        }
    }
}
