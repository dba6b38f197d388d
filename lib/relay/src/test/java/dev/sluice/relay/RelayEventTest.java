package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.PartialJson;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The events' data and frames, tool events through {@link RelaySource#of}, and tool calls from chunks. */
class RelayEventTest {

    @Test
    void data_everyType_isTheDocumentedJson() {
        assertEquals("{\"provider\":\"p\",\"model\":\"m\"}", new RelayEvent.Start("p", "m").data());
        assertEquals("{\"text\":\"a\\nb\"}", new RelayEvent.Delta("a\nb").data());
        assertEquals("{\"text\":\"hmm\"}", new RelayEvent.Thinking("hmm").data());
        assertEquals(
                "{\"id\":\"c1\",\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}",
                new RelayEvent.ToolCall("c1", "f", "{\"a\":").data());
        assertEquals("{\"id\":\"c1\",\"name\":\"f\"}", new RelayEvent.ToolStarted("c1", "f").data());
        assertEquals(
                "{\"id\":\"c1\",\"message\":\"half\",\"percent\":50,\"progress\":null,\"total\":null}",
                new RelayEvent.ToolProgress("c1", "half", 50.0).data());
        assertEquals(
                "{\"id\":\"c1\",\"message\":\"\",\"percent\":12.5,\"progress\":null,\"total\":null}",
                new RelayEvent.ToolProgress("c1", "", 12.5).data());
        assertEquals(
                "{\"id\":\"c1\",\"message\":\"?\",\"percent\":null,\"progress\":null,\"total\":null}",
                new RelayEvent.ToolProgress("c1", "?", null).data());
        assertEquals(
                "{\"id\":\"c1\",\"message\":\"step 2\",\"percent\":50,\"progress\":2,\"total\":4}",
                new RelayEvent.ToolProgress("c1", "step 2", 50.0, 2.0, 4.0).data());
        assertEquals(
                "{\"id\":\"c1\",\"message\":\"\",\"percent\":null,\"progress\":1.5,\"total\":null}",
                new RelayEvent.ToolProgress("c1", "", null, 1.5, null).data());
        assertEquals(
                "{\"id\":\"c1\",\"name\":\"rm\",\"arguments\":\"{\\\"path\\\":\\\"\\u003c/script\\u003e\\\"}\"}",
                new RelayEvent.ToolApproval("c1", "rm", "{\"path\":\"</script>\"}").data());
        assertEquals("tool_approval", new RelayEvent.ToolApproval("c1", "rm", "{}").type());
        assertEquals(
                "{\"id\":\"c1\",\"approved\":false,\"reason\":\"no\"}",
                new RelayEvent.ToolApprovalDecided("c1", false, "no").data());
        assertEquals(
                "{\"id\":\"c1\",\"approved\":true,\"reason\":null}",
                new RelayEvent.ToolApprovalDecided("c1", true, null).data());
        assertEquals("tool_approval_decided", new RelayEvent.ToolApprovalDecided("c1", true, null).type());
        assertEquals(
                "{\"id\":\"c1\",\"name\":\"research\",\"message\":\"Which \\u003cb\\u003epython\\u003c/b\\u003e?\","
                        + "\"schema\":\"{\\\"type\\\":\\\"object\\\"}\"}",
                new RelayEvent.ToolInput("c1", "research", "Which <b>python</b>?", "{\"type\":\"object\"}").data());
        assertEquals("tool_input", new RelayEvent.ToolInput("c1", "t", "?", "{}").type());
        assertEquals("{\"id\":\"c1\",\"result\":\"42\"}", new RelayEvent.ToolDone("c1", "42").data());
        assertEquals("{\"id\":\"c1\",\"message\":\"boom\"}", new RelayEvent.ToolFailed("c1", "boom").data());
        assertEquals(
                "{\"finishReason\":\"stop\",\"usage\":{\"inputTokens\":3,\"outputTokens\":9},\"ttftMs\":120,\"tokensPerSecond\":41.3}",
                new RelayEvent.Done("stop", 3, 9, 120L, 41.26).data());
        assertEquals(
                "{\"finishReason\":null,\"usage\":{\"inputTokens\":0,\"outputTokens\":0},\"ttftMs\":null,\"tokensPerSecond\":0}",
                new RelayEvent.Done(null, 0, 0, null, 0).data());
        assertEquals(
                "{\"finishReason\":\"stop\",\"usage\":{\"inputTokens\":1,\"outputTokens\":2},\"ttftMs\":3,\"tokensPerSecond\":4,"
                        + "\"text\":\"a\\u003cb\\n\"}",
                new RelayEvent.Done("stop", 1, 2, 3L, 4, "a<b\n").data());
        assertEquals(
                "{\"finishReason\":\"refusal\",\"usage\":{\"inputTokens\":1,\"outputTokens\":2},\"ttftMs\":3,\"tokensPerSecond\":4,"
                        + "\"text\":\"\",\"finishMessage\":\"No.\"}",
                new RelayEvent.Done("refusal", 1, 2, 3L, 4, "", "No.").data());
        assertEquals(
                "{\"type\":\"overloaded_error\",\"message\":\"busy\"}",
                new RelayEvent.Error("overloaded_error", "busy").data());
        assertEquals("{\"reason\":\"stop\"}", new RelayEvent.Cancelled("stop").data());
        assertThrows(IllegalArgumentException.class, () -> new RelayEvent.ToolProgress("c", "", 101.0));
        assertThrows(
                IllegalArgumentException.class, () -> new RelayEvent.ToolProgress("c", "", null, Double.NaN, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RelayEvent.ToolProgress("c", "", null, 1.0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new RelayEvent.Done(null, -1, 0, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new RelayEvent.Done(null, 0, 0, null, Double.NaN));
    }

    /** One rule for every figure shown: at least 10 tokens and 0.25 s from the first content to the end. */
    @Test
    void tokensPerSecond_tooShortToMeasure_isZero() {
        assertEquals(0, RelayEvent.Done.tokensPerSecond(2, Duration.ofNanos(829_000))); // not "2411.7 tokens/s"
        assertEquals(0, RelayEvent.Done.tokensPerSecond(9, Duration.ofSeconds(2)));
        assertEquals(0, RelayEvent.Done.tokensPerSecond(10, Duration.ofMillis(249)));
        assertEquals(0, RelayEvent.Done.tokensPerSecond(0, Duration.ZERO));
        assertEquals(36.0, RelayEvent.Done.tokensPerSecond(10, Duration.ofMillis(250)), 1e-9); // the 9 after the first
        assertEquals(70.0, RelayEvent.Done.tokensPerSecond(141, Duration.ofSeconds(2)), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> RelayEvent.Done.tokensPerSecond(-1, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> RelayEvent.Done.tokensPerSecond(1, null));
    }

    @Test
    void data_hostileText_isValidJsonThatCannotCloseAScriptOrForgeALine() {
        String hostile = "</script><script>alert(1)</script>\"\\\u0000\u001f\r\n\u2028\u2029 é 🌊";
        String data = new RelayEvent.Delta(hostile).data();
        assertEquals(-1, data.indexOf('<'));
        assertEquals(-1, data.indexOf('\n'));
        assertEquals(-1, data.indexOf('\u2028'));
        assertEquals(Map.of("text", hostile), PartialJson.parse(data).value());
    }

    @Test
    void data_everyEscape_exactBytes() {
        assertEquals(
                "{\"text\":\"\\u003c/script\\u003e \\u0026 \\\" \\\\ \\n\\r\\t\\b\\f\\u0000\\u001f \\u2028\\u2029 / é 🌊\"}",
                new RelayEvent.Delta("</script> & \" \\ \n\r\t\b\f\u0000\u001f \u2028\u2029 / é 🌊").data());
    }

    @Test
    void deliver_surrogatePairSplitOverTwoDeltas_clientJoinsTheHalvesBackIntoTheCharacter() throws Exception {
        // a provider may escape a pair and split it over two events: each delta then holds a lone half, which
        // UTF-8 cannot carry; escaped, each half reaches the client's JSON parser (Jackson keeps a lone half, as
        // a browser's JSON.parse does), and the text joins them again
        Relay relay = Relay.builder()
                .source(
                        "p",
                        "m",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    emitter.emit(new RelayEvent.Delta("wave \ud83c"));
                                    emitter.emit(new RelayEvent.Delta("\udf0a!"));
                                })))
                .build();
        try (relay) {
            Recorded r = record(relay);
            StringBuilder text = new StringBuilder();
            for (var e : r.events()) {
                if (e.type().equals("delta"))
                    text.append(
                            new ObjectMapper().readTree(e.data()).get("text").asText());
            }
            assertEquals("wave 🌊!", text.toString());
        }
    }

    @Test
    void frame_addsIdTypeAndTheStreamAndNestsTheErrorsOwnType() {
        assertEquals("{\"id\":3,\"type\":\"delta\",\"text\":\"hi\"}", new RelayEvent.Delta("hi").frame(3, null));
        assertEquals(
                "{\"id\":1,\"type\":\"start\",\"stream\":\"S\",\"provider\":\"p\",\"model\":\"m\"}",
                new RelayEvent.Start("p", "m").frame(1, "S"));
        assertEquals(
                "{\"id\":9,\"type\":\"error\",\"error\":{\"type\":\"timeout\",\"message\":\"slow\"}}",
                new RelayEvent.Error("timeout", "slow").frame(9, null));
    }

    @Test
    void source_toolRunnerEvents_relayedInOrderWithIds() {
        Relay relay = Relay.builder()
                .source(
                        "agent",
                        "agent-1",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    emitter.emit(new RelayEvent.Start("agent", request.model()));
                                    emitter.emit(new RelayEvent.ToolStarted("t1", "search"));
                                    emitter.emit(new RelayEvent.ToolProgress("t1", "reading", 50.0));
                                    emitter.emit(new RelayEvent.ToolDone("t1", "3 hits"));
                                    emitter.emit(new RelayEvent.ToolStarted("t2", "fetch"));
                                    emitter.emit(new RelayEvent.ToolFailed("t2", "timed out"));
                                    emitter.emit(new RelayEvent.Delta("Found 3."));
                                    emitter.emit(new RelayEvent.Done("stop", 1, 2, 5L, 1));
                                    emitter.emit(new RelayEvent.Delta("never sent: after the terminal event"));
                                })))
                .build();
        try (relay) {
            Recorded r = record(relay);
            assertEquals(
                    List.of(
                            "start",
                            "tool_started",
                            "tool_progress",
                            "tool_done",
                            "tool_started",
                            "tool_failed",
                            "delta",
                            "done"),
                    r.types());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), r.ids());
            assertEquals(
                    "{\"id\":\"t1\",\"message\":\"reading\",\"percent\":50,\"progress\":null,\"total\":null}",
                    r.events().get(2).data());
        }
    }

    @Test
    void done_withoutText_relayFillsInTheDeltasWithABlankLineWhereToolsInterrupted() {
        Relay relay = Relay.builder()
                .source(
                        "agent",
                        "agent-1",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    emitter.emit(new RelayEvent.Delta("I'll "));
                                    emitter.emit(new RelayEvent.Thinking("hmm"));
                                    emitter.emit(new RelayEvent.Delta("check."));
                                    emitter.emit(new RelayEvent.ToolStarted("t1", "search"));
                                    emitter.emit(new RelayEvent.ToolDone("t1", "3 hits"));
                                    emitter.emit(new RelayEvent.Delta("Found 3."));
                                    emitter.emit(new RelayEvent.Done("stop", 1, 2, 5L, 1));
                                })))
                .build();
        try (relay) {
            String done = record(relay).events().getLast().data();
            assertTrue(done.endsWith(",\"text\":\"I'll check.\\n\\nFound 3.\"}"), done);
        }
        Relay own = Relay.builder()
                .source(
                        "agent",
                        "m",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> {
                                    emitter.emit(new RelayEvent.Delta("x"));
                                    emitter.emit(new RelayEvent.Done("stop", 1, 2, 5L, 1, "the source's own"));
                                })))
                .build();
        try (own) {
            assertTrue(record(own).events().getLast().data().endsWith(",\"text\":\"the source's own\"}"));
        }
    }

    @Test
    void source_endsWithoutATerminalEvent_relayEndsItWithDone() {
        Relay relay = Relay.builder()
                .source(
                        "agent",
                        "m",
                        (request, controller) -> RelaySource.of(EventStream.<RelayEvent>builder()
                                .controller(controller)
                                .generate(emitter -> emitter.emit(new RelayEvent.Delta("x")))))
                .build();
        try (relay) {
            assertEquals(List.of("delta", "done"), record(relay).types());
        }
    }

    @Test
    void chat_toolCallDeltas_eachCarriesTheCallsIdAndName() {
        ChatProvider tools = scripted(List.of(
                chunk().thinking("let me see").build(),
                chunk().text("Checking.")
                        .toolCall(ToolCallDelta.start(0, "call_1", "weather", "{\"ci"))
                        .build(),
                chunk().toolCall(ToolCallDelta.arguments(0, "ty\":\"Oslo\"}")).build(),
                chunk().finishReason(FinishReason.fromAnthropic("tool_use")).build()));
        try (Relay relay = Relay.builder().provider("p", tools, "m").build()) {
            Recorded r = record(relay);
            assertEquals(List.of("start", "thinking", "delta", "tool_call", "tool_call", "done"), r.types());
            assertEquals(
                    "{\"id\":\"call_1\",\"name\":\"weather\",\"arguments\":\"{\\\"ci\"}",
                    r.events().get(3).data());
            assertEquals(
                    "{\"id\":\"call_1\",\"name\":\"weather\",\"arguments\":\"ty\\\":\\\"Oslo\\\"}\"}",
                    r.events().get(4).data());
            assertEquals(
                    "tool_calls",
                    ((Map<?, ?>) PartialJson.parse(r.events().get(5).data()).value()).get("finishReason"));
        }
    }

    @Test
    void chat_refusal_doneCarriesItsWordsAsTheFinishMessageNotTheText() {
        ChatProvider refusing = scripted(List.of(
                chunk().text("{\"a\":").build(),
                chunk().finishReason(new FinishReason(FinishReason.Kind.REFUSAL, "refusal", "Declined by policy."))
                        .build()));
        try (Relay relay = Relay.builder().provider("p", refusing, "m").build()) {
            Map<?, ?> done = (Map<?, ?>)
                    PartialJson.parse(record(relay).events().getLast().data()).value();
            assertEquals("refusal", done.get("finishReason"));
            assertEquals("Declined by policy.", done.get("finishMessage"));
            assertEquals("{\"a\":", done.get("text"));
        }
    }

    /** The done event's figure follows {@link RelayEvent.Done#tokensPerSecond}: two tokens in a millisecond are no rate. */
    @ParameterizedTest
    @CsvSource({"2, 1, 0", "9, 2000, 0", "21, 200, 0", "21, 1000, 20"})
    void chat_done_tokensPerSecondOnlyWhenMeasurable(int tokens, long spanMillis, double expected) {
        ChatProvider timed = scripted(List.of(
                chunkAt(100).text("first").build(),
                chunkAt(100 + spanMillis)
                        .text(" last")
                        .finishReason(FinishReason.fromAnthropic("end_turn"))
                        .usage(Usage.of(3, tokens))
                        .build()));
        try (Relay relay = Relay.builder().provider("p", timed, "m").build()) {
            Map<?, ?> done = (Map<?, ?>)
                    PartialJson.parse(record(relay).events().getLast().data()).value();
            assertEquals(expected, ((Number) done.get("tokensPerSecond")).doubleValue(), 1e-9, done.toString());
        }
    }

    /** {@return a model that streams these chunks through the real engine} */
    private static ChatProvider scripted(List<MessageChunk> chunks) {
        return new ChatProvider() {
            @Override
            public EventStream<MessageChunk> stream(ChatRequest request) {
                return stream(request, StreamController.create());
            }

            @Override
            public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
                return EventStream.<MessageChunk>builder()
                        .controller(controller)
                        .generate(emitter -> chunks.forEach(emitter::emit));
            }
        };
    }

    private static MessageChunk.Builder chunkAt(long millisSinceRequest) {
        return MessageChunk.builder(new ChunkMetadata("m", Instant.now(), Duration.ofMillis(millisSinceRequest)));
    }

    private static MessageChunk.Builder chunk() {
        return MessageChunk.builder(new ChunkMetadata("m", Instant.now(), Duration.ofMillis(10)));
    }

    private static Recorded record(Relay relay) {
        String id = relay.start(StartRequest.parse("{\"prompt\":\"go\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(Subscription.Outcome.COMPLETE, relay.subscribe(id, null).deliver(new SseRelayWriter(out)));
        return Recorded.of(out);
    }
}
