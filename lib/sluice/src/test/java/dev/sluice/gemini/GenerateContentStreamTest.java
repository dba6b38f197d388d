package dev.sluice.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.SluiceException;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.StreamListener;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.StreamOptions;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import dev.sluice.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GenerateContentStream's snapshot, final response and callbacks, over a loopback socket. */
class GenerateContentStreamTest {
    private static final String MODEL = "gemini-2.5-flash";
    private static final String PATH = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";

    @RegisterExtension
    static final FakeLlmExtension fake = FakeLlmExtension.shared();

    private GeminiClient client;

    @BeforeEach
    void setUp() {
        client = GeminiClient.builder()
                .apiKey("AIza-test")
                .baseUrl(fake.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none())
                .header("X-Tenant", "blue")
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        for (RecordedRequest r : fake.server().requests()) assertEquals("POST " + PATH, r.method() + " " + r.target());
    }

    /** {@return the capture in HTTP chunks of about a 20th of it, each flushed on its own} */
    private static FakeResponse sse(String name) {
        byte[] events = GeminiFixtures.sse(name);
        return FakeResponse.sse(events).header("x-request-id", "req-g1").inChunksOf(Math.max(1, events.length / 20));
    }

    private static GenerateContentRequest request() {
        return GenerateContentRequest.builder()
                .addContent(Content.user(Part.text("Hi")))
                .build();
    }

    @Test
    void result_afterPartOfTheLoop_readsTheRestAndEqualsTheAccumulatedChunks() {
        fake.server().enqueue(sse("text-basic"));
        GenerateContentAccumulator mine = new GenerateContentAccumulator();
        try (GenerateContentStream stream = client.streamGenerateContent(MODEL, request())) {
            var it = stream.iterator();
            mine.accept(it.next());
            assertEquals(mine.snapshot(), stream.snapshot());
            while (it.hasNext()) mine.accept(it.next());
            GenerateContentResponse whole = stream.result();
            assertEquals(mine.result(), whole);
            assertEquals(
                    GeminiFixtures.expected("text-basic").get("final_response"), GeminiFixtures.tree(whole.toJson()));
            assertEquals("req-g1", stream.requestId().orElseThrow());
            assertEquals(EndReason.COMPLETED, stream.endReason().orElseThrow());
        }
        assertEquals(1, fake.server().requestCount());
        assertEquals("blue", fake.server().takeRequest().header("x-tenant"));
    }

    @Test
    void listen_callsBackInOrderAndReturnsTheWholeResponse() {
        fake.server().enqueue(sse("tool-use-weather"));
        List<String> calls = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (GenerateContentStream stream = client.streamGenerateContent(MODEL, request())) {
            GenerateContentResponse whole =
                    stream.listen(new StreamListener<GenerateContentResponse, GenerateContentResponse>() {
                        @Override
                        public void onEvent(GenerateContentResponse chunk, GenerateContentResponse snapshot) {
                            calls.add("chunk");
                            chunk.firstCandidate()
                                    .ifPresent(c -> c.functionCalls().forEach(f -> calls.add("call " + f.name())));
                        }

                        @Override
                        public void onText(String delta, CharSequence soFar) {
                            text.append(delta);
                            assertEquals(text.toString(), soFar.toString());
                        }

                        @Override
                        public void onResult(GenerateContentResponse r) {
                            calls.add("response");
                        }

                        @Override
                        public void onError(SluiceException e) {
                            calls.add("error");
                        }

                        @Override
                        public void onEnd() {
                            calls.add("end");
                        }
                    });
            assertEquals(whole.text(), text.toString());
            assertTrue(
                    calls.contains("call "
                            + whole.candidates().get(0).functionCalls().get(0).name()),
                    calls.toString());
            assertEquals(List.of("response", "end"), calls.subList(calls.size() - 2, calls.size()));
            assertTrue(calls.indexOf("chunk") == 0, calls.toString());
        }
    }

    @Test
    void listen_streamFails_onErrorThenOnEndThenThrowsWithThePartial() {
        fake.server().enqueue(sse("error-unavailable-mid-stream"));
        List<String> calls = new ArrayList<>();
        try (GenerateContentStream stream = client.streamGenerateContent(MODEL, request())) {
            ApiException e = assertThrows(
                    ApiException.class,
                    () -> stream.listen(new StreamListener<GenerateContentResponse, GenerateContentResponse>() {
                        @Override
                        public void onError(SluiceException error) {
                            calls.add("error " + error.getClass().getSimpleName());
                        }

                        @Override
                        public void onEnd() {
                            calls.add("end");
                        }
                    }));
            assertEquals(List.of("error ApiException", "end"), calls);
            assertEquals("req-g1", e.requestId().orElseThrow());
            assertTrue(e.partial(GenerateContentResponse.class).isPresent());
            assertEquals(EndReason.FAILED, stream.endReason().orElseThrow());
        }
    }

    @Test
    void listenAsync_callbackThrows_closesTheStreamEndsAndFailsTheFuture() {
        fake.server().enqueue(sse("text-basic"));
        List<String> calls = new ArrayList<>();
        try (GenerateContentStream stream = client.streamGenerateContent(MODEL, request())) {
            var future = stream.listenAsync(new StreamListener<GenerateContentResponse, GenerateContentResponse>() {
                @Override
                public void onEvent(GenerateContentResponse chunk, GenerateContentResponse snapshot) {
                    throw new IllegalArgumentException("bug in the callback");
                }

                @Override
                public void onEnd() {
                    calls.add("end");
                }
            });
            CompletionException e = assertThrows(CompletionException.class, future::join);
            assertEquals("bug in the callback", e.getCause().getMessage());
            assertEquals(List.of("end"), calls);
            assertTrue(stream.controller().isCancelled(), "the throwing callback closed the stream");
            assertEquals("closed", stream.controller().cancelReason().orElseThrow());
        }
    }

    @Test
    void result_chunkLimitBeforeTheEnd_throwsIllegalStateAndSnapshotHasThePartial() {
        fake.server().enqueue(sse("text-basic"));
        StreamOptions one = StreamOptions.builder().maxChunks(1).build();
        try (GenerateContentStream stream = client.streamGenerateContent(MODEL, request(), one)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, stream::result);
            assertTrue(e.getMessage().contains("chunk limit of 1"), e.getMessage());
            assertEquals(EndReason.CHUNK_LIMIT, stream.endReason().orElseThrow());
            assertTrue(!stream.snapshot().text().isEmpty());
            assertSame(one, stream.controller().options());
        }
    }

    @Test
    void header_reservedOrMalformed_isRefusedNamingIt() {
        var b = GeminiClient.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.header("x-goog-api-key", "k"))
                .getMessage()
                .contains("apiKey"));
        assertThrows(IllegalArgumentException.class, () -> b.header("bad name", "v"));
        assertThrows(IllegalArgumentException.class, () -> b.header("x-ok", "a\nb"));
    }
}
