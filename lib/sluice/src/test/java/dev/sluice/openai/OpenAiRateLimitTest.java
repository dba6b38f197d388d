package dev.sluice.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.sluice.ApiException;
import dev.sluice.LoopbackWireMock;
import dev.sluice.chat.ChatMessage;
import dev.sluice.chat.ChatProvider;
import dev.sluice.chat.ChatRequest;
import dev.sluice.chat.MessageChunk;
import dev.sluice.client.RateLimits;
import dev.sluice.client.RetryPolicy;
import dev.sluice.stream.EventStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OpenAI's {@code x-ratelimit-*} headers on Chat Completions and Responses streams and on the
 * client (the neutral view), and holding new streams while a limit is exhausted, over WireMock.
 */
class OpenAiRateLimitTest {
    private static final String CHAT = "/v1/chat/completions";
    private static final String RESPONSES = "/v1/responses";

    @RegisterExtension
    static final WireMockExtension server = LoopbackWireMock.server();

    private static OpenAiClient.Builder client() {
        return OpenAiClient.builder()
                .apiKey("sk-test-SECRET")
                .baseUrl("http://127.0.0.1:" + server.getPort())
                .retryPolicy(RetryPolicy.none());
    }

    private static ResponseDefinitionBuilder chatSse() {
        return aResponse()
                .withStatus(200)
                .withHeader("content-type", "text/event-stream")
                .withBody(OpenAiFixtures.sse("text-basic"));
    }

    private static ResponseDefinitionBuilder responsesSse() {
        return aResponse()
                .withStatus(200)
                .withHeader("content-type", "text/event-stream")
                .withBody(OpenAiFixtures.resource("openai-responses/text.sse"));
    }

    /** Requests exhausted for {@code reset} (a Go duration, as OpenAI writes it), tokens plentiful. */
    private static ResponseDefinitionBuilder exhausted(ResponseDefinitionBuilder r, String reset) {
        return r.withHeader("x-ratelimit-limit-requests", "60")
                .withHeader("x-ratelimit-remaining-requests", "0")
                .withHeader("x-ratelimit-reset-requests", reset)
                .withHeader("x-ratelimit-limit-tokens", "150000")
                .withHeader("x-ratelimit-remaining-tokens", "149984")
                .withHeader("x-ratelimit-reset-tokens", "6m0s");
    }

    private static void stubSequence(String path, List<ResponseDefinitionBuilder> responses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.size(); i++) {
            String next = "step" + (i + 1);
            server.stubFor(post(urlEqualTo(path))
                    .inScenario(path)
                    .whenScenarioStateIs(state)
                    .willReturn(responses.get(i))
                    .willSetStateTo(next));
            state = next;
        }
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
            server.verify(2, postRequestedFor(urlEqualTo(CHAT)));
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
            server.verify(3, postRequestedFor(urlEqualTo(RESPONSES)));
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
                        aResponse()
                                .withStatus(429)
                                .withHeader("content-type", "application/json")
                                .withHeader("retry-after-ms", "600")
                                .withBody(
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
