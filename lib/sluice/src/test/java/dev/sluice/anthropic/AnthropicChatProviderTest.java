package dev.sluice.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.sluice.anthropic.ClientTestSupport.KEY;
import static dev.sluice.anthropic.ClientTestSupport.PATH;
import static dev.sluice.anthropic.ClientTestSupport.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sluice.ApiException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.Tool;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AnthropicClient} as a provider-neutral {@link ChatProvider}, over a real loopback socket. */
class AnthropicChatProviderTest {
    private WireMockServer server;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        client = AnthropicClient.builder()
                .apiKey(KEY)
                .baseUrl(server.baseUrl())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    @Test
    void stream_chatRequest_sendsTheMappedMessagesRequest() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(sse(Fixtures.sse("text-basic"))));
        ChatRequest request = ChatRequest.builder()
                .model("claude-test")
                .system("Be brief.")
                .addMessage(ChatMessage.user("Hi"))
                .addTool(new Tool("get_weather", "Weather", Map.of("type", "object")))
                .build();

        ChatResponse response = ((ChatProvider) client).chat(request);

        assertTrue(response.complete());
        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-api-key", equalTo(KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-test")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("4096")))
                .withRequestBody(matchingJsonPath("$.system", equalTo("Be brief.")))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.tools[0].name", equalTo("get_weather")))
                .withRequestBody(matchingJsonPath("$.messages[0].content[0].text", equalTo("Hi"))));
    }

    @Test
    void stream_errorEventAfterContent_throwsApiExceptionWithPartialChatResponseAfterTheChunks() {
        server.stubFor(post(urlEqualTo(PATH))
                .willReturn(sse(Fixtures.sse("error-overloaded-mid-stream")).withChunkedDribbleDelay(8, 60)));
        List<String> texts = new ArrayList<>();

        ApiException e;
        try (EventStream<MessageChunk> chunks = client.stream(ChatRequest.builder()
                .model("claude-test")
                .addMessage(ChatMessage.user("Hi"))
                .build())) {
            e = assertThrows(ApiException.class, () -> {
                for (MessageChunk chunk : chunks) texts.add(chunk.text());
            });
            assertEquals(EndReason.FAILED, chunks.endReason().orElseThrow());
        }

        assertEquals("overloaded_error", e.errorType());
        assertTrue(e.inStream());
        assertEquals("req_stream", e.requestId().orElseThrow()); // the request-id header ClientTestSupport.sse sends
        assertEquals("The first part of the answer is", String.join("", texts));
        ChatResponse partial = e.partial(ChatResponse.class).orElseThrow();
        assertEquals("The first part of the answer is", partial.text());
        assertEquals("msg_01Ov3Er5Lo7Ad9Ed1Ov3Er5", partial.id());
    }
}
