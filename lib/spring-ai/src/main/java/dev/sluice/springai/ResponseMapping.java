package dev.sluice.springai;

import dev.sluice.IncompleteStreamException;
import dev.sluice.LimitExceededException;
import dev.sluice.SluiceException;
import dev.sluice.chat.ChunkAggregator;
import dev.sluice.chat.FinishReason;
import dev.sluice.chat.MessageChunk;
import dev.sluice.chat.ToolCall;
import dev.sluice.chat.Usage;
import dev.sluice.stream.EndReason;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * One Sluice stream's chunks as Spring AI responses: a response per chunk that carries text or
 * thinking ({@link #delta}), and the last one ({@link #last}) with the tool calls, the finish
 * reason, the usage and the ids, from a {@link ChunkAggregator} of every chunk.
 *
 * <p>Threading: one per stream, used by the one thread that reads the stream at a time.
 */
final class ResponseMapping {
    /** The assistant message's property holding the provider state that a later request sends back. */
    static final String PROVIDER_STATE = "sluiceProviderState";
    /** The assistant message's property holding thinking: the delta in a streamed response, all of it in the last. */
    static final String THINKING = "thinking";
    /** The assistant message's property holding a fallback chain's switch, on the streamed response that reports it. */
    static final String FAILOVER = "failover";

    private final EventStream<MessageChunk> chunks;
    private final boolean streamed;
    private final ChunkAggregator aggregator = new ChunkAggregator();

    /** @param streamed whether the text went out in deltas already (the last response then has none) */
    ResponseMapping(EventStream<MessageChunk> chunks, boolean streamed) {
        this.chunks = chunks;
        this.streamed = streamed;
    }

    /** {@return the response for this chunk's text, thinking or fallback switch, or null when it carries none} */
    @Nullable
    ChatResponse delta(MessageChunk chunk) {
        aggregator.accept(chunk);
        if (chunk.text().isEmpty() && chunk.thinking().isEmpty() && chunk.failover() == null) return null;
        Map<String, Object> properties = new HashMap<>();
        if (!chunk.thinking().isEmpty()) properties.put(THINKING, chunk.thinking());
        if (chunk.failover() != null) properties.put(FAILOVER, chunk.failover());
        AssistantMessage message = AssistantMessage.builder()
                .content(chunk.text())
                .properties(properties)
                .build();
        return new ChatResponse(
                List.of(new Generation(message)),
                ChatResponseMetadata.builder()
                        .id(id(chunk.id()))
                        .model(chunk.metadata().model())
                        .build());
    }

    /** Takes a chunk without answering it: for a caller that wants only {@link #last}. */
    void accept(MessageChunk chunk) {
        aggregator.accept(chunk);
    }

    /**
     * {@return the last response: the answer's tool calls (and, when not streamed, its text), its
     * finish reason, usage, model and ids}
     *
     * @throws SluiceException an {@link IncompleteStreamException} when the stream ended without a
     *     finish reason or was cancelled, a {@link LimitExceededException} when it reached its chunk
     *     limit; each carrying the request id and the partial answer
     */
    ChatResponse last() {
        EndReason end = chunks.endReason().orElse(EndReason.CANCELLED);
        if (end != EndReason.COMPLETED || !aggregator.isComplete()) throw truncated(end);
        dev.sluice.chat.ChatResponse r = aggregator.result();
        Map<String, Object> properties = new HashMap<>();
        if (!r.thinking().isEmpty()) properties.put(THINKING, r.thinking());
        if (r.providerState() != null) properties.put(PROVIDER_STATE, r.providerState());
        AssistantMessage message = AssistantMessage.builder()
                .content(streamed ? "" : r.text())
                .properties(properties)
                .toolCalls(r.toolCalls().stream().map(ResponseMapping::toolCall).toList())
                .build();
        FinishReason finish = Objects.requireNonNull(r.finishReason(), "a complete response has its finish reason");
        ChatGenerationMetadata.Builder generation = ChatGenerationMetadata.builder()
                .finishReason(finish.kind().name())
                .metadata("providerFinishReason", finish.raw());
        if (finish.message() != null) generation.metadata("finishMessage", finish.message());
        ChatResponseMetadata.Builder metadata =
                ChatResponseMetadata.builder().id(id(r.id())).model(r.metadata().model());
        if (r.usage() != null) metadata.usage(usage(r.usage()));
        chunks.requestId().ifPresent(id -> metadata.keyValue("requestId", id));
        if (!r.id().isEmpty()) metadata.keyValue("responseId", r.id());
        if (!r.metadata().failovers().isEmpty())
            metadata.keyValue("failovers", r.metadata().failovers());
        return new ChatResponse(List.of(new Generation(message, generation.build())), metadata.build());
    }

    private SluiceException truncated(EndReason end) {
        StreamController c = chunks.controller();
        SluiceException e = end == EndReason.CHUNK_LIMIT
                ? new LimitExceededException(
                        "maxChunks",
                        c.options().maxChunks().orElse(0),
                        "the answer reached its stream's chunk limit before its end (the exception's partial() has the"
                                + " answer so far)")
                : new IncompleteStreamException("the answer was cut short: its stream "
                        + switch (end) {
                            case CANCELLED ->
                                "was cancelled (" + c.cancelReason().orElse("closed") + ")";
                            case COMPLETED -> "ended without saying why the model stopped (no finish reason)";
                            default -> "ended (" + end + ")";
                        }
                        + " before its end; the exception's partial() has what arrived");
        return e.initContext(chunks.requestId().orElse(null), aggregator.snapshot());
    }

    /** Sluice's request id, which support asks for, else the provider's id of the response. */
    private String id(String responseId) {
        return chunks.requestId().orElse(responseId);
    }

    private static AssistantMessage.ToolCall toolCall(ToolCall call) {
        String arguments = call.arguments().isBlank() ? "{}" : call.arguments();
        return new AssistantMessage.ToolCall(call.id(), "function", call.name(), arguments);
    }

    private static DefaultUsage usage(Usage u) {
        return new DefaultUsage(
                tokens(u.totalInputTokens()),
                tokens(u.outputTokens()),
                null,
                u,
                u.cacheReadTokens(),
                u.cacheWriteTokens());
    }

    private static Integer tokens(long n) {
        return (int) Math.min(n, Integer.MAX_VALUE);
    }
}
