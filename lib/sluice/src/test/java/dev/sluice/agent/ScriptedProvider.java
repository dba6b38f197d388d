package dev.sluice.agent;

import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkMetadata;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * An in-process {@link ChatProvider} that answers instantly from a script: turn n (from 1) streams
 * the steps the script gives for it. A step is a chunk, or a {@link Runnable} run on the stream's
 * producer thread between chunks (to hold the stream until a test says so). Records every request.
 */
final class ScriptedProvider implements ChatProvider {
    static final ChunkMetadata META = new ChunkMetadata("scripted", Instant.EPOCH, Duration.ZERO);

    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    private final BiFunction<Integer, ChatRequest, List<Object>> script;

    ScriptedProvider(BiFunction<Integer, ChatRequest, List<Object>> script) {
        this.script = script;
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request) {
        return stream(request, StreamController.create());
    }

    @Override
    public EventStream<MessageChunk> stream(ChatRequest request, StreamController controller) {
        requests.add(request);
        List<Object> steps = script.apply(requests.size(), request);
        return EventStream.<MessageChunk>builder().controller(controller).generate(out -> {
            for (Object step : steps) {
                if (step instanceof Runnable r) r.run();
                else if (!out.emit((MessageChunk) step)) return;
            }
        });
    }

    static MessageChunk text(String text) {
        return MessageChunk.builder(META).id("resp").text(text).build();
    }

    static MessageChunk call(int index, String id, String name, String arguments) {
        return MessageChunk.builder(META)
                .id("resp")
                .toolCall(ToolCallDelta.start(index, id, name, arguments))
                .build();
    }

    static MessageChunk args(int index, String arguments) {
        return MessageChunk.builder(META)
                .toolCall(ToolCallDelta.arguments(index, arguments))
                .build();
    }

    static MessageChunk finish(String raw, FinishReason.Kind kind, long in, long out) {
        return MessageChunk.builder(META)
                .finishReason(new FinishReason(kind, raw))
                .usage(Usage.of(in, out))
                .build();
    }

    static MessageChunk toolCalls() {
        return finish("tool_use", FinishReason.Kind.TOOL_CALLS, 10, 5);
    }

    static MessageChunk stop() {
        return finish("end_turn", FinishReason.Kind.STOP, 20, 7);
    }

    static List<Object> steps(Object... steps) {
        return new ArrayList<>(List.of(steps));
    }
}
