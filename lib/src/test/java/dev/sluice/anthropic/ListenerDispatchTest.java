package dev.sluice.anthropic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.IncompleteStreamException;
import dev.sluice.SluiceException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListenerDispatchTest {
    private final MessageAccumulator accumulator = new MessageAccumulator();
    private final AtomicInteger cancels = new AtomicInteger();
    private final Runnable cancel = cancels::incrementAndGet;

    /** Records every callback as one line; subclasses may throw from a callback. */
    static class Recorder implements MessageStreamListener {
        final List<String> log = new ArrayList<>();
        final List<Object> toolSnapshots = new ArrayList<>();
        SluiceException error;

        @Override public void onEvent(StreamEvent event, Message snapshot) {
            log.add("event " + event.type() + " [" + (snapshot == null ? "null" : snapshot.text()) + "]");
        }
        @Override public void onText(String delta, CharSequence textSoFar) { log.add("text " + delta + " | " + textSoFar); }
        @Override public void onToolInput(String partialJson, Object parsedSnapshot) {
            toolSnapshots.add(parsedSnapshot);
            log.add("tool " + partialJson + " | " + Fixtures.json(parsedSnapshot));
        }
        @Override public void onThinking(String delta, CharSequence thinkingSoFar) { log.add("thinking " + delta + " | " + thinkingSoFar); }
        @Override public void onCitation(Citation citation, List<Citation> citationsSoFar) {
            log.add("citation " + citation.citedText() + " | " + citationsSoFar.stream().map(Citation::citedText).toList());
        }
        @Override public void onContentBlock(ContentBlock block) { log.add("block " + block); }
        @Override public void onMessage(Message message) { log.add("message " + message.stopReason() + " " + message.usage().outputTokens()); }
        @Override public void onError(SluiceException error) {
            this.error = error;
            log.add("error " + error.getClass().getSimpleName());
        }
        @Override public void onEnd() { log.add("end"); }

        List<String> only(String prefix) {
            return log.stream().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    private Optional<Message> run(String fixture, MessageStreamListener listener) {
        return ListenerDispatch.run(FixtureEvents.accumulating(FixtureEvents.decode(fixture), accumulator), accumulator, listener, cancel);
    }

    @Test
    void run_textBasic_exactCallbacksInEventOrder() {
        Recorder r = new Recorder();
        Message message = run("text-basic", r).orElseThrow();
        assertEquals(List.of(
                "event message_start []",
                "event content_block_start []",
                "event ping []",
                "event content_block_delta [Hello]",
                "text Hello | Hello",
                "event content_block_delta [Hello!]",
                "text ! | Hello!",
                "event content_block_stop [Hello!]",
                "block " + TextBlock.of("Hello!"),
                "event message_delta [Hello!]",
                "event message_stop [Hello!]",
                "message end_turn 15",
                "end"), r.log);
        assertEquals(accumulator.finish(), message);
        assertEquals(0, cancels.get());
    }

    @Test
    void run_toolUse_toolInputSnapshotsGrowAndEndAtTheInput() {
        Recorder r = new Recorder();
        Message message = run("tool-use-weather", r).orElseThrow();
        assertEquals(List.of(
                "tool  | {}",
                "tool {\"location\": | {}",
                "tool  \"San | {\"location\":\"San\"}",
                "tool  Francisc | {\"location\":\"San Francisc\"}",
                "tool o, | {\"location\":\"San Francisco,\"}",
                "tool  CA\" | {\"location\":\"San Francisco, CA\"}",
                "tool ,  | {\"location\":\"San Francisco, CA\"}",
                "tool \"unit\": \"fah | {\"location\":\"San Francisco, CA\",\"unit\":\"fah\"}",
                "tool renheit\"} | {\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"), r.only("tool "));
        for (int i = 1; i < r.toolSnapshots.size(); i++) {
            assertPrefixConsistent(r.toolSnapshots.get(i - 1), r.toolSnapshots.get(i));
        }
        ToolUseBlock block = (ToolUseBlock) message.content().get(1);
        assertEquals(List.of("block " + message.content().get(0), "block " + block), r.only("block "));
        assertEquals(Map.of("location", "San Francisco, CA", "unit", "fahrenheit"), block.input());
        assertEquals(List.of("message tool_use 89", "end"), r.log.subList(r.log.size() - 2, r.log.size()));
        assertEquals(13, r.only("text ").size());
    }

    @Test
    void run_thinking_thinkingSoFarThenBlocksWithSignature() {
        Recorder r = new Recorder();
        Message message = run("thinking-with-signature", r).orElseThrow();
        String t1 = "Let me solve this step by step:\n\n1. First break down 27 * 453";
        String t2 = t1 + "\n2. 453 = 400 + 50 + 3";
        String t3 = t2 + "\n3. 27 * 400 = 10,800\n4. 27 * 50 = 1,350";
        String t4 = t3 + "\n5. 27 * 3 = 81\n6. 10,800 + 1,350 + 81 = 12,231";
        assertEquals(List.of(
                "thinking " + t1 + " | " + t1,
                "thinking \n2. 453 = 400 + 50 + 3 | " + t2,
                "thinking \n3. 27 * 400 = 10,800\n4. 27 * 50 = 1,350 | " + t3,
                "thinking \n5. 27 * 3 = 81\n6. 10,800 + 1,350 + 81 = 12,231 | " + t4), r.only("thinking "));
        assertEquals(List.of(
                "block " + new ThinkingBlock(t4, "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds/sig+A=="),
                "block " + TextBlock.of("27 * 453 = 12,231")), r.only("block "));
        assertEquals(List.of("text 27 * 453 = 12,231 | 27 * 453 = 12,231"), r.only("text "));
        assertEquals(message, accumulator.finish());
    }

    @Test
    void run_citations_eachCitationWithTheBlocksCitationsSoFar() {
        Recorder r = new Recorder();
        run("citations-char-and-page", r).orElseThrow();
        assertEquals(List.of(
                "citation The grass is green. | [The grass is green.]",
                "citation Grass grows in spring. | [The grass is green., Grass grows in spring.]",
                "citation The sky is blue. | [The sky is blue.]"), r.only("citation "));
        assertEquals(List.of(
                "text According to the documents,  | According to the documents, ",
                "text the grass is  | the grass is ",
                "text green | the grass is green",
                "text  and  |  and ",
                "text the sky is blue | the sky is blue",
                "text . | ."), r.only("text "));
        assertEquals(5, r.only("block ").size());
    }

    @Test
    void run_errorEvent_onErrorWithTheApiExceptionThenOnEndThenRethrown() {
        Recorder r = new Recorder();
        ApiException e = assertThrows(ApiException.class, () -> run("error-overloaded-mid-stream", r));
        assertSame(e, r.error);
        assertEquals("overloaded_error", e.errorType());
        assertEquals(List.of(
                "event ping [The first part of the answer]",
                "event content_block_delta [The first part of the answer is]",
                "text  is | The first part of the answer is",
                "error ApiException",
                "end"), r.log.subList(r.log.size() - 5, r.log.size()));
        assertEquals(List.of(), r.only("message "));
        assertEquals("The first part of the answer is", e.partial(Message.class).orElseThrow().text());
        assertEquals(0, cancels.get());
    }

    @Test
    void run_truncated_onErrorWithIncompleteStreamExceptionThenOnEnd() {
        Recorder r = new Recorder();
        IncompleteStreamException e = assertThrows(IncompleteStreamException.class, () -> run("truncated-before-message-stop", r));
        assertSame(e, r.error);
        assertEquals(List.of("event message_delta [All content arrived.]", "error IncompleteStreamException", "end"),
                r.log.subList(r.log.size() - 3, r.log.size()));
        assertEquals(List.of(), r.only("message "));
    }

    @Test
    void run_eventsEndWithoutMessageStopOrFailure_onEndOnlyAndEmpty() {
        // what a cancelled stream or one at its chunk limit looks like: the iterator just ends
        List<StreamEvent> events = FixtureEvents.decode("text-basic").subList(0, 4);
        Iterator<StreamEvent> it = events.iterator();
        Iterator<StreamEvent> accumulating = new Iterator<>() {
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public StreamEvent next() {
                StreamEvent e = it.next();
                accumulator.accept(e);
                return e;
            }
        };
        Recorder r = new Recorder();
        assertEquals(Optional.empty(), ListenerDispatch.run(accumulating, accumulator, r, cancel));
        assertEquals(List.of("text Hello | Hello", "end"), r.log.subList(r.log.size() - 2, r.log.size()));
        assertEquals(List.of(), r.only("error "));
        assertEquals(List.of(), r.only("message "));
        assertEquals(0, cancels.get());
    }

    @Test
    void run_listenerThrows_cancelsEndsOnceRethrowsAndDispatchesNothingMore() {
        IllegalStateException boom = new IllegalStateException("listener bug");
        Recorder r = new Recorder() {
            @Override public void onText(String delta, CharSequence textSoFar) {
                super.onText(delta, textSoFar);
                if (delta.equals("!")) throw boom;
            }
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> run("text-basic", r));
        assertSame(boom, thrown);
        assertEquals(1, cancels.get());
        assertEquals(List.of("event content_block_delta [Hello!]", "text ! | Hello!", "end"),
                r.log.subList(r.log.size() - 3, r.log.size()));
        assertEquals(1, r.only("end").size());
        assertEquals(List.of(), r.only("error "));
        assertEquals(List.of(), r.only("block "));
        assertArrayEquals(new Throwable[0], thrown.getSuppressed());
    }

    @Test
    void run_listenerThrowsAnError_sameHandling() {
        AssertionError failed = new AssertionError("assertion in a listener");
        Recorder r = new Recorder() {
            @Override public void onContentBlock(ContentBlock block) { throw failed; }
        };
        assertSame(failed, assertThrows(AssertionError.class, () -> run("text-basic", r)));
        assertEquals(1, cancels.get());
        assertEquals(List.of("event content_block_stop [Hello!]", "end"), r.log.subList(r.log.size() - 2, r.log.size()));
    }

    @Test
    void run_onErrorThrows_itsExceptionRethrownWithTheStreamFailureSuppressed() {
        RuntimeException boom = new RuntimeException("onError bug");
        Recorder r = new Recorder() {
            @Override public void onError(SluiceException error) {
                super.onError(error);
                throw boom;
            }
        };
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> run("error-overloaded-mid-stream", r));
        assertSame(boom, thrown);
        assertSame(r.error, thrown.getSuppressed()[0]);
        assertEquals(List.of("error ApiException", "end"), r.log.subList(r.log.size() - 2, r.log.size()));
        assertEquals(1, cancels.get());
    }

    @Test
    void run_onEndThrowsAfterCompletion_cancelledAndRethrownOnce() {
        RuntimeException boom = new RuntimeException("onEnd bug");
        Recorder r = new Recorder() {
            @Override public void onEnd() {
                super.onEnd();
                throw boom;
            }
        };
        assertSame(boom, assertThrows(RuntimeException.class, () -> run("text-basic", r)));
        assertEquals(1, r.only("end").size());
        assertEquals(1, cancels.get());
    }

    @Test
    void run_onEndThrowsAfterStreamFailure_itsExceptionWithTheFailureSuppressed() {
        RuntimeException boom = new RuntimeException("onEnd bug");
        Recorder r = new Recorder() {
            @Override public void onEnd() {
                super.onEnd();
                throw boom;
            }
        };
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> run("truncated-before-message-stop", r));
        assertSame(boom, thrown);
        assertTrue(thrown.getSuppressed()[0] instanceof IncompleteStreamException);
        assertEquals(1, r.only("end").size());
    }

    @Test
    void run_cancelThrows_addedToTheListenersException() {
        RuntimeException boom = new RuntimeException("listener bug");
        RuntimeException cancelFailed = new RuntimeException("cancel failed");
        Recorder r = new Recorder() {
            @Override public void onMessage(Message message) { throw boom; }
        };
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> ListenerDispatch.run(
                FixtureEvents.accumulating(FixtureEvents.decode("text-basic"), accumulator), accumulator, r,
                () -> { throw cancelFailed; }));
        assertSame(boom, thrown);
        assertSame(cancelFailed, thrown.getSuppressed()[0]);
        assertEquals("end", r.log.get(r.log.size() - 1));
    }

    @Test
    void run_iteratorThrowsSomethingElse_cancelsEndsRethrowsWithoutOnError() {
        IllegalStateException misuse = new IllegalStateException("iterator() was already called");
        Iterator<StreamEvent> broken = new Iterator<>() {
            @Override public boolean hasNext() { throw misuse; }
            @Override public StreamEvent next() { throw misuse; }
        };
        Recorder r = new Recorder();
        assertSame(misuse, assertThrows(IllegalStateException.class, () -> ListenerDispatch.run(broken, accumulator, r, cancel)));
        assertEquals(List.of("end"), r.log);
        assertEquals(1, cancels.get());
    }

    @Test
    void run_blockIndexesWithAGap_callbacksSeeTheBlockOfTheirIndex() {
        List<StreamEvent> events = List.of(
                new MessageStart(new Message("msg_1", "message", "assistant", "m", List.of(), null, null, MessageUsage.empty())),
                new ContentBlockStart(0, TextBlock.of("")),
                new ContentBlockStart(2, TextBlock.of("")),
                new ContentBlockDelta(2, new TextDelta("two")),
                new ContentBlockDelta(0, new TextDelta("zero")),
                new ContentBlockStop(2),
                new ContentBlockStop(0),
                new MessageStop());
        Recorder r = new Recorder();
        ListenerDispatch.run(FixtureEvents.accumulating(events, accumulator), accumulator, r, cancel).orElseThrow();
        assertEquals(List.of("text two | two", "text zero | zero"), r.only("text "));
        assertEquals(List.of("block " + TextBlock.of("two"), "block " + TextBlock.of("zero")), r.only("block "));
    }

    @Test
    void run_defaultListener_returnsTheFinalMessage() {
        Message message = run("tool-use-weather", new MessageStreamListener() { }).orElseThrow();
        assertEquals("tool_use", message.stopReason());
    }

    /** Each value of {@code later} extends {@code earlier}'s: same keys at least, strings longer or equal. */
    @SuppressWarnings("unchecked")
    private static void assertPrefixConsistent(Object earlier, Object later) {
        if (earlier instanceof Map<?, ?> e) {
            Map<String, Object> l = (Map<String, Object>) later;
            for (Map.Entry<?, ?> entry : e.entrySet()) {
                assertTrue(l.containsKey((String) entry.getKey()), () -> later + " lost " + entry.getKey());
                assertPrefixConsistent(entry.getValue(), l.get((String) entry.getKey()));
            }
        } else if (earlier instanceof String s) {
            assertTrue(((String) later).startsWith(s), () -> later + " does not extend " + s);
        } else {
            assertEquals(earlier, later);
        }
    }

    @Test
    void run_textSoFarKept_immutableViewsEqualToTheTextAtTheirDelta() {
        List<CharSequence> views = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        run("text-basic", new MessageStreamListener() {
            @Override public void onText(String delta, CharSequence textSoFar) {
                views.add(textSoFar);                 // kept, not read: read after the stream has gone on
                expected.add(text.append(delta).toString());
            }
        }).orElseThrow();
        assertTrue(views.size() > 1);
        for (int i = 0; i < views.size(); i++) {
            assertEquals(expected.get(i), views.get(i).toString());
            assertEquals(expected.get(i).length(), views.get(i).length());
        }
    }

    @Test
    void refuseStringSoFar_listenerWithTheOldSignature_illegalArgumentNamingTheFix() {
        MessageStreamListener old = new MessageStreamListener() {
            @SuppressWarnings("unused")
            public void onText(String delta, String textSoFar) {}  // no longer an override: would never be called
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dev.sluice.internal.stream.ListenerRun.refuseStringSoFar(old, "onText", "onThinking"));
        assertTrue(e.getMessage().contains("onText(String, CharSequence)"), e.getMessage());
        dev.sluice.internal.stream.ListenerRun.refuseStringSoFar(new Recorder(), "onText", "onThinking");
    }
}
