package dev.sluice.benchmarks;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.langchain4j.SluiceStreamingChatModel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A LangChain4j {@link StreamingChatModel} as a LangChain4j application streams with it: one model
 * reused, {@code chat(request, handler)}, every partial text counted in the handler, the complete
 * response's text measured. The same code drives LangChain4j's own
 * {@code AnthropicStreamingChatModel} ({@link #own}) and Sluice under LangChain4j ({@link #sluice}).
 *
 * <p>Cancel ({@link #start}): the {@link StreamingHandle} LangChain4j hands to each partial
 * response. Before the first one, a caller of LangChain4j's own model has no handle, so the handler
 * cancels at its first callback (the only means that model offers); Sluice's model returns its
 * handle at once ({@code SluiceStreamingChatModel.stream}), which the caller cancels.
 */
final class Lc4jBenchClient implements CancellableBenchClient {
    private final StreamingChatModel model;
    private final @Nullable BiFunction<ChatRequest, StreamingChatResponseHandler, StreamingHandle> starter;
    private final @Nullable AnthropicClient owned;
    private final ChatRequest request = ChatRequest.builder()
            .messages(UserMessage.from(PROMPT))
            .maxOutputTokens(MAX_TOKENS)
            .build();

    /**
     * @param model the model to stream with
     * @param starter starts a stream and returns its handle at once, or null when the model has no
     *     such means (then {@code chat}, and a cancel waits for the first partial's handle)
     * @param owned the provider client under the model, closed with this client, or null
     */
    Lc4jBenchClient(
            StreamingChatModel model,
            @Nullable BiFunction<ChatRequest, StreamingChatResponseHandler, StreamingHandle> starter,
            @Nullable AnthropicClient owned) {
        this.model = model;
        this.starter = starter;
        this.owned = owned;
    }

    /** {@return Sluice's model over Sluice's Anthropic client against the server (no retries, as the others)} */
    static Lc4jBenchClient sluice(String baseUrl) {
        AnthropicClient client = SluiceBenchClient.client(baseUrl);
        SluiceStreamingChatModel model =
                SluiceStreamingChatModel.builder().provider(client).model(MODEL).build();
        return new Lc4jBenchClient(model, model::stream, client);
    }

    /** {@return LangChain4j's own Anthropic model against the server (its default JDK HTTP client)} */
    static Lc4jBenchClient own(String baseUrl) {
        return new Lc4jBenchClient(
                AnthropicStreamingChatModel.builder()
                        .baseUrl(baseUrl + "/v1/")
                        .apiKey("bench")
                        .modelName(MODEL)
                        .maxTokens(MAX_TOKENS)
                        .timeout(Duration.ofMinutes(5))
                        .build(),
                null,
                null);
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        Handler handler = new Handler(windows, null);
        model.chat(request, handler);
        ChatResponse response;
        try {
            response = handler.done.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the stream failed", e.getCause());
        }
        String text = response.aiMessage().text();
        return new Result(handler.partials, text == null ? 0 : text.length(), handler.firstNanos, handler.firstMillis);
    }

    @Override
    public Running start(Runnable onPartial) {
        Handler handler = new Handler(null, onPartial);
        if (starter == null) {
            model.chat(request, handler);
        } else {
            handler.handle = starter.apply(request, handler);
        }
        return handler;
    }

    @Override
    public void close() {
        if (owned != null) owned.close();
    }

    /** Counts the partials on LangChain4j's thread; cancels through the handle it is given. */
    private static final class Handler implements StreamingChatResponseHandler, Running {
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        private final @Nullable Windows windows;
        private final @Nullable Runnable onPartial;
        private long untilMark;
        long partials;
        long firstNanos;
        long firstMillis;
        private volatile @Nullable StreamingHandle handle;
        private volatile boolean cancelRequested;

        Handler(@Nullable Windows windows, @Nullable Runnable onPartial) {
            this.windows = windows;
            this.onPartial = onPartial;
            this.untilMark = windows == null ? Long.MAX_VALUE : windows.every;
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            if (partials++ == 0) {
                firstNanos = System.nanoTime();
                firstMillis = System.currentTimeMillis();
            }
            if (--untilMark == 0 && windows != null) {
                windows.mark();
                untilMark = windows.every;
            }
            if (onPartial != null) {
                handle = context.streamingHandle();
                if (cancelRequested) {
                    context.streamingHandle().cancel();
                    return;
                }
                onPartial.run();
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void cancel() {
            cancelRequested = true;
            StreamingHandle h = handle;
            if (h != null) h.cancel();
        }
    }
}
