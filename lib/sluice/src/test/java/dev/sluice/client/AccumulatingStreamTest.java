package dev.sluice.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The shape every provider stream shares, on a toy wire format: events are strings, {@code "~x"}
 * is reasoning {@code x}, {@code "."} ends the answer, anything else is answer text; the result is
 * the text joined.
 */
class AccumulatingStreamTest {

    /** Joins the text of the events; complete at ".". */
    static final class Joiner implements Accumulator<String, String> {
        private final ReentrantLock lock = new ReentrantLock();
        private final StringBuilder text = new StringBuilder();
        private boolean complete;

        @Override
        public void accept(String event) {
            lock.lock();
            try {
                if (event.equals(".")) complete = true;
                else if (!event.startsWith("~")) text.append(event);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String snapshot() {
            lock.lock();
            try {
                return text.toString();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isComplete() {
            return complete;
        }

        @Override
        public String result() {
            if (!complete) throw new IllegalStateException("not complete");
            return snapshot();
        }
    }

    static final class ToyStream extends AccumulatingStream<String, String> {
        ToyStream(EventStream<String> events, Joiner joiner) {
            super(events, joiner, () -> Optional.of("req_toy"), Optional::empty);
        }

        @Override
        protected String textOf(String event) {
            return event.startsWith("~") || event.equals(".") ? "" : event;
        }

        @Override
        protected String thinkingOf(String event) {
            return event.startsWith("~") ? event.substring(1) : "";
        }
    }

    /** A stream of these events, then a failure if given. */
    private static ToyStream stream(List<String> events, SluiceException failure) {
        return stream(events, failure, StreamOptions.defaults());
    }

    private static ToyStream stream(List<String> events, SluiceException failure, StreamOptions options) {
        return stream(events, failure, options, false);
    }

    /** A stream of these events that then stays open (as a connection waiting for more) until closed. */
    private static ToyStream held(List<String> events) {
        return stream(events, null, StreamOptions.defaults(), true);
    }

    private static ToyStream stream(List<String> events, SluiceException failure, StreamOptions options, boolean hold) {
        Joiner joiner = new Joiner();
        EventStream<String> s = EventStream.<String>builder()
                .options(options)
                .onItem(joiner::accept)
                .failureContext(() -> "req_toy", joiner::snapshot)
                .generate(out -> {
                    for (String e : events) if (!out.emit(e)) return;
                    if (failure != null) throw failure;
                    if (hold) {
                        java.io.PipedInputStream silent = new java.io.PipedInputStream(new java.io.PipedOutputStream());
                        out.attach(silent); // a cancel closes it: the read below then ends
                        silent.read();
                    }
                });
        return new ToyStream(s, joiner);
    }

    /** Records every callback as one line. */
    static class Recorder implements StreamListener<String, String> {
        final List<String> log = new ArrayList<>();

        @Override
        public void onEvent(String event, String snapshot) {
            log.add("event " + event + " [" + snapshot + "]");
        }

        @Override
        public void onText(String delta, CharSequence textSoFar) {
            log.add("text " + delta + " | " + textSoFar);
        }

        @Override
        public void onThinking(String delta, CharSequence soFar) {
            log.add("thinking " + delta + " | " + soFar);
        }

        @Override
        public void onResult(String result) {
            log.add("result " + result);
        }

        @Override
        public void onError(SluiceException error) {
            log.add("error " + error.getClass().getSimpleName());
        }

        @Override
        public void onEnd() {
            log.add("end");
        }
    }

    @Test
    void listen_completeStream_callbacksInEventOrderThenResultThenEnd() {
        Recorder r = new Recorder();
        try (ToyStream s = stream(List.of("~hm", "Hel", "lo", "."), null)) {
            assertEquals("Hello", s.listen(r));
        }
        assertEquals(
                List.of(
                        "event ~hm []",
                        "thinking hm | hm",
                        "event Hel [Hel]",
                        "text Hel | Hel",
                        "event lo [Hello]",
                        "text lo | Hello",
                        "event . [Hello]",
                        "result Hello",
                        "end"),
                r.log);
    }

    @Test
    void listen_streamFails_onErrorThenOnEndThenThrowsWithThePartial() {
        Recorder r = new Recorder();
        ApiException overloaded = new ApiException(200, "overloaded_error", "busy", true, null);
        try (ToyStream s = stream(List.of("a", "b"), overloaded)) {
            ApiException thrown = assertThrows(ApiException.class, () -> s.listen(r));
            assertSame(overloaded, thrown);
            assertEquals(Optional.of("ab"), thrown.partial(String.class));
            assertEquals(Optional.of("req_toy"), thrown.requestId());
        }
        assertEquals(List.of("error ApiException", "end"), r.log.subList(r.log.size() - 2, r.log.size()));
    }

    @Test
    void listen_endsWithoutTheFinalEvent_onEndOnlyThenIllegalStateNamingTheCause() {
        Recorder r = new Recorder();
        try (ToyStream s = stream(
                List.of("a", "b", "c"),
                null,
                StreamOptions.builder().maxChunks(2).build())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.listen(r));
            assertTrue(e.getMessage().contains("chunk limit of 2"), e.getMessage());
            assertEquals("ab", s.snapshot());
            assertEquals(EndReason.CHUNK_LIMIT, s.endReason().orElseThrow());
        }
        assertEquals("end", r.log.getLast());
        assertTrue(r.log.stream().noneMatch(l -> l.startsWith("result") || l.startsWith("error")), r.log.toString());
    }

    @Test
    void listen_callbackThrows_closesEndsOnceRethrowsAndDispatchesNothingMore() {
        IllegalStateException boom = new IllegalStateException("listener bug");
        Recorder r = new Recorder() {
            @Override
            public void onText(String delta, CharSequence textSoFar) {
                super.onText(delta, textSoFar);
                if (delta.equals("b")) throw boom;
            }
        };
        try (ToyStream s = held(List.of("a", "b", "c"))) {
            assertSame(boom, assertThrows(IllegalStateException.class, () -> s.listen(r)));
            assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
            assertArrayEquals(new Throwable[0], boom.getSuppressed());
        }
        assertEquals(List.of("event b [ab]", "text b | ab", "end"), r.log.subList(r.log.size() - 3, r.log.size()));
        assertEquals(1, r.log.stream().filter("end"::equals).count());
    }

    @Test
    void listen_onErrorThrows_itsExceptionRethrownWithTheStreamFailureSuppressed() {
        RuntimeException boom = new RuntimeException("onError bug");
        Recorder r = new Recorder() {
            @Override
            public void onError(SluiceException error) {
                super.onError(error);
                throw boom;
            }
        };
        ApiException failure = new ApiException(200, "api_error", "x", true, null);
        try (ToyStream s = stream(List.of("a"), failure)) {
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> s.listen(r));
            assertSame(boom, thrown);
            assertSame(failure, thrown.getSuppressed()[0]);
        }
        assertEquals(List.of("error ApiException", "end"), r.log.subList(r.log.size() - 2, r.log.size()));
    }

    @Test
    void listen_onEndThrowsAfterCompletion_rethrownOnceAndTheStreamClosed() {
        RuntimeException boom = new RuntimeException("onEnd bug");
        Recorder r = new Recorder() {
            @Override
            public void onEnd() {
                super.onEnd();
                throw boom;
            }
        };
        try (ToyStream s = stream(List.of("a", "."), null)) {
            assertSame(boom, assertThrows(RuntimeException.class, () -> s.listen(r)));
        }
        assertEquals(1, r.log.stream().filter("end"::equals).count());
    }

    @Test
    void listen_onEndThrowsAfterAFailure_itsExceptionWithTheFailureSuppressed() {
        RuntimeException boom = new RuntimeException("onEnd bug");
        Recorder r = new Recorder() {
            @Override
            public void onEnd() {
                super.onEnd();
                throw boom;
            }
        };
        ApiException failure = new ApiException(200, "api_error", "x", true, null);
        try (ToyStream s = stream(List.of("a"), failure)) {
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> s.listen(r));
            assertSame(boom, thrown);
            assertSame(failure, thrown.getSuppressed()[0]);
        }
        assertEquals(1, r.log.stream().filter("end"::equals).count());
    }

    @Test
    void listen_textSoFar_immutableViewsEqualToTheTextAtTheirDelta() {
        List<CharSequence> views = new ArrayList<>();
        try (ToyStream s = stream(List.of("a", "b", "c", "."), null)) {
            s.listen(new StreamListener<>() {
                @Override
                public void onText(String delta, CharSequence textSoFar) {
                    views.add(textSoFar);
                }
            });
        }
        assertEquals(
                List.of("a", "ab", "abc"),
                views.stream().map(CharSequence::toString).toList());
    }

    @Test
    void listenAsync_completes_onAVirtualThreadWithTheResult() throws Exception {
        List<Boolean> virtual = new ArrayList<>();
        try (ToyStream s = stream(List.of("x", "."), null)) {
            CompletableFuture<String> f = s.listenAsync(new StreamListener<>() {
                @Override
                public void onEnd() {
                    virtual.add(Thread.currentThread().isVirtual());
                }
            });
            assertEquals("x", f.get(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of(true), virtual);
    }

    @Test
    void listenAsync_streamFails_futureFailsWithTheSameException() {
        ApiException failure = new ApiException(200, "api_error", "x", true, null);
        try (ToyStream s = stream(List.of("x"), failure)) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> s.listenAsync(new StreamListener<>() {}).get(5, TimeUnit.SECONDS));
            assertSame(failure, e.getCause());
        }
    }

    @Test
    void listenAsync_futureCancelled_closesTheStream() {
        Joiner joiner = new Joiner();
        EventStream<String> endless = EventStream.<String>builder()
                .onItem(joiner::accept)
                .generate(out -> {
                    while (out.emit("x")) {
                        // as fast as the consumer takes them
                    }
                });
        ToyStream s = new ToyStream(endless, joiner);
        CompletableFuture<String> f = s.listenAsync(new StreamListener<>() {});
        f.cancel(true);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> s.endReason().isPresent());
        assertEquals(EndReason.CANCELLED, s.endReason().orElseThrow());
    }

    @Test
    void result_afterPartOfTheLoop_readsTheRestThroughTheSameIterator() {
        try (ToyStream s = stream(List.of("a", "b", "c", "."), null)) {
            var it = s.iterator();
            assertEquals("a", it.next());
            assertEquals("abc", s.result());
            assertEquals("abc", s.result());
        }
    }

    @Test
    void result_streamFailed_throwsTheFailureAgainOnEveryCall() {
        ApiException failure = new ApiException(200, "api_error", "x", true, null);
        try (ToyStream s = stream(List.of("a"), failure)) {
            assertSame(failure, assertThrows(ApiException.class, s::result));
            assertSame(failure, assertThrows(ApiException.class, s::result));
        }
    }

    @Test
    void result_cancelled_illegalStateNamingTheReasonAndSnapshotHasThePartial() {
        try (ToyStream s = held(List.of("a", "b"))) {
            var it = s.iterator();
            it.next();
            s.controller().cancel("stopped by the user");
            IllegalStateException e = assertThrows(IllegalStateException.class, s::result);
            assertTrue(e.getMessage().contains("stopped by the user"), e.getMessage());
            assertEquals("a", s.snapshot());
        }
    }

    @Test
    void iterator_secondTime_throwsNamingTheStreamType() {
        try (ToyStream s = stream(List.of("a", "."), null)) {
            s.text().close();
            IllegalStateException e = assertThrows(IllegalStateException.class, s::iterator);
            assertTrue(e.getMessage().contains("ToyStream"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> s.listen(new StreamListener<>() {}));
        }
    }

    @Test
    void text_onlyTheAnswersPiecesInOrder() {
        try (ToyStream s = stream(List.of("~think", "a", "b", "."), null)) {
            assertEquals(List.of("a", "b"), s.text().toList());
        }
    }

    @Test
    void toString_namesTheTypeTheStateAndTheRequestId() {
        try (ToyStream s = stream(List.of("a", "."), null)) {
            s.result();
            assertEquals("ToyStream[ended COMPLETED, request id req_toy]", s.toString());
            assertInstanceOf(EventStream.class, s);
        }
    }
}
