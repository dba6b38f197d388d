package dev.sluice.benchmarks;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The official SDK ({@code com.anthropic:anthropic-java}): one {@code AnthropicOkHttpClient}
 * reused, {@code messages().createStreaming(params)} iterated, each event given to the SDK's
 * {@link MessageAccumulator}, and the final message's text (or tool input) measured.
 */
final class SdkBenchClient implements BenchClient {
    private final AnthropicClient client;
    private final MessageCreateParams params;
    private final boolean tool;

    SdkBenchClient(String baseUrl, boolean tool) {
        this.tool = tool;
        client = AnthropicOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey("bench")
                .maxRetries(0)
                .timeout(Duration.ofMinutes(5))
                .build();
        params = MessageCreateParams.builder()
                .model(MODEL)
                .maxTokens(MAX_TOKENS)
                .addUserMessage(PROMPT)
                .build();
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        long events = 0;
        long firstNanos = 0;
        long firstMillis = 0;
        long untilMark = windows == null ? Long.MAX_VALUE : windows.every;
        try (StreamResponse<RawMessageStreamEvent> response = client.messages().createStreaming(params)) {
            for (RawMessageStreamEvent event : response) {
                if (events++ == 0) {
                    firstNanos = System.nanoTime();
                    firstMillis = System.currentTimeMillis();
                }
                if (--untilMark == 0 && windows != null) {
                    windows.mark();
                    untilMark = windows.every;
                }
                accumulator.accumulate(event);
            }
        }
        Message message = accumulator.message();
        long length = 0;
        for (ContentBlock block : message.content()) {
            if (tool) {
                if (block.toolUse().isPresent()) length += inputJson(block).length();
            } else {
                length += block.text().map(t -> t.text().length()).orElse(0);
            }
        }
        return new Result(events, length, firstNanos, firstMillis);
    }

    private static String inputJson(ContentBlock block) {
        try {
            return ObjectMappers.jsonMapper()
                    .writeValueAsString(block.toolUse().orElseThrow()._input());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tool input does not serialize", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
