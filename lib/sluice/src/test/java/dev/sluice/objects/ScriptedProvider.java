package dev.sluice.objects;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.client.Failover;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider that answers every request with the same scripted chunks, without a network: for the
 * tests of what an object stream does with chunks (the loopback tests cover the wire formats).
 */
final class ScriptedProvider implements ChatProvider {
    private final List<MessageChunk> chunks = new ArrayList<>();
    private dev.sluice.SluiceException failure;
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

    private static MessageChunk.Builder chunk() {
        return MessageChunk.builder(new ChunkMetadata("scripted", Instant.EPOCH, Duration.ZERO));
    }

    ScriptedProvider text(String... pieces) {
        for (String p : pieces) chunks.add(chunk().text(p).build());
        return this;
    }

    ScriptedProvider tool(String name, String... pieces) {
        for (int i = 0; i < pieces.length; i++) {
            chunks.add(chunk().toolCall(
                            i == 0
                                    ? ToolCallDelta.start(0, "call_1", name, pieces[i])
                                    : ToolCallDelta.arguments(0, pieces[i]))
                    .build());
        }
        return this;
    }

    ScriptedProvider failover(Failover.Mode mode) {
        chunks.add(chunk().failover(new Failover("a", "b", Failover.Reason.OVERLOADED, mode, "", 0, 0))
                .build());
        return this;
    }

    ScriptedProvider finish(String anthropicStopReason) {
        chunks.add(chunk().finishReason(FinishReason.fromAnthropic(anthropicStopReason))
                .build());
        return this;
    }

    /** Ends the stream, after its chunks, with this failure, as a provider's stream fails. */
    ScriptedProvider failing(dev.sluice.SluiceException e) {
        failure = e;
        return this;
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        requests.add(request);
        List<MessageChunk> script = List.copyOf(chunks);
        dev.sluice.SluiceException fail = failure;
        return EventStream.<MessageChunk>builder().controller(controller).generate(out -> {
            for (MessageChunk c : script) {
                if (!out.emit(c)) return;
            }
            if (fail != null) throw fail;
        });
    }
}
