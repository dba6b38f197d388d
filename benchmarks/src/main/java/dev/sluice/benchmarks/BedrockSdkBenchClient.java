package dev.sluice.benchmarks;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * The AWS SDK for Java 2.x on Amazon Bedrock, what Java teams run today: one
 * {@code BedrockRuntimeAsyncClient} reused (its Netty HTTP client, HTTP/1.1 since the bench server
 * speaks it; static credentials with the test kit's fake's test key; endpoint overridden to the bench
 * server; no retries), {@code converseStream(request, handler)} with a subscriber that sees every
 * event and appends each delta's text (or tool input) to a {@code StringBuilder}, as an application
 * accumulates the answer (the SDK has no accumulator); the call's future joined. The server is
 * {@link BenchServer#startWithConverse}.
 */
final class BedrockSdkBenchClient implements BenchClient {
    private final BedrockRuntimeAsyncClient client;
    private final ConverseStreamRequest request;
    private final boolean tool;

    @SuppressWarnings("unchecked") // the AWS SDK's Consumer varargs (messages, content) are not @SafeVarargs
    BedrockSdkBenchClient(String baseUrl, boolean tool) {
        this.tool = tool;
        client = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(URI.create(baseUrl))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        BenchServer.AWS_ACCESS_KEY_ID, BedrockSluiceBenchClient.AWS_SECRET_ACCESS_KEY)))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        request = ConverseStreamRequest.builder()
                .modelId(ConverseBenchStream.MODEL)
                .messages(m -> m.role("user").content(c -> c.text(PROMPT)))
                .inferenceConfig(i -> i.maxTokens(MAX_TOKENS))
                .build();
    }

    @Override
    public Result stream(@Nullable Windows windows) {
        Accumulator acc = new Accumulator(windows, tool);
        ConverseStreamResponseHandler handler =
                ConverseStreamResponseHandler.builder().subscriber(acc::accept).build();
        client.converseStream(request, handler).join();
        return new Result(acc.events, acc.content.length(), acc.firstNanos, acc.firstMillis);
    }

    /** Every event, on the SDK's thread; read by the caller after the call's future completed. */
    private static final class Accumulator {
        final @Nullable Windows windows;
        final boolean tool;
        final StringBuilder content = new StringBuilder();
        long events;
        long firstNanos;
        long firstMillis;
        long untilMark;

        Accumulator(@Nullable Windows windows, boolean tool) {
            this.windows = windows;
            this.tool = tool;
            untilMark = windows == null ? Long.MAX_VALUE : windows.every;
        }

        void accept(ConverseStreamOutput event) {
            if (events++ == 0) {
                firstNanos = System.nanoTime();
                firstMillis = System.currentTimeMillis();
            }
            if (event instanceof ContentBlockDeltaEvent e) {
                ContentBlockDelta d = e.delta();
                if (tool) {
                    if (d.toolUse() != null) content.append(d.toolUse().input());
                } else if (d.text() != null) {
                    content.append(d.text());
                }
            }
            if (--untilMark == 0 && windows != null) {
                windows.mark();
                untilMark = windows.every;
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
