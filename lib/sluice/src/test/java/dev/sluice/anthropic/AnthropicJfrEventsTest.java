package dev.sluice.anthropic;

import static dev.sluice.anthropic.ClientTestSupport.apiError;
import static dev.sluice.anthropic.ClientTestSupport.replay;
import static dev.sluice.anthropic.ClientTestSupport.textStream;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.FakeLlmExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDK Flight Recorder events of a client's streams, read back with a RecordingStream. */
class AnthropicJfrEventsTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private RecordingStream recording;
    private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startRecording() {
        recording = new RecordingStream();
        recording.enable("dev.sluice.Stream");
        recording.enable("dev.sluice.Retry");
        recording.setMaxAge(Duration.ofMinutes(1));
        recording.onEvent("dev.sluice.Stream", events::add);
        recording.onEvent("dev.sluice.Retry", events::add);
        recording.startAsync();
    }

    @AfterEach
    void stopRecording() {
        recording.close();
    }

    private List<RecordedEvent> named(String name) {
        return events.stream()
                .filter(e -> e.getEventType().getName().equals(name))
                .toList();
    }

    @Test
    void stream_completedAfterOneRetry_recordsAStreamEventAndARetryEvent() {
        String body = textStream("Hello", ", ", "world");
        ClientTestSupport.script(FAKE.server(), List.of(apiError(529, "overloaded_error"), replay(body)));
        long items;
        try (AnthropicClient client = ClientTestSupport.client(
                                FAKE.server().baseUrl().toString())
                        .build();
                MessageStream s = client.messages().stream(ClientTestSupport.request())) {
            assertEquals("Hello, world", s.result().text());
            items = s.metrics().items();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> named("dev.sluice.Stream").size() == 1
                        && named("dev.sluice.Retry").size() == 1);
        RecordedEvent stream = named("dev.sluice.Stream").get(0);
        assertEquals("anthropic", stream.getString("provider"));
        assertEquals("claude-test", stream.getString("model"));
        assertEquals("127.0.0.1:" + FAKE.server().port(), stream.getString("server"));
        assertEquals("req_stream", stream.getString("requestId"));
        assertEquals(items, stream.getLong("events"));
        assertEquals(body.getBytes(StandardCharsets.UTF_8).length, stream.getLong("bytes"));
        assertEquals(5, stream.getLong("inputTokens"));
        assertEquals(3, stream.getLong("outputTokens"));
        assertEquals("COMPLETED", stream.getString("endReason"));
        assertEquals("", stream.getString("failure"));
        assertEquals(1, stream.getInt("retries"));
        Duration ttfe = stream.getDuration("timeToFirstEvent");
        assertTrue(!ttfe.isZero() && ttfe.compareTo(stream.getDuration()) <= 0, ttfe + " vs " + stream.getDuration());
        assertFalse(stream.getDuration().isNegative());

        RecordedEvent retry = named("dev.sluice.Retry").get(0);
        assertEquals(1, retry.getInt("attempt"));
        assertEquals(529, retry.getInt("statusCode"));
        assertEquals("ApiException", retry.getString("failure"));
        assertTrue(retry.getLong("delay") >= 1);
        assertFalse(retry.getString("message").contains(ClientTestSupport.KEY));
    }

    @Test
    void stream_failingOpening_recordsFailedWithTheExceptionClass() {
        ClientTestSupport.always(FAKE.server(), apiError(401, "authentication_error"));
        try (AnthropicClient client =
                ClientTestSupport.client(FAKE.server().baseUrl().toString()).build()) {
            try {
                client.messages().stream(ClientTestSupport.request()).close();
            } catch (dev.sluice.ApiException expected) {
                // recorded below
            }
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> named("dev.sluice.Stream").size() == 1);
        RecordedEvent stream = named("dev.sluice.Stream").get(0);
        assertEquals("FAILED", stream.getString("endReason"));
        assertEquals("ApiException", stream.getString("failure"));
        assertEquals(0, stream.getLong("events"));
        assertEquals(0, stream.getInt("retries"));
    }
}
