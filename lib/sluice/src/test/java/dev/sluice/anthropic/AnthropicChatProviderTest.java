package dev.sluice.anthropic;

import static dev.sluice.anthropic.ClientTestSupport.KEY;
import static dev.sluice.anthropic.ClientTestSupport.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AnthropicClient} as a provider-neutral {@link ChatProvider}, over a real loopback socket. */
class AnthropicChatProviderTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;

    @BeforeEach
    void start() {
        client = AnthropicClient.builder()
                .apiKey(KEY)
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    void stream_chatRequest_sendsTheMappedMessagesRequest() {
        ClientTestSupport.always(FAKE.server(), replay(Fixtures.sse("text-basic")));
        ChatRequest request = ChatRequest.builder()
                .model("claude-test")
                .system("Be brief.")
                .addMessage(ChatMessage.user("Hi"))
                .addTool(new Tool("get_weather", "Weather", Map.of("type", "object")))
                .build();

        ChatResponse response = ((ChatProvider) client).chat(request);

        assertTrue(response.complete());
        assertEquals(1, ClientTestSupport.requests(FAKE.server()));
        RecordedRequest sent = FAKE.server().takeRequest();
        assertEquals(KEY, sent.header("x-api-key"));
        assertEquals("claude-test", sent.json("/model"));
        assertEquals("4096", String.valueOf(sent.json("/max_tokens")));
        assertEquals("Be brief.", sent.json("/system"));
        assertEquals(Boolean.TRUE, sent.json("/stream"));
        assertEquals("get_weather", sent.json("/tools/0/name"));
        assertEquals("Hi", sent.json("/messages/0/content/0/text"));
    }

    @Test
    void stream_errorEventAfterContent_throwsApiExceptionWithPartialChatResponseAfterTheChunks() {
        ClientTestSupport.always(
                FAKE.server(), ClientTestSupport.replayInPieces(Fixtures.sse("error-overloaded-mid-stream"), 8));
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
