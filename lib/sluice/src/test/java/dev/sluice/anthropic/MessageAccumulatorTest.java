package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ProtocolException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MessageAccumulatorTest {

    private static Message start() {
        return new Message(
                "msg_1", "message", "assistant", "claude-test", List.of(), null, null, MessageUsage.of(10, 1));
    }

    private static MessageAccumulator startedWithTool() {
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(start()));
        acc.accept(
                new ContentBlockStart(0, new ToolUseBlock("toolu_1", "get_weather", Map.of(), "{}", Optional.empty())));
        return acc;
    }

    private static ToolUseBlock tool(MessageAccumulator acc) {
        return assertInstanceOf(ToolUseBlock.class, acc.snapshot().content().get(0));
    }

    @Test
    void snapshot_beforeMessageStart_anEmptyMessageAndNoPartial() {
        MessageAccumulator acc = new MessageAccumulator();
        Message empty = acc.snapshot();
        assertEquals("", empty.id());
        assertEquals("", empty.model());
        assertEquals(List.of(), empty.content());
        assertEquals(null, acc.partial(), "a failure before message_start carries no partial message");
        assertFalse(acc.isComplete());
    }

    @Test
    void snapshot_toolInputMidStream_bestEffortPartialValue() {
        MessageAccumulator acc = startedWithTool();
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("{\"city\": \"San Fr")));
        ToolUseBlock t = tool(acc);
        assertEquals(Map.of("city", "San Fr"), t.input());
        assertEquals("{\"city\": \"San Fr", t.inputJson());
        assertEquals(Optional.empty(), t.inputError());
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("ancisco\", \"days\": [1, 2")));
        assertEquals(
                Map.of("city", "San Francisco", "days", List.of(1L)), tool(acc).input());
    }

    /**
     * A stopped block's input is parsed when first read, from the whole text; one that was watched
     * while it streamed is finished from the parser that followed it. Both give the same block.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "{\"city\": \"San Francisco\", \"days\": [1, 2, 3], \"unit\": \"c\\u00b0\"}",
                "{\"city\": \"San Fr",
                "{\"city\": \"Paris\", oops}",
                "[1, 2]",
                "{\"n\": 12",
                "   "
            })
    void stop_inputParsedOnFirstReadOrFollowedWhileStreaming_sameBlock(String json) {
        MessageAccumulator unwatched = startedWithTool();
        MessageAccumulator watched = startedWithTool();
        for (int i = 0; i < json.length(); i += 3) {
            InputJsonDelta piece = new InputJsonDelta(json.substring(i, Math.min(json.length(), i + 3)));
            unwatched.accept(new ContentBlockDelta(0, piece));
            watched.accept(new ContentBlockDelta(0, piece));
            tool(watched).input(); // a snapshot read after every piece: the partial value followed
        }
        unwatched.accept(new ContentBlockStop(0));
        watched.accept(new ContentBlockStop(0));
        ToolUseBlock lazy = tool(unwatched);
        assertFalse(lazy.inputState().isParsed(), "nothing read the input yet");
        assertEquals(json, lazy.inputJson());
        assertFalse(lazy.inputState().isParsed(), "the text alone needs no parse");
        ToolUseBlock followed = tool(watched);
        assertTrue(followed.inputState().isParsed(), "finished from the parser that followed the stream");
        assertEquals(followed.inputError(), lazy.inputError());
        assertTrue(lazy.inputState().isParsed());
        assertEquals(followed.input(), lazy.input());
        assertEquals(followed, lazy);
        assertEquals(followed.toString(), lazy.toString());
        assertEquals(watched.snapshot().toJson(), unwatched.snapshot().toJson());
    }

    @Test
    void stop_inputReadFromManyThreadsAtOnce_oneValueForAll() throws Exception {
        MessageAccumulator acc = startedWithTool();
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("{\"list\": [" + "1, ".repeat(5000) + "2]}")));
        acc.accept(new ContentBlockStop(0));
        ToolUseBlock t = tool(acc);
        List<Thread> readers = new java.util.ArrayList<>();
        java.util.Set<Object> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(java.util.List.of(t.input().get("list"), t.inputError()));
            }));
        }
        go.countDown();
        for (Thread r : readers) r.join();
        assertEquals(1, seen.size(), "equal values on every thread");
        assertEquals(5001, ((List<?>) t.input().get("list")).size());
        assertSame(t.input(), t.input(), "parsed once, then kept");
    }

    @Test
    void stop_invalidToolJson_reportsTheErrorKeepsTheTextAndGuessesNoValue() {
        MessageAccumulator acc = startedWithTool();
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("{\"city\": \"Paris\", oops}")));
        acc.accept(new ContentBlockStop(0));
        ToolUseBlock t = tool(acc);
        assertTrue(t.inputError().isPresent(), "an input error must be reported");
        assertTrue(
                t.inputError().get().startsWith("tool input is not valid JSON: "),
                t.inputError().get());
        assertEquals(Map.of(), t.input(), "no value guessed from a broken text");
        assertEquals("{\"city\": \"Paris\", oops}", t.inputJson());
    }

    @Test
    void stop_toolJsonNotAnObject_reportedOnTheBlock() {
        MessageAccumulator acc = startedWithTool();
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("[1, 2]")));
        acc.accept(new ContentBlockStop(0));
        assertTrue(tool(acc).inputError().orElseThrow().startsWith("tool input is not a JSON object"));
        assertEquals(Map.of(), tool(acc).input());
    }

    @Test
    void stop_noInputDeltas_inputIsTheStartInput() {
        MessageAccumulator acc = startedWithTool();
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("")));
        acc.accept(new ContentBlockStop(0));
        assertEquals(Map.of(), tool(acc).input());
        assertEquals(Optional.empty(), tool(acc).inputError());
    }

    @Test
    void accept_thinkingSignatureCitationsUsage_mergedByTheRules() {
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(new Message(
                "msg_1",
                "message",
                "assistant",
                "m",
                List.of(),
                null,
                null,
                new MessageUsage(Map.of("input_tokens", 5L, "output_tokens", 1L, "service_tier", "standard")))));
        acc.accept(new ContentBlockStart(0, new ThinkingBlock("", null)));
        acc.accept(new ContentBlockDelta(0, new ThinkingDelta("a")));
        acc.accept(new ContentBlockDelta(0, new SignatureDelta("s1")));
        acc.accept(new ContentBlockDelta(0, new SignatureDelta("s2")));
        acc.accept(new ContentBlockStart(1, TextBlock.of("")));
        Citation c = Citation.of(Map.of("type", "char_location", "cited_text", "x"));
        acc.accept(new ContentBlockDelta(1, new CitationsDelta(c)));
        acc.accept(new ContentBlockDelta(1, new TextDelta("hi")));
        acc.accept(new ContentBlockDelta(1, new UnknownDelta("sparkle_delta", "{}")));
        acc.accept(new Ping());
        acc.accept(new UnknownEvent("sparkle", "{}"));
        acc.accept(new MessageDelta("end_turn", null, new MessageUsage(Map.of("output_tokens", 30L))));
        acc.accept(new MessageStop());
        Message m = acc.result();
        assertEquals(List.of(new ThinkingBlock("a", "s1s2"), new TextBlock("hi", List.of(c))), m.content());
        assertEquals("end_turn", m.stopReason());
        assertEquals(5L, m.usage().inputTokens());
        assertEquals(30L, m.usage().outputTokens());
        assertEquals("standard", m.usage().fields().get("service_tier"));
    }

    @Test
    void snapshot_blocksOutOfIndexOrder_contentInIndexOrder() {
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(start()));
        acc.accept(new ContentBlockStart(1, TextBlock.of("b")));
        acc.accept(new ContentBlockStart(0, TextBlock.of("a")));
        assertEquals("ab", acc.snapshot().text());
    }

    @Test
    void snapshot_nothingChanged_sameInstanceAndUnchangedBlocksReused() {
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(start()));
        acc.accept(new ContentBlockStart(0, TextBlock.of("a")));
        acc.accept(new ContentBlockStart(1, TextBlock.of("b")));
        Message first = acc.snapshot();
        assertSame(first, acc.snapshot());
        acc.accept(new ContentBlockDelta(1, new TextDelta("c")));
        Message second = acc.snapshot();
        assertSame(first.content().get(0), second.content().get(0));
        assertEquals("abc", second.text());
    }

    @Test
    void result_beforeMessageStop_illegalState() {
        MessageAccumulator acc = startedWithTool();
        assertFalse(acc.isComplete());
        IllegalStateException e = assertThrows(IllegalStateException.class, acc::result);
        assertTrue(e.getMessage().contains("message_stop"));
    }

    @Test
    void accept_impossibleOrders_protocolException() {
        assertThrows(
                ProtocolException.class,
                () -> new MessageAccumulator().accept(new ContentBlockStart(0, TextBlock.of(""))));
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(start()));
        assertThrows(ProtocolException.class, () -> acc.accept(new ContentBlockDelta(0, new TextDelta("x"))));
        assertThrows(ProtocolException.class, () -> acc.accept(new MessageStart(start())));
        acc.accept(new ContentBlockStart(0, TextBlock.of("")));
        assertThrows(ProtocolException.class, () -> acc.accept(new ContentBlockStart(0, TextBlock.of(""))));
        acc.accept(new MessageStop());
        assertThrows(ProtocolException.class, () -> acc.accept(new ContentBlockDelta(0, new TextDelta("x"))));
        acc.accept(new Ping());
    }

    @Test
    void snapshot_fromAnotherThreadWhileAccepting_consistentAndGrowing() throws Exception {
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(start()));
        acc.accept(new ContentBlockStart(0, TextBlock.of("")));
        acc.accept(new ContentBlockStart(1, new ToolUseBlock("toolu_1", "f", Map.of(), "{}", Optional.empty())));
        acc.accept(new ContentBlockDelta(1, new InputJsonDelta("{\"n\":[")));
        int deltas = 5_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch reading = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger snapshots = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                int lastText = -1;
                int lastItems = -1;
                reading.countDown();
                while (!done.get()) {
                    Message m = acc.snapshot();
                    TextBlock t = (TextBlock) m.content().get(0);
                    ToolUseBlock tool = (ToolUseBlock) m.content().get(1);
                    int items = ((List<?>) tool.input().get("n")).size();
                    // the blocks grow in lock step: each event pair adds one char and (a number later) one item
                    if (t.text().length() < lastText || items < lastItems) throw new AssertionError("snapshot shrank");
                    if (t.text().length() - items < 0 || t.text().length() - items > 2)
                        throw new AssertionError("inconsistent: " + t.text().length() + " vs " + items);
                    if (!t.text().chars().allMatch(ch -> ch == 'x')) throw new AssertionError("torn text");
                    lastText = t.text().length();
                    lastItems = items;
                    snapshots.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        assertTrue(reading.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < deltas; i++) {
            acc.accept(new ContentBlockDelta(0, new TextDelta("x")));
            acc.accept(new ContentBlockDelta(1, new InputJsonDelta(i == 0 ? "1" : ",1")));
        }
        // on a busy machine the writer can finish before the reader is scheduled: let it read at least once
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> snapshots.get() > 0 || failure.get() != null);
        done.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(reader.isAlive());
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertTrue(snapshots.get() > 0);
        assertEquals(deltas, acc.snapshot().text().length());
    }

    @Test
    void snapshot_takenThenStreamGoesOn_readLaterShowsTheTextAndInputAsTheyWere() {
        MessageAccumulator acc = new MessageAccumulator();
        acc.accept(new MessageStart(start()));
        acc.accept(new ContentBlockStart(0, TextBlock.of("")));
        acc.accept(new ContentBlockStart(1, new ToolUseBlock("toolu_1", "f", Map.of(), "{}", Optional.empty())));
        acc.accept(new ContentBlockDelta(0, new TextDelta("Hel")));
        acc.accept(new ContentBlockDelta(1, new InputJsonDelta("{\"path\":\"a.txt\",\"body\":\"li")));
        Message early = acc.snapshot(); // not read yet: its blocks are built on first read
        for (int i = 0; i < 2_000; i++) {
            acc.accept(new ContentBlockDelta(0, new TextDelta("lo")));
            acc.accept(new ContentBlockDelta(1, new InputJsonDelta("ne\\n")));
        }
        acc.accept(new ContentBlockDelta(1, new InputJsonDelta("\"}")));
        acc.accept(new ContentBlockStop(0));
        acc.accept(new ContentBlockStop(1));
        acc.accept(new MessageStop());
        assertEquals("Hel", early.text());
        ToolUseBlock tool = (ToolUseBlock) early.content().get(1);
        assertEquals(Map.of("path", "a.txt", "body", "li"), tool.input());
        assertEquals("{\"path\":\"a.txt\",\"body\":\"li", tool.inputJson());
        assertEquals(Optional.empty(), tool.inputError());
        Message last = acc.result();
        assertEquals(2 * 2_000 + 3, last.text().length());
        assertEquals(
                2_000 * 3 + 2,
                ((String) ((ToolUseBlock) last.content().get(1)).input().get("body")).length());
    }

    @Test
    void snapshot_lazilyBuilt_equalsAndHashesAsTheEagerMessage() {
        MessageAccumulator acc = startedWithTool();
        acc.accept(new ContentBlockStart(1, TextBlock.of("")));
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("{\"city\":\"Par")));
        acc.accept(new ContentBlockDelta(1, new TextDelta("Sunny")));
        Message lazy = acc.snapshot();
        Message eager = new Message(
                "msg_1",
                "message",
                "assistant",
                "claude-test",
                List.of(
                        new ToolUseBlock(
                                "toolu_1", "get_weather", Map.of("city", "Par"), "{\"city\":\"Par", Optional.empty()),
                        TextBlock.of("Sunny")),
                null,
                null,
                MessageUsage.of(10, 1));
        assertEquals(eager.hashCode(), lazy.hashCode());
        assertEquals(eager, lazy);
        assertEquals(lazy, eager);
        assertEquals(eager.toString(), lazy.toString());
    }

    @Test
    void snapshot_toolInput_sharedNotDeepCopiedByTheBlock() {
        MessageAccumulator acc = startedWithTool();
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("{\"a\":{\"b\":[1,2]},\"c\":\"x")));
        ToolUseBlock first = tool(acc);
        acc.accept(new ContentBlockDelta(0, new InputJsonDelta("yz")));
        ToolUseBlock second = tool(acc);
        assertSame(
                first.input().get("a"), second.input().get("a"), "a closed value is shared, not copied per snapshot");
        assertSame(second.input(), new ToolUseBlock("t", "n", second.input(), "{}", Optional.empty()).input());
        assertEquals("x", first.input().get("c"));
        assertEquals("xyz", second.input().get("c"));
        assertThrows(
                UnsupportedOperationException.class,
                () -> ((Map<String, Object>) second.input().get("a")).put("d", 1L));
    }
}
