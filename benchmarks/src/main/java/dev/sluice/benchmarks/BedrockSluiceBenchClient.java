package dev.sluice.benchmarks;

import dev.sluice.bedrock.BedrockClient;
import dev.sluice.bedrock.ConverseEvent;
import dev.sluice.bedrock.ConverseStream;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.ChatResponse;
import dev.sluice.chat.ToolCall;
import dev.sluice.client.RetryPolicy;
import dev.sluice.client.Transport;
import org.jspecify.annotations.Nullable;

/**
 * Sluice on Amazon Bedrock: one {@code BedrockClient} reused (SigV4 with the test kit's fake's test
 * key, region {@code us-east-1}, no retries), {@code converseStream(request)} iterated event by
 * event, and the response the stream accumulated ({@code result()}) measured: its text's length, or
 * its tool call's arguments'. The server is {@link BenchServer#startWithConverse}.
 */
final class BedrockSluiceBenchClient implements BenchClient {
    /** The test kit's fake's secret key ({@code FakeBedrock.SECRET_ACCESS_KEY}): the bench server checks only the key id. */
    static final String AWS_SECRET_ACCESS_KEY = "sluice/test/secret/not/a/real/aws/key/0000";

    private final BedrockClient client;
    private final ChatRequest request;
    private final boolean tool;

    BedrockSluiceBenchClient(String baseUrl, boolean tool) {
        this(baseUrl, tool, Transport.BLOCKING);
    }

    /** @param transport how the client reaches the server: {@code bedrock-sluice} blocking, {@code bedrock-sluice-jdk} the HttpClient */
    BedrockSluiceBenchClient(String baseUrl, boolean tool, Transport transport) {
        this.tool = tool;
        client = BedrockClient.builder()
                .transport(transport)
                .region("us-east-1")
                .baseUrl(baseUrl)
                .credentials(BenchServer.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
                .retryPolicy(RetryPolicy.none())
                .build();
        request = ChatRequest.builder()
                .model(ConverseBenchStream.MODEL)
                .maxTokens(MAX_TOKENS)
                .addMessage(ChatMessage.user(PROMPT))
                .build();
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        long events = 0;
        long firstNanos = 0;
        long firstMillis = 0;
        long untilMark = windows == null ? Long.MAX_VALUE : windows.every;
        ChatResponse response;
        try (ConverseStream stream = client.converseStream(request)) {
            for (ConverseEvent unused : stream) {
                if (events++ == 0) {
                    firstNanos = System.nanoTime();
                    firstMillis = System.currentTimeMillis();
                }
                if (--untilMark == 0 && windows != null) {
                    windows.mark();
                    untilMark = windows.every;
                }
            }
            response = stream.result();
        }
        long length = 0;
        if (tool) {
            for (ToolCall call : response.toolCalls())
                length += call.arguments().length();
        } else {
            length = response.text().length();
        }
        return new Result(events, length, firstNanos, firstMillis);
    }

    @Override
    public void close() {
        client.close();
    }
}
