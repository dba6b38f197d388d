package dev.sluice.chat;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A response as far as it has arrived ({@link ChunkAggregator#snapshot()}) or complete
 * ({@link ChunkAggregator#result()}). Immutable.
 *
 * @param id the response's id; empty if not known
 * @param text the answer text
 * @param toolCalls the tool calls in index order; see {@link ToolCall} for their arguments
 * @param thinking the model's visible reasoning; empty if none
 * @param finishReason why the model stopped; null if not known (yet)
 * @param usage the latest token totals; null if none were reported
 * @param metadata model, chunk count and latency
 * @param complete true for the final response from {@link ChunkAggregator#result()} (which
 *     {@link ChatProvider#chat} returns only for a stream that reached its normal end); false for a
 *     partial one, such as the {@code partial()} of a failed or truncated stream's exception
 * @param providerState what the provider needs back when this response is repeated in a later
 *     request (see {@link ProviderState}); null if none
 */
public record ChatResponse(
        String id,
        String text,
        List<ToolCall> toolCalls,
        String thinking,
        @Nullable FinishReason finishReason,
        @Nullable Usage usage,
        ResponseMetadata metadata,
        boolean complete,
        @Nullable ProviderState providerState) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a part that may not be null is null
     */
    public ChatResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
        Objects.requireNonNull(thinking, "thinking");
        Objects.requireNonNull(metadata, "metadata");
    }

    /**
     * A response without provider state.
     *
     * @param id the response's id; empty if not known
     * @param text the answer text
     * @param toolCalls the tool calls in index order
     * @param thinking the model's visible reasoning; empty if none
     * @param finishReason why the model stopped; null if not known (yet)
     * @param usage the latest token totals; null if none were reported
     * @param metadata model, chunk count and latency
     * @param complete true for a final response
     * @throws NullPointerException if a part that may not be null is null
     */
    public ChatResponse(
            String id,
            String text,
            List<ToolCall> toolCalls,
            String thinking,
            @Nullable FinishReason finishReason,
            @Nullable Usage usage,
            ResponseMetadata metadata,
            boolean complete) {
        this(id, text, toolCalls, thinking, finishReason, usage, metadata, complete, null);
    }
}
