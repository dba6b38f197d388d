package dev.sluice.anthropic;

import static dev.sluice.anthropic.ClientTestSupport.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import dev.sluice.client.StreamListener;
import dev.sluice.sse.SseParser;
import dev.sluice.stream.EndReason;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every captured stream, served with a chunked dribble over loopback, through the live client. */
class MessageStreamFixturesTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;

    @BeforeEach
    void setUp() {
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString())
                .beta("beta-one", "beta-two")
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    static Stream<String> names() {
        return Fixtures.NAMES.stream();
    }

    /** The events a fixture holds, decoded, up to message_stop and without the error event. */
    private static List<StreamEvent> expectedEvents(String name) {
        List<StreamEvent> events = new ArrayList<>();
        byte[] body = Fixtures.sse(name);
        new SseParser(e -> {
                    StreamEvent event = MessageStream.decode(e);
                    if (!(event instanceof ErrorEvent)) events.add(event);
                })
                .feed(body, 0, body.length);
        return events;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void stream_fixtureDribbled_eventsInOrderAndFinalMessageOrFailureWithPartial(String name) throws Exception {
        byte[] body = Fixtures.sse(name);
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replayInPieces(body, Math.min(40, body.length)));
        JsonNode expected = Fixtures.expected(name);
        List<StreamEvent> seen = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            switch (expected.get("outcome").asText()) {
                case "complete" -> {
                    for (StreamEvent e : stream) seen.add(e);
                    assertEquals(expectedEvents(name), seen);
                    AnthropicFixturesTest.assertSameJson(
                            expected.get("final_message"), stream.result().toJson());
                    assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
                    assertEquals("req_stream", stream.requestId().orElseThrow());
                }
                case "error" -> {
                    ApiException e = assertThrows(ApiException.class, () -> {
                        for (StreamEvent event : stream) seen.add(event);
                    });
                    assertEquals(expectedEvents(name), seen);
                    JsonNode error = expected.get("error").get("error");
                    assertEquals(error.get("type").asText(), e.errorType());
                    assertEquals(error.get("message").asText(), e.errorMessage());
                    assertTrue(e.inStream());
                    assertEquals(200, e.statusCode());
                    assertPartial(expected, e);
                    assertEquals(e, assertThrows(ApiException.class, stream::result));
                }
                case "truncated" -> {
                    IncompleteStreamException e = assertThrows(IncompleteStreamException.class, () -> {
                        for (StreamEvent event : stream) seen.add(event);
                    });
                    assertEquals(expectedEvents(name), seen);
                    assertPartial(expected, e);
                }
                default -> throw new AssertionError(expected.get("outcome").asText());
            }
        }
        assertEquals(1, ClientTestSupport.requests(FAKE.server()));
        RecordedRequest sent = FAKE.server().takeRequest();
        assertEquals(KEY, sent.header("x-api-key"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));
        assertEquals("beta-one,beta-two", sent.header("anthropic-beta"));
        assertEquals("application/json", sent.header("content-type"));
        assertEquals("text/event-stream", sent.header("accept"));
        assertTrue(
                sent.header("user-agent")
                        .matches("sluice/\\S+ java/"
                                + System.getProperty("java.version").replace(".", "\\.")),
                sent.header("user-agent"));
        ObjectMapper json = new ObjectMapper();
        assertEquals(
                json.readTree("{\"model\":\"claude-test\",\"max_tokens\":64,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}]}"),
                json.readTree(sent.body()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void result_withoutIterating_drainsAndMatchesReplay(String name) {
        byte[] body = Fixtures.sse(name);
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replayInPieces(body, 10));
        JsonNode expected = Fixtures.expected(name);
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            if (expected.get("outcome").asText().equals("complete")) {
                AnthropicFixturesTest.assertSameJson(
                        expected.get("final_message"), stream.result().toJson());
                AnthropicFixturesTest.assertSameJson(
                        expected.get("final_message"), stream.snapshot().toJson());
            } else {
                SluiceException e = assertThrows(SluiceException.class, stream::result);
                assertPartial(expected, e);
                assertEquals("req_stream", e.requestId().orElseThrow());
            }
        }
    }

    @Test
    void text_textStream_yieldsDeltasInOrder() {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(Fixtures.sse("text-basic")));
        MessageStream stream = client.messages().stream(ClientTestSupport.request());
        String text;
        try (Stream<String> deltas = stream.text()) {
            text = String.join("", deltas.toList());
        }
        assertEquals(
                Fixtures.expected("text-basic")
                        .get("final_message")
                        .get("content")
                        .get(0)
                        .get("text")
                        .asText(),
                text);
        assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
        assertThrows(IllegalStateException.class, stream::iterator);
    }

    @Test
    void result_afterPartialIteration_drainsTheRestThroughTheSameIterator() {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(Fixtures.sse("tool-use-weather")));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            var it = stream.iterator();
            assertTrue(it.next() instanceof MessageStart);
            assertTrue(stream.snapshot().content().isEmpty());
            Message message = stream.result();
            assertTrue(!it.hasNext());
            AnthropicFixturesTest.assertSameJson(
                    Fixtures.expected("tool-use-weather").get("final_message"), message.toJson());
        }
    }

    @Test
    void listen_textStream_callbacksOnThisThreadThenFinalMessage() {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replayInPieces(Fixtures.sse("text-basic"), 10));
        StringBuilder text = new StringBuilder();
        List<String> calls = new ArrayList<>();
        Thread caller = Thread.currentThread();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            Message message = stream.listen(new StreamListener<StreamEvent, Message>() {
                @Override
                public void onText(String delta, CharSequence textSoFar) {
                    assertEquals(caller, Thread.currentThread());
                    text.append(delta);
                    assertEquals(text.toString(), textSoFar.toString());
                }

                @Override
                public void onResult(Message m) {
                    calls.add("message");
                }

                @Override
                public void onEnd() {
                    calls.add("end");
                }
            });
            assertEquals(message.text(), text.toString());
            assertEquals(List.of("message", "end"), calls);
            AnthropicFixturesTest.assertSameJson(
                    Fixtures.expected("text-basic").get("final_message"), message.toJson());
            assertThrows(IllegalStateException.class, stream::iterator);
        }
    }

    @Test
    void listenAsync_errorStream_futureFailsWithApiExceptionAfterOnError() throws Exception {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(Fixtures.sse("error-overloaded-mid-stream")));
        List<SluiceException> errors = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            var future = stream.listenAsync(new StreamListener<StreamEvent, Message>() {
                @Override
                public void onError(SluiceException error) {
                    errors.add(error);
                }
            });
            var e = assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> future.get(10, java.util.concurrent.TimeUnit.SECONDS));
            ApiException api = (ApiException) e.getCause();
            assertEquals(List.of(api), errors);
            assertTrue(api.inStream());
            AnthropicFixturesTest.assertSameJson(
                    Fixtures.expected("error-overloaded-mid-stream").get("partial_message"),
                    api.partial(Message.class).orElseThrow().toJson());
        }
    }

    @Test
    void listenAsync_textStream_completesWithFinalMessage() throws Exception {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(Fixtures.sse("tool-use-weather")));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            Message m = stream.listenAsync(new StreamListener<StreamEvent, Message>() {})
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            AnthropicFixturesTest.assertSameJson(
                    Fixtures.expected("tool-use-weather").get("final_message"), m.toJson());
        }
    }

    @Test
    void listen_callbackThrows_rethrownAndStreamClosed() {
        ClientTestSupport.always(FAKE.server(), ClientTestSupport.replay(Fixtures.sse("text-basic")));
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            assertEquals(
                    boom,
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> stream.listen(new StreamListener<StreamEvent, Message>() {
                                @Override
                                public void onText(String delta, CharSequence textSoFar) {
                                    throw boom;
                                }
                            })));
            assertTrue(stream.endReason().isPresent());
        }
    }

    private static void assertPartial(JsonNode expected, SluiceException e) {
        Message partial = e.partial(Message.class).orElseThrow(() -> new AssertionError("no partial message on " + e));
        AnthropicFixturesTest.assertSameJson(expected.get("partial_message"), partial.toJson());
    }
}
