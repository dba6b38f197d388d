package dev.sluice.langchain4j;

import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.sluice.IncompleteStreamException;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCallDelta;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One streamed answer for a {@link StreamingChatResponseHandler}: opens the provider's stream under
 * its own {@link StreamController}, reads it on one virtual thread, and calls the handler there,
 * chunk by chunk. It is the answer's {@link StreamingHandle}: {@link #cancel()} cancels the
 * controller, which closes the connection at once, also while it is still being opened, and from
 * then on the handler hears nothing more (neither the complete response nor an error).
 *
 * <p>As LangChain4j's own models do, an exception the handler throws from a callback other than
 * {@code onError} is passed to its {@code onError}, and the stream goes on; what {@code onError}
 * throws is logged and dropped.
 *
 * <p>Threading: {@link #run()} owns every field but {@code cancelled} and the controller, which
 * {@link #cancel()} may touch from any thread.
 */
final class StreamingTurn implements Runnable, StreamingHandle {
    private static final System.Logger LOG = System.getLogger(StreamingTurn.class.getName());
    private static final AtomicLong TURNS = new AtomicLong();

    private final ChatProvider provider;
    private final ChatRequest request;
    private final StreamController controller = StreamController.create();
    private volatile boolean cancelled;

    @SuppressWarnings("NullAway.Init") // set by start(), before the reading thread starts
    private StreamingChatResponseHandler target;

    /** The tool call whose deltas are arriving; LangChain4j hears of it as complete when the next one starts. */
    private final Map<Integer, OpenCall> calls = new HashMap<>();

    private @Nullable OpenCall open;
    private int completedCalls;

    private record OpenCall(int index, @Nullable String id, String name, boolean format, StringBuilder arguments) {}

    StreamingTurn(ChatProvider provider, ChatRequest request) {
        this.provider = provider;
        this.request = request;
    }

    /** Starts reading on a virtual thread of its own, calling {@code handler}; once only. */
    void start(StreamingChatResponseHandler handler) {
        this.target = handler;
        Thread.ofVirtual().name("sluice-langchain4j-" + TURNS.incrementAndGet()).start(this);
    }

    @Override
    public void cancel() {
        cancelled = true;
        controller.cancel("cancelled through LangChain4j's StreamingHandle");
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void run() {
        ChunkAggregator aggregator = new ChunkAggregator();
        try (EventStream<MessageChunk> chunks = provider.stream(request, controller)) {
            for (MessageChunk chunk : chunks) {
                if (cancelled) return;
                aggregator.accept(chunk);
                deliver(chunk);
            }
            if (cancelled) return;
            completeOpenCall();
            EndReason end = chunks.endReason().orElse(EndReason.CANCELLED);
            if (end == EndReason.COMPLETED && aggregator.isComplete()) {
                var response = ChatResponses.of(
                        aggregator.result(),
                        request.responseFormat(),
                        request.model(),
                        chunks.requestId().orElse(null));
                call(() -> target.onCompleteResponse(response));
            } else {
                error(new IncompleteStreamException("the stream ended (" + end
                                + ") before the answer's end; the exception's" + " partial() has what arrived")
                        .initContext(chunks.requestId().orElse(null), aggregator.snapshot()));
            }
        } catch (
                RuntimeException
                        e) { // a SluiceException carries the partial answer and the request id: handed on as it is
            if (!cancelled) error(e);
        }
    }

    private void deliver(MessageChunk chunk) {
        if (chunk.failover() != null
                && chunk.failover().reset()) { // the chain restarts the answer: calls so far are void
            calls.clear();
            open = null;
            completedCalls = 0;
        }
        if (!chunk.thinking().isEmpty()) {
            call(() ->
                    target.onPartialThinking(new PartialThinking(chunk.thinking()), new PartialThinkingContext(this)));
        }
        if (!chunk.text().isEmpty()) text(chunk.text());
        for (ToolCallDelta delta : chunk.toolCalls()) {
            if (cancelled) return;
            toolCall(delta);
        }
        if (chunk.finishReason() != null) completeOpenCall();
    }

    private void text(String text) {
        call(() -> target.onPartialResponse(new PartialResponse(text), new PartialResponseContext(this)));
    }

    private void toolCall(ToolCallDelta delta) {
        OpenCall call = calls.get(delta.index());
        if (call == null) {
            completeOpenCall();
            String name = delta.name() == null ? "" : delta.name();
            boolean format = ChatResponses.isFormat(request.responseFormat(), name);
            call = new OpenCall(format ? -1 : completedCalls, delta.id(), name, format, new StringBuilder());
            calls.put(delta.index(), call);
            open = call;
        }
        if (delta.arguments().isEmpty()) return;
        call.arguments().append(delta.arguments());
        if (call.format()) {
            text(delta.arguments());
        } else {
            PartialToolCall partial = PartialToolCall.builder()
                    .index(call.index())
                    .id(call.id())
                    .name(call.name())
                    .partialArguments(delta.arguments())
                    .build();
            call(() -> target.onPartialToolCall(partial, new PartialToolCallContext(this)));
        }
    }

    private void completeOpenCall() {
        OpenCall call = open;
        open = null;
        if (call == null || call.format()) return;
        completedCalls++;
        CompleteToolCall complete = new CompleteToolCall(
                call.index(),
                ChatResponses.request(call.id(), call.name(), call.arguments().toString()));
        call(() -> target.onCompleteToolCall(complete));
    }

    /** Runs a callback of the handler; what it throws goes to {@code onError}, and the stream goes on. */
    private void call(Runnable callback) {
        if (cancelled) return;
        try {
            callback.run();
        } catch (RuntimeException e) {
            error(e);
        }
    }

    private void error(Throwable error) {
        try {
            target.onError(error);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the StreamingChatResponseHandler's onError threw; ignored", e);
        }
    }
}
