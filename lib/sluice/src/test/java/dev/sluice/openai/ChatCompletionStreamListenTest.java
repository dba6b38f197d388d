package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.FakeServers;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamListener;
import dev.sluice.stream.EndReason;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ChatCompletionStream.listen over a loopback socket. */
class ChatCompletionStreamListenTest {
    private static final String PATH = "/v1/chat/completions";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private OpenAiClient client;

    @BeforeEach
    void setUp() {
        client = OpenAiClient.builder()
                .apiKey("sk-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static FakeResponse sse(String name) {
        byte[] events = OpenAiFixtures.sse(name);
        return FakeResponse.sse(events).inChunksOf(Math.max(1, events.length / 20));
    }

    private static ChatCompletionRequest request() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o-mini")
                .addMessage(ChatCompletionMessage.user("hi"))
                .build();
    }

    @Test
    void listen_textThenCompletionThenEnd_returnsTheFinalCompletion() {
        FakeServers.script(FAKE.server(), PATH, sse("text-basic"));
        List<String> calls = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            ChatCompletion c = stream.listen(new StreamListener<ChatCompletionEvent, ChatCompletion>() {
                @Override
                public void onText(String delta, CharSequence soFar) {
                    text.append(delta);
                    assertEquals(text.toString(), soFar.toString());
                }

                @Override
                public void onResult(ChatCompletion completion) {
                    calls.add("completion");
                }

                @Override
                public void onEnd() {
                    calls.add("end");
                }
            });
            assertEquals(c.text(), text.toString());
            assertTrue(!text.isEmpty());
            assertEquals(List.of("completion", "end"), calls);
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
        }
    }

    @Test
    void listen_toolCalls_eachPieceReachesOnEventWithTheSnapshot() {
        FakeServers.script(FAKE.server(), PATH, sse("tool-calls-parallel"));
        StringBuilder arguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            ChatCompletion c = stream.listen(new StreamListener<ChatCompletionEvent, ChatCompletion>() {
                @Override
                public void onEvent(ChatCompletionEvent event, ChatCompletion snapshot) {
                    if (!(event instanceof ChatCompletionChunk chunk)) return;
                    for (ChatCompletionChunk.ChunkChoice choice : chunk.choices()) {
                        for (ChatCompletionChunk.ToolCallChunk piece :
                                choice.delta().toolCalls()) {
                            if (piece.name() != null) names.add(piece.name());
                            if (piece.arguments() != null) arguments.append(piece.arguments());
                        }
                    }
                }
            });
            StringBuilder whole = new StringBuilder();
            for (ChatCompletion.FunctionToolCall call :
                    c.choices().get(0).message().toolCalls()) whole.append(call.arguments());
            assertEquals(whole.toString(), arguments.toString());
            assertEquals(c.choices().get(0).message().toolCalls().size(), names.size());
        }
    }

    @Test
    void listen_errorMidStream_onErrorThenOnEndThenThrows() {
        FakeServers.script(FAKE.server(), PATH, sse("error-mid-stream"));
        List<String> calls = new ArrayList<>();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            assertThrows(
                    ApiException.class,
                    () -> stream.listen(new StreamListener<ChatCompletionEvent, ChatCompletion>() {
                        @Override
                        public void onError(SluiceException e) {
                            calls.add("error");
                        }

                        @Override
                        public void onEnd() {
                            calls.add("end");
                        }
                    }));
            assertEquals(List.of("error", "end"), calls);
        }
    }

    @Test
    void listenAsync_bodyEndsBeforeDone_futureFailsWithIncompleteStream() {
        FakeServers.script(FAKE.server(), PATH, sse("truncated-before-done"));
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            var e = assertThrows(
                    java.util.concurrent.CompletionException.class,
                    () -> stream.listenAsync(new StreamListener<ChatCompletionEvent, ChatCompletion>() {})
                            .join());
            assertTrue(
                    e.getCause() instanceof IncompleteStreamException,
                    e.getCause().toString());
        }
    }
}
