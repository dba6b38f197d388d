package dev.sluice.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.RawRequests;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.gemini.GeminiClient;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ChatProvider#chat} never passes a truncated answer off as a whole one: a stream that
 * reaches its chunk limit, or is cancelled (its client closed), makes it throw, with the answer so
 * far ({@code complete() == false}) as the exception's partial. Each provider's client, over a real
 * loopback socket (a small HTTP/1.1 server sending a captured stream).
 */
class ChatTruncationTest {
    private static final ChatRequest REQUEST = ChatRequest.builder().model("any-model")
            .addMessage(ChatMessage.user("What's the weather in San Francisco?")).maxTokens(1024).build();

    /** One provider: its capture and how to build its client from a base URL and stream defaults. */
    record Case(String provider, String capture, BiFunction<String, StreamOptions, ChatProvider> client) {
        @Override
        public String toString() {
            return provider;
        }
    }

    static Stream<Arguments> providers() {
        return Stream.of(
                Arguments.of(new Case("anthropic", "anthropic/tool-use-weather.sse", (base, defaults) ->
                        AnthropicClient.builder().apiKey("sk-ant-test").baseUrl(base).streamOptions(defaults).build())),
                Arguments.of(new Case("openai", "openai/tool-use-weather.sse", (base, defaults) ->
                        OpenAiClient.builder().apiKey("sk-test").baseUrl(base).streamOptions(defaults).build())),
                Arguments.of(new Case("gemini", "gemini/tool-use-weather.sse", (base, defaults) ->
                        GeminiClient.builder().apiKey("test-key").baseUrl(base).streamOptions(defaults).build())));
    }

    private ServerSocket server;
    private final CountDownLatch testOver = new CountDownLatch(1);
    private final CountDownLatch sent = new CountDownLatch(1);
    private volatile byte[] body;
    private volatile boolean hold; // keep the connection open after the body, until the test is over

    /** Answers each request with {@link #body}, then closes the connection (or holds it: {@link #hold}). */
    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("truncation-test-server").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> answer(s));
                } catch (IOException e) {
                    return; // the server socket closed at the end of the test
                }
            }
        });
    }

    private void answer(Socket s) {
        try (s) {
            RawRequests.skipRequest(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            sent.countDown();
            if (hold) testOver.await(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() throws IOException {
        testOver.countDown();
        server.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void chat_chunkLimitReached_throwsLimitExceededWithTheIncompleteAnswer(Case c) throws Exception {
        body = CrossProviderTest.resource(c.capture());
        ChatProvider provider = c.client().apply(base(), StreamOptions.builder().maxChunks(2).build());
        try (AutoCloseable closing = (AutoCloseable) provider) {
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> provider.chat(REQUEST));
            assertEquals("maxChunks", e.limit());
            assertEquals(2, e.configuredValue());
            ChatResponse partial = e.partial(ChatResponse.class).orElseThrow();
            assertFalse(partial.complete());
            assertTrue(partial.metadata().chunks() > 0, partial.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void chat_clientClosedWhileStreaming_throwsIncompleteStreamWithTheAnswerSoFar(Case c) throws Exception {
        byte[] whole = CrossProviderTest.resource(c.capture());
        body = firstHalfOfTheEvents(whole);
        hold = true;
        ChatProvider provider = c.client().apply(base(), StreamOptions.defaults());
        CompletableFuture<ChatResponse> answer = CompletableFuture.supplyAsync(() -> provider.chat(REQUEST),
                r -> Thread.ofVirtual().start(r));
        assertTrue(sent.await(10, TimeUnit.SECONDS));
        ((AutoCloseable) provider).close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS));
        IncompleteStreamException cut = assertInstanceOf(IncompleteStreamException.class, e.getCause());
        assertTrue(cut.getMessage().contains("cancelled") && cut.getMessage().contains("was closed"), cut.getMessage());
        ChatResponse partial = cut.partial(ChatResponse.class).orElseThrow();
        assertFalse(partial.complete());
        assertEquals(null, partial.finishReason(), "the finish came in the half never sent");
    }

    /** The first half of the events of a capture: no terminal event, no finish reason. */
    private static byte[] firstHalfOfTheEvents(byte[] capture) {
        String[] events = new String(capture, StandardCharsets.UTF_8).replace("\r\n", "\n").split("\n\n");
        StringBuilder half = new StringBuilder();
        for (int i = 0; i < events.length / 2; i++) half.append(events[i]).append("\n\n");
        return half.toString().getBytes(StandardCharsets.UTF_8);
    }
}
