package dev.sluice.benchmarks;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.ContentBlock;
import dev.sluice.anthropic.Message;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.StreamEvent;
import dev.sluice.anthropic.TextBlock;
import dev.sluice.anthropic.ToolUseBlock;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Sluice: one {@code AnthropicClient} reused (no retries), {@code messages().stream(request)}
 * iterated event by event, and the message the stream accumulated ({@code result()})
 * measured.
 */
final class SluiceBenchClient implements BenchClient {
    private final AnthropicClient client;
    private final MessageRequest request;
    private final boolean tool;

    SluiceBenchClient(String baseUrl, boolean tool) {
        this(baseUrl, tool, Transport.BLOCKING);
    }

    /** @param transport how the client reaches the server: {@code sluice} blocking, {@code sluice-jdk} the HttpClient */
    SluiceBenchClient(String baseUrl, boolean tool, Transport transport) {
        this.tool = tool;
        client = client(baseUrl, transport);
        request = request();
    }

    /** {@return the client every Sluice benchmark uses: the given server, no retries, the default transport} */
    static AnthropicClient client(String baseUrl) {
        return client(baseUrl, Transport.BLOCKING);
    }

    private static AnthropicClient client(String baseUrl, Transport transport) {
        return AnthropicClient.builder()
                .transport(transport)
                .baseUrl(baseUrl)
                .apiKey("bench")
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    /** {@return the request every benchmark sends} */
    static MessageRequest request() {
        return MessageRequest.builder()
                .model(MODEL)
                .maxTokens(MAX_TOKENS)
                .addUserMessage(PROMPT)
                .build();
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        long events = 0;
        long firstNanos = 0;
        long firstMillis = 0;
        long untilMark = windows == null ? Long.MAX_VALUE : windows.every;
        Message message;
        try (MessageStream stream = client.messages().stream(request)) {
            for (StreamEvent unused : stream) {
                if (events++ == 0) {
                    firstNanos = System.nanoTime();
                    firstMillis = System.currentTimeMillis();
                }
                if (--untilMark == 0 && windows != null) {
                    windows.mark();
                    untilMark = windows.every;
                }
            }
            message = stream.result();
        }
        return new Result(events, contentLength(message, tool), firstNanos, firstMillis);
    }

    /** {@return what {@link Expected} checks of an accumulated message: its text's length, or its tool input's} */
    static long contentLength(Message message, boolean tool) {
        long length = 0;
        for (ContentBlock block : message.content()) {
            if (tool) {
                if (block instanceof ToolUseBlock t) length += t.inputJson().length();
            } else if (block instanceof TextBlock t) {
                length += t.text().length();
            }
        }
        return length;
    }

    @Override
    public void close() {
        client.close();
    }
}
