package dev.sluice.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.ApiException;
import dev.sluice.FakeServers;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.RateLimits;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import dev.sluice.testkit.FakeLlmExtension;
import dev.sluice.testkit.FakeResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI's {@code x-ratelimit-*} headers on Chat Completions and Responses streams and on the
 * client (the neutral view), and holding new streams while a limit is exhausted, over the test kit's server.
 */
class OpenAiRateLimitTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String RESPONSES = "/v1/responses";

    @RegisterExtension
    static final FakeLlmExtension FAKE = FakeLlmExtension.shared();

    private static OpenAiClient.Builder client() {
        return OpenAiClient.builder()
                .apiKey("sk-test-SECRET")
                .baseUrl(FAKE.server().baseUrl().toString())
                .retryPolicy(RetryPolicy.none());
    }

    private static FakeResponse chatSse() {
        return FakeResponse.sse(OpenAiFixtures.sse("text-basic"));
    }

    private static FakeResponse responsesSse() {
        return FakeResponse.sse(OpenAiFixtures.resource("openai-responses/text.sse"));
    }

    /** Requests exhausted for {@code reset} (a Go duration, as OpenAI writes it), tokens plentiful. */
    private static FakeResponse exhausted(FakeResponse r, String reset) {
        return r.header("x-ratelimit-limit-requests", "60")
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", reset)
                .header("x-ratelimit-limit-tokens", "150000")
                .header("x-ratelimit-remaining-tokens", "149984")
                .header("x-ratelimit-reset-tokens", "6m0s");
    }

    /** Answers the POSTs to {@code path} in order with these responses, then with 404s, as a WireMock scenario did. */
    private static void stubSequence(String path, List<FakeResponse> responses) {
        List<FakeResponse> all = new ArrayList<>(responses);
        all.add(FakeResponse.status(404));
        FakeServers.script(FAKE.server(), path, all.toArray(FakeResponse[]::new));
    }

    private static ChatCompletionRequest chatRequest() {
        return ChatCompletionRequest.builder()
                .model("gpt-4o")
                .addMessage(ChatCompletionMessage.user("Hi"))
                .build();
    }

    private static ResponseRequest responseRequest() {
        return ResponseRequest.builder()
                .model("gpt-5-mini")
                .addUserMessage("Hi")
                .build();
    }

    private static ChatRequest neutral() {
        return ChatRequest.builder()
                .model("gpt-4o")
                .addMessage(ChatMessage.user("Hi"))
                .build();
    }

    private static void drain(EventStream<MessageChunk> chunks) {
        try (chunks) {
            chunks.forEach(c -> {});
        }
    }

    @Test
    void chatStream_rateLimitHeaders_onTheStreamAndTheClient() {
        stubSequence(CHAT, List.of(exhausted(chatSse(), "1.5s")));
        try (OpenAiClient c = client().build()) {
            assertTrue(c.rateLimits().isEmpty(), "nothing reported before a response");
            try (ChatCompletionStream s = c.chat().stream(chatRequest())) {
                RateLimits limits = s.rateLimits().orElseThrow();
                RateLimits.Limit requests = limits.get(RateLimits.Kind.REQUESTS).orElseThrow();
                assertEquals(OptionalLong.of(60), requests.limit());
                assertEquals(OptionalLong.of(0), requests.remaining());
                assertEquals(
                        limits.observedAt().plusMillis(1_500),
                        requests.resetAt().orElseThrow(),
                        "counted from the arrival");
                assertEquals(
                        OptionalLong.of(149_984),
                        limits.get(RateLimits.Kind.TOKENS).orElseThrow().remaining());
                assertEquals(
                        limits.observedAt().plusMillis(1_500),
                        limits.exhaustedUntil().orElseThrow());
                assertEquals(limits, c.rateLimits().orElseThrow(), "the client keeps the latest report");
                s.result();
            }
        }
    }

    @Test
    void responseStream_rateLimitHeaders_onTheStreamAndTheResponsesProvider() {
        stubSequence(RESPONSES, List.of(exhausted(responsesSse(), "20ms")));
        try (OpenAiClient c = client().build();
                ResponseStream s = c.responses().stream(responseRequest())) {
            RateLimits limits = s.rateLimits().orElseThrow();
            assertEquals(
                    OptionalLong.of(0),
                    limits.get(RateLimits.Kind.REQUESTS).orElseThrow().remaining());
            assertEquals(
                    limits.observedAt().plusMillis(20), limits.exhaustedUntil().orElseThrow());
            ChatProvider provider = c.responses();
            assertEquals(limits, provider.rateLimits().orElseThrow());
            s.result();
        }
    }

    @Test
    void neutralStream_rateLimits_readFromTheProvider() {
        stubSequence(CHAT, List.of(exhausted(chatSse(), "2s")));
        try (OpenAiClient c = client().build()) {
            ChatProvider provider = c;
            drain(provider.stream(neutral()));
            RateLimits limits = provider.rateLimits().orElseThrow();
            assertEquals(
                    OptionalLong.of(0),
                    limits.get(RateLimits.Kind.REQUESTS).orElseThrow().remaining());
        }
    }

    @Test
    void chatStream_requestsExhaustedAndHoldOn_nextStreamWaitsUntilTheReset() {
        stubSequence(CHAT, List.of(exhausted(chatSse(), "600ms"), chatSse()));
        try (OpenAiClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            Instant until;
            try (ChatCompletionStream s = c.chat().stream(chatRequest())) {
                until = s.rateLimits().orElseThrow().exhaustedUntil().orElseThrow();
                s.result();
            }
            try (ChatCompletionStream s = c.chat().stream(chatRequest())) {
                assertFalse(Instant.now().isBefore(until), "sent after the reset");
                s.result();
            }
            assertEquals(2, FakeServers.requestsTo(FAKE.server(), CHAT).size());
        }
    }

    @Test
    void responses_requestsExhaustedAndHoldOn_nextStreamAndNeutralStreamWait() {
        stubSequence(
                RESPONSES,
                List.of(exhausted(responsesSse(), "500ms"), exhausted(responsesSse(), "500ms"), responsesSse()));
        try (OpenAiClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            Instant until;
            try (ResponseStream s = c.responses().stream(responseRequest())) {
                until = s.rateLimits().orElseThrow().exhaustedUntil().orElseThrow();
                s.result();
            }
            try (ResponseStream s = c.responses().stream(responseRequest())) {
                assertFalse(Instant.now().isBefore(until), "sent after the reset");
                until = s.rateLimits().orElseThrow().exhaustedUntil().orElseThrow();
                s.result();
            }
            try (EventStream<MessageChunk> chunks = c.responses().stream(neutral())) {
                assertFalse(Instant.now().isBefore(until), "the neutral view is held too");
                chunks.forEach(x -> {});
            }
            assertEquals(3, FakeServers.requestsTo(FAKE.server(), RESPONSES).size());
        }
    }

    @Test
    void neutralStream_exhaustedAndHoldOn_holdsTheClientsNextStream() {
        stubSequence(CHAT, List.of(exhausted(chatSse(), "500ms"), chatSse()));
        try (OpenAiClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            drain(c.stream(neutral()));
            Instant until = c.rateLimits().orElseThrow().exhaustedUntil().orElseThrow();
            try (ChatCompletionStream s = c.chat().stream(chatRequest())) {
                assertFalse(Instant.now().isBefore(until), "sent after the reset");
                s.result();
            }
        }
    }

    @Test
    void chatStream_429NamingItsDelayAndHoldOn_nextStreamWaitsItOut() {
        stubSequence(
                CHAT,
                List.of(
                        FakeResponse.status(429)
                                .header("retry-after-ms", "600")
                                .body(
                                        "application/json",
                                        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"),
                        chatSse()));
        try (OpenAiClient c =
                client().holdWhileRateLimited(Duration.ofSeconds(5)).build()) {
            ApiException e = assertThrows(ApiException.class, () -> c.chat().stream(chatRequest()));
            assertEquals(429, e.statusCode());
            RateLimits reported = c.rateLimits().orElseThrow();
            assertEquals(Duration.ofMillis(600), reported.retryAfter().orElseThrow());
            Instant until = reported.exhaustedUntil().orElseThrow();
            try (ChatCompletionStream s = c.chat().stream(chatRequest())) {
                assertFalse(Instant.now().isBefore(until), "sent after the server's delay");
                s.result();
            }
        }
    }

    @Test
    void chatStream_exhaustedAndHoldOff_nextStreamGoesAtOnce() {
        stubSequence(CHAT, List.of(exhausted(chatSse(), "30s"), chatSse()));
        try (OpenAiClient c = client().build()) {
            Instant until;
            try (ChatCompletionStream s = c.chat().stream(chatRequest())) {
                until = s.rateLimits().orElseThrow().exhaustedUntil().orElseThrow();
            }
            try (ChatCompletionStream s = c.chat().stream(chatRequest())) {
                assertTrue(Instant.now().isBefore(until), "not held");
                s.result();
            }
        }
    }
}
