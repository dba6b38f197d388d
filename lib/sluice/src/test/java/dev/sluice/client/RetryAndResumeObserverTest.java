package dev.sluice.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.TransportException;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.ResumePolicy;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stream observer is told of each retry before its wait ({@link StreamObserver.Observation#onRetry})
 * and of each resume ({@link StreamObserver.Observation#onResume}), as they happen: what lets a tool
 * say "retrying after overloaded_error (1 of 2) in 0.5 s".
 */
class RetryAndResumeObserverTest {
    private static final RetryPolicy QUICK = RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(20));

    @RegisterExtension
    static final FakeLlmExtension fake =
            new FakeLlmExtension(FakeLlmServer.builder().tokensPerSecond(0));

    /** Records what an observation is told, as lines. */
    private static final class Recording implements StreamObserver {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public Observation onStart(StreamStart start) {
            return new Observation() {
                @Override
                public void onRetry(int retry, Duration delay, SluiceException cause) {
                    assertTrue(delay.toMillis() > 0 && delay.toMillis() < 1000, delay.toString());
                    seen.add("retry " + retry + " after " + (cause instanceof ApiException a ? a.errorType() : cause));
                }

                @Override
                public void onResume(int resume, SluiceException cause) {
                    seen.add("resume " + resume + " after " + cause.getClass().getSimpleName());
                }

                @Override
                public void onEnd(StreamEnd end) {
                    seen.add("end " + end.endReason() + ", " + end.retries() + " retries");
                }
            };
        }
    }

    @Test
    void onRetry_openingFailsTwiceThenSucceeds_toldOfEachRetryBeforeTheEnd() {
        Recording recording = new Recording();
        try (OpenAiClient client = OpenAiClient.builder()
                        .apiKey("k")
                        .baseUrl(fake.server().baseUrl().toString())
                        .retryPolicy(QUICK)
                        .observer(recording)
                        .build();
                EventStream<MessageChunk> chunks = client.stream(ChatRequest.builder()
                        .model("fake-flaky-2")
                        .maxTokens(64)
                        .addMessage(ChatMessage.user("hi"))
                        .build())) {
            chunks.forEach(c -> {});
        }
        // onEnd runs on the thread that ends the stream, which may finish after the consumer has read the end
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(
                        List.of(
                                "retry 1 after server_error",
                                "retry 2 after server_error",
                                "end COMPLETED, 2 retries"), // OpenAI's overload
                        recording.seen));
    }

    @Test
    void onResume_connectionDroppedAfterText_toldOfTheResume() {
        Recording recording = new Recording();
        try (AnthropicClient client = AnthropicClient.builder()
                        .apiKey("k")
                        .baseUrl(fake.server().baseUrl().toString())
                        .resume(ResumePolicy.upTo(2))
                        .observer(recording)
                        .build();
                MessageStream stream = client.messages().stream(MessageRequest.builder()
                        .model("fake-drop")
                        .maxTokens(256)
                        .addUserMessage("hi")
                        .build())) {
            stream.forEach(e -> {});
            assertEquals(1, stream.resumes().count());
        }
        assertEquals(
                "resume 1 after " + TransportException.class.getSimpleName(),
                recording.seen.get(0),
                recording.seen.toString());
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertTrue(
                        recording.seen.get(recording.seen.size() - 1).startsWith("end COMPLETED"),
                        recording.seen.toString()));
    }
}
