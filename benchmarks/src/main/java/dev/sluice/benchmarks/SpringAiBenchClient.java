package dev.sluice.benchmarks;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.springai.SluiceChatModel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.Disposable;

/**
 * A Spring AI {@link StreamingChatModel} as a Spring AI application streams with it: one model
 * reused, {@code stream(prompt)}, every {@link ChatResponse} with text counted and its text
 * appended, the Flux run to its end. The same code drives Spring AI's own
 * {@code AnthropicChatModel} ({@link #own}) and Sluice under Spring AI ({@link #sluice}). Cancel ({@link #start}):
 * the subscription's {@link Disposable#dispose()}.
 */
final class SpringAiBenchClient implements CancellableBenchClient {
    private final StreamingChatModel model;
    private final @Nullable AnthropicClient owned;
    private final Prompt prompt =
            new Prompt(PROMPT, ChatOptions.builder().maxTokens(MAX_TOKENS).build());

    /**
     * @param model the model to stream with
     * @param owned the provider client under the model, closed with this client, or null
     */
    SpringAiBenchClient(StreamingChatModel model, @Nullable AnthropicClient owned) {
        this.model = model;
        this.owned = owned;
    }

    /** {@return Spring AI's own Anthropic model against the server (over the official SDK's OkHttp client)} */
    static SpringAiBenchClient own(String baseUrl) {
        return new SpringAiBenchClient(
                AnthropicChatModel.builder()
                        .options(AnthropicChatOptions.builder()
                                .baseUrl(baseUrl)
                                .apiKey("bench")
                                .model(MODEL)
                                .maxTokens(MAX_TOKENS)
                                .maxRetries(0)
                                .timeout(Duration.ofMinutes(5))
                                .build())
                        .build(),
                null);
    }

    /** {@return Sluice's model over Sluice's Anthropic client against the server (no retries, as the others)} */
    static SpringAiBenchClient sluice(String baseUrl) {
        AnthropicClient client = SluiceBenchClient.client(baseUrl);
        return new SpringAiBenchClient(
                SluiceChatModel.builder().provider(client).model(MODEL).build(), client);
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        StringBuilder text = new StringBuilder();
        long[] counts = {0, windows == null ? Long.MAX_VALUE : windows.every, 0, 0
        }; // partials, until mark, first nanos, millis
        model.stream(prompt)
                .doOnNext(response -> {
                    String delta = text(response);
                    if (delta == null || delta.isEmpty()) return;
                    if (counts[0]++ == 0) {
                        counts[2] = System.nanoTime();
                        counts[3] = System.currentTimeMillis();
                    }
                    if (--counts[1] == 0 && windows != null) {
                        windows.mark();
                        counts[1] = windows.every;
                    }
                    text.append(delta);
                })
                .blockLast(Duration.ofMinutes(5));
        return new Result(counts[0], text.length(), counts[2], counts[3]);
    }

    private static @Nullable String text(ChatResponse response) {
        Generation result = response.getResult();
        return result == null || result.getOutput() == null
                ? null
                : result.getOutput().getText();
    }

    @Override
    public Running start(Runnable onPartial) {
        Disposable subscription = model.stream(prompt)
                .subscribe(
                        response -> {
                            String delta = text(response);
                            if (delta != null && !delta.isEmpty()) onPartial.run();
                        },
                        error -> {});
        return subscription::dispose;
    }

    @Override
    public void close() {
        if (owned != null) owned.close();
    }
}
