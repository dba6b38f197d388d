package dev.sluice.chat;

import dev.sluice.client.Failover;
import dev.sluice.client.Hedge;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One provider-neutral piece of a streamed response. Absent parts: text is empty, never null;
 * lists are empty; finish reason and usage are null. A chunk may carry several parts at once.
 *
 * <p>A chunk of a {@link FallbackChain}'s stream may carry a {@link Failover}: the answer moved to
 * another target, and when its {@link Failover#reset()} is true, everything received before it
 * belongs to a failed attempt and must be discarded (a consumer that appends text replaces it
 * instead; {@link ChunkAggregator} does so). Or a {@link Hedge}: the chain raced a second target
 * and names the one that answered; nothing to discard. Providers never set either.
 *
 * @param id the response's id as the provider names it; empty if not known in this chunk
 * @param text the next piece of the answer text, possibly empty
 * @param toolCalls pieces of tool calls, in the order they arrived; possibly empty
 * @param thinking the next piece of the model's visible reasoning, possibly empty
 * @param finishReason why the model stopped, on the chunk that says so; otherwise null
 * @param usage the token totals so far, on a chunk that reports them; otherwise null
 * @param metadata where and when the chunk came from
 * @param providerState the provider's state of the whole response so far (see
 *     {@link ProviderState}), on a chunk that reports it; otherwise null
 * @param failover the switch of a fallback chain to its next target, on the chunk that reports
 *     it (which carries nothing else); otherwise null
 * @param hedge the hedge of a fallback chain, on the chunk that reports it, just before the
 *     winner's first chunk (it carries nothing else); otherwise null
 */
public record MessageChunk(
        String id,
        String text,
        List<ToolCallDelta> toolCalls,
        String thinking,
        @Nullable FinishReason finishReason,
        @Nullable Usage usage,
        ChunkMetadata metadata,
        @Nullable ProviderState providerState,
        @Nullable Failover failover,
        @Nullable Hedge hedge) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a part that may not be null is null
     */
    public MessageChunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(Objects.requireNonNull(toolCalls, "toolCalls"));
        Objects.requireNonNull(thinking, "thinking");
        Objects.requireNonNull(metadata, "metadata");
    }

    /**
     * A chunk without a hedge.
     *
     * @param id the response's id, empty if not known
     * @param text the text delta
     * @param toolCalls the tool-call deltas
     * @param thinking the thinking delta
     * @param finishReason the finish reason, or null
     * @param usage the usage so far, or null
     * @param metadata where and when the chunk came from
     * @param providerState the provider's state of the response so far, or null
     * @param failover the switch it reports, or null
     * @throws NullPointerException if a part that may not be null is null
     */
    public MessageChunk(
            String id,
            String text,
            List<ToolCallDelta> toolCalls,
            String thinking,
            @Nullable FinishReason finishReason,
            @Nullable Usage usage,
            ChunkMetadata metadata,
            @Nullable ProviderState providerState,
            @Nullable Failover failover) {
        this(id, text, toolCalls, thinking, finishReason, usage, metadata, providerState, failover, null);
    }

    /**
     * A chunk without a failover.
     *
     * @param id the response's id, empty if not known
     * @param text the text delta
     * @param toolCalls the tool-call deltas
     * @param thinking the thinking delta
     * @param finishReason the finish reason, or null
     * @param usage the usage so far, or null
     * @param metadata where and when the chunk came from
     * @param providerState the provider's state of the response so far, or null
     * @throws NullPointerException if a part that may not be null is null
     */
    public MessageChunk(
            String id,
            String text,
            List<ToolCallDelta> toolCalls,
            String thinking,
            @Nullable FinishReason finishReason,
            @Nullable Usage usage,
            ChunkMetadata metadata,
            @Nullable ProviderState providerState) {
        this(id, text, toolCalls, thinking, finishReason, usage, metadata, providerState, null, null);
    }

    /**
     * A chunk without provider state.
     *
     * @param id the response's id, empty if not known
     * @param text the text delta
     * @param toolCalls the tool-call deltas
     * @param thinking the thinking delta
     * @param finishReason the finish reason, or null
     * @param usage the usage so far, or null
     * @param metadata where and when the chunk came from
     * @throws NullPointerException if a part that may not be null is null
     */
    public MessageChunk(
            String id,
            String text,
            List<ToolCallDelta> toolCalls,
            String thinking,
            @Nullable FinishReason finishReason,
            @Nullable Usage usage,
            ChunkMetadata metadata) {
        this(id, text, toolCalls, thinking, finishReason, usage, metadata, null, null, null);
    }

    /**
     * Starts building a chunk.
     *
     * @param metadata where and when the chunk came from
     * @return a builder for a chunk with the given metadata and nothing else yet
     * @throws NullPointerException if metadata is null
     */
    public static Builder builder(ChunkMetadata metadata) {
        return new Builder(metadata);
    }

    /** Builds a {@link MessageChunk}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private final ChunkMetadata metadata;
        private String id = "";
        private String text = "";
        private final List<ToolCallDelta> toolCalls = new ArrayList<>();
        private String thinking = "";
        private @Nullable FinishReason finishReason;
        private @Nullable Usage usage;
        private @Nullable ProviderState providerState;
        private @Nullable Failover failover;
        private @Nullable Hedge hedge;

        private Builder(ChunkMetadata metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata");
        }

        /**
         * Sets the response's id.
         *
         * @param id the response's id
         * @return this builder
         * @throws NullPointerException if id is null
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the text delta.
         *
         * @param text the text delta
         * @return this builder
         * @throws NullPointerException if text is null
         */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * Sets a tool-call delta, added after those already set.
         *
         * @param delta a tool-call delta, added after those already set
         * @return this builder
         * @throws NullPointerException if delta is null
         */
        public Builder toolCall(ToolCallDelta delta) {
            toolCalls.add(Objects.requireNonNull(delta, "delta"));
            return this;
        }

        /**
         * Sets the thinking delta.
         *
         * @param thinking the thinking delta
         * @return this builder
         * @throws NullPointerException if thinking is null
         */
        public Builder thinking(String thinking) {
            this.thinking = Objects.requireNonNull(thinking, "thinking");
            return this;
        }

        /**
         * Sets why the model stopped, or null.
         *
         * @param finishReason why the model stopped, or null
         * @return this builder
         */
        public Builder finishReason(@Nullable FinishReason finishReason) {
            this.finishReason = finishReason;
            return this;
        }

        /**
         * Sets the token totals so far, or null.
         *
         * @param usage the token totals so far, or null
         * @return this builder
         */
        public Builder usage(@Nullable Usage usage) {
            this.usage = usage;
            return this;
        }

        /**
         * Sets the provider's state of the response so far, or null.
         *
         * @param providerState the provider's state of the response so far, or null
         * @return this builder
         */
        public Builder providerState(@Nullable ProviderState providerState) {
            this.providerState = providerState;
            return this;
        }

        /**
         * Sets the fallback chain's switch this chunk reports, or null.
         *
         * @param failover the switch, or null
         * @return this builder
         */
        public Builder failover(@Nullable Failover failover) {
            this.failover = failover;
            return this;
        }

        /**
         * Sets the fallback chain's hedge this chunk reports, or null.
         *
         * @param hedge the hedge, or null
         * @return this builder
         */
        public Builder hedge(@Nullable Hedge hedge) {
            this.hedge = hedge;
            return this;
        }

        /** {@return the chunk} */
        public MessageChunk build() {
            return new MessageChunk(
                    id, text, toolCalls, thinking, finishReason, usage, metadata, providerState, failover, hedge);
        }
    }
}
