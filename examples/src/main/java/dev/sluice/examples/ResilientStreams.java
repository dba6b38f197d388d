package dev.sluice.examples;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.anthropic.MessageRequest;
import dev.sluice.anthropic.MessageStream;
import dev.sluice.anthropic.ResumePolicy;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.CircuitBreakerPolicy;
import dev.sluice.client.ConcurrencyLimit;
import dev.sluice.client.RateLimits;
import dev.sluice.client.RequestRateLimit;
import dev.sluice.client.TokenBudget;
import dev.sluice.openai.ChatCompletionMessage;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.openai.ChatCompletionStream;
import dev.sluice.openai.OpenAiClient;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams that survive and stay within budget: a client that resumes a dropped stream, keeps at
 * most four streams open, stops sending for a while after repeated failures, holds new streams
 * while a rate limit is exhausted, starts at most 50 streams a minute, and ends a stream at an
 * output-token budget; and counting a request's input tokens before streaming it. Then the same
 * rate-limit guards on OpenAI, with the limits read from a typed stream and from the
 * provider-neutral view.
 */
public final class ResilientStreams {
    private ResilientStreams() {}

    public static void main(String[] args) {
        String key = System.getenv("ANTHROPIC_API_KEY");
        if (key != null && !key.isBlank()) {
            System.out.println(run(AnthropicClient.builder().fromEnv(), ExampleClient.MODEL, 200));
            return;
        }
        try (FakeLlmServer fake = FakeLlmServer.builder().tokensPerSecond(70).start()) {
            System.out.println(run(
                    AnthropicClient.builder()
                            .apiKey("fake")
                            .baseUrl(fake.baseUrl().toString()),
                    ExampleClient.MODEL,
                    200));
        }
    }

    /**
     * What one resilient stream reports.
     *
     * @param inputTokens the request's input tokens, counted before streaming
     * @param text the streamed text
     * @param endReason how the stream ended (COMPLETED, or TOKEN_BUDGET)
     * @param resumes how often it was continued after a drop
     * @param alertedAt the count at which the budget's alert fired, or 0
     * @param requestsRemaining the requests left in the rate limit, or -1 when not reported
     */
    public record Result(
            long inputTokens, String text, String endReason, int resumes, long alertedAt, long requestsRemaining) {}

    /** Streams one reply with a client built from {@code builder} (key and base URL set) and the guards below. */
    static Result run(AnthropicClient.Builder builder, String model, long maxOutputTokens) {
        AtomicLong alertedAt = new AtomicLong();
        try (AnthropicClient client = builder.resume(ResumePolicy.upTo(3)) // continue a dropped stream
                .concurrencyLimit(ConcurrencyLimit.of(4).withMaxWait(Duration.ofSeconds(30)))
                .circuitBreaker(CircuitBreakerPolicy.defaults()) // fail fast after repeated failures
                .holdWhileRateLimited(Duration.ofSeconds(10)) // wait out an exhausted limit
                .requestRateLimit(RequestRateLimit.of(50, Duration.ofMinutes(1))) // at most 50 streams a minute
                .tokenBudget(TokenBudget.of(maxOutputTokens)
                        .withAlert(maxOutputTokens * 8 / 10, alertedAt::set)) // usage alert at 80%
                .build()) {
            MessageRequest request = MessageRequest.builder()
                    .model(model)
                    .maxTokens(1024)
                    .addUserMessage("Tell me about the ocean")
                    .build();
            long input = client.messages().countTokens(request); // check the input first
            StringBuilder text = new StringBuilder();
            try (MessageStream stream = client.messages().stream(request)) {
                stream.text().forEach(text::append);
                long remaining = stream.rateLimits()
                        .flatMap(r -> r.get(RateLimits.Kind.REQUESTS))
                        .flatMap(l -> l.remaining().isPresent()
                                ? Optional.of(l.remaining().getAsLong())
                                : Optional.empty())
                        .orElse(-1L);
                return new Result(
                        input,
                        text.toString(),
                        stream.endReason().orElseThrow().name(),
                        stream.resumes().count(),
                        alertedAt.get(),
                        remaining);
            }
        }
    }

    /**
     * What OpenAI reported about its request limit.
     *
     * @param streamRemaining the requests left, from the typed stream's response, or -1
     * @param providerRemaining the requests left, from the client's latest report after a
     *     provider-neutral stream, or -1
     */
    public record OpenAiLimits(long streamRemaining, long providerRemaining) {}

    /** Streams twice through an OpenAI client built from {@code builder} (key and base URL set), reading the limits. */
    static OpenAiLimits openAi(OpenAiClient.Builder builder, String model) {
        try (OpenAiClient client = builder.holdWhileRateLimited(
                        Duration.ofSeconds(10)) // x-ratelimit-remaining-*: 0 holds new streams
                .requestRateLimit(RequestRateLimit.of(50, Duration.ofMinutes(1)).withMaxWait(Duration.ofSeconds(5)))
                .build()) {
            long streamRemaining;
            try (ChatCompletionStream stream = client.chat().stream(ChatCompletionRequest.builder()
                    .model(model)
                    .addMessage(ChatCompletionMessage.user("Tell me about the ocean"))
                    .build())) {
                stream.result();
                streamRemaining = requestsRemaining(stream.rateLimits()); // this stream's response
            }
            ChatProvider provider = client;
            try (EventStream<MessageChunk> chunks = provider.stream(ChatRequest.builder()
                    .model(model)
                    .addMessage(ChatMessage.user("And about rivers?"))
                    .build())) {
                chunks.forEach(chunk -> {});
            }
            long providerRemaining = requestsRemaining(provider.rateLimits()); // the latest response's
            return new OpenAiLimits(streamRemaining, providerRemaining);
        }
    }

    private static long requestsRemaining(Optional<RateLimits> limits) {
        return limits.flatMap(r -> r.get(RateLimits.Kind.REQUESTS))
                .flatMap(l ->
                        l.remaining().isPresent() ? Optional.of(l.remaining().getAsLong()) : Optional.empty())
                .orElse(-1L);
    }
}
