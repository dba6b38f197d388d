package dev.sluice.anthropic;

import static dev.sluice.anthropic.ClientTestSupport.BLOCK_START;
import static dev.sluice.anthropic.ClientTestSupport.BLOCK_STOP;
import static dev.sluice.anthropic.ClientTestSupport.MESSAGE_DELTA;
import static dev.sluice.anthropic.ClientTestSupport.MESSAGE_START;
import static dev.sluice.anthropic.ClientTestSupport.MESSAGE_STOP;
import static dev.sluice.anthropic.ClientTestSupport.PING;
import static dev.sluice.anthropic.ClientTestSupport.delta;
import static dev.sluice.anthropic.ClientTestSupport.errorEvent;
import static dev.sluice.anthropic.ClientTestSupport.replay;
import static dev.sluice.anthropic.ClientTestSupport.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.stream.EndReason;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeLlmServer;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is held back before the first event of substance, and retried unseen: an error after
 * {@code message_start}, an empty text block's start, a ping, a tool call's start or an empty delta
 * reopens the stream, and the user sees only the new attempt's events; what is held back is bounded.
 */
class AnthropicRetryBeforeSubstanceTest {
    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private AnthropicClient client;

    /** The second attempt's message_start: another id, so that the test sees whose events it got. */
    private static final String MESSAGE_START_2 = MESSAGE_START.replace("msg_1", "msg_2");

    @BeforeEach
    void setUp() {
        client = ClientTestSupport.client(FAKE.server().baseUrl().toString()).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static String toolStart(String id) {
        return "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"get_weather\",\"input\":{}}}\n\n";
    }

    private static String inputDelta(String json) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + json.replace("\"", "\\\"")
                + "\"}}\n\n";
    }

    private List<StreamEvent> readAll(MessageStream stream) {
        List<StreamEvent> events = new ArrayList<>();
        for (StreamEvent e : stream) events.add(e);
        return events;
    }

    @ParameterizedTest
    @ValueSource(strings = {"overloaded_error", "api_error", "rate_limit_error"})
    void stream_errorAfterMessageStartEmptyBlockStartAndPing_retriedAndTheUserSeesOnlyTheSecondAttempt(String type) {
        ClientTestSupport.script(
                FAKE.server(),
                List.of(
                        replay(MESSAGE_START + BLOCK_START + PING + errorEvent(type)),
                        replay(MESSAGE_START_2
                                + BLOCK_START
                                + delta("good")
                                + BLOCK_STOP
                                + MESSAGE_DELTA
                                + MESSAGE_STOP)));
        List<StreamEvent> events;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            events = readAll(stream);
            assertEquals("good", stream.result().text());
            assertEquals("msg_2", stream.result().id());
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
        }
        assertEquals(2, requests(FAKE.server()), "the request was sent twice");
        assertEquals(
                List.of(
                        MessageStart.class,
                        ContentBlockStart.class,
                        ContentBlockDelta.class,
                        ContentBlockStop.class,
                        MessageDelta.class,
                        MessageStop.class),
                events.stream().map(Object::getClass).toList(),
                "exactly the second attempt's events: " + events);
        assertEquals("msg_2", ((MessageStart) events.getFirst()).message().id());
    }

    @Test
    void stream_errorAfterAToolCallsStartAndAnEmptyInputDelta_retriedAndTheUserNeverSeesTheFirstToolCall() {
        ClientTestSupport.script(
                FAKE.server(),
                List.of(
                        replay(MESSAGE_START
                                + toolStart("toolu_1")
                                + inputDelta("")
                                + PING
                                + errorEvent("overloaded_error")),
                        replay(MESSAGE_START_2
                                + toolStart("toolu_2")
                                + inputDelta("")
                                + inputDelta("{\"city\": \"Paris\"}")
                                + BLOCK_STOP
                                + MESSAGE_DELTA
                                + MESSAGE_STOP)));
        List<StreamEvent> events;
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            events = readAll(stream);
            ToolUseBlock tool = (ToolUseBlock) stream.result().content().getFirst();
            assertEquals("toolu_2", tool.id());
            assertEquals(Map.of("city", "Paris"), tool.input());
        }
        assertEquals(2, requests(FAKE.server()));
        List<String> toolIds = events.stream()
                .filter(e -> e instanceof ContentBlockStart)
                .map(e -> ((ToolUseBlock) ((ContentBlockStart) e).contentBlock()).id())
                .toList();
        assertEquals(List.of("toolu_2"), toolIds, "only the second attempt's tool call: " + events);
        assertEquals(1, events.stream().filter(e -> e instanceof MessageStart).count());
    }

    @Test
    void stream_errorAfterAPieceOfAToolCallsInput_notRetriedTheUserHasSeenTheToolCall() {
        ClientTestSupport.script(
                FAKE.server(),
                List.of(
                        replay(MESSAGE_START
                                + toolStart("toolu_1")
                                + inputDelta("{\"ci")
                                + errorEvent("overloaded_error")),
                        replay(MESSAGE_START_2 + toolStart("toolu_2") + BLOCK_STOP + MESSAGE_DELTA + MESSAGE_STOP)));
        List<StreamEvent> events = new ArrayList<>();
        try (MessageStream stream = client.messages().stream(ClientTestSupport.request())) {
            ApiException e = assertThrows(ApiException.class, () -> {
                for (StreamEvent ev : stream) events.add(ev);
            });
            assertEquals("overloaded_error", e.errorType());
            assertTrue(e.inStream());
        }
        assertEquals(1, requests(FAKE.server()), "not retried: a piece of the tool call's input had reached the user");
        assertEquals(
                List.of(MessageStart.class, ContentBlockStart.class, ContentBlockDelta.class),
                events.stream().map(Object::getClass).toList());
    }

    /**
     * A million events of an unknown type before any content: they are delivered as they come (past
     * the hold-back bound), not kept until content arrives. The server sends the content only once
     * the test has received all of them, so a client that held them back would wait forever.
     */
    @Test
    void stream_aMillionUnknownEventsBeforeContent_deliveredAsTheyComeNotHeld() throws Exception {
        int total = 1_000_000;
        int perChunk = 10_000;
        String unknown = "event: vendor_progress\ndata: {\"type\":\"vendor_progress\"}\n\n";
        String chunk = unknown.repeat(perChunk);
        CountDownLatch received = new CountDownLatch(1);
        try (FakeLlmServer raw = FakeLlmServer.start()) {
            raw.enqueue(FakeResponse.sse(MESSAGE_START
                            + chunk.repeat(total / perChunk)
                            + BLOCK_START
                            + delta("done")
                            + BLOCK_STOP
                            + MESSAGE_DELTA
                            + MESSAGE_STOP)
                    .pauseAfter(1 + total, received));
            try (AnthropicClient c =
                            ClientTestSupport.client(raw.baseUrl().toString()).build();
                    MessageStream stream = c.messages().stream(ClientTestSupport.request())) {
                Iterator<StreamEvent> it = stream.iterator();
                assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
                    assertEquals("msg_1", ((MessageStart) it.next()).message().id());
                    for (int i = 0; i < total; i++) {
                        StreamEvent e = it.next();
                        if (!(e instanceof UnknownEvent u) || !u.type().equals("vendor_progress")) {
                            throw new AssertionError("event " + i + ": " + e);
                        }
                    }
                });
                received.countDown();
                while (it.hasNext()) it.next();
                assertEquals("done", stream.result().text());
            }
        } finally {
            received.countDown();
        }
    }

    @Test
    void isSubstance_blockStartsThatOnlyAnnounceAndEmptyDeltas_notSubstanceTheRestOfTheContentIs() {
        var protocol = AnthropicStreamDecoding.RULES;
        Map<String, Object> noInput = Map.of();
        for (StreamEvent e : List.of(
                new ContentBlockStart(0, TextBlock.of("")),
                new ContentBlockStart(0, new ThinkingBlock("", "")),
                new ContentBlockStart(
                        0, new ToolUseBlock("toolu_1", "get_weather", noInput, "", java.util.Optional.empty())),
                new ContentBlockStart(
                        0, new ServerToolUseBlock("srvtoolu_1", "web_search", noInput, "", java.util.Optional.empty())),
                new ContentBlockDelta(0, new TextDelta("")),
                new ContentBlockDelta(0, new InputJsonDelta("")),
                new ContentBlockDelta(0, new ThinkingDelta("")),
                new ContentBlockDelta(0, new SignatureDelta("")),
                new Ping(),
                new UnknownEvent("vendor_progress", "{}"))) {
            assertTrue(!protocol.isSubstance(e), e.toString());
        }
        for (StreamEvent e : List.of(
                new ContentBlockStart(0, TextBlock.of("Hi")),
                new ContentBlockStart(0, new RedactedThinkingBlock("abc")),
                new ContentBlockStart(
                        0, new OtherBlock("web_search_tool_result", Map.of("type", "web_search_tool_result"))),
                new ContentBlockDelta(0, new TextDelta("a")),
                new ContentBlockDelta(0, new InputJsonDelta("{")),
                new ContentBlockDelta(0, new UnknownDelta("future_delta", "{}")),
                new ContentBlockStop(0),
                new MessageDelta("end_turn", null, MessageUsage.empty()),
                new MessageStop())) {
            assertTrue(protocol.isSubstance(e), e.toString());
        }
        // Counting is unchanged: an empty text block's start is still a content event.
        assertTrue(protocol.isContent(new ContentBlockStart(0, TextBlock.of(""))));
    }
}
