package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import dev.sluice.stream.StreamOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How a provider-neutral {@link ChatProvider} plugs into {@code sluice stream}. */
class ChatBackendTest {
    private static final ChunkMetadata META = new ChunkMetadata("m", Instant.EPOCH, Duration.ZERO);

    /** A provider that streams fixed chunks and remembers the request it got. */
    private static final class FixedProvider implements ChatProvider, AutoCloseable {
        final AtomicReference<ChatRequest> seen = new AtomicReference<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request) {
            return stream(request, StreamController.create());
        }

        @Override
        public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
            seen.set(request);
            return EventStream.<MessageChunk>builder().controller(controller).generate(out -> {
                out.emit(MessageChunk.builder(META).text("Hello").build());
                out.emit(MessageChunk.builder(META).thinking("hmm").build());
                out.emit(MessageChunk.builder(META)
                        .toolCall(ToolCallDelta.start(0, "c1", "f", "{}"))
                        .build());
                out.emit(MessageChunk.builder(META).text(", world").build());
                out.emit(MessageChunk.builder(META)
                        .finishReason(FinishReason.of("stop", Map.of("stop", FinishReason.Kind.STOP)))
                        .usage(Usage.of(3, 7))
                        .build());
            });
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static final class Recorder implements StreamBackend.Sink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void text(String delta) {
            calls.add("text:" + delta);
        }

        @Override
        public void otherDelta() {
            calls.add("other");
        }
    }

    @Test
    void stream_chunks_textToSinkOthersCountedStopReasonAndUsageReported() {
        FixedProvider provider = new FixedProvider();
        Recorder sink = new Recorder();
        StreamBackend.Outcome outcome;
        try (ChatBackend backend = new ChatBackend(provider, provider)) {
            outcome = backend.stream(
                    new StreamBackend.Request("m1", 50, "be brief", "hi", null), StreamController.create(), sink);
        }
        assertEquals(List.of("text:Hello", "other", "other", "text:, world"), sink.calls);
        assertEquals(EndReason.COMPLETED, outcome.endReason());
        assertEquals("stop", outcome.stopReason().orElseThrow());
        assertEquals(3, outcome.inputTokens().getAsLong());
        assertEquals(7, outcome.outputTokens().getAsLong());
        assertTrue(outcome.requestId().isEmpty());
        ChatRequest request = provider.seen.get();
        assertEquals("m1", request.model());
        assertEquals("be brief", request.system());
        assertEquals(50, (int) request.maxTokens());
        assertTrue(provider.closed.get(), "closing the backend closes the client");
    }

    @Test
    void stream_chunkLimit_endsWithChunkLimit() {
        FixedProvider provider = new FixedProvider();
        Recorder sink = new Recorder();
        StreamBackend.Outcome outcome = new ChatBackend(provider, provider)
                .stream(
                        new StreamBackend.Request("m1", 50, null, "hi", null),
                        StreamController.of(StreamOptions.builder().maxChunks(1).build()),
                        sink);
        assertEquals(List.of("text:Hello"), sink.calls);
        assertEquals(EndReason.CHUNK_LIMIT, outcome.endReason());
    }
}
