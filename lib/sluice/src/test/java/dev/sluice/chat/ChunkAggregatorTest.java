package dev.sluice.chat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkAggregatorTest {

    private static ChunkMetadata meta(long millis) {
        return new ChunkMetadata("model-1", Instant.EPOCH.plusMillis(millis), Duration.ofMillis(millis));
    }

    private static MessageChunk.Builder chunk(long millis) {
        return MessageChunk.builder(meta(millis)).id("msg_1");
    }

    private static final FinishReason STOP = new FinishReason(FinishReason.Kind.STOP, "stop");
    private static final FinishReason TOOLS = new FinishReason(FinishReason.Kind.TOOL_CALLS, "tool_calls");
    private static final FinishReason LENGTH = new FinishReason(FinishReason.Kind.LENGTH, "length");

    @Test
    void result_noFinishReason_notCompleteAndIllegalStateThatPointsToSnapshot() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).text("x").build());
        assertFalse(aggregator.isComplete());
        IllegalStateException e = assertThrows(IllegalStateException.class, aggregator::result);
        assertTrue(e.getMessage().contains("snapshot()"), e.getMessage());
        aggregator.accept(chunk(2).finishReason(STOP).build());
        assertTrue(aggregator.isComplete());
        assertEquals("x", aggregator.result().text());
    }

    @Test
    void bounded_answerFarPastTheBound_holdsItsFirstCharactersAndTheRestOfTheResponse() {
        ChunkAggregator aggregator = new ChunkAggregator(10);
        aggregator.accept(chunk(1).thinking("abcd").build());
        aggregator.accept(chunk(2).text("efgh").build());
        String piece = "x".repeat(1000);
        for (int i = 0; i < 1000; i++) aggregator.accept(chunk(3).text(piece).build()); // a million characters
        aggregator.accept(chunk(4).toolCall(ToolCallDelta.start(0, "call_1", "get", "{\"a\":1}"))
                .usage(new Usage(3, 1_000_000, 0, 0))
                .finishReason(STOP)
                .build());
        ChatResponse partial = aggregator.snapshot();
        assertEquals("abcd", partial.thinking());
        assertEquals("efghxx", partial.text(), "the first ten characters of text and thinking, no more");
        assertEquals(1, partial.toolCalls().size(), "a call is named, its arguments past the bound left out");
        assertEquals("call_1", partial.toolCalls().getFirst().id());
        assertEquals("", partial.toolCalls().getFirst().arguments());
        assertEquals(1_000_000, partial.usage().outputTokens(), "what is not content is kept whole");
        assertEquals(1003, partial.metadata().chunks());
        assertThrows(IllegalArgumentException.class, () -> new ChunkAggregator(0));
    }

    @Test
    void bounded_pieceEndsInASurrogatePair_pairNotSplit() {
        ChunkAggregator aggregator = new ChunkAggregator(3);
        aggregator.accept(chunk(1).text("ab\ud83d\ude00c").build());
        assertEquals("ab", aggregator.snapshot().text());
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    @Test
    void accept_textDeltas_areConcatenatedWithIdModelAndLatency() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(MessageChunk.builder(new ChunkMetadata("", Instant.EPOCH, Duration.ofMillis(120)))
                .build());
        aggregator.accept(chunk(150).text("Hello").build());
        aggregator.accept(chunk(180).text(", world").finishReason(STOP).build());
        ChatResponse response = aggregator.result();
        assertEquals("msg_1", response.id());
        assertEquals("Hello, world", response.text());
        assertEquals("", response.thinking());
        assertEquals(List.of(), response.toolCalls());
        assertEquals(
                new ResponseMetadata("model-1", 3, Duration.ofMillis(120), Duration.ofMillis(180)),
                response.metadata());
        assertTrue(response.complete());
    }

    @Test
    void partial_beforeAnyChunk_isEmptyWithoutLatency() {
        ChatResponse response = new ChunkAggregator().snapshot();
        assertEquals("", response.id());
        assertEquals("", response.text());
        assertNull(response.finishReason());
        assertNull(response.usage());
        assertEquals(new ResponseMetadata("", 0, null, null), response.metadata());
        assertFalse(response.complete());
    }

    @Test
    void accept_thinkingDeltas_areConcatenatedApartFromText() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).thinking("Let me ").build());
        aggregator.accept(chunk(2).thinking("think.").build());
        aggregator.accept(chunk(3).text("42").build());
        ChatResponse response = aggregator.snapshot();
        assertEquals("Let me think.", response.thinking());
        assertEquals("42", response.text());
    }

    @Test
    void accept_twoParallelToolCallsSplitMidToken_groupedByIndexAndParsed() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).toolCall(ToolCallDelta.start(1, "call_b", "search", "{\"q\":\"ri"))
                .build());
        aggregator.accept(chunk(2).toolCall(ToolCallDelta.start(0, "call_a", "weather", "{\"city\":\"Pa"))
                .build());
        aggregator.accept(chunk(3).toolCall(ToolCallDelta.arguments(0, "ris\",\"days\":1"))
                .toolCall(ToolCallDelta.arguments(1, "vers\",\"lim"))
                .build());

        ChatResponse partial = aggregator.snapshot();
        assertEquals(2, partial.toolCalls().size());
        ToolCall a = partial.toolCalls().get(0);
        ToolCall b = partial.toolCalls().get(1);
        assertEquals(0, a.index());
        assertEquals("call_a", a.id());
        assertEquals("weather", a.name());
        assertEquals("{\"city\":\"Paris\",\"days\":1", a.arguments());
        assertEquals(map("city", "Paris"), a.parsedArguments(), "the number is not shown until a delimiter arrives");
        assertNull(a.argumentsError());
        assertEquals(map("q", "rivers"), b.parsedArguments(), "a partial key is left out");

        aggregator.accept(chunk(4).toolCall(ToolCallDelta.arguments(0, "2}")).build());
        aggregator.accept(chunk(5).toolCall(ToolCallDelta.arguments(1, "it\":5}"))
                .finishReason(TOOLS)
                .build());
        ChatResponse response = aggregator.result();
        assertEquals(
                new ToolCall(
                        0,
                        "call_a",
                        "weather",
                        "{\"city\":\"Paris\",\"days\":12}",
                        map("city", "Paris", "days", 12L),
                        null),
                response.toolCalls().get(0));
        assertEquals(
                new ToolCall(
                        1, "call_b", "search", "{\"q\":\"rivers\",\"limit\":5}", map("q", "rivers", "limit", 5L), null),
                response.toolCalls().get(1));
    }

    @Test
    void result_invalidToolArguments_reportsTheErrorOnTheCallNotAnEmptyObject() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).toolCall(ToolCallDelta.start(0, "call_a", "run", "{\"cmd\":\"ls"))
                .build());
        assertNull(aggregator.snapshot().toolCalls().get(0).argumentsError());
        aggregator.accept(chunk(2).finishReason(LENGTH).build());
        ToolCall call = aggregator.result().toolCalls().get(0);
        assertEquals(map("cmd", "ls"), call.parsedArguments());
        assertFalse(call.argumentsValid());
        assertEquals(
                "unterminated string starting at offset 7: unexpected end of input at offset 10",
                call.argumentsError());
    }

    @Test
    void result_malformedToolArguments_reportsTheErrorKeepsTheTextAndGuessesNoValue() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).toolCall(ToolCallDelta.start(0, "call_a", "run", "{\"cmd\":\"ls\", \"x\""))
                .build());
        aggregator.accept(chunk(2).toolCall(ToolCallDelta.arguments(0, "}"))
                .finishReason(TOOLS)
                .build());
        assertEquals(
                map("cmd", "ls"),
                aggregator.snapshot().toolCalls().get(0).parsedArguments(),
                "a partial shows the partial");
        ToolCall call = aggregator.result().toolCalls().get(0);
        assertNull(call.parsedArguments(), "no value guessed from a malformed text");
        assertEquals("{\"cmd\":\"ls\", \"x\"}", call.arguments());
        assertEquals("unexpected '}' where ':' was expected at offset 16", call.argumentsError());
    }

    @Test
    void snapshot_argumentsNotAnObjectYet_showAnEmptyObjectThatOnlyGrows() {
        // as ChatCompletionStreamFuzzTest found in the OpenAI accumulator: {} must not become null
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(
                chunk(1).toolCall(ToolCallDelta.start(0, "call_a", "run", "")).build());
        assertEquals(Map.of(), aggregator.snapshot().toolCalls().get(0).parsedArguments());
        aggregator.accept(
                chunk(2).toolCall(ToolCallDelta.arguments(0, "ls -la")).build());
        assertEquals(Map.of(), aggregator.snapshot().toolCalls().get(0).parsedArguments());
        aggregator.accept(chunk(3).toolCall(ToolCallDelta.arguments(0, " {\"x\": 1"))
                .finishReason(TOOLS)
                .build());
        assertNull(
                aggregator.result().toolCalls().get(0).parsedArguments(),
                "the result guesses no value from a malformed text");
    }

    @Test
    void result_toolCallWithoutArguments_hasAnEmptyObject() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).toolCall(ToolCallDelta.start(0, "call_a", "now", ""))
                .finishReason(TOOLS)
                .build());
        assertEquals(Map.of(), aggregator.snapshot().toolCalls().get(0).parsedArguments());
        ToolCall call = aggregator.result().toolCalls().get(0);
        assertEquals(Map.of(), call.parsedArguments());
        assertTrue(call.argumentsValid());
    }

    @ParameterizedTest
    @EnumSource(FinishReason.Kind.class)
    void accept_finishReasonOfEveryKind_isKeptWithItsRawString(FinishReason.Kind kind) {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).text("x").build());
        assertNull(aggregator.snapshot().finishReason());
        FinishReason reason = new FinishReason(kind, "provider_" + kind.name().toLowerCase());
        aggregator.accept(chunk(2).finishReason(reason).build());
        assertEquals(reason, aggregator.result().finishReason());
    }

    @Test
    void accept_usage_keepsTheLatestTotals() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).usage(new Usage(10, 1, 5, 0)).build());
        aggregator.accept(chunk(2).text("x").build());
        assertEquals(new Usage(10, 1, 5, 0), aggregator.snapshot().usage());
        aggregator.accept(
                chunk(3).usage(new Usage(10, 25, 5, 0)).finishReason(STOP).build());
        assertEquals(new Usage(10, 25, 5, 0), aggregator.result().usage());
    }

    @Test
    void result_calledTwice_returnsTheSameResponseAndRefusesMoreChunks() {
        ChunkAggregator aggregator = new ChunkAggregator();
        aggregator.accept(chunk(1).text("x").finishReason(STOP).build());
        ChatResponse response = aggregator.result();
        assertSame(response, aggregator.result());
        assertSame(response, aggregator.snapshot());
        assertThrows(IllegalStateException.class, () -> aggregator.accept(chunk(2).build()));
        assertThrows(NullPointerException.class, () -> new ChunkAggregator().accept(null));
    }

    @Test
    void partial_fromAnotherThreadWhileAccepting_seesConsistentGrowingResponses() {
        ChunkAggregator aggregator = new ChunkAggregator();
        int total = 2_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong seenChunks = new AtomicLong(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<ChatResponse> seen = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                ChatResponse previous = null;
                while (!done.get()) {
                    ChatResponse p = aggregator.snapshot();
                    long n = p.metadata().chunks();
                    // Every part reflects the same chunks: chunk i carries text "<i>;" and one argument element.
                    StringBuilder expected = new StringBuilder();
                    for (int i = 0; i < n; i++) expected.append(i).append(';');
                    if (!p.text().equals(expected.toString()))
                        throw new AssertionError("text " + p.text() + " for " + n + " chunks");
                    if (n > 0) {
                        String args = p.toolCalls().get(0).arguments();
                        if (args.chars().filter(c -> c == ',').count() != n - 1)
                            throw new AssertionError("args " + args + " for " + n);
                        List<?> items =
                                (List<?>) ((Map<?, ?>) p.toolCalls().get(0).parsedArguments()).get("items");
                        if (items.size() < n - 1)
                            throw new AssertionError(items.size() + " items for " + n + " chunks");
                    }
                    if (previous != null
                            && (n < previous.metadata().chunks() || !p.text().startsWith(previous.text()))) {
                        throw new AssertionError(
                                "went back from " + previous.metadata().chunks() + " to " + n);
                    }
                    if (previous == null || n != previous.metadata().chunks()) seen.add(p);
                    previous = p;
                    seenChunks.set(n);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        for (int i = 0; i < total; i++) {
            String args = i == 0 ? "{\"items\":[0" : "," + i;
            ToolCallDelta delta =
                    i == 0 ? ToolCallDelta.start(0, "call_a", "t", args) : ToolCallDelta.arguments(0, args);
            aggregator.accept(chunk(i).text(i + ";").toolCall(delta).build());
            if (i % 200 == 0) {
                long target = i + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> seenChunks.get() >= target || failure.get() != null);
            }
        }
        done.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !reader.isAlive());
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertTrue(seen.size() >= total / 200, "snapshots taken while accepting: " + seen.size());
        List<Long> counts = new ArrayList<>();
        for (ChatResponse r : seen) counts.add(r.metadata().chunks());
        for (int i = 1; i < counts.size(); i++) assertTrue(counts.get(i) > counts.get(i - 1), counts.toString());
    }
}
