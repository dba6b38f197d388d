package dev.sluice.openai;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.CircuitOpenException;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamEnd;
import dev.sluice.client.StreamObserver;
import dev.sluice.client.StreamStart;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamController;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole answer asked in one call not streamed ({@link OpenAiClient#answer}) is seen as a stream is:
 * by the client's {@link StreamObserver}s, as a {@code dev.sluice.Stream} Flight Recorder event, and by
 * its circuit breaker; over a real socket to the test kit's server.
 */
class OpenAiAnswerObservedTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = new FakeLlmExtension();

    private static final ChatRequest REQUEST = ChatRequest.builder()
            .model("gpt-4o-mini")
            .addMessage(ChatMessage.user("Why is the sky blue?"))
            .maxTokens(64)
            .build();

    private final List<StreamStart> starts = new CopyOnWriteArrayList<>();
    private final List<StreamEnd> ends = new CopyOnWriteArrayList<>();
    private OpenAiClient client;

    @AfterEach
    void close() {
        if (client != null) client.close();
    }

    private OpenAiClient client(CircuitBreakerPolicy breaker) {
        OpenAiClient.Builder b = OpenAiClient.builder()
                .apiKey("sk-test")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .observer(start -> {
                    starts.add(start);
                    return new StreamObserver.Observation() {
                        @Override
                        public void onEnd(StreamEnd end) {
                            ends.add(end);
                        }
                    };
                });
        if (breaker != null) b.circuitBreaker(breaker);
        client = b.build();
        return client;
    }

    private ChatResponse answer() {
        return client.answer(REQUEST, StreamController.create(), 1 << 20);
    }

    @Test
    void answer_whole_observersToldOfItsStartAndItsEndAsOneChunk() {
        FAKE.server()
                .enqueue(FakeResponse.answer().text("Rayleigh ", "scattering.").usage(11, 4));
        client(null);

        assertEquals("Rayleigh scattering.", answer().text());

        assertFalse(Boolean.TRUE.equals(FAKE.server().takeRequest().json("/stream")), "asked not streamed");
        assertEquals(1, starts.size());
        assertEquals("openai", starts.getFirst().provider());
        assertEquals("gpt-4o-mini", starts.getFirst().model());
        assertEquals(1, ends.size());
        StreamEnd end = ends.getFirst();
        assertEquals(EndReason.COMPLETED, end.endReason());
        assertEquals(1, end.chunks());
        assertTrue(end.bytes() > 0, end.toString());
        assertEquals(11, end.inputTokens().orElseThrow());
        assertEquals(4, end.outputTokens().orElseThrow());
        assertTrue(end.requestId().orElseThrow().startsWith("req_fake_"), end.toString());
        assertTrue(end.timeToFirstChunk().isPresent());
        assertEquals(0, end.retries());
    }

    @Test
    void answer_refused_observersToldItFailedWithTheFailureAndTheRequestId() {
        FAKE.server().enqueue(FakeResponse.apiError(400, "invalid_request_error", "bad request"));
        client(null);

        ApiException e = assertThrows(ApiException.class, this::answer);

        assertEquals(1, ends.size());
        StreamEnd end = ends.getFirst();
        assertEquals(EndReason.FAILED, end.endReason());
        assertEquals(e, end.failure().orElseThrow());
        assertEquals(e.requestId(), end.requestId());
        assertEquals(0, end.chunks());
    }

    @Test
    void answer_recordedAsAFlightRecorderStreamEvent() {
        List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        try (RecordingStream recording = new RecordingStream()) {
            recording.enable("dev.sluice.Stream");
            recording.onEvent("dev.sluice.Stream", events::add);
            recording.startAsync();
            FAKE.server().enqueue(FakeResponse.answer().text("Recorded.").usage(3, 2));
            client(null);

            answer();

            await().atMost(Duration.ofSeconds(20)).until(() -> !events.isEmpty());
        }
        RecordedEvent event = events.getFirst();
        assertEquals("openai", event.getString("provider"));
        assertEquals("gpt-4o-mini", event.getString("model"));
        assertEquals("COMPLETED", event.getString("endReason"));
        assertEquals(1, event.getLong("events"));
        assertEquals(3, event.getLong("inputTokens"));
        assertEquals(2, event.getLong("outputTokens"));
    }

    @Test
    void answer_successesKeepTheBreakerClosed_failuresOpenIt_thenRefusedWithoutARequest() {
        client(CircuitBreakerPolicy.defaults().withWindow(4, 4).withFailureRatePercent(50));
        FAKE.server().setDispatcher(r -> FakeResponse.answer().text("ok"));
        for (int i = 0; i < 6; i++) assertEquals("ok", answer().text());
        // each answer an outcome of its own, a success: before, a call not streamed counted as a failure
        assertEquals("CLOSED", client.resilienceMetrics().breakerState());

        FAKE.server().setDispatcher(r -> FakeResponse.apiError(500, "server_error", "down"));
        // the window's last 4: two answers, two failures: 50 %, the threshold
        for (int i = 0; i < 2; i++) assertThrows(ApiException.class, this::answer);
        assertEquals("OPEN", client.resilienceMetrics().breakerState());
        int sent = FAKE.server().requests().size();

        assertThrows(CircuitOpenException.class, this::answer);

        assertEquals(sent, FAKE.server().requests().size(), "nothing sent while open");
    }
}
