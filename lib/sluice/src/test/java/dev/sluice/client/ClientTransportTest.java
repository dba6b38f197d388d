package dev.sluice.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ClientSettings#transport(Transport)}: either transport streams the same answer, the
 * client's {@code toString()} names the one it uses and why, and settings that contradict a
 * caller's HttpClient are refused when the client is built.
 */
class ClientTransportTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static AnthropicClient.Builder client() {
        return AnthropicClient.builder()
                .apiKey("sk-ant-SECRET")
                .baseUrl(FAKE.server().baseUrl().toString());
    }

    private static String text(AnthropicClient client) {
        ChatRequest request = ChatRequest.builder()
                .model("claude-sonnet-4-5")
                .addMessage(ChatMessage.user("Hi"))
                .maxTokens(64)
                .build();
        StringBuilder text = new StringBuilder();
        try (EventStream<MessageChunk> chunks = client.stream(request)) {
            chunks.forEach(c -> text.append(c.text()));
        }
        return text.toString();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void stream_eitherTransport_sameAnswerAndToStringNamesIt(Transport transport) {
        FAKE.server().setDispatcher(r -> FakeResponse.answer().text("Hello", " there"));
        try (AnthropicClient client = client().transport(transport).build()) {
            assertEquals("Hello there", text(client));
            assertEquals("Hello there", text(client));
            String expected = transport == Transport.BLOCKING
                    ? "transport=blocking HTTP/1.1"
                    : "transport=java.net.http HttpClient (chosen)";
            assertTrue(client.toString().contains(expected), client.toString());
        }
    }

    @Test
    void build_callersHttpClient_httpClientNamedAsTheCallers() {
        try (HttpClient mine = HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
                AnthropicClient client = client().httpClient(mine).build()) {
            assertTrue(
                    client.toString().contains("transport=java.net.http HttpClient (the caller's HttpClient)"),
                    client.toString());
        }
    }

    @Test
    void build_httpClientWithBlockingOrAnSslContext_refusedSayingWhy() throws NoSuchAlgorithmException {
        try (HttpClient mine = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build()) {
            IllegalStateException blocking = assertThrows(
                    IllegalStateException.class,
                    () -> client().httpClient(mine)
                            .transport(Transport.BLOCKING)
                            .build());
            assertTrue(blocking.getMessage().contains("transport(BLOCKING) and httpClient(..)"), blocking.getMessage());
            SSLContext tls = SSLContext.getDefault();
            IllegalStateException context = assertThrows(
                    IllegalStateException.class,
                    () -> client().httpClient(mine).sslContext(tls).build());
            assertTrue(context.getMessage().contains("sslContext"), context.getMessage());
        }
    }

    @Test
    void options_transportAndSslContext_carriedToEveryClient() throws NoSuchAlgorithmException {
        SSLContext tls = SSLContext.getDefault();
        ClientOptions options = ClientOptions.builder()
                .transport(Transport.HTTP_CLIENT)
                .sslContext(tls)
                .build();
        assertEquals(Transport.HTTP_CLIENT, options.transport().orElseThrow());
        assertEquals(tls, options.sslContext().orElseThrow());
        assertTrue(options.toString().contains("transport=HTTP_CLIENT"), options.toString());
        try (AnthropicClient client = client().options(options).build()) {
            assertTrue(client.toString().contains("java.net.http HttpClient (chosen)"), client.toString());
        }
    }
}
