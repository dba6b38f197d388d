package dev.sluice.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.Objects;

/**
 * LangChain4j's {@link StreamingChatModel} over any Sluice {@link dev.sluice.chat.ChatProvider}: a
 * provider client, or a {@link dev.sluice.chat.FallbackChain} that fails over across providers.
 *
 * <pre>{@code
 * StreamingChatModel model = SluiceStreamingChatModel.builder()
 *         .provider(AnthropicClient.fromEnv())
 *         .model("claude-sonnet-5-5")
 *         .build();
 * }</pre>
 *
 * <p>Each answer streams on a virtual thread of its own, which calls every callback of the handler
 * in order: {@code onPartialThinking}, {@code onPartialResponse}, {@code onPartialToolCall} and
 * {@code onCompleteToolCall} (a tool call is complete when the next one starts or the answer ends),
 * then {@code onCompleteResponse} with the token usage, finish reason, response id and model; or
 * {@code onError} with the {@link dev.sluice.SluiceException} as the client threw it, which carries
 * the answer so far ({@code partial(dev.sluice.chat.ChatResponse.class)}) and the request id. The
 * client's retries, timeouts (first token, idle, total), limits and the chain's failover all apply.
 * After a fallback chain restarted an answer on another target (a {@link dev.sluice.client.Failover}
 * with {@code reset()}), the partial responses start again, and the complete response holds the
 * finishing target's answer only.
 *
 * <p>Cancel: the {@link StreamingHandle} in each partial callback's context, or the one
 * {@link #stream(ChatRequest, StreamingChatResponseHandler)} returns at once, closes the connection
 * when cancelled, also before the first event arrives; the handler then hears nothing more, not
 * even {@code onCompleteResponse}.
 *
 * <p>Requests: the messages (system, user text, AI messages with their tool calls, tool execution
 * results) and the parameters {@code modelName}, {@code temperature}, {@code maxOutputTokens},
 * {@code stopSequences}, {@code toolSpecifications}, {@code toolChoice} and a JSON schema
 * {@code responseFormat} map to Sluice's provider-neutral request, which each client sends in its
 * API's form. What it cannot carry (images, audio and other non-text content, {@code topP},
 * {@code topK}, the penalties, JSON without a schema) is refused with LangChain4j's
 * {@link dev.langchain4j.exception.UnsupportedFeatureException}, thrown by {@code chat} before
 * anything is sent.
 *
 * <p>Thread-safe; the provider is shared, never closed by the model.
 */
public final class SluiceStreamingChatModel extends SluiceModel implements StreamingChatModel {
    // the turn doChat starts, for stream(..) to return: chat(..) calls doChat on the calling thread
    private static final ThreadLocal<StreamingTurn[]> STARTED = new ThreadLocal<>();

    private SluiceStreamingChatModel(Settings settings) {
        super(settings);
    }

    /** {@return a builder without a provider yet} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Streams the answer as {@link #chat(ChatRequest, StreamingChatResponseHandler)} does, and returns
     * its handle at once, before any event has arrived: cancelling it closes the connection, also
     * while the model has not begun to answer.
     *
     * @param request the request
     * @param handler the handler of the answer
     * @return the answer's handle
     * @throws NullPointerException if an argument is null
     * @throws dev.langchain4j.exception.UnsupportedFeatureException if the request holds what Sluice cannot send
     * @throws IllegalArgumentException if a parameter is out of range
     * @throws IllegalStateException if {@code chat} did not start the answer on the calling thread
     *     (a subclass or proxy that moves it elsewhere)
     */
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        StreamingTurn[] started = new StreamingTurn[1];
        STARTED.set(started);
        try {
            chat(request, handler);
        } finally {
            STARTED.remove();
        }
        if (started[0] == null)
            throw new IllegalStateException("chat(..) did not start the answer on the calling thread");
        return started[0];
    }

    /**
     * Starts streaming the answer on a virtual thread; called by {@code chat} with the default
     * parameters merged in, after the listeners' {@code onRequest}.
     *
     * @throws dev.langchain4j.exception.UnsupportedFeatureException if the request holds what Sluice cannot send
     * @throws IllegalArgumentException if a parameter is out of range
     */
    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        StreamingTurn turn = new StreamingTurn(settings.provider(), settings.request(chatRequest));
        StreamingTurn[] started = STARTED.get();
        if (started != null) started[0] = turn;
        turn.start(handler);
    }

    /** Builds a {@link SluiceStreamingChatModel}; each setter checks its argument. Not thread-safe. */
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
        public SluiceStreamingChatModel build() {
            return new SluiceStreamingChatModel(settings());
        }
    }
}
