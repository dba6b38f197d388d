package dev.sluice.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.MessageChunk;
import dev.sluice.stream.EventStream;
import dev.sluice.stream.StreamController;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's {@link ChatModel} over any Sluice {@link dev.sluice.chat.ChatProvider}: a provider
 * client, or a {@link dev.sluice.chat.FallbackChain}. Each {@code chat} streams the answer, as
 * {@link SluiceStreamingChatModel} does, and returns it whole once it has ended.
 *
 * <pre>{@code
 * ChatModel model = SluiceChatModel.builder()
 *         .provider(chain)
 *         .build();
 * String answer = model.chat("Why is the sky blue?");
 * }</pre>
 *
 * <p>Requests map as {@link SluiceStreamingChatModel}'s do. A failure is thrown as the client threw
 * it, a {@link dev.sluice.SluiceException} carrying the answer so far and the request id; an answer
 * cut short without failing (the stream's chunk limit, a cancel) throws too
 * ({@link dev.sluice.chat.ChatProvider#chat}): a truncated answer never passes for a whole one.
 * The response's id is the provider's, else (Bedrock's Converse API names none) the stream's request id.
 *
 * <p>Thread-safe; the provider is shared, never closed by the model.
 */
public final class SluiceChatModel extends SluiceModel implements ChatModel {
    private SluiceChatModel(Settings settings) {
        super(settings);
    }

    /** {@return a builder without a provider yet} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Streams the answer to its end on the calling thread (the connection is read on a virtual
     * thread of Sluice's) and returns it; called by {@code chat} with the default parameters merged in.
     *
     * @throws dev.langchain4j.exception.UnsupportedFeatureException if the request holds what Sluice cannot send
     * @throws IllegalArgumentException if a parameter is out of range
     * @throws dev.sluice.SluiceException if the answer fails or is cut short
     */
    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        dev.sluice.chat.ChatRequest request = settings.request(chatRequest);
        Recording provider = new Recording(settings.provider());
        dev.sluice.chat.ChatResponse response = provider.chat(request);
        return ChatResponses.of(response, request.responseFormat(), request.model(), provider.requestId());
    }

    /** The provider, keeping the stream {@code chat} opens, for its request id. */
    private static final class Recording implements ChatProvider {
        private final ChatProvider provider;
        private @Nullable EventStream<MessageChunk> opened;

        Recording(ChatProvider provider) {
            this.provider = provider;
        }

        @Override
        public EventStream<MessageChunk> stream(dev.sluice.chat.ChatRequest request) {
            return opened = provider.stream(request);
        }

        @Override
        public EventStream<MessageChunk> stream(dev.sluice.chat.ChatRequest request, StreamController controller) {
            return opened = provider.stream(request, controller);
        }

        /** {@return the request id of the stream opened, or null} */
        @Nullable
        String requestId() {
            EventStream<MessageChunk> s = opened;
            return s == null ? null : s.requestId().orElse(null);
        }
    }

    /** Builds a {@link SluiceChatModel}; each setter checks its argument. Not thread-safe. */
    public static final class Builder extends SluiceModelBuilder<Builder> {
        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * {@return the model}
         *
         * @throws IllegalArgumentException if the provider is missing, or the model when the provider is not a fallback chain
         */
        public SluiceChatModel build() {
            return new SluiceChatModel(settings());
        }
    }
}
